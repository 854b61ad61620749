"""The public inventory search, on the database and on the real engine.

Every expectation is computed in the test from the catalogue below, not read
back from the code under test.
"""

import re
from collections import Counter
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

import pytest

from home.models import StakeholderOrganisation
from inventory.moderation import moderation_status, submit_for_moderation
from inventory.search import InventoryQuery, search_inventory
from tests.factories import InventoryEntryFactory

API = "/api/inventory/"
PAGE = "/inventory/"
EXPORT = "/inventory/export.csv"

# The public catalogue: title → fields. Regions are written out by hand (ITU-D),
# not derived with the code under test.
CATALOGUE = {
    "Rural broadband for schools": {
        "action_lines": ["C2"],
        "countries": ["SEN"],
        "regions": ["africa"],
        "stakeholder_type": "government",
        "status": "ongoing",
        "activity_type": "project",
        "reporting_year": 2023,
        "sdgs": [4, 9],
    },
    "Cybersecurity drill for national teams": {
        "action_lines": ["C5"],
        "countries": ["KEN", "NGA"],
        "regions": ["africa"],
        "stakeholder_type": "international-organization",
        "status": "completed",
        "activity_type": "training",
        "reporting_year": 2022,
        "sdgs": [16],
    },
    "Telemedicine network for remote clinics": {
        "action_lines": ["C7-EHEALTH"],
        "countries": ["BRA"],
        "regions": ["americas"],
        "stakeholder_type": "civil-society",
        "status": "planned",
        "activity_type": "programme",
        "reporting_year": 2024,
        "sdgs": [3],
    },
    "Open data portal of the ministries": {
        "action_lines": ["C3", "C7-EGOV"],
        "countries": ["FRA"],
        "regions": ["europe"],
        "stakeholder_type": "government",
        "status": "ongoing",
        "activity_type": "website",
        "reporting_year": 2024,
        "sdgs": [9, 16],
    },
    "Digital skills for women entrepreneurs": {
        "action_lines": ["C4"],
        "countries": ["IND", "EGY"],
        "regions": ["arab-states", "asia-pacific"],
        "stakeholder_type": "private-sector",
        "status": "completed",
        "activity_type": "training",
        "reporting_year": 2023,
        "sdgs": [4, 5],
    },
    "Ethics of artificial intelligence guideline": {
        "action_lines": ["C10"],
        "countries": ["global"],
        "regions": [],
        "stakeholder_type": "academia",
        "status": "ongoing",
        "activity_type": "guideline",
        "reporting_year": 2025,
        "sdgs": [16, 17],
    },
    "Community radio network toolkit": {
        "action_lines": ["C8", "C9"],
        "countries": ["KAZ"],
        "regions": ["cis"],
        "stakeholder_type": "civil-society",
        "status": "planned",
        "activity_type": "toolkit",
        "reporting_year": 2025,
        "sdgs": [],
    },
    "Cyber confidence conference for Africa and Europe": {
        "action_lines": ["C5", "C11"],
        "countries": ["FRA", "SEN"],
        "regions": ["africa", "europe"],
        "stakeholder_type": "technical-community",
        "status": "completed",
        "activity_type": "conference",
        "reporting_year": 2022,
        "sdgs": [17],
    },
}

# Entries that must never be seen publicly, with values no public entry has, so
# a leak shows in the facet counts as well as in the results.
HIDDEN_FIELDS = {
    "action_lines": ["C1"],
    "countries": ["USA"],
    "stakeholder_type": "other",
    "status": "planned",
    "activity_type": "other",
    "reporting_year": 2019,
    "sdgs": [14],
}
DRAFT_TITLE = "Never published broadband secret"
REJECTED_TITLE = "Rejected broadband proposal"
UNPUBLISHED_TITLE = "Withdrawn broadband scheme"
PROPOSED_TITLE = "Proposed broadband rename"

# Facet name → catalogue field, and how a value reads in the query string.
FACETS = {
    "action_line": "action_lines",
    "country": "countries",
    "region": "regions",
    "stakeholder": "stakeholder_type",
    "status": "status",
    "type": "activity_type",
    "year": "reporting_year",
    "sdg": "sdgs",
}


def values_of(fields, facet):
    value = fields[FACETS[facet]]
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def expected_titles(filters):
    """Titles matching the filters: OR within a facet, AND across facets."""
    return {
        title
        for title, fields in CATALOGUE.items()
        if all(
            set(values_of(fields, facet)) & set(wanted)
            for facet, wanted in filters.items()
        )
    }


