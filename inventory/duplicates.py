"""Duplicates: the published entries an entry resembles, and marking one a copy.

The same activity is often reported twice (by its organisation and by a team,
or by a partner). When an entry is submitted, and whenever an editor opens it,
the published entries that resemble it are listed: on the search cluster by its
``more_like_this`` query over the entries' titles and summaries (in their
languages too), on the database engine by the share of the entry's significant
words each published entry's title and summary contain. An editor can then mark
the entry a duplicate of one of them: it leaves moderation and public view, the
audit log records it, and its submitter is told (e-mail, status page) which
entry it duplicates.
"""

import math
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log
from wagtail.models import WorkflowState

from django_q.tasks import async_task

from home.mail import send_templated_mail, site_url
from search.backends import raw_search

from .models import TEXT_FIELDS, DuplicateMark, InventoryEntry
from .search import ClusterEngine, EngineUnavailable, engine_resting, primary_engine

MAX_SIMILAR = 5
# Share of the entry's significant words a published entry must contain.
MINIMUM_SHARE = 0.3
MAX_WORDS = 12
WORD = re.compile(r"\w{4,}", re.UNICODE)
# Words too common in activity descriptions to tell two activities apart.
COMMON_WORDS = frozenset(
    [
        "with",
        "from",
        "that",
        "this",
        "these",
        "their",
        "they",
        "them",
        "which",
        "into",
        "over",
        "under",
        "about",
        "through",
        "between",
        "among",
        "also",
        "more",
        "most",
        "other",
        "such",
        "than",
        "then",
        "there",
        "where",
        "when",
        "will",
        "would",
        "been",
        "being",
        "have",
        "were",
        "your",
        "ours",
        "activity",
        "activities",
        "project",
        "projects",
        "programme",
        "program",
        "initiative",
    ]
)
LOG_ACTION = "inventory.mark_duplicate"


def similarity_text(entry):
    """Return the text an entry is compared on: titles and summaries, every language."""
    parts = (getattr(entry, name) for name in TEXT_FIELDS)
    return "\n".join(part for part in parts if part)


def significant_words(text):
    words = []
    for word in WORD.findall(text.lower()):
        if word not in COMMON_WORDS and not word.isdigit() and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


@dataclass
class Similar:
    entry: InventoryEntry

    @property
    def organisations(self):
        names = [self.entry.organisation.name] if self.entry.organisation_id else []
        return names + [partner.name for partner in self.entry.partners.all()]

    @property
    def years(self):
        years = {self.entry.reporting_year}
        for date in (self.entry.start_date, self.entry.end_date):
            if date:
                years.add(date.year)
        return sorted(years)


def database_similar(entry, limit=MAX_SIMILAR):
    """Return published entries containing a share of the entry's significant words.

    Published entries containing a share of the entry's significant words (a word in
    the title counts twice).
    """
    words = significant_words(similarity_text(entry))
    if not words:
        return []
    score = sum(
        (
            Case(
                When(Q(title__icontains=word) | Q(title_en__icontains=word), then=2),
                default=Value(0),
                output_field=IntegerField(),
            )
            + Case(
                When(
                    Q(summary__icontains=word) | Q(summary_en__icontains=word), then=1
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in words
        ),
        Value(0),
    )
    minimum = max(2, math.ceil(MINIMUM_SHARE * 3 * len(words)))
    candidates = (
        InventoryEntry.objects.filter(live=True)
        .exclude(pk=entry.pk)
        .annotate(similarity=score)
        .filter(similarity__gte=minimum)
        .order_by("-similarity", "-first_published_at", "-pk")
    )
    return list(candidates.values_list("pk", flat=True)[:limit])


def cluster_similar(engine, entry, limit=MAX_SIMILAR):
    """Return the engine's ``more_like_this`` over the entries' texts."""
    columns = [
        engine.mapping.get_field_column_name(search_field)
        for search_field in InventoryEntry.get_searchable_search_fields()
        if search_field.field_name
        in ("title", "summary", "english_text", "french_text")
    ]
    body = {
        "query": {
            "bool": {
                "must": {
                    "more_like_this": {
                        "fields": columns,
                        "like": similarity_text(entry),
                        "min_term_freq": 1,
                        "min_doc_freq": 1,
                        "max_query_terms": 25,
                        "minimum_should_match": f"{int(MINIMUM_SHARE * 100)}%",
                    }
                },
                "filter": [
                    engine.content_type_filter,
                    {"term": {engine.columns["live"]: True}},
                ],
                "must_not": [{"term": {"pk": str(entry.pk)}}] if entry.pk else [],
            }
        },
        "size": limit,
        "_source": False,
        "stored_fields": ["pk"],
    }
    try:
        response = raw_search(engine.backend, engine.index_name, body)
    except Exception as error:
        raise EngineUnavailable(str(error)) from error
    return [int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]


def similar_entries(entry, limit=MAX_SIMILAR):
    """Return the published entries most like ``entry``, best first."""
    engine = primary_engine()
    pks = None
    if isinstance(engine, ClusterEngine) and not engine_resting(engine.backend):
        try:
            pks = cluster_similar(engine, entry, limit)
        except EngineUnavailable:
            pks = None
    if pks is None:
        pks = database_similar(entry, limit)
    by_pk = (
        InventoryEntry.objects.filter(pk__in=pks, live=True)
        .exclude(pk=entry.pk)
        .select_related("organisation")
        .prefetch_related("partners")
        .in_bulk()
    )
    return [Similar(by_pk[pk]) for pk in pks if pk in by_pk]


# --- Marking a duplicate ----------------------------------------------------------


@transaction.atomic
def mark_duplicate(entry, original, user):
    """Mark ``entry`` a duplicate of the published ``original``.

    It leaves moderation and public view, the step is logged, its submitter told.
    """
    DuplicateMark.objects.update_or_create(
        entry=entry, defaults={"original": original, "marked_by": user}
    )
    state = entry.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        state.cancel(user=user)
    if entry.live:
        entry.unpublish(user=user)
    log(
        entry,
        LOG_ACTION,
        user=user,
        data={"original": original.reference, "original_id": original.pk},
    )
    transaction.on_commit(
        lambda: async_task("inventory.duplicates.notify_submitter", entry.pk)
    )


def original_of(entry):
    """Return the entry ``entry`` was marked a duplicate of, or None."""
    mark = DuplicateMark.objects.filter(entry=entry).select_related("original")
    mark = mark.first()
    return mark.original if mark is not None else None


def notify_submitter(entry_id):
    entry = InventoryEntry.objects.get(pk=entry_id)
    original = original_of(entry)
    if original is None or not entry.contact_email:
        return
    send_templated_mail(
        "inventory/emails/entry_duplicate.txt",
        {
            "entry": entry,
            "original": original,
            "original_url": site_url(original.get_absolute_url()),
            "update_url": site_url(reverse("inventory:request_update")),
        },
        [entry.contact_email],
        language=entry.contact_language,
    )


def forget_mark(sender, instance, **kwargs):
    """Unmark an entry published after all as a duplicate.

    An entry published after all (the editors changed their mind) is no longer a
    duplicate.
    """
    DuplicateMark.objects.filter(entry=instance).delete()


def register_log_actions(actions):
    actions.register_action(
        LOG_ACTION, _("Mark as a duplicate"), _("Marked as a duplicate")
    )
