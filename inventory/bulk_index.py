"""Fast (re)indexing of the inventory, for rebuilds of 100,000 entries and more.

Wagtail builds each document from a model instance, field by field; for a full
rebuild that costs more than the engine's own work. Here documents are built from
plain ``values()`` rows, following the model's ``search_fields`` (so the result is
the very document Wagtail would send: tests/inventory check this), and sent as
raw bulk requests while the next batch is being built.
"""

from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor

from modelsearch.index import AutocompleteField, FilterField, SearchField

from search.backends import raw_bulk

from .export import public_records
from .models import TRANSLATION_FIELDS, InventoryEntry, language_text

# Search fields that are methods of the entry, computed here from the row.
LANGUAGE_COLUMNS = ["language", "title", "summary", *TRANSLATION_FIELDS]
COMPUTED = {
    "english_text": lambda row: language_text(row, "en"),
    "french_text": lambda row: language_text(row, "fr"),
}

# The transform of the stored public record: read per batch, not per row.
RECORD = object()

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
                    # Read for a whole batch at once (``documents``).
                    self.steps.append((column, None, RECORD, False))
                    continue
                if field.field_name in COMPUTED:
                    self.steps.append((column, None, COMPUTED[field.field_name], False))
                    self.columns.update(LANGUAGE_COLUMNS)
                    continue
                if field.field_name != "organisation_names":
                    raise TypeError(
                        f"Bulk indexing cannot compute {field.field_name!r}"
                    ) from None
                self.steps.append((column, None, None, False))
                continue
            transform = None
            if not isinstance(field, FilterField) and hasattr(
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
        return [
            "id",
            "organisation_id",
            *sorted(self.columns),
            "organisation__name",
            "organisation__acronym",
        ]

    def document(self, row, partners, record=None):
        document = {"pk": str(row["id"]), "_django_content_type": self.content_types}
        edgengrams = []
        for column, attname, transform, autocomplete in self.steps:
            if transform is RECORD:
                value = record
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


def partner_names(entry_ids):
    through = InventoryEntry.partners.through
    names = defaultdict(list)
    rows = (
        through.objects.filter(inventoryentry_id__in=entry_ids)
        .order_by("stakeholderorganisation__name")
        .values_list("inventoryentry_id", "stakeholderorganisation__name")
    )
    for entry_id, name in rows:
        names[entry_id].append(name)
    return names


def documents(plan, queryset):
    """Yields lists of (id, document) for ``queryset``, BATCH at a time."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = InventoryEntry.objects.filter(pk__in=chunk).values(*plan.value_fields())
        stored = public_records(chunk)  # published entries, with their partners
        partners = {pk: record["partners"] for pk, record in stored.items()}
        unpublished = [pk for pk in chunk if pk not in stored]
        if unpublished:
            partners.update(partner_names(unpublished))
        yield [
            (
                str(row["id"]),
                plan.document(row, partners.get(row["id"], []), stored.get(row["id"])),
            )
            for row in rows
        ]


def bulk_body(serializer, index_name, batch):
    lines = []
    for document_id, document in batch:
        lines.append(
            serializer.dumps({"index": {"_index": index_name, "_id": document_id}})
        )
        lines.append(serializer.dumps(document))
    return "\n".join(lines) + "\n"


def index_entries(backend, index_name, queryset=None, progress=None):
    """Indexes the published entries (or ``queryset``) into ``index_name``.

    Builds the next batches while the engine indexes earlier ones (up to
    SENDERS bulk requests in flight, one per engine core on a small node).
    Returns the number of documents sent; raises if the engine reports a failed
    item.
    """
    queryset = InventoryEntry.get_indexed_objects() if queryset is None else queryset
    plan = DocumentPlan(backend.mapping_class(InventoryEntry))
    serializer = backend.es.transport.serializer
    sent = 0
    with ThreadPoolExecutor(max_workers=SENDERS) as sender:
        in_flight = deque()
        for batch in documents(plan, queryset):
            body = bulk_body(serializer, index_name, batch)
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
    """A full, atomic rebuild of the inventory index (the alias swaps at the end)."""
    index = backend.get_index_for_model(InventoryEntry)
    rebuilder = backend.rebuilder_class(index)
    new_index = rebuilder.start()
    new_index.add_model(InventoryEntry)
    count = index_entries(backend, new_index.name, progress=progress)
    rebuilder.finish()
    return count
