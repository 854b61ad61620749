"""The action-line tree: index, action lines (C7's sub-lines too), teams, modalities."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import ContentStreamBlock
from home.choices import SDG, UNLanguage
from home.fields import ChoiceListField, SingleLineCharField
from home.page_languages import InterfaceLanguageUrlMixin
from home.ratelimit import too_many_requests, within_limit

from ..blocks import ChannelStreamBlock, MilestoneStreamBlock, SubgroupStreamBlock
from ..choices import (
    DecisionRule,
    FrameworkScope,
    IndicativeRole,
    MeetingCadence,
    MembershipOpenness,
)
from ..history import charter_history, compare_charter_revisions
from ..permissions import TeamContentMixin
from ..rounds import steps
from .frameworks import FrameworkVersion


def mark_public(organisations):
    """Mark which organisations have a public page, for the links to it."""
    # Imported here: inventory.organisations imports these models.
    from inventory.organisations import mark_public as mark  # noqa: PLC0415 - cycle: inventory.organisations imports these models

    return mark(organisations)


class ActionLineIndexPage(InterfaceLanguageUrlMixin, Page):
    """All action lines of the Plan of Action, at /action-lines/."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["action_lines.ActionLinePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("action line index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        lines = list(
            ActionLinePage.objects.live()
            .descendant_of(self)
            .order_by("path")
            .prefetch_related("indicative_facilitators__organisation")
        )
        teams = {
            team.get_parent().pk: team
            for team in TeamPage.objects.live().descendant_of(self)
        }
        for line in lines:
            line.team = teams.get(line.pk)
        mark_public(
            item.organisation
            for line in lines
            for item in line.indicative_facilitators.all()
        )
        context["action_lines"] = [
            line for line in lines if line.depth == self.depth + 1
        ]
        context["sub_lines"] = [line for line in lines if line.depth > self.depth + 1]
        return context


