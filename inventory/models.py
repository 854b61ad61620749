"""The global stocktaking inventory of WSIS activities (docs/mechanism.md §6)."""

import datetime
import hashlib
import secrets

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.forms import TaskStateCommentForm
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from action_lines.choices import FrameworkScope
from home.choices import SDG, StakeholderType, UNLanguage
from home.countries import country_name
from home.fields import ChoiceListField, SingleLineCharField, recipient_language_field
from home.models import StakeholderOrganisation
from home.validators import one_line
from search.backends import cluster_backend

from .choices import (
    ActionLineCode,
    ActivityStatus,
    ActivityType,
    Coverage,
    Freshness,
    Region,
)
from .regions import entry_country_choices, regions_for

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STATUS_KEY_SALT = "inventory.status-link"

# Facet name (a query parameter, docs/inventory-query.md) → the entry attribute
# holding its values.
FACET_FIELDS = {
    "action_line": "action_lines",
    "region": "regions",
    "country": "countries",
    "stakeholder": "stakeholder_type",
    "type": "activity_type",
    "status": "status",
    "year": "reporting_year",
    "sdg": "sdgs",
}
# Filters without a facet (too many values to count them all): query parameter →
# the entry attribute holding its values.
FILTER_ONLY_FIELDS = {
    "organisation": "organisation_slugs",
    "freshness": "freshness",
}


def activity_start(row):
    """Return the start date of the entry whose fields are ``row``.

    An activity without a start date counts as started on the day it was
    first published (UTC, the database's ``TruncDate``); never published and
    undated, it has none.
    """
    if row.get("start_date"):
        return row["start_date"]
    published = row.get("first_published_at")
    return published.astimezone(datetime.UTC).date() if published else None


def new_reference():
    year = timezone.now().strftime("%y")
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"WSIS-{year}-{code}"


def current_year():
    return timezone.now().year


def partner_name_list(text):
    """Return the organisation names of a semicolon-separated list, each on one line."""
    names = []
    for name in (text or "").split(";"):
        name = " ".join(name.split())[:255]
        if name and name.lower() not in {known.lower() for known in names}:
            names.append(name)
    return names


def organisation_named(name, stakeholder_type, country=""):
    """Return the organisation called ``name`` (whatever the case), created if new."""
    name = " ".join(name.split())[:255]
    organisation = StakeholderOrganisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = StakeholderOrganisation.objects.create(
            name=name,
            stakeholder_type=stakeholder_type,
            country=country if country and country != "global" else "",
        )
    return organisation


def adopt_proposed_organisations(revision):
    """Turn the proposed names of a revision of an entry into organisations.

    Its content then names them by id, as if an editor had chosen them.
    """
    content = revision.content
    name = content.get("proposed_organisation")
    if not name:
        return
    countries = content.get("countries") or [""]
    organisation = organisation_named(
        name, content.get("stakeholder_type") or "other", countries[0]
    )
    partners = [
        organisation_named(partner, "other").pk
        for partner in partner_name_list(content.get("proposed_partners"))
    ]
    content.update(
        organisation=organisation.pk,
        partners=partners,
        proposed_organisation="",
        proposed_partners="",
    )
    revision.save(update_fields=["content"])


# An entry's title and summary in English and in French, when the original is in
# another language (see InventoryEntry.in_language).
TRANSLATION_FIELDS = ["title_en", "summary_en", "title_fr", "summary_fr"]
# Every text of an entry in every language it is written in: what matching and
# similarity read.
TEXT_FIELDS = ["title", "summary", *TRANSLATION_FIELDS]


def language_text(values, code):
    """Return an entry's title and summary in ``code`` ("en" or "fr").

    An entry's title and summary in ``code`` ("en" or "fr"), from its field values
    (a row or the instance's ``__dict__``): the original when it is written in that
    language, else its translation (empty when there is none).
    """
    if values["language"] == code:
        return f"{values['title']}\n{values['summary']}"
    parts = (values[f"title_{code}"], values[f"summary_{code}"])
    return "\n".join(part for part in parts if part)


