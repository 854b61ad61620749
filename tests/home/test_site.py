"""The site a visitor meets.

Navigation, footer, titles, descriptions, icon, the meetings listing and the About page,
on every public page type.
"""

import datetime
import re

from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

import wagtail_factories

import pytest
from bs4 import BeautifulSoup

from action_lines.choices import MeetingKind
from home.models import AboutPage
from tests.factories import (
    InventoryEntryFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    ReportIndexPageFactory,
    ReportPageFactory,
    UserFactory,
)
from tests.helpers.accounts import make_account
from tests.helpers.pages import publish

SITE = "WSIS implementation"


class AboutPageFactory(wagtail_factories.PageFactory):
    title = "About the mechanism"
    slug = "about"

    class Meta:
        model = AboutPage


@pytest.fixture
def site(tree):
    """Every public page type.

    The tree, an About page, a published report, an entry, and a facilitators'
    meeting in the secretariat section.
    """
    about = publish(AboutPageFactory(parent=tree.home))
    reports = publish(ReportIndexPageFactory(parent=tree.home))
    report = ReportPageFactory(
        parent=reports,
        title="Report for 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    publish(report)
    facilitators = publish(
        MeetingIndexPageFactory(
            parent=tree.secretariat,
            title="Facilitators' meetings",
            slug="facilitators-meetings",
            kind=MeetingKind.FACILITATORS,
        )
    )
    facilitators_meeting = publish(
        MeetingPageFactory(parent=facilitators, title="Facilitators' meeting 2026")
    )
    entry = InventoryEntryFactory(title="Cyber clinics", summary="Clinics for pupils.")
    return {
        "tree": tree,
        "about": about,
        "reports": reports,
        "report": type(report).objects.get(pk=report.pk),
        "entry": entry,
        "facilitators_meeting": facilitators_meeting,
    }


def public_pages(site):
    """(name, path) of every public page type, pages and views."""
    tree = site["tree"]
    return [
        ("home", tree.home.url),
        ("action line index", tree.index.url),
        ("action line", tree.c5.url),
        ("team", tree.c5_team.url),
        ("modalities", tree.c5_modalities.url),
        ("meeting list", tree.c5_meetings.url),
        ("meeting", tree.c5_meeting.url),
        ("secretariat", tree.secretariat.url),
        ("about", site["about"].url),
        ("report index", site["reports"].url),
        ("report", site["report"].url),
        ("meetings", "/meetings/"),
        ("inventory search", "/inventory/"),
        ("inventory entry", f"/inventory/entries/{site['entry'].pk}/"),
        ("submission form", "/inventory/submit/"),
        ("site search", "/search/?q=clinics"),
    ]


def soup_of(path, client=None):
    response = (client or Client()).get(path)
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content, "html.parser")


def links(element):
    return [a["href"] for a in element.find_all("a", href=True)]


def test_every_page_has_the_primary_navigation_and_the_footer(site):
    tree = site["tree"]
    sections = [
        "/inventory/",
        "/inventory/submit/",
        tree.index.url,
        "/meetings/",
        site["reports"].url,
        site["about"].url,
    ]
    for name, path in public_pages(site):
        soup = soup_of(path)
        nav = soup.find("nav", class_="main-nav")
        assert links(nav) == sections, name
        # The C1…C11 strip: each code with its title, as text.
        strip = soup.find("nav", class_="line-nav")
        assert [a.find(class_="line-nav__code").get_text() for a in strip("a")] == [
            "C5",
            "C2",
        ]
        assert "Confidence and security in the use of ICTs" in strip.get_text()
        footer = soup.find("footer")
        footer_links = links(footer)
        for url in [*sections, tree.secretariat.url, "/search/"]:
            assert url in footer_links, (name, url)
        assert "/inventory/export.csv" in footer_links, name
        assert "/api/inventory/" in footer_links, name
        languages = footer.find(id="footer-languages-heading").parent("a")
        assert [a["hreflang"] for a in languages] == [
            "en",
            "fr",
            "es",
            "ru",
            "zh-hans",
            "ar",
        ]


def test_navigation_marks_the_current_section(site):
    nav = soup_of(site["tree"].c5_team.url).find("nav", class_="main-nav")
    current = nav.find("a", attrs={"aria-current": True})
    assert current["href"] == site["tree"].index.url
    assert current["aria-current"] == "true"
    nav = soup_of("/inventory/submit/").find("nav", class_="main-nav")
    current = nav.find_all("a", attrs={"aria-current": True})
    assert [(a["href"], a["aria-current"]) for a in current] == [
        ("/inventory/submit/", "page")
    ]
    strip = soup_of(site["tree"].c5_team.url).find("nav", class_="line-nav")
    assert strip.find("a", attrs={"aria-current": True})["href"] == (
        site["tree"].c5.url
    )


def test_navigation_keeps_the_interface_language(site):
    pages = [site["tree"].index.url, site["reports"].url, site["about"].url]
    soup = soup_of("/ar" + site["tree"].c5.url)
    nav = soup.find("nav", class_="main-nav")
    assert links(nav) == [
        "/ar/inventory/",
        "/ar/inventory/submit/",
        "/ar" + pages[0],
        "/ar/meetings/",
        "/ar" + pages[1],
        "/ar" + pages[2],
    ]
    # Translated labels, and the action lines' short names in Arabic.
    assert "سجل الجرد" in nav.get_text()
    assert "الثقة والأمن" in soup.find("nav", class_="line-nav").get_text()


def test_about_falls_back_to_the_secretariat_section(tree):
    nav = soup_of("/").find("nav", class_="main-nav")
    assert links(nav)[-1] == tree.secretariat.url
    assert nav("a")[-1].get_text() == "About"


