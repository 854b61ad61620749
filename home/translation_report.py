"""Translation status report: which English pages lack an up-to-date translation.

For the Secretariat (Reports → Translations to do). Every live page of the
default language (English) of the action-line tree, the teams, their modalities
and the reports, with the state of its version in one of the other content
languages (French unless another is chosen):

- **missing**: no translation (an alias, a copy of the English page kept in
  step by Wagtail for the parents of translated pages, is not a translation);
- **draft only**: a translation exists and was never published (or was
  unpublished), e.g. it is still in its workflow;
- **out of date**: the English page was published after the translation's
  latest publication and after its latest sync (wagtail-localize's record of
  the translation being made again from the English page as it then was; a sync
  counts only if it read the English page's latest published content);
- **up to date**: otherwise.

A handful of queries (seven at most), whatever the number of pages.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale, Page, WorkflowState

import django_filters
from wagtail_localize.models import TranslationLog, TranslationSource

from .translation_admin import is_secretariat

# The page types whose translations the Secretariat follows.
REPORTED_PAGE_TYPES = [
    "action_lines.ActionLineIndexPage",
    "action_lines.ActionLinePage",
    "action_lines.TeamPage",
    "action_lines.ModalitiesPage",
    "reporting.ReportIndexPage",
    "reporting.ReportPage",
]

# The language the report describes unless another is chosen.
DEFAULT_TARGET = "fr"

MISSING = "missing"
DRAFT = "draft"
OUT_OF_DATE = "out-of-date"
UP_TO_DATE = "up-to-date"
STATUS_LABELS = {
    MISSING: _("Missing"),
    DRAFT: _("Draft only"),
    OUT_OF_DATE: _("Out of date"),
    UP_TO_DATE: pgettext_lazy("translation report", "Up to date"),
}


@dataclass
class TranslationRow:
    """One source page and the state of its translation."""

    source: Page
    translation: Page | None
    status: str
    synced_at: datetime | None = None
    in_workflow: bool = False

    @property
    def pk(self):
        return self.source.pk

    @property
    def title(self):
        return self.source.title

    @property
    def page_type(self):
        return capfirst(self.source.content_type.name)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def source_published_at(self):
        return self.source.last_published_at

    @property
    def translation_published_at(self):
        translation = self.translation
        return translation.last_published_at if translation else None

    @property
    def translation_title(self):
        return self.translation.title if self.translation else ""

    @property
    def in_workflow_label(self):
        return _("In moderation") if self.in_workflow else ""


def reported_content_types():
    models = [apps.get_model(name) for name in REPORTED_PAGE_TYPES]
    return list(ContentType.objects.get_for_models(*models).values())


def default_locale():
    return Locale.objects.get_for_language(settings.LANGUAGE_CODE)


def status_of(source, translation, synced_at):
    if translation is None:
        return MISSING
    if not translation.live:
        return DRAFT
    published = source.last_published_at
    references = [
        moment for moment in (translation.last_published_at, synced_at) if moment
    ]
    if published and (not references or published > max(references)):
        return OUT_OF_DATE
    return UP_TO_DATE


def sync_times(source_locale, target_locale, keys, published_at):
    """Return when each target was last made from its source's current content.

    {translation_key: when the target was last made from the source's current
    content} from wagtail-localize's sources and translation logs.
    """
    sources = {
        row["pk"]: row
        for row in TranslationSource.objects.filter(
            object_id__in=keys, locale=source_locale
        ).values("pk", "object_id", "last_updated_at")
    }
    if not sources:
        return {}
    logs = (
        TranslationLog.objects.filter(source_id__in=sources, locale=target_locale)
        .values("source_id")
        .annotate(latest=Max("created_at"))
    )
    times = {}
    for log in logs:
        source = sources[log["source_id"]]
        key = source["object_id"]
        extracted = source["last_updated_at"]
        # A sync made from content older than the latest publication is stale.
        if published_at.get(key) and extracted < published_at[key]:
            continue
        times[key] = log["latest"]
    return times


def translation_rows(target_language=DEFAULT_TARGET):
    """Return the report's rows, in tree order."""
    source_locale = default_locale()
    target_locale = Locale.objects.filter(language_code=target_language).first()
    reported = Page.objects.live().filter(
        locale=source_locale,
        alias_of__isnull=True,
        content_type__in=reported_content_types(),
    )
    sources = list(reported.select_related("content_type").order_by("path"))
    if target_locale is None:
        return [TranslationRow(source, None, MISSING) for source in sources]
    keys = reported.values("translation_key")
    translations = {
        page.translation_key: page
        for page in Page.objects.filter(
            locale=target_locale, alias_of__isnull=True, translation_key__in=keys
        )
    }
    published_at = {
        source.translation_key: source.last_published_at for source in sources
    }
    synced = sync_times(source_locale, target_locale, keys, published_at)
    in_workflow = set(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in translations.values()],
        )
        .values_list("object_id", flat=True)
    )
    rows = []
    for source in sources:
        translation = translations.get(source.translation_key)
        synced_at = synced.get(source.translation_key)
        rows.append(
            TranslationRow(
                source=source,
                translation=translation,
                status=status_of(source, translation, synced_at),
                synced_at=synced_at,
                in_workflow=translation is not None
                and str(translation.pk) in in_workflow,
            )
        )
    return rows


