"""The database engine's text matching reads a trigram index on PostgreSQL.

While the search cluster is down the database engine answers every search; with
a million entries a word matched by reading every row would take seconds. An
entry's texts are one lowercased column, ``search_text``, with a GIN trigram
index (inventory migration 0011), and matching organisations are read first so
that no branch of the condition needs a join.
"""

from django.db import connection, transaction
from django.http import QueryDict

import pytest

from inventory import search
from inventory.models import InventoryEntry
from inventory.search import DatabaseEngine, InventoryQuery
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory
from tests.helpers.ops import postgres_only

pytestmark = pytest.mark.django_db


def matching_ids(words):
    query = InventoryQuery.from_params(QueryDict(f"q={words}"))
    entries, _terms = DatabaseEngine().matching(query)
    return set(entries.values_list("pk", flat=True)), entries


@pytest.fixture
def catalogue():
    clinics = StakeholderOrganisationFactory(
        name="Dakar Digital Schools", acronym="DDS"
    )
    return {
        "hygiene": InventoryEntryFactory(title="Cyber hygiene clinics"),
        "by summary": InventoryEntryFactory(summary="Hygiene lessons in schools."),
        "by French title": InventoryEntryFactory(
            title_fr="Ateliers d'hygiène numérique"
        ),
        "by keyword": InventoryEntryFactory(keywords="hygiene, safety"),
        "by organisation": InventoryEntryFactory(
            title="Clinics for teachers", organisation=clinics
        ),
        "unrelated": InventoryEntryFactory(title="Broadband for rural clinics"),
        "draft": InventoryEntryFactory(title="Hygiene draft", draft=True),
    }


def test_a_word_is_found_in_every_text_and_in_the_organisation(catalogue):
    found, _entries = matching_ids("hygiene")
    expected = {"hygiene", "by summary", "by keyword"}
    assert found == {catalogue[name].pk for name in expected}
    found, _entries = matching_ids("numérique")
    assert found == {catalogue["by French title"].pk}
    found, _entries = matching_ids("dakar")
    assert found == {catalogue["by organisation"].pk}
    found, _entries = matching_ids("DDS")
    assert found == {catalogue["by organisation"].pk}


def test_a_word_most_organisations_contain_gives_the_same_entries(
    catalogue, monkeypatch
):
    by_ids, _entries = matching_ids("schools")
    monkeypatch.setattr(search, "MATCHING_ORGANISATIONS", 0)
    by_subquery, _entries = matching_ids("schools")
    assert (
        by_ids
        == by_subquery
        == {
            catalogue["by summary"].pk,
            catalogue["by organisation"].pk,
        }
    )


@postgres_only
def test_postgresql_answers_a_word_from_the_trigram_indexes(catalogue):
    entries = InventoryEntry.objects.filter(DatabaseEngine.text_match("dakar"))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # A handful of rows: left to itself the planner reads the table, as
            # it should; the question is whether the indexes can answer.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
        plan = entries.explain()
    assert "BitmapOr" in plan
    assert "inventory_inventorye_search_text_trgm" in plan
    # The matching organisation is read by id, not joined.
    assert "home_stakeholderorganisation" not in plan
    assert set(entries.values_list("pk", flat=True)) == {
        catalogue["by organisation"].pk
    }


def test_the_matched_text_follows_every_change_and_ignores_case(catalogue):
    entry = catalogue["unrelated"]
    entry.summary_fr = "Des CLINIQUES d'hygiène pour les villages."
    entry.save()
    found, _entries = matching_ids("hygiène")
    assert entry.pk in found
    found, _entries = matching_ids("Cliniques")
    assert found == {entry.pk}
    entry.summary_fr = ""
    entry.save()
    found, _entries = matching_ids("cliniques")
    assert found == set()
