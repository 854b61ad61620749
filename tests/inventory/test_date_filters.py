"""The ``started`` and ``active`` date filters, the same on both engines."""

import datetime

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

import pytest

from inventory.models import InventoryEntry
from inventory.search import InventoryQuery, QueryError, parse_range, search_inventory
from tests.factories import InventoryEntryFactory
from tests.helpers.dates import aware

D = datetime.date


@pytest.fixture(params=["database", "cluster"])
def engine(request, db):
    if request.param == "cluster":
        return request.getfixturevalue("cluster")
    return None


@pytest.fixture
def dated(engine, django_capture_on_commit_callbacks):
    """Create activities with every shape of dates, indexed where searched."""
    shapes = {
        # name: (start, end, first published)
        "2023_only": (D(2023, 2, 1), D(2023, 11, 30), aware(2023, 3, 1)),
        "2023_to_2025": (D(2023, 6, 1), D(2025, 3, 31), aware(2023, 6, 2)),
        "2024_running": (D(2024, 5, 1), None, aware(2024, 5, 2)),
        "undated_2024": (None, None, aware(2024, 9, 15)),
        "2025_only": (D(2025, 1, 1), D(2025, 1, 1), aware(2024, 12, 20)),
        "ends_on_new_year": (D(2022, 1, 1), D(2024, 1, 1), aware(2022, 1, 5)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        entries = {
            name: InventoryEntryFactory(
                title=name,
                start_date=start,
                end_date=end,
                first_published_at=published,
                last_published_at=published,
            )
            for name, (start, end, published) in shapes.items()
        }
        InventoryEntryFactory(draft=True, title="draft", start_date=D(2024, 1, 1))
    if engine is not None:
        engine.refresh()
    return entries


def found(**params):
    query = InventoryQuery(
        filters={name: tuple(values) for name, values in params.items()},
        page_size=100,
    )
    return sorted(
        InventoryEntry.objects.get(pk=pk).title
        for pk in search_inventory(query, fetch=False).ids
    )


def test_started_finds_the_activities_that_started_in_the_range(dated):
    assert found(started=["2024-01-01..2024-12-31"]) == [
        "2024_running",
        "undated_2024",  # first published in 2024
    ]
    assert found(started=["..2022-12-31"]) == ["ends_on_new_year"]
    assert found(started=["2025-01-01.."]) == ["2025_only"]
    # Values of one filter are alternatives.
    assert found(started=["2023-01-01..2023-12-31", "2025-01-01..2025-01-01"]) == [
        "2023_only",
        "2023_to_2025",
        "2025_only",
    ]


def test_active_finds_the_activities_running_during_the_range(dated):
    # Overlaps 2024: ended in it (on its first day too), started in it, or
    # running through it; an undated activity runs from its first publication.
    assert found(active=["2024-01-01..2024-12-31"]) == [
        "2023_to_2025",
        "2024_running",
        "ends_on_new_year",
        "undated_2024",
    ]
    assert found(active=["2025-02-01..2025-12-31"]) == [
        "2023_to_2025",
        "2024_running",
        "undated_2024",
    ]
    assert found(active=["..2022-06-30"]) == ["ends_on_new_year"]
    assert found(active=["2025-01-01.."]) == [
        "2023_to_2025",
        "2024_running",
        "2025_only",
        "undated_2024",
    ]


def test_started_and_active_together_split_new_from_continuing(dated):
    year = "2024-01-01..2024-12-31"
    active = set(found(active=[year]))
    new = set(found(active=[year], started=[year]))
    continuing = set(found(active=[year], started=["..2023-12-31"]))
    assert new == {"2024_running", "undated_2024"}
    assert new | continuing == active
    assert not new & continuing


def test_the_api_answers_the_filters(client, dated):
    response = client.get(
        reverse("inventory_api"), {"active": "2024-01-01..2024-12-31"}
    )
    assert response.status_code == 200
    assert response.json()["count"] == 4


@pytest.mark.parametrize(
    "value",
    [
        "2024",
        "2024-01-01",
        "..",
        "2024-01-01...2024-12-31",
        "2024-13-01..",
        "2024-02-30..2024-03-31",
        "2024-1-1..2024-12-31",
        "2024-12-31..2024-01-01",  # ends before it starts
        "٢٠٢٤-01-01..",  # digits, but not ASCII ones
    ],
)
def test_malformed_ranges_are_refused(value):
    with pytest.raises(ValueError):
        parse_range(value)
    for name in ("started", "active"):
        with pytest.raises(QueryError) as error:
            InventoryQuery.from_params(QueryDict(urlencode({name: value})))
        (message,) = error.value.messages
        assert message.startswith(f"“{name}” takes a range of dates")


def test_a_malformed_range_is_a_400_on_the_api_and_the_page(client, db):
    query = {"active": "2024-12-31..2024-01-01", "started": "2024"}
    response = client.get(reverse("inventory_api"), query)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 2
    assert all("YYYY-MM-DD..YYYY-MM-DD" in error for error in errors)
    page = client.get(reverse("inventory:search"), query)
    assert page.status_code == 400
    assert "takes a range of dates" in page.content.decode()
    export = client.get(reverse("inventory:export"), query)
    assert export.status_code == 400


def test_ranges_go_back_into_links_unchanged(db):
    params = QueryDict("active=2024-01-01..2024-12-31&started=..2023-12-31")
    query = InventoryQuery.from_params(params)
    assert query.filters["active"] == ("2024-01-01..2024-12-31",)
    assert query.urlencode() == ("started=..2023-12-31&active=2024-01-01..2024-12-31")
