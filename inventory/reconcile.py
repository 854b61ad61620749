"""Compare the database with the search engine's index, and repair the drift."""

from dataclasses import dataclass, field

from search.backends import cluster_backend, raw_search
from search.outbox import flush_pending

from .bulk_index import index_entries
from .models import InventoryEntry

CHUNK = 1000


@dataclass
class Drift:
    published: int = 0
    indexed: int = 0
    flushed: int = 0
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    extra: list = field(default_factory=list)

    @property
    def clean(self):
        return not (self.missing or self.stale or self.extra)


def _stamp(value):
    return value.isoformat(timespec="seconds") if value else None


# A document without the public record the API serves (indexed before records
# were stored) is out of date whatever its publication time.
NO_RECORD = "no record"


def indexed_documents(backend):
    """Return {pk: last_published_at} of every entry document.

    {pk: last_published_at} of every entry document, read with search_after
    (``NO_RECORD`` for a document that lacks its public record).
    """
    mapping = backend.mapping_class(InventoryEntry)
    columns = {
        f.field_name: mapping.get_field_column_name(f)
        for f in InventoryEntry.get_filterable_search_fields()
    }
    column, record = columns["last_published_at"], columns["public_record"]
    index_name = backend.get_index_for_model(InventoryEntry).name
    documents, after = {}, None
    while True:
        body = {
            "query": {"match_all": {}},
            "size": CHUNK,
            "sort": [{"pk": "asc"}],
            "_source": [column, f"{record}.id"],
            "stored_fields": ["pk"],
        }
        if after is not None:
            body["search_after"] = after
        hits = raw_search(backend, index_name, body)["hits"]["hits"]
        if not hits:
            return documents
        for hit in hits:
            source = hit.get("_source") or {}
            raw = source.get(column)
            documents[int(hit["fields"]["pk"][0])] = (
                NO_RECORD if record not in source else raw[:19] if raw else None
            )
        after = hits[-1]["sort"]


def reconcile(dry_run=False):
    backend = cluster_backend()
    if backend is None:
        return None
    drift = Drift()
    if not dry_run:
        drift.flushed, _remaining = flush_pending()
    backend.get_index_for_model(InventoryEntry).refresh()
    published = {
        pk: _stamp(stamp)
        for pk, stamp in InventoryEntry.objects.filter(live=True).values_list(
            "pk", "last_published_at"
        )
    }
    documents = indexed_documents(backend)
    drift.published, drift.indexed = len(published), len(documents)
    drift.missing = sorted(set(published) - set(documents))
    drift.extra = sorted(set(documents) - set(published))
    drift.stale = sorted(
        pk
        for pk in set(published) & set(documents)
        if documents[pk] == NO_RECORD
        or (
            published[pk] and documents[pk] and published[pk][:19] != documents[pk][:19]
        )
    )
    if dry_run or drift.clean:
        return drift
    index = backend.get_index_for_model(InventoryEntry)
    to_index = drift.missing + drift.stale
    if to_index:
        index_entries(
            backend,
            index.name,
            InventoryEntry.get_indexed_objects().filter(pk__in=to_index),
        )
    for pk in drift.extra:
        index.delete_item(InventoryEntry(pk=pk))
    index.refresh()
    return drift
