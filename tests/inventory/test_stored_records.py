"""The API answers from the engine alone.

Each entry's document stores its public record (inventory.export.public_records), which
must stay equal to the database's.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from home.models import StakeholderOrganisation
from inventory.bulk_index import rebuild
from inventory.export import records
from inventory.models import InventoryEntry
from search.backends import default_backend
from search.models import PendingIndexUpdate
from tests.factories import ActionLinePageFactory, InventoryEntryFactory

API = "/api/inventory/"


@pytest.fixture
def organisations(db):
    return {
        "lead": StakeholderOrganisation.objects.create(
            name="Agence nationale du numérique",
            acronym="ANN",
            stakeholder_type="government",
        ),
        "partner": StakeholderOrganisation.objects.create(
            name="Réseau des écoles", stakeholder_type="civil-society"
        ),
        "other": StakeholderOrganisation.objects.create(
            name="Open Data Lab", stakeholder_type="academia"
        ),
    }


def make_rich_entries(tree, organisations):
    """Entries filling every public field: team, partners, dates, translations."""
    return [
        InventoryEntryFactory(
            title="Écoles connectées",
            summary="Relier 300 écoles rurales.",
            title_en="Connected schools",
            summary_en="Connecting 300 rural schools.",
            language="fr",
            description="<p>Fibre <b>and</b> training</p>",
            action_lines=["C2", "C7-ELEARN"],
            countries=["SEN", "MLI"],
            sdgs=[4, 9],
            coverage="regional",
            organisation=organisations["lead"],
            partners=[organisations["partner"], organisations["other"]],
            team=tree.c2_team,
            start_date=datetime.date(2024, 3, 1),
            end_date=datetime.date(2026, 2, 28),
            website="https://example.org/ecoles",
            keywords="schools, fibre",
        ),
        InventoryEntryFactory(title="Child online protection", countries=["global"]),
    ]


@pytest.fixture
def rich_entries(cluster, tree, organisations, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entries = make_rich_entries(tree, organisations)
    cluster.refresh()
    return entries


def index_without_record(cluster, entry):
    """Indexes ``entry`` as it was before documents stored their record."""
    mapping = cluster.backend.mapping_class(InventoryEntry)
    column = next(
        mapping.get_field_column_name(field)
        for field in InventoryEntry.get_search_fields()
        if field.field_name == "public_record"
    )
    document = mapping.get_document(entry)
    del document[column]
    cluster.backend.es.index(index=cluster.index.name, id=str(entry.pk), body=document)
    cluster.refresh()


def api_results(client, **params):
    return client.get(API, params).json()["results"]


def database_records(results, rf_request):
    return records([result["id"] for result in results], rf_request)


@pytest.fixture
def rf_request(rf):
    return rf.get(API)


def test_the_api_reads_no_entry_from_the_database(client, rich_entries):
    client.get(API)  # warm per-process caches (site, locale)
    with CaptureQueriesContext(connection) as queries:
        results = api_results(client)
    assert len(results) == 2
    assert not [q for q in queries.captured_queries if "inventory_" in q["sql"]]


def test_the_stored_record_is_the_databases_record(client, rich_entries, rf_request):
    results = api_results(client, sort="title")
    assert results == database_records(results, rf_request)
    (schools,) = [r for r in results if r["id"] == rich_entries[0].pk]
    assert schools["partners"] == ["Open Data Lab", "Réseau des écoles"]
    assert schools["team"] == "C2"
    assert schools["organisation_acronym"] == "ANN"
    assert schools["start_date"] == "2024-03-01"
    assert schools["title_en"] == "Connected schools"
    assert schools["url"] == f"http://testserver/inventory/entries/{schools['id']}/"
    assert "contact_email" not in schools and "contact_name" not in schools


def test_a_bulk_rebuild_stores_the_same_record(client, rich_entries, rf_request):
    before = api_results(client, sort="title")
    rebuild(default_backend())
    after = api_results(client, sort="title")
    assert after == before == database_records(after, rf_request)


def test_a_renamed_organisation_is_renamed_in_the_api_and_found_by_its_new_name(
    client, cluster, rich_entries, organisations, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        lead = organisations["lead"]
        lead.name, lead.acronym = "Agence du numérique du Sénégal", "ADNS"
        lead.save()
        partner = organisations["partner"]
        partner.name = "Réseau des lycées"
        partner.save()
    cluster.refresh()
    (result,) = api_results(client, q="ADNS")
    assert result["id"] == rich_entries[0].pk
    assert result["organisation"] == "Agence du numérique du Sénégal"
    assert result["partners"] == ["Open Data Lab", "Réseau des lycées"]
    assert api_results(client, q="lycées")[0]["id"] == rich_entries[0].pk


def test_saving_an_organisation_unchanged_reindexes_none_of_its_entries(
    rich_entries, organisations, django_capture_on_commit_callbacks
):
    lead = organisations["lead"]
    with django_capture_on_commit_callbacks() as callbacks:
        lead.save()
    # Only the organisation's own document is updated, as after any save.
    assert len(callbacks) == 1
    waiting = PendingIndexUpdate.objects.values_list("content_type__model", "object_id")
    assert ("stakeholderorganisation", str(lead.pk)) in waiting
    assert not waiting.filter(content_type__model="inventoryentry").exists()


def test_a_team_moved_to_another_action_line_gives_its_entries_that_code(
    client, cluster, tree, rich_entries, django_capture_on_commit_callbacks
):
    c3 = ActionLinePageFactory(parent=tree.index, code="C3", title="Access")
    with django_capture_on_commit_callbacks(execute=True):
        tree.c2_team.move(c3, pos="last-child")
    cluster.refresh()
    (result,) = [r for r in api_results(client) if r["id"] == rich_entries[0].pk]
    assert result["team"] == "C3"


def test_documents_indexed_without_the_record_are_read_from_the_database(
    client, cluster, rich_entries, rf_request
):
    """An index built before records were stored still answers in full."""
    entry = rich_entries[0]
    index_without_record(cluster, entry)
    results = api_results(client, sort="title")
    assert len(results) == 2
    assert results == database_records(results, rf_request)


def test_sync_search_index_reindexes_documents_without_the_record(
    client, cluster, rich_entries
):
    from inventory.reconcile import reconcile

    entry = rich_entries[0]
    index_without_record(cluster, entry)
    assert reconcile(dry_run=True).stale == [entry.pk]
    drift = reconcile()
    assert drift.stale == [entry.pk]
    assert reconcile(dry_run=True).clean
    client.get(API)
    with CaptureQueriesContext(connection) as queries:
        assert len(api_results(client)) == 2
    assert not [q for q in queries.captured_queries if "inventory_" in q["sql"]]
