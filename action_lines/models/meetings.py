"""Meetings open to all stakeholders, with registration and minutes."""

import zoneinfo
from functools import cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.choices import StakeholderType
from home.countries import country_choices, country_name
from home.fields import SingleLineCharField, recipient_language_field
from home.page_languages import InterfaceLanguageUrlMixin
from home.ratelimit import too_many_requests, within_limit

from ..blocks import AgendaStreamBlock, DocumentStreamBlock
from ..calendar import meeting_calendar
from ..choices import AttendanceMode, MeetingKind
from ..permissions import TeamContentMixin
from .designation import default_language_page
from .frameworks import FrameworkVersion


@cache
def _zone_names():
    return sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in _zone_names()]


class MeetingIndexPage(InterfaceLanguageUrlMixin, TeamContentMixin, Page):
    """A list of meetings: a team's, or the secretariat's of one kind."""

    kind = models.CharField(
        _("kind of meetings"),
        max_length=20,
        choices=MeetingKind.choices,
        default=MeetingKind.TEAM,
        help_text=_("Meetings created here are of this kind."),
    )
    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("introduction"),
    ]
    parent_page_types = ["action_lines.TeamPage", "action_lines.SecretariatPage"]
    subpage_types = ["action_lines.MeetingPage"]

    class Meta:
        verbose_name = _("meeting list")

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None and parent.specific_class.__name__ == "TeamPage":
            self.kind = MeetingKind.TEAM
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        meetings = MeetingPage.objects.live().child_of(self)
        context["upcoming_meetings"] = meetings.filter(end__gte=now).order_by("start")
        past = Paginator(meetings.filter(end__lt=now).order_by("-start"), 20)
        context["past_meetings"] = past.get_page(request.GET.get("page"))
        return context