def target_languages():
    """Return the content languages pages are translated into: all but English."""
    return [
        (code, name)
        for code, name in settings.WAGTAIL_CONTENT_LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


class TranslationStatusFilterSet(WagtailFilterSet):
    """Filters the report's rows (a list, not a queryset).

    ``language`` chooses which translations the rows describe (the view builds
    the rows for it); ``status`` filters them.
    """

    language = django_filters.ChoiceFilter(
        label=pgettext_lazy("translation report", "Language"),
        choices=target_languages,
        empty_label=None,
        method="keep_rows",
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Translation"),
        choices=list(STATUS_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Page
        fields = []

    def keep_rows(self, rows, name, value):
        return rows

    def filter_queryset(self, rows):
        wanted = self.form.cleaned_data.get("status")
        return [row for row in rows if row.status in wanted] if wanted else rows


class TranslationColumn(TitleColumn):
    """The translation's title, linked to its editor; a dash when missing."""

    empty_value_display = "—"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk]) if page else None


class TranslationStatusView(ReportView):
    """Reports → Translations to do: the Secretariat's list."""

    page_title = _("Translations to do")
    header_icon = "site"
    index_url_name = "wsis_translation_status"
    index_results_url_name = "wsis_translation_status_results"
    results_template_name = "home/admin/translation_status_results.html"
    filterset_class = TranslationStatusFilterSet
    paginate_by = 100
    columns = [
        TitleColumn(
            "title", label=_("English page"), get_url=lambda row: edit_url(row.source)
        ),
        Column("page_type", label=pgettext_lazy("translation report", "Type")),
        DateColumn("source_published_at", label=_("English published")),
        StatusTagColumn(
            "status_label",
            label=_("Translation"),
            primary=lambda row: row.status == UP_TO_DATE,
        ),
        TranslationColumn(
            "translation_title",
            label=_("Translated page"),
            get_url=lambda row: edit_url(row.translation),
        ),
        DateColumn("translation_published_at", label=_("Translation published")),
        DateColumn("synced_at", label=_("Last synced")),
        Column(
            "in_workflow_label", label=pgettext_lazy("translation report", "Workflow")
        ),
    ]
    list_export = [
        "title",
        "page_type",
        "source_published_at",
        "status_label",
        "translation_title",
        "translation_published_at",
        "synced_at",
        "in_workflow_label",
    ]
    export_headings = {
        "title": _("English page"),
        "page_type": pgettext_lazy("translation report", "Type"),
        "source_published_at": _("English published"),
        "status_label": _("Translation"),
        "translation_title": _("Translated page"),
        "translation_published_at": _("Translation published"),
        "synced_at": _("Last synced"),
        "in_workflow_label": pgettext_lazy("translation report", "Workflow"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_secretariat(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"translations-to-do-{self.target_language}"

    @cached_property
    def target_language(self):
        wanted = self.request.GET.get("language")
        codes = {code for code, _name in target_languages()}
        return wanted if wanted in codes else DEFAULT_TARGET

    @cached_property
    def all_rows(self):
        return translation_rows(self.target_language)

    def get_queryset(self):
        return self.all_rows

    def get_filtered_queryset(self):
        return self.filter_queryset(self.get_queryset())

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        counts = dict.fromkeys(STATUS_LABELS, 0)
        for row in self.all_rows:
            counts[row.status] += 1
        context["status_counts"] = [
            (STATUS_LABELS[status], count) for status, count in counts.items()
        ]
        context["target_language_name"] = dict(target_languages())[self.target_language]
        return context
