"""Freshness.

An entry not updated for two reporting cycles is flagged and its submitter asked;
unanswered, it becomes inactive (public, searchable, flagged, excludable by a filter on
both engines, the API and the export). The cycle is run with a fixed ``today``, as the
daily schedule runs it.
"""

import csv
import datetime
import io
import re

from django.test import Client
from django.utils import timezone

import pytest
from django_q.models import Schedule

from inventory.freshness import cutoff, run_cycle
from inventory.models import InventoryEntry, UpdateLink
from tests.factories import InventoryEntryFactory

TODAY = datetime.date(2026, 12, 6)
GRACE = 90


def moment(year, month=6, day=1):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def aged(entry, year, month=6):
    """The entry as if last published (and created) in ``year``."""
    InventoryEntry.objects.filter(pk=entry.pk).update(
        created_at=moment(year, month),
        first_published_at=moment(year, month),
        last_published_at=moment(year, month),
    )
    return InventoryEntry.objects.get(pk=entry.pk)


def refreshed(entry):
    return InventoryEntry.objects.get(pk=entry.pk)


@pytest.fixture(autouse=True)
def cycles(settings):
    settings.INVENTORY_CYCLE_YEARS = 1
    settings.INVENTORY_FRESHNESS_CYCLES = 2
    settings.INVENTORY_FRESHNESS_GRACE_DAYS = GRACE


@pytest.fixture
def entries(indexed):
    with indexed():
        old = InventoryEntryFactory(
            title="Old telecentre network",
            contact_email="old@example.org",
            contact_language="fr",
        )
        recent = InventoryEntryFactory(title="Recent telecentre survey")
    with indexed():
        old = aged(old, 2023)
        recent = aged(recent, 2025)
    return {"old": old, "recent": recent}


def run(indexed, today, capture=None):
    """The cycle, its e-mails sent and its index updates searchable."""
    with indexed():
        return run_cycle(today=today)


def test_the_cutoff_follows_the_cycles(settings):
    assert cutoff(TODAY) == datetime.date(2025, 1, 1)
    settings.INVENTORY_FRESHNESS_CYCLES = 3
    assert cutoff(TODAY) == datetime.date(2024, 1, 1)
    settings.INVENTORY_CYCLE_YEARS = 2
    settings.INVENTORY_CYCLE_ANCHOR_YEAR = 2006
    settings.INVENTORY_FRESHNESS_CYCLES = 2
    # Biennial cycles 2024–2025 (collected until 2026-02-28), then 2026–2027.
    assert cutoff(TODAY) == datetime.date(2024, 1, 1)


def test_an_entry_not_updated_for_two_cycles_is_flagged_and_its_submitter_asked(
    engine, entries, indexed, mailoutbox, django_capture_on_commit_callbacks
):
    counts = run(indexed, TODAY, django_capture_on_commit_callbacks)
    assert counts == {"flagged": 1, "inactive": 0}
    assert refreshed(entries["old"]).freshness == "stale"
    assert refreshed(entries["recent"]).freshness == "current"

    page = Client().get(f"/inventory/entries/{entries['old'].pk}/").content.decode()
    assert "Not updated since 2023" in page
    fresh = Client().get(f"/inventory/entries/{entries['recent'].pk}/")
    assert "Not updated since" not in fresh.content.decode()

    [mail] = mailoutbox
    assert mail.to == ["old@example.org"]
    assert "WSIS" in mail.subject and entries["old"].reference in mail.subject
    assert "2023" in mail.body
    assert "/fr/inventory/confirm/" in mail.body  # the submitter's language
    assert "/fr/inventory/update/" in mail.body

    # Run again the same day: nobody is asked twice.
    assert run(indexed, TODAY, django_capture_on_commit_callbacks)["flagged"] == 0
    assert len(mailoutbox) == 1


def test_unanswered_it_becomes_inactive_stays_public_and_a_search_can_leave_it_out(
    engine, entries, indexed, client, django_capture_on_commit_callbacks
):
    run(indexed, TODAY, django_capture_on_commit_callbacks)
    early = TODAY + datetime.timedelta(days=GRACE - 1)
    assert run(indexed, early, django_capture_on_commit_callbacks)["inactive"] == 0
    later = TODAY + datetime.timedelta(days=GRACE + 1)
    assert run(indexed, later, django_capture_on_commit_callbacks)["inactive"] == 1
    old = refreshed(entries["old"])
    assert old.freshness == "inactive"

    page = client.get(f"/inventory/entries/{old.pk}/")
    assert page.status_code == 200
    assert "Inactive: not updated since 2023" in page.content.decode()

    everything = client.get("/api/inventory/", {"q": "telecentre"}).json()
    assert {r["title"] for r in everything["results"]} == {
        "Old telecentre network",
        "Recent telecentre survey",
    }
    active = {"q": "telecentre", "freshness": ["current", "stale"]}
    api = client.get("/api/inventory/", active).json()
    assert [r["title"] for r in api["results"]] == ["Recent telecentre survey"]
    assert api["count"] == 1
    only_inactive = client.get("/api/inventory/", {"freshness": "inactive"}).json()
    assert [r["title"] for r in only_inactive["results"]] == ["Old telecentre network"]

    # Without text (the cluster highlights the words of the titles it matched).
    listing = client.get("/inventory/", {"freshness": active["freshness"]})
    listing = listing.content.decode()
    assert "Recent telecentre survey" in listing
    results = client.get("/inventory/").content.decode()
    assert "Inactive: not updated since 2023" in results  # the flag, in results
    assert "Old telecentre network" not in listing

    export = client.get("/inventory/export.csv", active)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    titles = {row["title"] for row in csv.DictReader(io.StringIO(text))}
    assert titles == {"Recent telecentre survey"}


def test_an_unknown_freshness_value_is_refused(client, db):
    response = client.get("/api/inventory/", {"freshness": "asleep"})
    assert response.status_code == 400
    assert "freshness" in response.json()["errors"][0]


def test_the_submitter_confirms_the_entry_is_current(
    entries, indexed, client, mailoutbox, django_capture_on_commit_callbacks
):
    run(indexed, TODAY, django_capture_on_commit_callbacks)
    [mail] = mailoutbox
    confirm = re.search(r"https?://\S+/inventory/confirm/\S+", mail.body).group()
    path = confirm.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    shown = client.get(path)
    assert shown.status_code == 200
    assert refreshed(entries["old"]).freshness == "stale"  # a GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(path)
    assert answered.status_code == 302
    old = refreshed(entries["old"])
    assert old.freshness == "current"
    assert old.confirmed_at is not None
    assert client.post(path).status_code == 410  # the link works once
    later = TODAY + datetime.timedelta(days=GRACE + 1)
    run(indexed, later, django_capture_on_commit_callbacks)
    assert refreshed(old).freshness == "current"  # confirmed this cycle
    assert UpdateLink.objects.filter(entry=old, used_at__isnull=False).count() == 1


def test_publishing_an_update_makes_it_current_again(
    entries, indexed, django_capture_on_commit_callbacks
):
    run(indexed, TODAY, django_capture_on_commit_callbacks)
    old = refreshed(entries["old"])
    old.summary = "Updated: the network now has forty telecentres."
    old.save_revision().publish()
    old = refreshed(old)
    assert old.freshness == "current"
    assert old.freshness_asked_at is None


def test_the_cycle_is_a_daily_schedule(db):
    schedule = Schedule.objects.get(func="inventory.tasks.run_freshness_cycle")
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1
