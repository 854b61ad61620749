"""The same inventory search on the database and on the real engine."""

import pytest

from inventory.models import InventoryEntry
from inventory.search import InventoryQuery, search_inventory


@pytest.fixture(params=["database", "cluster"])
def engine(request, db):
    if request.param == "cluster":
        return request.getfixturevalue("cluster")
    return None


def make_entry(live=True, **fields):
    values = {
        "title": "Rural broadband for schools",
        "summary": "Connecting rural schools.",
        "activity_type": "project",
        "action_lines": ["C2"],
        "countries": ["SEN"],
        "stakeholder_type": "government",
        "status": "ongoing",
        "reporting_year": 2025,
    }
    values.update(fields)
    entry = InventoryEntry(live=live, **values)
    entry.save()
    return entry


def test_only_published_entries_are_found(engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published = make_entry(title="Published broadband plan")
        make_entry(live=False, title="Draft broadband secret plan")
    if engine:
        engine.refresh()
    result = search_inventory(InventoryQuery(q="broadband"))
    assert [entry.pk for entry in result.entries] == [published.pk]
    exact = search_inventory(InventoryQuery(q="Draft broadband secret plan"))
    assert all(entry.live for entry in exact.entries)
    assert "Draft broadband secret plan" not in [e.title for e in exact.entries]
    assert dict(result.facets["region"]) == {"africa": 1}
