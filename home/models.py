"""The home page and the snippets every app shares."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from .blocks import ContentStreamBlock
from .choices import StakeholderType
from .countries import country_choices, country_name
from .fields import SingleLineCharField
from .page_languages import InterfaceLanguageUrlMixin


class HomePage(InterfaceLanguageUrlMixin, Page):
    """The site root: the mechanism in brief, the action lines, what is coming up."""

    introduction = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("One or two paragraphs introducing the implementation mechanism."),
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "action_lines.ActionLineIndexPage",
        "action_lines.SecretariatPage",
        "reporting.ReportIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from action_lines.models import ActionLinePage, MeetingPage

        context = super().get_context(request, *args, **kwargs)
        context["action_lines"] = (
            ActionLinePage.objects.live()
            .filter(locale=self.locale, depth=self.depth + 2)
            .order_by("path")
        )
        from reporting.models import ReportPage

        context["latest_reports"] = ReportPage.objects.live().order_by("-period_end")[
            :3
        ]
        context["upcoming_meetings"] = (
            MeetingPage.objects.live()
            .filter(end__gte=timezone.now())
            .order_by("start")[:5]
        )
        return context


class StakeholderOrganisation(TranslatableMixin, index.Indexed, models.Model):
    """An organisation taking part in the mechanism: facilitator, member or partner."""

    name = SingleLineCharField(pgettext_lazy("field", "name"), max_length=255)
    acronym = SingleLineCharField(_("acronym"), max_length=40, blank=True)
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=40, choices=StakeholderType.choices
    )
    country = models.CharField(
        _("country"),
        max_length=3,
        blank=True,
        choices=country_choices,
        help_text=_("Headquarters country; leave empty for international bodies."),
    )
    website = models.URLField(_("website"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("acronym"),
        FieldPanel("stakeholder_type"),
        FieldPanel("country"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("acronym"),
        index.AutocompleteField("acronym"),
        index.FilterField("stakeholder_type"),
        index.FilterField("locale_id"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("stakeholder organisation")
        verbose_name_plural = _("stakeholder organisations")
        ordering = ["name"]

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def country_name(self):
        return country_name(self.country) if self.country else ""

    country_name.fget.short_description = _("country")