def expected_facets(titles):
    counts = {facet: Counter() for facet in FACETS}
    for title in titles:
        for facet in FACETS:
            counts[facet].update(values_of(CATALOGUE[title], facet))
    return {facet: dict(counter) for facet, counter in counts.items()}


def reject(entry, editor, comment="Out of scope"):
    task_state = entry.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "reject", comment=comment)


def approve(entry, editor):
    task_state = entry.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, editor, "approve")


@pytest.fixture
def catalogue(indexed, inventory_editor):
    """Create the public catalogue plus entries the public must not see.

    The public catalogue, plus a draft, a rejected submission, an unpublished entry
    and a published entry with a pending proposal.
    """
    with indexed():
        entries = {
            title: InventoryEntryFactory(title=title, **fields)
            for title, fields in CATALOGUE.items()
        }
        InventoryEntryFactory(draft=True, title=DRAFT_TITLE, **HIDDEN_FIELDS)
        rejected = InventoryEntryFactory(
            draft=True, title=REJECTED_TITLE, **HIDDEN_FIELDS
        )
        submit_for_moderation(rejected)
        reject(rejected, inventory_editor)
        assert moderation_status(rejected)["code"] == "rejected"
        withdrawn = InventoryEntryFactory(
            published=True, title=UNPUBLISHED_TITLE, **HIDDEN_FIELDS
        )
        withdrawn.unpublish()
        proposal = entries["Rural broadband for schools"]
        proposal.title = PROPOSED_TITLE
        proposal.countries = ["USA"]
        submit_for_moderation(proposal)
    return entries


def api(client, params=None):
    query = urlencode(params or {}, doseq=True)
    response = client.get(API + ("?" + query if query else ""))
    assert response.status_code == 200, response.content
    return response.json()


def titles_of(data):
    return [row["title"] for row in data["results"]]


def page_titles(html):
    results = html.split('class="entry-list"', 1)
    if len(results) == 1:
        return []
    return [
        re.sub(r"</?mark>", "", title)
        for title in re.findall(
            r'<h2><a [^>]*?href="/inventory/entries/\d+/"[^>]*>(.*?)</a></h2>',
            results[1],
        )
    ]


# --- Facet filters -------------------------------------------------------------

SINGLE_FILTERS = [
    ("action_line", "C5"),
    ("action_line", "C7-EHEALTH"),
    ("action_line", "c3"),
    ("country", "SEN"),
    ("country", "fra"),
    ("country", "global"),
    ("region", "africa"),
    ("region", "europe"),
    ("region", "arab-states"),
    ("region", "cis"),
    ("region", "americas"),
    ("stakeholder", "government"),
    ("stakeholder", "civil-society"),
    ("status", "completed"),
    ("status", "planned"),
    ("type", "training"),
    ("type", "website"),
    ("year", "2024"),
    ("year", "2022"),
    ("sdg", "16"),
    ("sdg", "4"),
]


def test_each_facet_filter_finds_exactly_its_entries(client, engine, catalogue):
    for facet, value in SINGLE_FILTERS:
        normal = value.upper() if facet in ("action_line", "country") else value
        if value == "global":
            normal = value
        data = api(client, {facet: value, "page_size": 100})
        wanted = expected_titles({facet: [normal]})
        assert wanted, f"the catalogue holds no entry for {facet}={value}"
        assert set(titles_of(data)) == wanted, f"{facet}={value}"
        assert data["count"] == len(wanted), f"{facet}={value}"
        assert len(data["results"]) == len(wanted), f"{facet}={value}"


COMBINED_FILTERS = [
    {"action_line": ["C5", "C4"]},
    {"region": ["cis", "americas"]},
    {"sdg": ["3", "5", "17"]},
    {"year": ["2022", "2025"]},
    {"type": ["toolkit", "guideline", "website"]},
    {"region": ["africa"], "status": ["completed"]},
    {"region": ["africa", "europe"], "stakeholder": ["government"]},
    {"action_line": ["C5", "C3"], "region": ["europe"], "year": ["2024"]},
    {"sdg": ["16", "4"], "status": ["ongoing", "planned"]},
    {"country": ["SEN", "BRA"], "type": ["project", "programme"]},
    {"region": ["cis"], "status": ["completed"]},
]


def test_values_of_one_facet_combine_with_or_and_facets_with_and(
    client, engine, catalogue
):
    for filters in COMBINED_FILTERS:
        data = api(client, {**filters, "page_size": 100})
        assert set(titles_of(data)) == expected_titles(filters), filters
        assert data["count"] == len(expected_titles(filters)), filters


