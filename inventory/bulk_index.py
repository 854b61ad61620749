"""Fast (re)indexing of the inventory, for rebuilds of 100,000 entries and more.

Wagtail builds each document from a model instance, field by field; for a full
rebuild that costs more than the engine's own work. Here documents are built from
plain ``values()`` rows, following the model's ``search_fields`` (so the result is
the very document Wagtail would send: tests/inventory check this), and sent as
raw bulk requests while the next batch is being built.
"""

import gc
import re
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html import unescape

from django.utils.encoding import force_str

from wagtail.fields import RichTextField
from wagtail.rich_text import get_text_for_indexing

import orjson
from modelsearch.index import AutocompleteField, FilterField, SearchField

from action_lines.teams import team_codes
from search.backends import raw_bulk

from .export import RECORD_FIELDS, record_from_row
from .models import TRANSLATION_FIELDS, InventoryEntry, activity_start, language_text

# Search fields that are methods of the entry, computed here from the row.
LANGUAGE_COLUMNS = ["language", "title", "summary", *TRANSLATION_FIELDS]
COMPUTED = {
    "english_text": lambda row: language_text(row, "en"),
    "french_text": lambda row: language_text(row, "fr"),
    "activity_start": activity_start,
}
# The columns each computed field reads.
COMPUTED_COLUMNS = {
    "english_text": LANGUAGE_COLUMNS,
    "french_text": LANGUAGE_COLUMNS,
    "activity_start": ["start_date", "first_published_at"],
}

