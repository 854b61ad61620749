"""The home page and the snippets every app shares."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.redirects.models import Redirect
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Orderable, Page, TranslatableMixin
from wagtail.search import index

from wagtail_localize.fields import SynchronizedField, TranslatableField

from action_lines.models import SecretariatPage

from .blocks import ContentStreamBlock
from .choices import StakeholderType
from .countries import country_choices, country_name
from .fields import SingleLineCharField
from .page_languages import InterfaceLanguageUrlMixin


class HomePage(InterfaceLanguageUrlMixin, Page):
    """The site root, built around the inventory.

    Its search, live figures, a world map, the latest and the featured activities,
    then what is coming up (meetings) and the latest report.
    """

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

    def route(self, request, path_components):
        """Route in this language's tree, else in the default language's.

        Wagtail routes ``/es/…`` through the Spanish home page's tree only; a
        page not translated yet (or whose translation is a draft) is then served
        from the English tree under the same prefix, with the interface in that
        language and a notice, instead of a 404.
        """
        try:
            return super().route(request, path_components)
        except Http404:
            source = self.get_translation_or_none(Locale.get_default())
            if source is None or source.pk == self.pk:
                raise
            return source.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .front import home_page_context  # noqa: PLC0415 - cycle: the models it reads import home.models

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
        context = super().get_context(request, *args, **kwargs)
        secretariat = SecretariatPage.objects.live().filter(locale=self.locale).first()
        if secretariat is None:
            secretariat = SecretariatPage.objects.live().first()
        context["secretariat"] = secretariat
        return context


SLUG_MAX_LENGTH = 100
# Room left in a slug for the suffix that tells apart organisations of one name.
SLUG_SUFFIX_ROOM = 8


def organisation_slug_base(name, acronym=""):
    """Return the ASCII slug an organisation's address starts from.

    Its name's, else its acronym's (a name in a script that has no ASCII spelling,
    such as Arabic, Chinese or Russian), else "" (the caller then uses
    ``org-<id>``).
    """
    for text in (name, acronym):
        base = slugify(text or "")[: SLUG_MAX_LENGTH - SLUG_SUFFIX_ROOM].strip("-_")
        if base:
            return base
    return ""


class StakeholderOrganisation(TranslatableMixin, index.Indexed, models.Model):
    """An organisation taking part in the mechanism: facilitator, member or partner.

    Its ``slug`` names its public page (``/organisations/<slug>/``) and the
    inventory's ``organisation`` filter. It is made once, from the name, and
    does not follow later renamings, so addresses stay stable; an editor who
    changes it leaves a redirect from the old address. Translations of an
    organisation (its versions in other locales) share its slug: they are the
    same organisation.
    """

    name = SingleLineCharField(pgettext_lazy("field", "name"), max_length=255)
    acronym = SingleLineCharField(_("acronym"), max_length=40, blank=True)
    slug = models.SlugField(
        pgettext_lazy("field", "slug"),
        max_length=SLUG_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The organisation's public address: /organisations/<slug>/. Leave "
            "empty to make one from the name."
        ),
    )
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
        FieldPanel("slug"),
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
    # What wagtail-localize would derive from the fields, except the slug: a
    # translation keeps its organisation's slug (it is the same organisation).
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("acronym"),
        SynchronizedField("slug"),
        SynchronizedField("stakeholder_type"),
        SynchronizedField("country"),
        SynchronizedField("website"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("stakeholder organisation")
        verbose_name_plural = _("stakeholder organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_organisation_slug_per_locale"
            )
        ]

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "slug" not in update_fields:
            return super().save(*args, update_fields=update_fields, **kwargs)
        previous = None
        if self.pk is not None:
            previous = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("slug", flat=True)
                .first()
            )
        wanted = slugify(self.slug or "")[:SLUG_MAX_LENGTH] or self.translations_slug()
        base = wanted or organisation_slug_base(self.name, self.acronym)
        if not base and self.pk is not None:
            base = f"org-{self.pk}"
        for attempt in range(3):
            try:
                with transaction.atomic():
                    self._save_with_slug(
                        base, *args, update_fields=update_fields, **kwargs
                    )
                    if previous and previous != self.slug:
                        self.slug_changed(previous)
                return
            except IntegrityError:
                # Another organisation of the same name took the slug between
                # the choice and the insert: choose again.
                if wanted or attempt == 2:
                    raise

    def get_absolute_url(self):
        return reverse("organisation", args=[self.slug])

    def _save_with_slug(self, base, *args, **kwargs):
        if base:
            self.slug = type(self).free_slug(base, self.translation_key)
            super().save(*args, **kwargs)
            return
        # No ASCII spelling and no id yet: ``org-<id>`` once inserted.
        self.slug = f"org-new-{uuid.uuid4().hex}"
        super().save(*args, **kwargs)
        self.slug = type(self).free_slug(f"org-{self.pk}", self.translation_key)
        type(self).objects.filter(pk=self.pk).update(slug=self.slug)

    def clean(self):
        super().clean()
        self.slug = slugify(self.slug or "")[:SLUG_MAX_LENGTH]
        if (
            self.slug
            and type(self)
            .objects.filter(slug=self.slug)
            .exclude(translation_key=self.translation_key)
            .exists()
        ):
            raise ValidationError(
                {"slug": _("Another organisation already has this slug.")}
            )

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def country_name(self):
        return country_name(self.country) if self.country else ""

    country_name.fget.short_description = _("country")

    def translations_slug(self):
        """Return the slug of the organisation's other versions (translations)."""
        return (
            type(self)
            .objects.filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .exclude(slug="")
            .values_list("slug", flat=True)
            .first()
            or ""
        )

    @classmethod
    def free_slug(cls, base, translation_key=None, reserved=()):
        """Return the first of ``base``, ``base-2``, ``base-3``… that no other uses.

        ``base``, or ``base-2``, ``base-3``… : the first that no other
        organisation uses (translations of ``translation_key`` share theirs),
        nor ``reserved`` holds.
        """
        taken = cls.objects.filter(slug__startswith=base)
        if translation_key is not None:
            taken = taken.exclude(translation_key=translation_key)
        taken = set(taken.values_list("slug", flat=True)) | set(reserved)
        if base not in taken:
            return base
        base = base[: SLUG_MAX_LENGTH - SLUG_SUFFIX_ROOM].rstrip("-_")
        number = 2
        while f"{base}-{number}" in taken:
            number += 1
        return f"{base}-{number}"

    def slug_changed(self, previous):
        """Give the new slug to the translations and redirect the old addresses.

        Gives the new slug to the organisation's translations, and redirects its
        old addresses (under every language prefix) to the new ones.
        """
        type(self).objects.filter(translation_key=self.translation_key).exclude(
            pk=self.pk
        ).update(slug=self.slug)
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                old = Redirect.normalise_path(reverse("organisation", args=[previous]))
                new = reverse("organisation", args=[self.slug])
            # A slug given back: its address serves the page again.
            Redirect.objects.filter(
                site=None, old_path=Redirect.normalise_path(new)
            ).delete()
            Redirect.objects.update_or_create(
                site=None,
                old_path=old,
                defaults={
                    "redirect_link": new,
                    "is_permanent": True,
                    "automatically_created": True,
                },
            )