class ActionLinePage(InterfaceLanguageUrlMixin, RoutablePageMixin, Page):
    """One action line of the Geneva Plan of Action (C1…C11, and C7's sub-lines).

    Its facilitators are those the register designates (docs/mechanism.md §3);
    its designation rounds are public under ``designations/<id>/``: the page
    lists them, and each round's page has its consultations, its
    recommendation once sent and its designations once made.
    """

    code = SingleLineCharField(
        _("code"),
        max_length=20,
        help_text=_("C1 … C11, or a C7 sub-line such as C7-EHEALTH."),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One sentence for listings.")
    )
    description = StreamField(
        ContentStreamBlock(),
        blank=True,
        verbose_name=pgettext_lazy("field", "description"),
    )
    plan_of_action_reference = SingleLineCharField(
        _("Plan of Action reference"),
        max_length=200,
        blank=True,
        help_text=_("For example: Geneva Plan of Action, paragraph 12."),
    )
    plan_of_action_text = RichTextField(
        _("Plan of Action text"),
        blank=True,
        features=["bold", "italic", "ol", "ul"],
        help_text=_("The text of the Plan of Action this action line implements."),
    )
    sdgs = ChoiceListField(_("related SDGs"), item_choices=SDG.choices, item_type=int)

    content_panels = [
        *Page.content_panels,
        FieldPanel("code"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("plan_of_action_reference"), FieldPanel("plan_of_action_text")],
            heading=_("Plan of Action"),
        ),
        FieldPanel("sdgs"),
        InlinePanel(
            "indicative_facilitators",
            heading=_("Indicative facilitators"),
            label=_("Organisation"),
            help_text=_(
                "The indicative list (Tunis Agenda, annex), in order. Designated "
                "facilitators come from the facilitator designation register."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code", boost=3),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("plan_of_action_text"),
        index.FilterField("code"),
    ]
    parent_page_types = [
        "action_lines.ActionLineIndexPage",
        "action_lines.ActionLinePage",
    ]
    subpage_types = ["action_lines.ActionLinePage", "action_lines.TeamPage"]

    class Meta:
        verbose_name = _("action line")

    def clean(self):
        super().clean()
        self.code = (self.code or "").strip().upper()
        clash = (
            ActionLinePage.objects.filter(code=self.code, locale_id=self.locale_id)
            .exclude(translation_key=self.translation_key)
            .exists()
        )
        if clash:
            raise ValidationError({"code": _("Another action line has this code.")})

    @property
    def full_title(self):
        return f"{self.code} — {self.title}"

    @property
    def sdg_labels(self):
        return self._meta.get_field("sdgs").labels(self.sdgs)

    def get_team(self):
        return TeamPage.objects.child_of(self).live().first()

    def get_sub_lines(self):
        return ActionLinePage.objects.child_of(self).live().order_by("path")

    @cached_property
    def source(self):
        """Return the action line in the default language.

        Designation rounds belong to it, and its translations show them.
        """
        from .designation import default_language_page  # noqa: PLC0415 - cycle between the page models

        return default_language_page(self)

    def current_designations(self):
        from .designation import FacilitatorDesignation  # noqa: PLC0415 - cycle between the page models

        return FacilitatorDesignation.current_for(self.source)

    def designation_rounds_public(self):
        return self.source.designation_rounds.order_by("-opened_on", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["team"] = self.get_team()
        context["sub_lines"] = self.get_sub_lines()
        context["designations"] = list(self.current_designations())
        context["indicative"] = list(
            self.indicative_facilitators.select_related("organisation")
        )
        context["rounds"] = self.designation_rounds_public()
        mark_public(item.organisation for item in context["indicative"])
        # The inventory's models import this app's: read them when rendering.
        from ..activity import action_line_activity  # noqa: PLC0415 - import cycle: the imported module imports this one

        context.update(action_line_activity(self, context["team"]))
        return context

    @path("")
    def overview(self, request):
        return self.render(request)

    @path("designations/<int:round_id>/")
    def designation_round(self, request, round_id):
        from .designation import DesignationRound  # noqa: PLC0415 - cycle between the page models

        designation_round = get_object_or_404(
            DesignationRound.objects.select_related("recommendation_document"),
            pk=round_id,
            action_line=self.source,
        )
        designations = (
            designation_round.designations.select_related("organisation").order_by(
                "sort_order"
            )
            if designation_round.designations_are_public
            else []
        )
        return TemplateResponse(
            request,
            "action_lines/designation_round.html",
            {
                "page": self,
                "self": self,
                "round": designation_round,
                "steps": steps(designation_round),
                "consultations": designation_round.public_consultations(),
                "designations": designations,
            },
        )


class ActionLineFacilitator(Orderable):
    """An organisation on the indicative list of an action line's facilitators."""

    page = ParentalKey(
        ActionLinePage, on_delete=models.CASCADE, related_name="indicative_facilitators"
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=IndicativeRole.choices, default="lead"
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("indicative facilitator")


class TeamPage(InterfaceLanguageUrlMixin, TeamContentMixin, RoutablePageMixin, Page):
    """The multistakeholder team of one action line, open to every stakeholder."""

    purpose = RichTextField(
        _("purpose"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    how_to_join = RichTextField(
        _("how to join"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown above the join form."),
    )
    contact_name = SingleLineCharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    facilitator_group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="facilitated_teams",
        verbose_name=_("facilitator group"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("how_to_join"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email")],
            heading=_("Contact"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("purpose")]
    parent_page_types = ["action_lines.ActionLinePage"]
    subpage_types = ["action_lines.ModalitiesPage", "action_lines.MeetingIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("team")

    @property
    def action_line(self):
        return ActionLinePage.objects.parent_of(self).first()

    @property
    def code(self):
        line = self.action_line
        return line.code if line else ""

    @property
    def facilitator_group_name(self):
        return f"{self.code} facilitators"

    def get_modalities(self):
        return ModalitiesPage.objects.child_of(self).live().first()

    def get_meetings(self):
        from .meetings import MeetingPage  # noqa: PLC0415 - cycle between the page models

        return MeetingPage.objects.live().descendant_of(self)

    def member_organisations(self):
        return [
            membership.organisation
            for membership in self.memberships.select_related("organisation").order_by(
                "organisation__name"
            )
        ]

    @cached_property
    def source(self):
        """Return the team in the default language.

        A French team page is a translation of its team, not another team:
        members, join requests, meetings and designations belong to the source
        page, and the translation shows them.
        """
        from ..teams import source_teams  # noqa: PLC0415 - cycle: what teams imports loads these models

        if self.locale.language_code == settings.LANGUAGE_CODE:
            return self
        teams = TeamPage.objects.filter(translation_key=self.translation_key)
        return source_teams(teams).first() or self

    def get_context(self, request, *args, **kwargs):
        from ..forms import JoinTeamForm  # noqa: PLC0415 - cycle: the forms import the models

        context = super().get_context(request, *args, **kwargs)
        team = self.source
        line = team.action_line
        now = timezone.now()
        meetings = team.get_meetings()
        indicative = (
            list(line.indicative_facilitators.select_related("organisation"))
            if line
            else []
        )
        members = team.member_organisations()
        mark_public([*members, *(item.organisation for item in indicative)])
        context.update(
            action_line=self.action_line,
            designations=list(line.current_designations()) if line else [],
            indicative=indicative,
            members=members,
            modalities=self.get_modalities(),
            upcoming_meetings=in_reader_language(
                meetings.filter(end__gte=now).order_by("start"), team is not self
            ),
            past_meetings=in_reader_language(
                meetings.filter(end__lt=now).order_by("-start")[:5], team is not self
            ),
            join_form=kwargs.get("join_form") or JoinTeamForm(),
        )
        from ..activity import team_activity  # noqa: PLC0415 - import cycle: the imported module imports this one

        context.update(team_activity(self))
        return context

    @path("")
    def team(self, request):
        return self.render(request)

    @path("join/")
    def join(self, request):
        from ..forms import JoinTeamForm, save_form  # noqa: PLC0415 - cycle: the forms import the models

        if request.method != "POST":
            return redirect(self.url + "#join")
        if not within_limit(request, "join"):
            return too_many_requests(
                request,
                _("Too many requests from your address. Please try again later."),
            )
        form = JoinTeamForm(request.POST, team=self.source)
        if save_form(form):
            messages.success(
                request,
                _(
                    "Thank you. Your request to join the team was received; the "
                    "facilitators will answer by e-mail."
                ),
            )
            return redirect(self.url)
        context = self.get_context(request, join_form=form)
        return TemplateResponse(
            request, self.get_template(request), context, status=400
        )


def in_reader_language(pages, translated):
    """Pages of the source team.

    On a translation of the team, each in its own translation when one is published
    (Wagtail's ``localized``): meetings are organised on the source team and
    translated, or not, one by one.
    """
    pages = list(pages)
    return [page.localized for page in pages] if translated else pages


class ModalitiesPage(
    InterfaceLanguageUrlMixin, TeamContentMixin, RoutablePageMixin, Page
):
    """The team's coordination modalities (docs/mechanism.md §4).

    A structured, versioned charter.
    """

    membership_openness = models.CharField(
        _("membership"),
        max_length=20,
        choices=MembershipOpenness.choices,
        default=MembershipOpenness.OPEN,
    )
    membership_notes = models.TextField(_("membership notes"), blank=True)
    meeting_cadence = models.CharField(
        _("meeting cadence"),
        max_length=20,
        choices=MeetingCadence.choices,
        default=MeetingCadence.TWICE_YEARLY,
    )
    meeting_notes = models.TextField(
        _("meeting arrangements"),
        blank=True,
        help_text=_("Where and how meetings are held, how they are announced."),
    )
    decision_rule = models.CharField(
        _("decision rule"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.CONSENSUS,
    )
    decision_notes = models.TextField(_("decision notes"), blank=True)
    working_languages = ChoiceListField(
        _("working languages"), item_choices=UNLanguage.choices
    )
    communication_channels = StreamField(
        ChannelStreamBlock(), blank=True, verbose_name=_("communication channels")
    )
    subgroups = StreamField(
        SubgroupStreamBlock(), blank=True, verbose_name=_("sub-groups")
    )
    reporting_calendar = StreamField(
        MilestoneStreamBlock(), blank=True, verbose_name=_("reporting calendar")
    )
    focal_point_name = SingleLineCharField(_("focal point"), max_length=200, blank=True)
    focal_point_email = models.EmailField(_("focal point e-mail"), blank=True)
    focal_point_organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("focal point organisation"),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("membership_openness"), FieldPanel("membership_notes")],
            heading=_("Membership"),
        ),
        MultiFieldPanel(
            [FieldPanel("meeting_cadence"), FieldPanel("meeting_notes")],
            heading=_("Meetings"),
        ),
        MultiFieldPanel(
            [FieldPanel("decision_rule"), FieldPanel("decision_notes")],
            heading=_("Decisions"),
        ),
        FieldPanel("working_languages"),
        FieldPanel("communication_channels"),
        FieldPanel("subgroups"),
        FieldPanel("reporting_calendar"),
        MultiFieldPanel(
            [
                FieldPanel("focal_point_name"),
                FieldPanel("focal_point_email"),
                FieldPanel("focal_point_organisation"),
            ],
            heading=pgettext_lazy("contact person", "Focal point"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("membership_notes"),
        index.SearchField("meeting_notes"),
        index.SearchField("decision_notes"),
    ]
    parent_page_types = ["action_lines.TeamPage"]
    subpage_types = []
    max_count_per_parent = 1

    # The charter's fields, in reading order, for history and comparison.
    charter_fields = [
        "membership_openness",
        "membership_notes",
        "meeting_cadence",
        "meeting_notes",
        "decision_rule",
        "decision_notes",
        "working_languages",
        "communication_channels",
        "subgroups",
        "reporting_calendar",
        "focal_point_name",
        "focal_point_email",
        "focal_point_organisation",
    ]

    class Meta:
        verbose_name = _("coordination modalities")
        verbose_name_plural = _("coordination modalities")

    @property
    def working_language_labels(self):
        return self._meta.get_field("working_languages").labels(self.working_languages)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["framework"] = FrameworkVersion.in_force(FrameworkScope.TEAMS)
        return context

    @path("")
    def charter(self, request):
        return self.render(request)

    @path("history/")
    def history(self, request):
        return TemplateResponse(
            request,
            "action_lines/modalities_history.html",
            {"page": self, "self": self, "versions": charter_history(self)},
        )

    @path("history/<int:old>/<int:new>/")
    def compare(self, request, old, new):
        comparison = compare_charter_revisions(self, old, new)
        if comparison is None:
            raise Http404
        return TemplateResponse(
            request,
            "action_lines/modalities_compare.html",
            {"page": self, "self": self, **comparison},
        )


class SecretariatPage(InterfaceLanguageUrlMixin, Page):
    """The WSIS secretariat's section.

    Facilitators' meetings, designations and the frameworks in force.
    """

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["action_lines.MeetingIndexPage", "action_lines.FrameworkPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("secretariat section")

    def get_context(self, request, *args, **kwargs):
        from .designation import FacilitatorDesignation  # noqa: PLC0415 - cycle between the page models
        from .meetings import MeetingIndexPage  # noqa: PLC0415 - cycle between the page models

        context = super().get_context(request, *args, **kwargs)
        from .frameworks import FrameworkPage  # noqa: PLC0415 - cycle between the page models

        context["meeting_indexes"] = MeetingIndexPage.objects.child_of(self).live()
        context["frameworks"] = [
            (framework, framework.version_in_force())
            for framework in FrameworkPage.objects.child_of(self)
            .live()
            .order_by("path")
        ]
        context["designations"] = FacilitatorDesignation.current().select_related(
            "organisation", "round__action_line"
        )
        return context