class InventoryEntry(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One WSIS activity: moderated before it is public, searchable once it is."""

    reference = models.CharField(
        _("tracking reference"), max_length=20, unique=True, editable=False
    )
    title = SingleLineCharField(pgettext_lazy("field", "title"), max_length=255)
    summary = models.TextField(
        _("short summary"), max_length=600, help_text=_("Two or three sentences.")
    )
    description = RichTextField(
        pgettext_lazy("field", "description"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
    )
    language = models.CharField(
        _("original language"),
        max_length=5,
        choices=UNLanguage.choices,
        default=UNLanguage.ENGLISH,
        help_text=_("The language the entry was written in."),
    )
    title_en = SingleLineCharField(
        _("title in English"),
        max_length=255,
        blank=True,
        help_text=_("When the original is in another language."),
    )
    summary_en = models.TextField(_("summary in English"), max_length=600, blank=True)
    title_fr = SingleLineCharField(
        _("title in French"),
        max_length=255,
        blank=True,
        help_text=_("When the original is in another language."),
    )
    summary_fr = models.TextField(_("summary in French"), max_length=600, blank=True)
    activity_type = models.CharField(
        _("type of activity"), max_length=20, choices=ActivityType.choices
    )
    action_lines = ChoiceListField(
        _("action lines"),
        item_choices=ActionLineCode.choices,
        blank=False,
        help_text=_("The action lines the activity implements."),
    )
    sdgs = ChoiceListField(_("SDGs"), item_choices=SDG.choices, item_type=int)
    countries = ChoiceListField(
        _("countries"),
        item_choices=entry_country_choices,
        blank=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_('Where the activity takes place; "Global" for worldwide ones.'),
    )
    regions = models.JSONField(_("ITU regions"), default=list, editable=False)
    coverage = models.CharField(
        _("coverage"),
        max_length=20,
        choices=Coverage.choices,
        default=Coverage.NATIONAL,
    )
    stakeholder_type = models.CharField(
        _("stakeholder type"), max_length=40, choices=StakeholderType.choices
    )
    organisation = models.ForeignKey(
        "home.StakeholderOrganisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventory_entries",
        verbose_name=_("implementing organisation"),
    )
    partners = ParentalManyToManyField(
        "home.StakeholderOrganisation",
        blank=True,
        related_name="partner_entries",
        verbose_name=_("partners"),
    )
    # The public proposes organisations by name; the names become organisation
    # rows only when an editor publishes the proposal (see ``publish``).
    proposed_organisation = SingleLineCharField(
        _("proposed implementing organisation"),
        max_length=255,
        blank=True,
        help_text=_(
            "The name the submitter gave. On publication it becomes the "
            "implementing organisation (the existing organisation of that name, or "
            "a new one), and the proposed partners become the partners. Clear it "
            "to keep the organisation and partners chosen above."
        ),
    )
    proposed_partners = SingleLineCharField(
        _("proposed partners"),
        max_length=2000,
        blank=True,
        help_text=_("Organisation names, separated by semicolons."),
    )
    status = models.CharField(
        pgettext_lazy("field", "status"), max_length=20, choices=ActivityStatus.choices
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    reporting_year = models.PositiveSmallIntegerField(
        _("reporting year"),
        default=current_year,
        validators=[MinValueValidator(2003), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True, max_length=500)
    keywords = SingleLineCharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    contact_name = SingleLineCharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Never shown to the public.")
    )
    contact_language = recipient_language_field(
        _("The site's language at submission: the submitter's e-mails'."),
        verbose_name=_("contact's language"),
    )
    team = models.ForeignKey(
        "action_lines.TeamPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventory_entries",
        verbose_name=_("team"),
        help_text=_("The team whose annual contribution reported the activity."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(
        pgettext_lazy("field", "created"), auto_now_add=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Freshness (inventory.freshness): kept by the scheduled cycle, reset when
    # the entry is published again or its submitter confirms it.
    freshness = models.CharField(
        _("freshness"),
        max_length=10,
        choices=Freshness.choices,
        default=Freshness.CURRENT,
        editable=False,
        db_index=True,
    )
    confirmed_at = models.DateTimeField(
        _("confirmed current"), null=True, blank=True, editable=False
    )
    freshness_asked_at = models.DateTimeField(
        _("asked to confirm"), null=True, blank=True, editable=False
    )

    _revisions = GenericRelation(
        "wagtailcore.Revision", related_query_name="inventory_entry"
    )
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="inventory_entry",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("language"),
                FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_fr")]),
                FieldRowPanel([FieldPanel("summary_en"), FieldPanel("summary_fr")]),
            ],
            heading=_("Languages"),
        ),
        FieldRowPanel([FieldPanel("activity_type"), FieldPanel("status")]),
        FieldPanel("action_lines"),
        FieldPanel("sdgs"),
        MultiFieldPanel(
            [FieldPanel("countries"), FieldPanel("coverage")], heading=_("Where")
        ),
        MultiFieldPanel(
            [
                FieldPanel("stakeholder_type"),
                FieldPanel("organisation"),
                FieldPanel("partners"),
                FieldPanel("proposed_organisation"),
                FieldPanel("proposed_partners"),
            ],
            heading=_("Who"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("reporting_year"),
            ],
            heading=_("When"),
        ),
        FieldPanel("website"),
        FieldPanel("keywords"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email")],
            heading=_("Contact (never public)"),
        ),
        FieldPanel("team"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("organisation_names"),
        # The slugs of the implementing organisation and of the partners, for
        # the inventory's ``organisation`` filter.
        index.FilterField("organisation_slugs"),
        index.SearchField("keywords"),
        # Title and summary in English and in French (original or translation),
        # with each language's analysis (stemming, elision) on the cluster.
        index.SearchField("english_text", es_extra={"analyzer": "english"}),
        index.SearchField("french_text", es_extra={"analyzer": "french"}),
        index.FilterField("title"),
        index.FilterField("language"),
        index.FilterField("live"),
        index.FilterField("freshness"),
        index.FilterField("action_lines"),
        index.FilterField("countries"),
        index.FilterField("regions"),
        index.FilterField("stakeholder_type"),
        index.FilterField("activity_type"),
        index.FilterField("status"),
        index.FilterField("reporting_year"),
        index.FilterField("sdgs"),
        index.FilterField("coverage"),
        index.FilterField("team"),
        index.FilterField("first_published_at"),
        index.FilterField("last_published_at"),
        # The ``started`` and ``active`` filters (inventory.search).
        index.FilterField("activity_start", es_extra={"type": "date"}),
        index.FilterField("end_date"),
        # Stored, not indexed: the public record the API serves from the engine.
        index.FilterField(
            "public_record", es_extra={"type": "object", "enabled": False}
        ),
    ]
    search_auto_update = False  # indexed through django-q2, see inventory.indexing

    # Every text the database engine matches words in, lowercased, kept by the
    # database itself: one column to read and one trigram index (inventory
    # migration 0011) instead of seven (DatabaseEngine.text_match).
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                *(
                    part
                    for name in (*TEXT_FIELDS, "keywords")
                    for part in (
                        Coalesce(name, Value(""), output_field=models.TextField()),
                        Value("\n"),
                    )
                ),
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
    )

    class Meta:
        verbose_name = _("inventory entry")
        verbose_name_plural = _("inventory entries")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["live", "reporting_year"]),
            models.Index(fields=["live", "first_published_at"]),
            # The published entries, newest first, read from the index alone:
            # the database engine's window (DatabaseEngine.search).
            models.Index(
                fields=["id", "first_published_at"],
                condition=models.Q(live=True),
                name="inventory_live_entries_idx",
            ),
        ]

    def __str__(self):
        # Wagtail puts it in the subject of the editors' notifications.
        return one_line(self.title)

    def status_key(self, secret=None):
        """Return the secret of the submitter's status link.

        Whoever has it reads the moderation status and an editor's reason; the
        reference alone does not.
        """
        return salted_hmac(
            STATUS_KEY_SALT,
            f"{self.pk}:{self.reference}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()[:32]

    def status_key_matches(self, key):
        """Constant-time check of ``key`` (current or fallback secret keys)."""
        if not key or not self.pk:
            return False
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return any(
            constant_time_compare(self.status_key(secret), key) for secret in keys
        )

    @property
    def last_updated(self):
        """Return when the entry was last published, confirmed current or created."""
        dates = [self.last_published_at, self.confirmed_at, self.created_at]
        return max(date for date in dates if date is not None)

    @property
    def freshness_flag(self):
        """Return "Not updated since <year>" (and inactive), or "" if current."""
        if self.freshness == Freshness.CURRENT:
            return ""
        year = timezone.localtime(self.last_updated).year
        if self.freshness == Freshness.INACTIVE:
            return _("Inactive: not updated since %(year)d") % {"year": year}
        return _("Not updated since %(year)d") % {"year": year}

    @property
    def proposed_partner_names(self):
        return partner_name_list(self.proposed_partners)

    def publish(self, revision, *args, **kwargs):
        """Publish ``revision`` after turning its proposed names into organisations.

        Publishes ``revision`` after turning its proposed organisation names
        into organisations, recorded in the revision itself (an approval is the
        only way a name from the public becomes an organisation row). If the
        publication is refused, no organisation is left behind.
        """
        with transaction.atomic():
            adopt_proposed_organisations(revision)
            return super().publish(revision, *args, **kwargs)

    def english_text(self):
        return language_text(vars(self), "en")

    def activity_start(self):
        """Return the start date, else the day of the first publication."""
        return activity_start(vars(self))

    def public_record(self):
        """Return what the API and the export show of the entry, None if unpublished.

        The entry's index document stores it (``search_fields``), so that the API
        answers from the engine alone.
        """
        from .export import public_records  # noqa: PLC0415 - cycle: the record reads the team's code through action_lines, whose models import these

        return public_records([self.pk]).get(self.pk)

    def french_text(self):
        return language_text(vars(self), "fr")

    def in_language(self, code):
        """(title, summary, language) to show to a reader of ``code``.

        The original when it is in that language, else its English or French
        translation (English for the interface-only languages, as for pages),
        else the original.
        """
        code = (code or "").split("-")[0]
        wanted = code if code in ("en", "fr") else "en"
        if code != self.language and wanted != self.language:
            title = getattr(self, f"title_{wanted}")
            if title:
                summary = getattr(self, f"summary_{wanted}") or self.summary
                return title, summary, wanted
        return self.title, self.summary, self.language

    @property
    def localized(self):
        """Title and summary for the reader's interface language (see in_language)."""
        title, summary, language = self.in_language(get_language())
        return {
            "title": title,
            "summary": summary,
            "language": language,
            "translated": language != self.language,
        }

    def save(self, *args, update_fields=None, **kwargs):
        if not self.reference:
            self.reference = new_reference()
            while type(self).objects.filter(reference=self.reference).exists():
                self.reference = new_reference()
        self.regions = regions_for(self.countries)
        self.keywords = ", ".join(self.keyword_list)
        super().save(*args, update_fields=update_fields, **kwargs)
        # Saving a draft revision only touches bookkeeping fields: the row keeps
        # the published content, and so must its facet values.
        if update_fields is None or set(update_fields) & set(FACET_FIELDS.values()):
            self.sync_facet_values()

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date is before the start date.")}
            )

    @property
    def revisions(self):
        return self._revisions

    @classmethod
    def get_indexed_objects(cls):
        """Only published entries go to the search engine.

        Without an Elasticsearch-family engine the inventory is searched from its
        own tables (inventory.search.DatabaseEngine), so nothing is indexed.
        """
        if cluster_backend() is None:
            return cls.objects.none()
        return (
            super()
            .get_indexed_objects()
            .filter(live=True)
            .select_related("organisation")
            .prefetch_related("partners")
        )

    @property
    def keyword_list(self):
        return [
            word.strip() for word in (self.keywords or "").split(",") if word.strip()
        ]

    def organisation_names(self):
        names = []
        if self.organisation_id:
            names += [self.organisation.name, self.organisation.acronym]
        names += [partner.name for partner in self.partners.all()]
        return " ".join(name for name in names if name)

    def organisation_slugs(self):
        slugs = [partner.slug for partner in self.partners.all()]
        if self.organisation_id:
            slugs.append(self.organisation.slug)
        return sorted(set(slugs))

    @cached_property
    def country_names(self):
        return [
            _("Global") if code == "global" else country_name(code)
            for code in self.countries
        ]

    @property
    def region_labels(self):
        labels = dict(Region.choices)
        return [labels.get(region, region) for region in self.regions]

    @property
    def sdg_labels(self):
        return self._meta.get_field("sdgs").labels(self.sdgs)

    def get_absolute_url(self):
        return reverse("inventory:entry", args=[self.pk])

    def facet_values(self):
        """(facet, value) pairs of this entry, for the database search engine."""
        pairs = []
        for facet, attribute in FACET_FIELDS.items():
            value = getattr(self, attribute)
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    pairs.append((facet, str(item)))
        return pairs

    def sync_facet_values(self):
        wanted = set(self.facet_values())
        existing = set(self.facet_rows.values_list("facet", "value"))
        if wanted == existing:
            return
        self.facet_rows.exclude(
            pk__in=[
                row.pk
                for row in self.facet_rows.all()
                if (row.facet, row.value) in wanted
            ]
        ).delete()
        EntryFacetValue.objects.bulk_create(
            [
                EntryFacetValue(entry=self, facet=facet, value=value)
                for facet, value in wanted - existing
            ]
        )

    def get_preview_template(self, request, mode_name):
        return "inventory/entry_preview.html"

    def get_preview_context(self, request, mode_name):
        return {"entry": self, "preview": True}


