"""The home page and the snippets every app shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .blocks import ContentStreamBlock
from .choices import StakeholderType
from .countries import country_choices, country_name
from .fields import SingleLineCharField
from .page_languages import InterfaceLanguageUrlMixin


class HomePage(InterfaceLanguageUrlMixin, Page):
    """The site root, built around the inventory: its search, live figures, a
    world map, the latest and the featured activities, then what is coming up
    (meetings) and the latest report."""

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
        InlinePanel(
            "featured_entries",
            heading=_("Featured activities"),
            label=_("Activity"),
            help_text=_(
                "Published inventory entries shown on the home page, in this order. "
                "An entry that is no longer published is left out."
            ),
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "action_lines.ActionLineIndexPage",
        "action_lines.SecretariatPage",
        "reporting.ReportIndexPage",
        "home.AboutPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .front import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(self))
        return context


class HomePageFeaturedEntry(Orderable):
    """An inventory entry the editors feature on the home page."""

    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_entries"
    )
    entry = models.ForeignKey(
        "inventory.InventoryEntry",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("activity"),
    )

    panels = [FieldPanel("entry")]

    class Meta(Orderable.Meta):
        verbose_name = _("featured activity")
        verbose_name_plural = _("featured activities")


class AboutPage(InterfaceLanguageUrlMixin, Page):
    """What the mechanism is and who runs it: the "About" of the navigation."""

    introduction = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link"]
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("about page")

    def get_context(self, request, *args, **kwargs):
        from action_lines.models import SecretariatPage

        context = super().get_context(request, *args, **kwargs)
        secretariat = SecretariatPage.objects.live().filter(locale=self.locale).first()
        if secretariat is None:
            secretariat = SecretariatPage.objects.live().first()
        context["secretariat"] = secretariat
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
