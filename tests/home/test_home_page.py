"""The home page, built around the inventory.

Search box, live figures, world map, latest and featured activities, meetings and the
latest report.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

import pytest
from bs4 import BeautifulSoup

from home.models import HomePageFeaturedEntry
from tests.factories import (
    InventoryEntryFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    StakeholderOrganisationFactory,
    UserFactory,
)
from tests.helpers.pages import publish

pytestmark = pytest.mark.usefixtures("empty_cache")


@pytest.fixture
def inventory(tree):
    """Create published entries in several countries and hidden ones.

    Published entries in several countries, by three organisations, and entries the
    public must never see: a draft and an unpublished one.
    """
    itu, apc, unesco = (
        StakeholderOrganisationFactory(name=name, acronym=acronym)
        for name, acronym in [
            ("International Telecommunication Union", "ITU"),
            ("Association for Progressive Communications", "APC"),
            ("UNESCO", "UNESCO"),
        ]
    )
    published = [
        InventoryEntryFactory(
            title=title, countries=countries, action_lines=lines, organisation=org
        )
        for title, countries, lines, org in [
            ("Cyber clinics", ["SEN"], ["C5"], itu),
            ("Rural broadband", ["SEN", "KEN"], ["C2"], itu),
            ("Open libraries", ["FRA"], ["C3", "C8"], apc),
            ("Radio for all", ["global"], ["C9"], unesco),
            ("Island telehealth", ["MLT"], ["C7-EHEALTH"], None),
            ("Sahel schools online", ["SEN", "MLI"], ["C4", "C5"], apc),
        ]
    ]
    draft = InventoryEntryFactory(
        title="Secret draft", countries=["ISL"], action_lines=["C10"], draft=True
    )
    withdrawn = InventoryEntryFactory(
        title="Withdrawn project",
        countries=["NOR"],
        action_lines=["C11"],
        organisation=StakeholderOrganisationFactory(name="Hidden org"),
        published=True,
    )
    withdrawn.unpublish()
    return {"published": published, "draft": draft, "withdrawn": withdrawn}


def home(path="/"):
    response = Client().get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def api(query=""):
    response = Client().get("/api/inventory/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response.json()


def every_record(query=""):
    """Every record the API gives for ``query``, page after page."""
    records, page = [], 1
    while True:
        separator = "&" if query else ""
        data = api(f"{query}{separator}page_size=100&page={page}")
        records += data["results"]
        if page >= data["num_pages"]:
            return records
        page += 1


def figures(soup):
    return {
        a["class"][0].removeprefix("figures__"): (
            int(a.find(class_="figures__value").get_text()),
            a["href"],
        )
        for a in soup.select("ul.figures a")
    }


def test_figures_are_what_their_links_give(inventory):
    shown = figures(home())
    assert list(shown) == ["activities", "countries", "organisations", "action_lines"]
    for name, (value, href) in shown.items():
        url = urlsplit(href)
        assert url.path == "/inventory/", name
        data = api(url.query)
        if name == "activities":
            assert value == data["count"] == 6
        elif name == "countries":
            countries = [code for code in data["facets"]["country"] if code != "global"]
            assert value == len(countries) == 5
            assert url.fragment == "facet-country"
        elif name == "organisations":
            names = {
                (record["organisation"], record["organisation_acronym"])
                for record in every_record(url.query)
                if record["organisation"]
            }
            assert value == len(names) == 3
        else:
            assert value == len(data["facets"]["action_line"]) == 7
            assert url.fragment == "facet-action_line"
    # The fragments lead to the search page's facets.
    search = BeautifulSoup(Client().get("/inventory/").content, "html.parser")
    assert search.find(id="facet-country") is not None
    assert search.find(id="facet-action_line") is not None


def test_figures_follow_publication_at_once(inventory):
    """The figures are cached, under a key that changes with the inventory."""
    assert figures(home())["activities"][0] == 6
    InventoryEntryFactory(title="Brand new", countries=["PER"])
    shown = figures(home())
    assert shown["activities"][0] == 7
    assert shown["countries"][0] == 6
    inventory["published"][0].unpublish()
    assert figures(home())["activities"][0] == 6


def test_unpublished_entries_are_never_shown(inventory):
    soup = home()
    text = soup.get_text()
    for title in ("Secret draft", "Withdrawn project", "Hidden org"):
        assert title not in text
    links = [a["href"] for a in soup.select("svg a")]
    assert "/inventory/?country=ISL" not in links
    assert "/inventory/?country=NOR" not in links
    for entry in (inventory["draft"], inventory["withdrawn"]):
        assert reverse("inventory:entry", args=[entry.pk]) not in str(soup)


def test_latest_activities_are_the_newest_published(inventory):
    section = home().find(id="latest-heading").parent
    titles = [a.get_text() for a in section.select("h3 a")]
    assert titles == [
        "Sahel schools online",
        "Island telehealth",
        "Radio for all",
        "Open libraries",
        "Rural broadband",
        "Cyber clinics",
    ]


def test_an_activity_in_another_language_is_isolated(inventory):
    """An Arabic title on the English page keeps its punctuation at its own end."""
    InventoryEntryFactory(
        title="عيادات السلامة الرقمية (المرحلة الأولى)",
        summary="عيادات أسبوعية لتعليم التلاميذ.",
        language="ar",
    )
    section = home().find(id="latest-heading").parent
    title = section.select_one("h3 a")
    summary = title.find_parent("h3").find_next_sibling("p")
    for element in (title, summary):
        assert (element["lang"], element["dir"]) == ("ar", "auto")


def test_featured_activities_are_the_editors_choice_in_order(inventory, tree):
    """A superuser picks three activities in the home page's editor.

    The page shows them in that order, without the one no longer published.
    """
    soup = home()
    assert soup.find(id="featured-heading") is None  # none chosen yet
    cyber, _broadband, open_libraries, radio, *_rest = inventory["published"]
    client = Client()
    client.force_login(UserFactory(username="admin", is_superuser=True))
    page = tree.home
    chosen = [radio, inventory["withdrawn"], cyber]
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "introduction": rich_text(page.introduction or "<p>Welcome.</p>"),
            "featured_entries": inline_formset(
                [{"entry": entry.pk} for entry in chosen]
            ),
            "body": streamfield([]),
        }
    )
    data["action-publish"] = "action-publish"
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), data, follow=False
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(
        HomePageFeaturedEntry.objects.filter(page=page)
        .order_by("sort_order")
        .values_list("entry__title", flat=True)
    ) == ["Radio for all", "Withdrawn project", "Cyber clinics"]
    section = home().find(id="featured-heading").parent
    assert [a.get_text() for a in section.select("h3 a")] == [
        "Radio for all",
        "Cyber clinics",
    ]
    assert open_libraries.title not in section.get_text()


def map_links(soup):
    """{href: count} of the map's country links, from their accessible names."""
    found = {}
    for link in soup.select("svg.world-map__svg a"):
        count = int(re.search(r": (\d+) activit", link["aria-label"]).group(1))
        found[link["href"]] = count
    return found