class EntryFacetValue(models.Model):
    """One facet value of an entry, kept in step on save (database search engine)."""

    entry = models.ForeignKey(
        InventoryEntry, on_delete=models.CASCADE, related_name="facet_rows"
    )
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"]),
            # Covers the facet counts of a list of entries (index only).
            models.Index(fields=["entry", "facet", "value"]),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class RejectionReasonForm(TaskStateCommentForm):
    comment = forms.CharField(
        label=_("Reason"),
        required=True,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Sent to the submitter by e-mail."),
    )


class InventoryModerationTask(AbstractGroupApprovalTask):
    """Approval by inventory editors; rejecting an entry requires a reason."""

    def get_actions(self, obj, user):
        # Wagtail's own approvals (the admin appends "and Publish" to those of
        # the last step), after a rejection that asks for a reason.
        approvals = [
            action
            for action in super().get_actions(obj, user)
            if action[0] == "approve"
        ]
        if not approvals:
            return []
        return [("reject", _("Reject (with a reason)"), True), *approvals]

    def get_form_for_action(self, action):
        if action == "reject":
            return RejectionReasonForm
        return super().get_form_for_action(action)

    @classmethod
    def get_description(cls):
        return _("Inventory editors approve the entry, or reject it with a reason")

    class Meta:
        verbose_name = _("inventory moderation task")
        verbose_name_plural = _("inventory moderation tasks")


