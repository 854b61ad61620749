"""Saved searches.

Kept from the search page, each with a digest of the newly published entries it finds
(one e-mail per account and run) and an Atom feed anyone with its unguessable, revocable
address reads.
"""

import datetime

from django.http import QueryDict
from django.utils import timezone

import feedparser
import pytest

from accounts.digests import send_digests
from accounts.models import SavedSearch
from accounts.searches import matches, published_between
from inventory.models import InventoryEntry
from inventory.search import DatabaseEngine, InventoryQuery
from tests.factories import InventoryEntryFactory, StakeholderOrganisationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def published(title, hours_ago, **fields):
    moment = NOW - datetime.timedelta(hours=hours_ago)
    return InventoryEntryFactory(
        title=title, first_published_at=moment, last_published_at=moment, **fields
    )


def saved(user, query, frequency="daily", hours_ago=24, name=None):
    search = SavedSearch.objects.create(
        user=user, name=name or query, query=query, frequency=frequency
    )
    SavedSearch.objects.filter(pk=search.pk).update(
        last_sent_at=NOW - datetime.timedelta(hours=hours_ago)
    )
    return SavedSearch.objects.get(pk=search.pk)


def test_saving_a_search_from_the_search_page(client, account):
    client.force_login(account)
    page = client.get("/inventory/", {"q": "cyber", "action_line": "c5", "page": "1"})
    assert 'action="/my/searches/"' in page.content.decode()
    response = client.post(
        "/my/searches/",
        {
            "name": "Cyber in C5",
            "query": "q=cyber&action_line=c5&page=3",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302
    search = SavedSearch.objects.get()
    assert (search.user, search.query, search.frequency) == (
        account,
        "q=cyber&action_line=C5",
        "daily",
    )
    assert len(search.feed_token) >= 40
    listing = client.get("/my/searches/").content.decode()
    assert "Cyber in C5" in listing
    assert f"http://testserver/my/feeds/{search.feed_token}/" in listing


def test_an_invalid_search_is_not_saved(client, account, settings):
    client.force_login(account)
    client.post("/my/searches/", {"name": "x", "query": "region=atlantis"})
    assert not SavedSearch.objects.exists()
    settings.ACCOUNTS_MAX_SAVED_SEARCHES = 1
    for name in ("one", "two"):
        client.post("/my/searches/", {"name": name, "query": "", "frequency": "weekly"})
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["one"]


def test_anonymous_visitors_are_invited_to_sign_in(client, db):
    page = client.get("/inventory/", {"q": "cyber"}).content.decode()
    assert "/accounts/login/?next=/inventory/%3Fq%3Dcyber" in page
    assert client.post("/my/searches/", {"name": "x"}).status_code == 302
    assert not SavedSearch.objects.exists()


# --- Feeds --------------------------------------------------------------------------


def test_the_feed_lists_what_the_search_finds(client, account):
    published("Cyber drills in Senegal", 5, action_lines=["C5"])
    published("Cyber hygiene for schools", 50, action_lines=["C5"])
    published("Rural broadband", 3, action_lines=["C2"])
    InventoryEntryFactory(title="Cyber draft", action_lines=["C5"], draft=True)
    search = saved(account, "q=cyber&action_line=C5", name="Cyber in C5")
    response = client.get(f"/my/feeds/{search.feed_token}/")  # not signed in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.title == "WSIS inventory: Cyber in C5"
    assert [item.title for item in feed.entries] == [
        "Cyber drills in Senegal",
        "Cyber hygiene for schools",
    ]
    entry = InventoryEntry.objects.get(title="Cyber drills in Senegal")
    assert feed.entries[0].link == f"http://testserver/inventory/entries/{entry.pk}/"


def test_a_feed_address_is_revoked_by_a_new_one(client, account, other_account):
    search = saved(account, "")
    old = f"/my/feeds/{search.feed_token}/"
    client.force_login(other_account)
    refused = client.post(f"/my/searches/{search.pk}/", {"action": "renew"})
    assert refused.status_code == 404
    assert client.get(old).status_code == 200
    client.force_login(account)
    client.post(f"/my/searches/{search.pk}/", {"action": "renew"})
    search.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(f"/my/feeds/{search.feed_token}/").status_code == 200
    client.post(f"/my/searches/{search.pk}/", {"action": "delete"})
    assert not SavedSearch.objects.exists()
    assert client.get("/my/feeds/not-a-token/").status_code == 404


def test_a_feed_is_rate_limited_as_the_api(client, account, settings):
    settings.INVENTORY_API_RATE_LIMIT = 2
    search = saved(account, "q=cyber")
    address = f"/my/feeds/{search.feed_token}/"
    assert [client.get(address).status_code for _ in range(2)] == [200, 200]
    refused = client.get(address)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # Counted apart from the API: the API still answers.
    assert client.get("/api/inventory/").status_code == 200


# --- Digests ------------------------------------------------------------------------


def test_one_email_per_account_naming_what_each_search_found(
    account, other_account, mailoutbox
):
    published("Cyber drills in Senegal", 5, action_lines=["C5"], countries=["SEN"])
    published("Old cyber news", 30, action_lines=["C5"])
    published("Rural broadband", 3, action_lines=["C2"], countries=["KEN"])
    saved(account, "action_line=C5", name="Security")
    saved(account, "country=SEN", name="Senegal")
    saved(account, "action_line=C7-EHEALTH", name="Health")
    saved(other_account, "action_line=C2", frequency="weekly", hours_ago=24 * 7)
    saved(other_account, "action_line=C5", frequency="weekly", hours_ago=30)
    assert send_digests(NOW) == 2
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    ada = by_address["ada.lovelace@example.org"].body
    assert ada.count("Cyber drills in Senegal") == 2  # under both searches
    assert "Security" in ada and "Senegal" in ada and "Health" not in ada
    assert "Old cyber news" not in ada and "Rural broadband" not in ada
    grace = by_address["grace.hopper@example.org"].body
    assert "Rural broadband" in grace and "Cyber drills" not in grace
    # The next run has nothing new to say.
    mailoutbox.clear()
    assert send_digests(NOW + datetime.timedelta(days=1)) == 0
    assert mailoutbox == []


def test_feed_only_searches_send_no_email(account, mailoutbox):
    published("Cyber drills", 5)
    saved(account, "", frequency="never", hours_ago=24 * 30)
    assert send_digests(NOW) == 0


def test_digests_are_scheduled():
    from home.schedules import SCHEDULES

    assert ("Saved search digests", "accounts.tasks.send_digests") in {
        (name, func) for name, func, *_ in SCHEDULES
    }


def test_the_digest_finds_what_the_database_search_finds(db):
    """The in-memory matching of the digests and DatabaseEngine.matching agree."""
    network = StakeholderOrganisationFactory(name="Sahel Cyber Network", acronym="SCN")
    entries = [
        published("Cyber drills", 1, action_lines=["C5"], countries=["SEN"]),
        published(
            "Rural BROADBAND",
            2,
            action_lines=["C2"],
            countries=["KEN"],
            keywords="fibre, towers",
            stakeholder_type="private-sector",
        ),
        published(
            "Télémédecine au Sahel",
            3,
            action_lines=["C7-EHEALTH"],
            countries=["MLI"],
            language="fr",
            title_en="Telemedicine in Sahel",
            sdgs=[3],
        ),
        published(
            "School hubs",
            4,
            action_lines=["C4", "C3"],
            countries=["global"],
            organisation=network,
            status="completed",
            reporting_year=2024,
        ),
        published(
            "Broadband clinics",
            5,
            action_lines=["C2"],
            start_date=datetime.date(2023, 3, 1),
            end_date=datetime.date(2024, 6, 30),
            freshness="inactive",
        ),
        published(
            "Cyber ranges",
            6,
            action_lines=["C5"],
            start_date=datetime.date(2025, 2, 1),
            freshness="stale",
        ),
    ]
    entries[0].partners.add(network)
    queries = [
        "",
        "q=cyber",
        "q=CYBER drills",
        "q=broadband fibre",
        "q=towers",
        "q=telemedicine",
        "q=sahel",
        "q=scn",
        "q=network school",
        "q=%22cyber drills%22",
        "action_line=C5",
        "action_line=C4&action_line=C2",
        "region=africa",
        "country=global",
        "stakeholder=private-sector",
        "status=completed&year=2024",
        "sdg=3",
        "q=hubs&action_line=C3",
        "q=nothing+matches",
        "type=project&action_line=C7-EHEALTH",
        f"organisation={network.slug}",
        f"organisation={network.slug}&q=drills",
        "freshness=current",
        "freshness=inactive&freshness=stale",
        "started=2025-01-01..2025-12-31",
        "started=..2024-12-31",
        "active=2024-01-01..2024-12-31",
        "active=2024-07-01..",
        "active=..2023-01-31&active=2025-06-01..2025-06-30",
    ]
    since = NOW - datetime.timedelta(days=1)
    candidates = published_between(since, NOW)
    assert {c.entry.pk for c in candidates} == {e.pk for e in entries}
    engine = DatabaseEngine()
    for query_string in queries:
        query = InventoryQuery.from_params(QueryDict(query_string))
        found, _terms = engine.matching(query)
        expected = set(
            found.filter(first_published_at__gt=since).values_list("pk", flat=True)
        )
        assert {c.entry.pk for c in candidates if matches(query, c)} == expected, (
            query_string
        )


def test_a_digest_names_twenty_entries_and_links_to_the_rest(account, mailoutbox):
    for number in range(25):
        published(f"Clinic number {number}", 1 + number / 60, action_lines=["C5"])
    saved(account, "action_line=C5", name="Clinics")
    assert send_digests(NOW) == 1
    body = mailoutbox[0].body
    assert body.count("Clinic number") == 20
    assert "And 5 more." in body
    assert "http://testserver/inventory/?action_line=C5" in body