def test_map_country_links_reproduce_the_country_facet(inventory):
    soup = home()
    links = map_links(soup)
    facet = api()["facets"]["country"]
    assert links == {
        f"/inventory/?country={code}": count
        for code, count in facet.items()
        if code != "global"
    }
    # Malta is too small to draw at this scale: a dot stands for it.
    malta = soup.select_one('svg a[href="/inventory/?country=MLT"]')
    assert malta.find("circle") is not None
    for href, count in links.items():
        assert api(urlsplit(href).query)["count"] == count
    # The table says the same, worldwide activities included.
    rows = {
        row.find("a")["href"]: int(row.find("td").get_text())
        for row in soup.select(".world-map__table tbody tr")
    }
    assert rows == {**links, "/inventory/?country=global": facet["global"]}
    assert api("country=global")["count"] == 1
    legend = soup.select(".world-map__legend li")
    assert [item.get_text(" ", strip=True) for item in legend] == [
        "1",
        "2 to 3",
        "none",
    ]


def test_the_map_is_accessible_in_arabic(inventory):
    soup = home("/ar/")
    svg = soup.select_one("svg.world-map__svg")
    title = soup.find(id=svg["aria-labelledby"])
    assert title.name == "title" and title.get_text() == "الأنشطة المنشورة حسب البلد"
    assert soup.find(id=svg["aria-describedby"]).name == "desc"
    # Coordinates are written as numbers, never in the reader's locale.
    for circle in svg.find_all("circle"):
        float(circle["cx"]), float(circle["cy"])
    assert all(
        link["href"].startswith("/ar/inventory/?country=")
        or link["href"].startswith("/inventory/?country=")
        for link in svg("a")
    )
    assert "فرنسا: نشاط واحد" in [link["aria-label"] for link in svg("a")]


def test_home_page_leads_to_the_inventory(tree):
    soup = home()
    form = soup.select_one("form.home-search")
    assert form["action"] == "/inventory/" and form["method"] == "get"
    assert form.find("input", attrs={"type": "search"})["name"] == "q"
    submit = soup.select_one(".home-submit a")
    assert submit["href"] == "/inventory/submit/"
    assert "/meetings/" in [a["href"] for a in soup.find_all("a", href=True)]


def test_home_page_shows_the_latest_report_and_upcoming_meetings(tree):
    reports = publish(ReportIndexPageFactory(parent=tree.home))
    for year in (2024, 2025):
        publish(
            ReportPageFactory(
                parent=reports,
                title=f"Report for {year}",
                slug=f"report-{year}",
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
            )
        )
    soup = home()
    report = soup.find(id="report-heading").parent
    assert report.find("h3").get_text(strip=True) == "Report for 2025"
    meetings = soup.find(id="meetings-heading").parent
    assert meetings.find("a", href=tree.c5_meeting.url) is not None


def test_home_page_queries_are_bounded(inventory, tree, django_assert_num_queries):
    """The page costs the same number of queries whatever it shows."""
    client = Client()
    client.get("/")  # content types, site root paths: cached once per process
    cache.clear()
    with django_assert_num_queries(22) as cold:
        client.get("/")
    with django_assert_num_queries(17) as warm:
        client.get("/")
    for number in range(30):
        InventoryEntryFactory(title=f"More {number}", countries=["BRA", "ARG"])
    page = tree.home
    page.featured_entries = [
        HomePageFeaturedEntry(entry=entry) for entry in inventory["published"]
    ]
    publish(page)
    cache.clear()
    with django_assert_num_queries(len(cold)):
        client.get("/")
    with django_assert_num_queries(len(warm)):
        client.get("/")