def test_the_disclosure_buttons_are_for_script_only(site):
    """Without script the lists are open and the buttons hidden.

    Site.js shows the buttons and collapses the lists they control on small screens.
    """
    soup = soup_of("/")
    for button in soup.select("button[data-disclosure]"):
        assert button.has_attr("hidden")
        assert button["aria-expanded"] == "false"
        target = soup.find(id=button["aria-controls"])
        assert target is not None and target.name == "ul"
    script = soup.find("script", src=True)
    assert script["src"] == "/static/js/site.js" and script.has_attr("defer")
    assert finders.find("js/site.js")


def test_every_page_has_a_title_with_the_site_name_once(site):
    for name, path in public_pages(site):
        title = soup_of(path).title.get_text()
        assert title.count(SITE) == 1, (name, title)
        if name == "home":
            assert title == SITE
        else:
            assert re.fullmatch(rf".+ — {SITE}", title), (name, title)
    assert soup_of(site["tree"].c5.url).title.get_text() == (
        f"Building confidence — {SITE}"
    )
    assert soup_of("/meetings/").title.get_text() == f"Meetings — {SITE}"
    assert soup_of("/ar/meetings/").title.get_text() == (
        "الاجتماعات — تنفيذ نتائج القمة العالمية لمجتمع المعلومات"
    )


def description(path):
    meta = soup_of(path).find("meta", attrs={"name": "description"})
    assert meta is not None, path
    return meta["content"]


def test_every_page_has_a_meta_description(site):
    for name, path in public_pages(site):
        text = description(path)
        assert len(text) >= 15, (name, text)
        assert len(text) <= 200, (name, text)
        assert "<" not in text, (name, text)
    # A type's own sentence where the page has no text of its own…
    assert description(site["tree"].c5_modalities.url).startswith(
        "C5 modalities: how the team works"
    )
    assert description(f"/inventory/entries/{site['entry'].pk}/") == (
        "Clinics for pupils."
    )


def test_the_search_description_written_by_editors_wins(site):
    team = site["tree"].c5_team
    team.search_description = "The C5 team & its work, in one line."
    publish(team)
    assert description(team.url) == "The C5 team & its work, in one line."
    html = Client().get(team.url).content.decode()
    assert 'content="The C5 team &amp; its work, in one line."' in html


def test_the_icon_is_declared_and_served(site):
    soup = soup_of("/")
    icons = {link["href"] for link in soup.find_all("link", rel="icon")}
    assert icons == {"/static/favicon.svg", "/static/favicon-32.png"}
    touch = soup.find("link", rel="apple-touch-icon")["href"]
    for href in [*icons, touch]:
        assert finders.find(href.removeprefix("/static/")), href
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    assert finders.find("favicon.ico")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_meetings_lists_every_team_and_the_secretariat(site):
    tree = site["tree"]
    now = timezone.now()
    past = publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            title="Last year's C5 meeting",
            start=now - datetime.timedelta(days=300),
            end=now - datetime.timedelta(days=300, hours=-3),
        )
    )
    draft = MeetingPageFactory(parent=tree.c5_meetings, title="Not published yet")
    draft.unpublish()
    soup = soup_of("/meetings/")
    upcoming = soup.find(id="upcoming-heading").parent
    assert [a.get_text() for a in upcoming.select("li > a")] == [
        "C5 work plan meeting",
        "Facilitators' meeting 2026",
    ]
    items = {a.get_text(): a.parent for a in upcoming.select("li > a")}
    assert items["C5 work plan meeting"].find(class_="code").get_text() == "C5"
    assert "Facilitators' meeting" in items["Facilitators' meeting 2026"].get_text()
    past_section = soup.find(id="past-heading").parent
    assert past_section.find("a", href=past.url) is not None
    assert "Not published yet" not in soup.get_text()


def test_meetings_listing_query_count_does_not_grow(
    site, django_assert_max_num_queries
):
    for _number in range(6):
        publish(MeetingPageFactory(parent=site["tree"].c5_meetings))
    with django_assert_max_num_queries(12):
        Client().get("/meetings/")
    for _number in range(12):
        publish(MeetingPageFactory(parent=site["tree"].c5_meetings))
    with django_assert_max_num_queries(12):
        response = Client().get("/meetings/")
    assert response.content.decode().count('class="code">C5<') == 19


def test_about_page_links_to_the_secretariat(site):
    soup = soup_of(site["about"].url)
    more = soup.find(id="about-more-heading").parent
    assert site["tree"].secretariat.url in links(more)
    assert "/inventory/" in links(more)


def test_submit_an_activity_leads_an_account_holder_to_the_filled_in_form(site):
    """Lead a signed-in account holder to My WSIS's filled-in form.

    A visitor, and staff (who have no such account), get the public form.
    """
    account = make_account("amina@example.org", name="Amina Diallo")
    signed_in = Client()
    signed_in.force_login(account)
    page = site["tree"].c5.url
    submit = soup_of(page, signed_in).find("a", class_="main-nav__submit")
    assert submit["href"] == "/my/submit/"
    form = soup_of(submit["href"], signed_in)
    assert form.find("input", attrs={"name": "contact_email"})["value"] == (
        "amina@example.org"
    )
    assert form.find("input", attrs={"name": "contact_name"})["value"] == (
        "Amina Diallo"
    )
    assert soup_of(page).find("a", class_="main-nav__submit")["href"] == (
        "/inventory/submit/"
    )
    staff = Client()
    staff.force_login(UserFactory(username="editor", is_superuser=True))
    assert soup_of(page, staff).find("a", class_="main-nav__submit")["href"] == (
        "/inventory/submit/"
    )