# Rich text made only of plain tags, attributes in double quotes, text and
# well-formed character references: there, removing the tags by pattern gives
# exactly what Wagtail's get_text_for_indexing (Django's strip_tags, an HTML
# parser) gives, several times faster. Anything else takes Wagtail's way.
_SPACE = "[ \t\n\r\f]"
_PLAIN_HTML = re.compile(
    rf"""(?:[^<>&]
    |&(?:[a-zA-Z][a-zA-Z0-9]*|\#[0-9]+|\#[xX][0-9a-fA-F]+);
    |<[a-zA-Z][a-zA-Z0-9]*(?:{_SPACE}+[a-zA-Z_:][-a-zA-Z0-9_:.]*="[^"<>]*")*{_SPACE}*/?>
    |</[a-zA-Z][a-zA-Z0-9]*{_SPACE}*>
    )*""",
    re.VERBOSE,
)
_RAW_TEXT_ELEMENTS = re.compile(
    r"<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)",
    re.IGNORECASE,
)
_BLOCK_END = re.compile(r"(</(p|h\d|li|blockquote)>)", re.IGNORECASE)
_BREAK = re.compile(r"(<(br|hr)\s*/>)", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")


def _space_after(match):
    return match.group(1) + " "


def text_for_indexing(html):
    """Return what ``wagtail.rich_text.get_text_for_indexing(html)`` returns."""
    html = force_str(html)
    if _RAW_TEXT_ELEMENTS.search(html) or not _PLAIN_HTML.fullmatch(html):
        return get_text_for_indexing(html)
    html = _BREAK.sub(_space_after, _BLOCK_END.sub(_space_after, html))
    return unescape(_TAG.sub("", html).strip())


def rich_text_content(value):
    """RichTextField.get_searchable_content, by ``text_for_indexing``."""
    return [text_for_indexing(value)]


# The transform of the stored public record: read per batch, not per row.
RECORD = object()
# The transform of the organisation slugs: the lead's (in the row) and the partners'.
SLUGS = object()

BATCH = 2000
SENDERS = 2


class DocumentPlan:
    """How each search field of InventoryEntry turns into a document value."""

    def __init__(self, mapping):
        self.mapping = mapping
        self.content_types = mapping.get_all_content_types()
        self.steps = []  # (column, attname or None, transform, autocomplete)
        self.columns = set()
        for field in InventoryEntry.get_search_fields():
            if not isinstance(field, SearchField | FilterField | AutocompleteField):
                raise TypeError(f"Unsupported search field for bulk indexing: {field}")
            column = mapping.get_field_column_name(field)
            try:
                model_field = InventoryEntry._meta.get_field(field.field_name)
            except Exception:  # noqa: BLE001 - a method, not a model field
                if field.field_name == "public_record":
                    # Built from the same row (``documents`` adds the team code).
                    self.steps.append((column, None, RECORD, False))
                    self.columns.update(set(RECORD_FIELDS) - {"team_code"})
                    self.columns.add("team_id")
                    continue
                if field.field_name == "organisation_slugs":
                    self.steps.append((column, None, SLUGS, False))
                    continue
                if field.field_name in COMPUTED:
                    self.steps.append((column, None, COMPUTED[field.field_name], False))
                    self.columns.update(COMPUTED_COLUMNS[field.field_name])
                    continue
                if field.field_name != "organisation_names":
                    raise TypeError(
                        f"Bulk indexing cannot compute {field.field_name!r}"
                    ) from None
                self.steps.append((column, None, None, False))
                continue
            transform = None
            if isinstance(model_field, RichTextField) and isinstance(
                field, SearchField
            ):
                transform = rich_text_content
            elif not isinstance(field, FilterField) and hasattr(
                model_field, "get_searchable_content"
            ):
                transform = model_field.get_searchable_content
            self.steps.append(
                (
                    column,
                    model_field.attname,
                    transform,
                    isinstance(field, AutocompleteField),
                )
            )
            self.columns.add(model_field.attname)

    def value_fields(self):
        fields = [
            "id",
            "organisation_id",
            "organisation__name",
            "organisation__acronym",
            "organisation__slug",
        ]
        return [*fields, *sorted(self.columns - set(fields))]

    def document(self, row, partners, partner_slugs=()):
        document = {"pk": str(row["id"]), "_django_content_type": self.content_types}
        edgengrams = []
        for column, attname, transform, autocomplete in self.steps:
            if transform is RECORD:
                value = record_from_row(row, partners) if row["live"] else None
            elif transform is SLUGS:
                slugs = set(partner_slugs)
                if row["organisation_id"]:
                    slugs.add(row["organisation__slug"])
                value = sorted(slugs)
            elif attname is None and transform is not None:
                value = transform(row)
            elif attname is None:
                names = [row["organisation__name"], row["organisation__acronym"]]
                names = (
                    [name for name in names if name] if row["organisation_id"] else []
                )
                value = " ".join([*names, *partners])
            else:
                value = row[attname]
                if transform is not None:
                    value = transform(value)
            document[column] = value
            if autocomplete:
                edgengrams.append(value)
        document["_edgengrams"] = edgengrams
        return document


def partners_of(entry_ids):
    """({entry id: partners' names, by name}, {entry id: partners' slugs})."""
    through = InventoryEntry.partners.through
    names, slugs = defaultdict(list), defaultdict(list)
    rows = (
        through.objects.filter(inventoryentry_id__in=entry_ids)
        .order_by("stakeholderorganisation__name")
        .values_list(
            "inventoryentry_id",
            "stakeholderorganisation__name",
            "stakeholderorganisation__slug",
        )
    )
    for entry_id, name, slug in rows:
        names[entry_id].append(name)
        slugs[entry_id].append(slug)
    return names, slugs


def documents(plan, queryset):
    """Yield lists of (id, document) for ``queryset``, BATCH at a time."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = list(
            InventoryEntry.objects.filter(pk__in=chunk).values(*plan.value_fields())
        )
        partners, slugs = partners_of(chunk)
        codes = team_codes(row.get("team_id") for row in rows)
        for row in rows:
            row["team_code"] = codes.get(row.get("team_id"), "")
        yield [
            (
                str(row["id"]),
                plan.document(
                    row, partners.get(row["id"], []), slugs.get(row["id"], [])
                ),
            )
            for row in rows
        ]


def bulk_body(index_name, batch):
    """Return the NDJSON body of a bulk request indexing ``batch``, as bytes.

    orjson writes what the clients' json serializers write (dates and times in
    ISO 8601), several times faster: on a full rebuild, serialising is a fair
    part of the work.
    """
    lines = []
    for document_id, document in batch:
        lines.append(
            orjson.dumps({"index": {"_index": index_name, "_id": document_id}})
        )
        lines.append(orjson.dumps(document))
    return b"\n".join(lines) + b"\n"


@contextmanager
def collector_paused():
    """Pauses Python's cyclic garbage collector.

    Building documents allocates millions of short-lived dicts and lists, none
    in reference cycles; the collector would scan the whole heap over and over
    (a third of a rebuild's time). Reference counting still frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def index_entries(backend, index_name, queryset=None, progress=None):
    """Indexes the published entries (or ``queryset``) into ``index_name``.

    Builds the next batches while the engine indexes earlier ones (up to
    SENDERS bulk requests in flight, one per engine core on a small node).
    Returns the number of documents sent; raises if the engine reports a failed
    item.
    """
    queryset = InventoryEntry.get_indexed_objects() if queryset is None else queryset
    plan = DocumentPlan(backend.mapping_class(InventoryEntry))
    sent = 0
    with collector_paused(), ThreadPoolExecutor(max_workers=SENDERS) as sender:
        in_flight = deque()
        for batch in documents(plan, queryset):
            body = bulk_body(index_name, batch)
            if len(in_flight) >= SENDERS:
                in_flight.popleft().result()
            in_flight.append(sender.submit(raw_bulk, backend, body))
            sent += len(batch)
            if progress is not None:
                progress(len(batch))
        while in_flight:
            in_flight.popleft().result()
    return sent


def rebuild(backend, progress=None):
    """Rebuild the inventory index fully and atomically (the alias swaps at the end).

    A full, atomic rebuild of the inventory index (the alias swaps at the end).
    """
    index = backend.get_index_for_model(InventoryEntry)
    rebuilder = backend.rebuilder_class(index)
    new_index = rebuilder.start()
    new_index.add_model(InventoryEntry)
    count = index_entries(backend, new_index.name, progress=progress)
    rebuilder.finish()
    return count