class AnnualContribution(models.Model):
    """A team's annual contribution to the inventory for a reporting year.

    A team's annual contribution to the inventory for a reporting year
    (docs/mechanism.md §6).
    """

    team = models.ForeignKey(
        "action_lines.TeamPage",
        on_delete=models.CASCADE,
        related_name="annual_contributions",
        verbose_name=_("team"),
    )
    year = models.PositiveSmallIntegerField(
        _("reporting year"),
        validators=[MinValueValidator(2005), MaxValueValidator(2100)],
    )
    narrative = RichTextField(
        _("narrative"),
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("What the team did in the year: highlights, difficulties, plans."),
    )
    entries = models.ManyToManyField(
        InventoryEntry,
        blank=True,
        related_name="contributions",
        verbose_name=_("entries added or updated"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The framework for the inventory follow-up the contribution follows: the
    # version in force when the contribution is made (docs/mechanism.md §5, §6).
    framework_version = models.ForeignKey(
        "action_lines.FrameworkVersion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="contributions",
        verbose_name=_("framework followed"),
    )

    panels = [
        FieldPanel("team"),
        FieldPanel("year"),
        FieldPanel("narrative"),
        FieldPanel("entries"),
    ]

    class Meta:
        verbose_name = _("annual contribution")
        verbose_name_plural = _("annual contributions")
        ordering = ["-year", "team__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"], name="one_contribution_per_team_and_year"
            )
        ]

    def __str__(self):
        return f"{self.team.title} — {self.year}"

    def save(self, *args, **kwargs):
        if self._state.adding and self.framework_version_id is None:
            from action_lines.models import FrameworkVersion  # noqa: PLC0415 - cycle: action_lines.models imports inventory.models

            self.framework_version = FrameworkVersion.in_force(FrameworkScope.INVENTORY)
        return super().save(*args, **kwargs)

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class InternalNote(models.Model):
    """An inventory editor's note on an entry, for the editors only.

    Kept apart from the entry (not a field, not in its revisions), so nothing that
    shows an entry outside the admin — its public page, the status page, the
    e-mails, the API, the export, the search index — can reach it.
    """

    entry = models.ForeignKey(
        InventoryEntry,
        on_delete=models.CASCADE,
        related_name="internal_notes",
        verbose_name=_("inventory entry"),
    )
    text = models.TextField(_("internal note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    panels = [FieldPanel("entry"), FieldPanel("text")]

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return one_line(self.text)[:80]


class UpdateLink(models.Model):
    """A link e-mailed to an entry's contact to propose an update: valid once.

    Only a hash of its secret is stored; the proposal that uses it marks it used
    in the same transaction.
    """

    entry = models.ForeignKey(
        InventoryEntry, on_delete=models.CASCADE, related_name="update_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("update link")

    def __str__(self):
        return f"update link {self.pk} of entry {self.entry_id}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, entry, lifetime):
        """Return a new link for ``entry``: (the row, the secret token for the URL)."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            entry=entry,
            token_hash=cls.hash(token),
            expires_at=timezone.now() + lifetime,
        )
        return link, token

    @classmethod
    def find(cls, token):
        """Return the link of ``token`` (used or not, expired or not), or None."""
        if not token or len(token) > 100:
            return None
        return (
            cls.objects.select_related("entry")
            .filter(token_hash=cls.hash(token))
            .first()
        )

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    def consume(self):
        """Mark the link used; False if it already was or has expired.

        Atomic: of two proposals sent with the same link at once, one gets
        False.
        """
        now = timezone.now()
        return bool(
            type(self)
            .objects.filter(pk=self.pk, used_at__isnull=True, expires_at__gt=now)
            .update(used_at=now)
        )


class DuplicateMark(models.Model):
    """An editor's finding that an entry repeats one already in the inventory.

    Kept beside the entry (not in its revisions): the entry leaves moderation and
    public view, and its submitter is told which entry it duplicates. Publishing
    the entry later (the editors changed their mind) removes the mark.
    """

    entry = models.OneToOneField(
        InventoryEntry,
        on_delete=models.CASCADE,
        related_name="duplicate_mark",
        verbose_name=_("inventory entry"),
    )
    original = models.ForeignKey(
        InventoryEntry,
        on_delete=models.CASCADE,
        related_name="duplicate_marks",
        verbose_name=_("original entry"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked"), auto_now=True)

    class Meta:
        verbose_name = _("duplicate mark")

    def __str__(self):
        return f"{self.entry_id} duplicates {self.original_id}"