def test_facet_counts_equal_counts_of_the_matching_entries(client, engine, catalogue):
    for filters in [
        {},
        {"region": ["africa"]},
        {"status": ["completed", "planned"]},
        {"sdg": ["16"], "region": ["europe", "africa"]},
        {"q": ["network"]},
        {"action_line": ["C1"]},
    ]:
        data = api(client, {**filters, "page_size": 100})
        titles = expected_titles({k: v for k, v in filters.items() if k != "q"})
        if "q" in filters:
            titles = {title for title in titles if "network" in title.split()}
        expected = expected_facets(titles)
        for facet in FACETS:
            assert data["facets"][facet] == expected[facet], (filters, facet)


def test_the_page_shows_facet_counts_and_selected_filters(client, engine, catalogue):
    response = client.get(PAGE, {"region": "africa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert set(page_titles(html)) == expected_titles({"region": ["africa"]})
    # Three African entries; one of them is also in Europe.
    assert re.search(r'class="selected">.*?Africa <span class="count">\(3\)', html)
    assert 'Europe <span class="count">(1)</span>' in html
    assert "3 activities" in html


# --- Text search and sorting -----------------------------------------------------


def test_text_search_finds_words_in_titles_and_summaries(client, engine, catalogue):
    assert set(titles_of(api(client, {"q": "telemedicine"}))) == {
        "Telemedicine network for remote clinics"
    }
    assert set(titles_of(api(client, {"q": "broadband"}))) == {
        "Rural broadband for schools"
    }
    data = api(client, {"q": "cybersecurity drill"})
    assert titles_of(data) == ["Cybersecurity drill for national teams"]


def test_text_search_combines_with_facets(client, engine, catalogue):
    data = api(client, {"q": "conference", "region": "europe"})
    assert titles_of(data) == ["Cyber confidence conference for Africa and Europe"]
    assert api(client, {"q": "conference", "region": "cis"})["count"] == 0


def test_relevance_puts_title_matches_before_summary_matches(indexed, client):
    with indexed():
        InventoryEntryFactory(
            title="Broadband mapping study", summary="Where fibre reaches."
        )
        InventoryEntryFactory(
            title="Regional infrastructure plan",
            summary="Includes broadband backbone extensions.",
        )
        InventoryEntryFactory(title="Unrelated training", summary="Nothing here.")
    data = api(client, {"q": "broadband", "sort": "relevance"})
    assert titles_of(data) == [
        "Broadband mapping study",
        "Regional infrastructure plan",
    ]


def test_newest_sort_orders_by_first_publication(indexed, client):
    with indexed():
        oldest = InventoryEntryFactory(title="Zeta archive")
        middle = InventoryEntryFactory(title="Alpha archive")
        newest = InventoryEntryFactory(title="Mu archive")
    assert oldest.first_published_at < middle.first_published_at
    assert middle.first_published_at < newest.first_published_at
    expected = ["Mu archive", "Alpha archive", "Zeta archive"]
    assert titles_of(api(client, {"sort": "newest"})) == expected
    assert titles_of(api(client)) == expected, "newest is the default without q"
    assert titles_of(api(client, {"q": "archive", "sort": "newest"})) == expected


def test_title_sort_is_alphabetical_whatever_the_case(indexed, client):
    titles = [
        "eLearning for nurses",
        "Zambian farmer advisory",
        "Access to libraries",
        "mobile money pilot",
        "Broadband census",
    ]
    with indexed():
        for title in titles:
            InventoryEntryFactory(title=title)
    assert titles_of(api(client, {"sort": "title"})) == sorted(titles, key=str.lower)


# --- Pagination ------------------------------------------------------------------


@pytest.fixture
def twenty_five(indexed):
    with indexed():
        return [
            InventoryEntryFactory(title=f"Paged activity {number:02d}")
            for number in range(25)
        ]


def test_pages_split_the_results_without_gaps_or_repeats(client, engine, twenty_five):
    expected = [f"Paged activity {number:02d}" for number in reversed(range(25))]
    pages = [api(client, {"page": page, "page_size": 10}) for page in (1, 2, 3)]
    assert [len(page["results"]) for page in pages] == [10, 10, 5]
    assert [page["page"] for page in pages] == [1, 2, 3]
    assert all(page["count"] == 25 for page in pages)
    assert all(page["num_pages"] == 3 for page in pages)
    assert sum((titles_of(page) for page in pages), []) == expected
    beyond = api(client, {"page": 4, "page_size": 10})
    assert beyond["results"] == []
    assert beyond["count"] == 25


def test_the_default_page_size_is_twenty(client, engine, twenty_five):
    data = api(client)
    assert len(data["results"]) == 20
    assert data["num_pages"] == 2
    assert len(api(client, {"page": 2})["results"]) == 5


def test_the_page_links_to_its_neighbours(client, engine, twenty_five):
    first = client.get(PAGE, {"page_size": 10}).content.decode()
    assert 'rel="next" href="?page_size=10&amp;page=2"' in first
    assert 'rel="prev"' not in first
    assert "Page 1 of 3" in first
    last = client.get(PAGE, {"page_size": 10, "page": 3}).content.decode()
    assert 'rel="prev" href="?page_size=10&amp;page=2"' in last
    assert 'rel="next"' not in last
    assert page_titles(last) == [f"Paged activity {n:02d}" for n in (4, 3, 2, 1, 0)]


# --- The page: highlighting, empty state, permalinks -------------------------------


@pytest.mark.parametrize("engine", ["cluster"], indirect=True)
def test_the_engine_highlights_matches_with_mark(client, engine, catalogue):
    html = client.get(PAGE, {"q": "telemedicine"}).content.decode()
    assert "<mark>Telemedicine</mark> network for remote clinics" in html


@pytest.mark.parametrize("engine", ["cluster"], indirect=True)
def test_highlighted_titles_are_escaped(client, engine, indexed):
    with indexed():
        InventoryEntryFactory(
            title='Broadband <img src=x onerror="alert(1)"> plan',
            summary="Summary with <script>alert(2)</script> and broadband.",
        )
    html = client.get(PAGE, {"q": "broadband"}).content.decode()
    assert "<mark>" in html
    assert "<img src=x" not in html
    assert "<script>alert(2)" not in html
    assert "&lt;img src=x" in html


@pytest.mark.parametrize("engine", ["database"], indirect=True)
def test_the_database_shows_plain_titles(client, engine, catalogue):
    html = client.get(PAGE, {"q": "telemedicine"}).content.decode()
    assert page_titles(html) == ["Telemedicine network for remote clinics"]
    assert "<mark>" not in html


def test_a_search_without_results_says_so(client, engine, catalogue):
    response = client.get(PAGE, {"q": "xylophone"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No activity matches this search" in html
    assert "Try fewer words or remove a filter." in html
    assert page_titles(html) == []
    assert "0 activities" in html


def permalink_of(html):
    return re.search(r'<a href="([^"]+)">permalink</a>', html).group(1)


def test_a_permalink_reproduces_the_search(client, engine, catalogue):
    for params in [
        {"q": "conference", "region": "europe"},
        {"action_line": ["C5", "C4"], "status": "completed", "sort": "title"},
        {"sdg": "16", "page_size": 2, "page": 2},
        {"country": "fra", "year": "2024"},
    ]:
        html = client.get(PAGE, params).content.decode()
        assert page_titles(html), f"{params} finds something"
        permalink = permalink_of(html).replace("&amp;", "&")
        assert permalink.startswith("http://testserver/inventory/?")
        again = client.get(permalink.removeprefix("http://testserver"))
        again = again.content.decode()
        assert page_titles(again) == page_titles(html), params
        assert permalink_of(again) == permalink_of(html), params


def test_a_query_round_trips_through_its_parameters():
    query = InventoryQuery.from_params(
        QueryDict(
            "q=open+data&action_line=c3&action_line=C7-EGOV&country=fra&sdg=09"
            "&sort=title&page=2&page_size=5"
        )
    )
    again = InventoryQuery.from_params(QueryDict(query.urlencode()))
    assert again == query
    assert again.filters == {
        "action_line": ("C3", "C7-EGOV"),
        "country": ("FRA",),
        "sdg": ("9",),
    }


# --- Only published entries --------------------------------------------------------


def test_unpublished_content_is_not_found_even_by_exact_title(
    client, engine, catalogue
):
    for title in [DRAFT_TITLE, REJECTED_TITLE, UNPUBLISHED_TITLE, PROPOSED_TITLE]:
        data = api(client, {"q": title})
        assert data["results"] == [], title
        assert data["count"] == 0, title
        assert all(counts == {} for counts in data["facets"].values()), title
        html = client.get(PAGE, {"q": title}).content.decode()
        assert title not in html.split('<div class="results">', 1)[1]
        assert "No activity matches this search" in html
        export = client.get(EXPORT, {"q": title})
        csv_text = b"".join(export.streaming_content).decode("utf-8-sig")
        assert csv_text.count("\n") == 1, f"{title}: only the header"
        assert title not in csv_text
        site = client.get("/search/", {"q": title})
        assert site.status_code == 200
        site = site.content.decode()
        assert title not in site.split('id="search-q"', 1)[1].split(">", 1)[1]


def test_unpublished_content_counts_in_no_facet(client, engine, catalogue):
    data = api(client, {"page_size": 100})
    assert data["count"] == len(CATALOGUE)
    assert set(titles_of(data)) == set(CATALOGUE)
    expected = expected_facets(CATALOGUE)
    for facet in FACETS:
        assert data["facets"][facet] == expected[facet], facet
    for facet, value in [
        ("action_line", "C1"),
        ("country", "USA"),
        ("region", "americas"),
        ("stakeholder", "other"),
        ("type", "other"),
        ("year", "2019"),
        ("sdg", "14"),
    ]:
        data = api(client, {facet: value})
        assert set(titles_of(data)) == expected_titles({facet: [value]}), facet


def test_the_published_version_is_shown_while_a_proposal_waits(
    client, engine, catalogue
):
    data = api(client, {"q": "rural broadband"})
    assert titles_of(data) == ["Rural broadband for schools"]
    assert data["results"][0]["countries"] == ["SEN"]
    entry = catalogue["Rural broadband for schools"]
    page = client.get(reverse("inventory:entry", args=[entry.pk])).content.decode()
    assert "Rural broadband for schools" in page
    assert PROPOSED_TITLE not in page


def test_unpublishing_removes_an_entry_from_search(client, engine, indexed):
    with indexed():
        entry = InventoryEntryFactory(
            published=True, title="Temporary hotspot programme", sdgs=[11]
        )
    assert titles_of(api(client, {"q": "hotspot"})) == ["Temporary hotspot programme"]
    assert api(client, {"sdg": "11"})["facets"]["sdg"] == {"11": 1}
    with indexed():
        entry.unpublish()
    data = api(client, {"q": "hotspot"})
    assert data["count"] == 0
    assert api(client, {"page_size": 100})["facets"]["sdg"] == {}
    response = client.get(reverse("inventory:entry", args=[entry.pk]))
    assert response.status_code == 404


def test_an_approved_submission_becomes_searchable(
    client, engine, indexed, inventory_editor
):
    with indexed():
        entry = InventoryEntryFactory(draft=True, title="Solar-powered telecentres")
        submit_for_moderation(entry)
    assert api(client, {"q": "telecentres"})["count"] == 0
    with indexed():
        approve(entry, inventory_editor)
    assert titles_of(api(client, {"q": "telecentres"})) == ["Solar-powered telecentres"]


def test_search_inventory_returns_only_live_entries(engine, catalogue):
    result = search_inventory(InventoryQuery(page_size=100))
    assert {entry.title for entry in result.entries} == set(CATALOGUE)
    assert all(entry.live for entry in result.entries)
    assert result.degraded is False
    assert result.engine == engine.name


# --- Query counts -----------------------------------------------------------------


@pytest.fixture
def rich_catalogue(indexed, tree):
    """Forty entries with organisations, partners and teams (worst case for N+1)."""
    organisations = [
        StakeholderOrganisation.objects.create(
            name=f"Organisation {number}",
            acronym=f"ORG{number}",
            stakeholder_type="government",
        )
        for number in range(4)
    ]
    teams = [tree.c5_team, tree.c2_team]
    with indexed():
        for number in range(40):
            InventoryEntryFactory(
                title=f"Connected activity {number}",
                organisation=organisations[number % 4],
                partners=organisations[: number % 3],
                team=teams[number % 2],
                action_lines=["C5", "C2"][number % 2 : number % 2 + 1],
                sdgs=[number % 17 + 1],
                countries=["SEN", "FRA", "BRA"][: number % 3 + 1],
            )


def test_the_search_needs_few_queries_whatever_the_page_size(
    client, engine, rich_catalogue, django_assert_max_num_queries
):
    for url in (PAGE, API):
        client.get(url)  # warm per-process caches (site, locale)
        for page_size in (1, 20, 40, 100):
            params = {"page_size": page_size, "q": "connected"}
            with django_assert_max_num_queries(15, info=f"{url} {params}"):
                response = client.get(url, params)
            assert response.status_code == 200
            if url == API:
                assert len(response.json()["results"]) == min(page_size, 40)
            else:
                html = response.content.decode()
                assert len(page_titles(html)) == min(page_size, 40)