class MeetingPageForm(WagtailAdminPageForm):
    """Start and end are typed in the meeting's own time zone, not the editor's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tz = self._zone(self.instance.time_zone)
        for name in ("start", "end"):
            value = getattr(self.instance, name)
            if value:
                self.initial[name] = timezone.localtime(value, tz).replace(tzinfo=None)

    @staticmethod
    def _zone(name):
        try:
            return zoneinfo.ZoneInfo(name or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def clean(self):
        cleaned = super().clean()
        tz = self._zone(cleaned.get("time_zone"))
        for name in ("start", "end"):
            value = cleaned.get(name)
            if value:
                naive = timezone.make_naive(value, timezone.get_current_timezone())
                cleaned[name] = timezone.make_aware(naive, tz)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The meeting must end after it starts."))
        if cleaned.get("registration_open") and not (
            cleaned.get("venue") or cleaned.get("online_url")
        ):
            self.add_error(
                "venue",
                _("Give a venue or an online link before opening registration."),
            )
        return cleaned


class MeetingPage(InterfaceLanguageUrlMixin, TeamContentMixin, RoutablePageMixin, Page):
    """A team meeting, a facilitators' meeting or a designation consultation."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=MeetingKind.choices,
        default=MeetingKind.TEAM,
        editable=False,
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=time_zone_choices,
        default="Europe/Zurich",
        help_text=_("Start and end are in this time zone."),
    )
    venue = SingleLineCharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    agenda = StreamField(AgendaStreamBlock(), blank=True, verbose_name=_("agenda"))
    documents = StreamField(
        DocumentStreamBlock(),
        blank=True,
        verbose_name=pgettext_lazy("field", "documents"),
    )
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        help_text=_("Maximum number of registrations; empty for no limit."),
    )
    outcome = RichTextField(
        _("outcome and minutes"),
        blank=True,
        help_text=_("Written after the meeting."),
    )
    framework_for_teams = RichTextField(
        _("general framework of the teams' activities"),
        blank=True,
        help_text=_("Facilitators' meetings: the framework agreed for the teams."),
    )
    framework_for_inventory = RichTextField(
        _("framework for the inventory follow-up"),
        blank=True,
        help_text=_(
            "Facilitators' meetings: how the stocktaking inventory is followed up."
        ),
    )
    action_lines = ParentalManyToManyField(
        "action_lines.ActionLinePage",
        blank=True,
        related_name="meetings",
        verbose_name=_("action lines concerned"),
    )

    base_form_class = MeetingPageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_zone"),
                FieldPanel("venue"),
                FieldPanel("online_url"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("agenda"),
        FieldPanel("documents"),
        MultiFieldPanel(
            [FieldPanel("registration_open"), FieldPanel("capacity")],
            heading=_("Registration"),
        ),
        FieldPanel("outcome"),
        MultiFieldPanel(
            [FieldPanel("framework_for_teams"), FieldPanel("framework_for_inventory")],
            heading=_("Facilitators' meeting outcome"),
        ),
        FieldPanel("action_lines"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("outcome"),
        index.FilterField("kind"),
        index.FilterField("start"),
    ]
    parent_page_types = ["action_lines.MeetingIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        indexes = [models.Index(fields=["start"]), models.Index(fields=["end"])]

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.path else None
        if parent is not None:
            parent = parent.specific
            if isinstance(parent, MeetingIndexPage):
                self.kind = parent.kind
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})

    @property
    def zone(self):
        return MeetingPageForm._zone(self.time_zone)

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone)

    @property
    def is_past(self):
        return self.end < timezone.now()

    def confirmed_registrations(self):
        return self.registrations.all()

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.registrations.count(), 0)

    @property
    def accepts_registrations(self):
        return (
            self.registration_open
            and not self.is_past
            and (self.places_left is None or self.places_left > 0)
        )

    def get_context(self, request, *args, **kwargs):
        from ..forms import MeetingRegistrationForm  # noqa: PLC0415 - cycle: the forms import the models

        context = super().get_context(request, *args, **kwargs)
        source = default_language_page(self)
        context["team"] = self.get_team()
        context["rounds"] = source.designation_rounds.filter(
            action_line__live=True
        ).select_related("action_line")
        context["adopted_frameworks"] = FrameworkVersion.objects.filter(
            adopted_at=source, framework__live=True
        ).select_related("framework")
        context["registration_form"] = kwargs.get(
            "registration_form"
        ) or MeetingRegistrationForm(meeting=self)
        return context

    @path("")
    def meeting(self, request):
        return self.render(request)

    @path("calendar/")
    def ics(self, request):
        response = HttpResponse(
            meeting_calendar(self, request), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response

    @path("register/")
    def register(self, request):
        from ..forms import MeetingRegistrationForm, save_form  # noqa: PLC0415 - cycle: the forms import the models

        if request.method != "POST":
            return redirect(self.url + "#register")
        if not within_limit(request, "register"):
            return too_many_requests(
                request,
                _("Too many requests from your address. Please try again later."),
            )
        form = MeetingRegistrationForm(request.POST, meeting=self)
        if registration := save_form(form):
            messages.success(
                request,
                _("You are registered. A confirmation was sent to %(email)s.")
                % {"email": registration.email},
            )
            return redirect(self.url)
        context = self.get_context(request, registration_form=form)
        return TemplateResponse(
            request, self.get_template(request), context, status=400
        )


class MeetingRegistration(models.Model):
    """A person registered for a meeting."""

    meeting = models.ForeignKey(
        MeetingPage,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("meeting"),
    )
    name = SingleLineCharField(pgettext_lazy("field", "name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = SingleLineCharField(_("organisation"), max_length=255)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=40, choices=StakeholderType.choices
    )
    country = models.CharField(_("country"), max_length=3, choices=country_choices)
    attendance = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    language = recipient_language_field(
        _("The site's language at registration: its e-mails'.")
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting registration")
        verbose_name_plural = _("meeting registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="unique_registration_per_email"
            )
        ]

    def __str__(self):
        return f"{self.name} — {self.meeting.title}"

    @property
    def country_name(self):
        return country_name(self.country)
