"""Language-prefixed addresses, the language switcher, hreflang, lang and dir.

The six languages are interface and content languages; pages translated so far
exist in English and French. A page not translated into a language is served in
English under its prefix, with a notice. The switcher keeps the visitor on the
same page (its translation when there is one),
in one query whatever the number of languages; ``<head>`` lists each language
version with ``hreflang``; ``<html lang>`` is the interface's language and the
content is marked with its own where the two differ.
"""

from django.test import RequestFactory
from django.utils import translation

from wagtail.models import Site

import pytest
from bs4 import BeautifulSoup

from home import page_languages
from tests.helpers.i18n import french
from tests.helpers.pages import refreshed

INTERFACE = ["en", "fr", "es", "ru", "zh-hans", "ar"]


def soup(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def switcher(page):
    return {link["hreflang"]: link["href"] for link in page.select("nav.languages a")}


def alternates(page):
    return {
        link["hreflang"]: link["href"]
        for link in page.select('head link[rel="alternate"]')
    }


def content(page):
    """The page's own content: its title (the interface around it is not marked)."""
    return page.select_one("main#main h1")


# --- Language-prefixed addresses ------------------------------------------------


def test_each_interface_language_serves_the_english_page(tree, client):
    for code in INTERFACE:
        prefix = "" if code == "en" else f"/{code}"
        page = soup(client, f"{prefix}/action-lines/c5/")
        assert page.html["lang"] == code
        assert "Building confidence" in page.h1.get_text()


def test_french_translation_is_served_under_fr(bilingual, client):
    page = soup(client, "/fr/action-lines/c5/")
    assert page.html["lang"] == "fr"
    assert "Établir la confiance" in page.h1.get_text()
    assert "Équipe C5" in soup(client, "/fr/action-lines/c5/equipe/").h1.get_text()


# --- The language switcher ------------------------------------------------------


def test_switcher_goes_to_the_translation_or_the_same_page(bilingual, client):
    links = switcher(soup(client, "/action-lines/c5/team/"))
    assert links == {
        "en": "/action-lines/c5/team/",
        "fr": "/fr/action-lines/c5/equipe/",
        "es": "/es/action-lines/c5/team/",
        "ru": "/ru/action-lines/c5/team/",
        "zh-hans": "/zh-hans/action-lines/c5/team/",
        "ar": "/ar/action-lines/c5/team/",
    }
    # From the French page, every language finds the same page again.
    assert switcher(soup(client, "/fr/action-lines/c5/equipe/")) == links
    assert switcher(soup(client, "/ar/action-lines/c5/team/")) == links


def test_switcher_marks_the_current_language(bilingual, client):
    page = soup(client, "/ar/action-lines/c5/team/")
    current = page.select("nav.languages a[aria-current]")
    assert [link["hreflang"] for link in current] == ["ar"]
    for link in page.select("nav.languages a"):
        assert link["lang"] == link["hreflang"]


def test_switcher_keeps_the_sub_page_and_query(bilingual, client):
    links = switcher(soup(client, "/action-lines/c5/team/modalities/history/?x=1"))
    assert links["fr"] == "/fr/action-lines/c5/equipe/modalities/history/?x=1"
    assert links["es"] == "/es/action-lines/c5/team/modalities/history/?x=1"
    links = switcher(soup(client, "/es/action-lines/c5/team/modalities/history/"))
    assert links["en"] == "/action-lines/c5/team/modalities/history/"
    assert links["fr"] == "/fr/action-lines/c5/equipe/modalities/history/"


def test_untranslated_page_before_any_french_page(tree, client):
    """With no French tree, /fr/ serves the English pages in a French interface."""
    links = switcher(soup(client, "/action-lines/c2/"))
    assert links["fr"] == "/fr/action-lines/c2/"
    page = soup(client, links["fr"])
    assert page.html["lang"] == "fr"
    assert "Infrastructure" in page.h1.get_text()


def notice(page):
    return page.select_one("main#main .notice--untranslated")


def test_untranslated_page_is_served_under_a_translated_tree(bilingual, client):
    """/fr/ serves the French tree, where C2 does not exist.

    C2 is served in English under /fr/, marked English, with a notice in French, not
    a 404.
    """
    links = switcher(soup(client, "/action-lines/c2/"))
    assert links["fr"] == "/fr/action-lines/c2/"
    assert links["es"] == "/es/action-lines/c2/"
    page = soup(client, links["fr"])
    assert page.html["lang"] == "fr"
    assert "Infrastructure" in content(page).get_text()
    assert content(page)["lang"] == "en"
    assert notice(page).get_text(strip=True) == (
        "Cette page n'est pas encore traduite en français."
    )
    assert not notice(page).has_attr("lang")
    # Its links keep the French interface; the switcher finds it again.
    assert "/fr/action-lines/c2/team/" in {a["href"] for a in page.select("a")}
    assert switcher(page)["en"] == "/action-lines/c2/"
    # Sub-pages too, and a page of the French tree still wins.
    assert soup(client, "/fr/action-lines/c2/team/").h1["lang"] == "en"
    assert notice(soup(client, "/fr/action-lines/c5/equipe/")) is None


@pytest.mark.parametrize("code", ["es", "ru", "zh-hans", "ar"])
def test_untranslated_page_under_each_language_has_the_notice(tree, client, code):
    page = soup(client, f"/{code}/action-lines/c2/team/")
    assert page.html["lang"] == code
    assert content(page)["lang"] == "en"
    assert notice(page) is not None
    assert "This page" not in notice(page).get_text()


def test_a_draft_translation_is_not_served_the_english_page_is(
    bilingual, tree, fr, client
):
    french_c5 = french(tree.c5)
    french_c5.unpublish()
    page = soup(client, "/fr/action-lines/c5/")
    assert "Building confidence" in content(page).get_text()
    assert notice(page) is not None


def test_an_unknown_address_is_still_a_404(bilingual, client):
    for prefix in ["", "/fr", "/ar"]:
        soup(client, f"{prefix}/action-lines/c99/", status=404)


def test_english_and_translated_pages_have_no_notice(bilingual, client):
    assert notice(soup(client, "/action-lines/c5/")) is None
    assert notice(soup(client, "/fr/action-lines/c5/")) is None


def test_switcher_on_pages_that_are_not_wagtail_pages(tree, client):
    links = switcher(soup(client, "/search/?q=health"))
    assert links["fr"] == "/fr/search/?q=health"
    assert links["en"] == "/search/?q=health"
    links = switcher(soup(client, "/fr/search/?q=health"))
    assert links["en"] == "/search/?q=health"
    assert links["ar"] == "/ar/search/?q=health"


def test_language_data_costs_one_query_whatever_the_languages(
    bilingual, tree, django_assert_max_num_queries, settings
):
    """The switcher, the alternates and the content language share one query."""
    assert len(settings.LANGUAGES) == 6
    page = refreshed(tree.c5_team)
    request = RequestFactory().get("/ar/action-lines/c5/team/")
    # What Wagtail already knows when it serves a page: the site, its root paths.
    Site.find_for_request(request)
    Site.get_site_root_paths()
    with translation.override("ar"), django_assert_max_num_queries(1):
        links = page_languages.language_links(request, page)
        hreflang = page_languages.alternates(request, page)
        language = page_languages.content_language(request, page)
    assert len(links) == 6
    assert {link["hreflang"] for link in hreflang} == {"en", "fr", "x-default"}
    assert language == {
        "code": "en",
        "direction": "ltr",
        "differs": True,
        "interface_name": "العربيّة",
    }


# --- hreflang alternates ----------------------------------------------------------


def test_hreflang_lists_each_language_version(bilingual, client):
    expected = {
        "en": "http://testserver/action-lines/c5/team/",
        "fr": "http://testserver/fr/action-lines/c5/equipe/",
        "x-default": "http://testserver/action-lines/c5/team/",
    }
    for url in [
        "/action-lines/c5/team/",
        "/fr/action-lines/c5/equipe/",
        "/es/action-lines/c5/team/",
    ]:
        assert alternates(soup(client, url)) == expected, url


def test_hreflang_of_a_sub_page(bilingual, client):
    page = soup(client, "/fr/action-lines/c5/equipe/modalities/history/")
    assert alternates(page) == {
        "en": "http://testserver/action-lines/c5/team/modalities/history/",
        "fr": "http://testserver/fr/action-lines/c5/equipe/modalities/history/",
        "x-default": "http://testserver/action-lines/c5/team/modalities/history/",
    }


def test_hreflang_leaves_out_drafts_and_aliases(bilingual, tree, fr, client):
    from wagtail_localize.operations import translate_object

    translate_object(tree.c2, [fr])  # a French draft, not live
    assert french(tree.c2).live is False
    english_only = {
        "en": "http://testserver/action-lines/c2/",
        "x-default": "http://testserver/action-lines/c2/",
    }
    assert alternates(soup(client, "/action-lines/c2/")) == english_only
    # The French action-line index is an alias: English content, no French version.
    assert french(tree.index).alias_of_id == tree.index.pk
    assert alternates(soup(client, "/fr/action-lines/")) == {
        "en": "http://testserver/action-lines/",
        "x-default": "http://testserver/action-lines/",
    }


# --- lang and dir -------------------------------------------------------------------


def test_english_page_under_arabic_is_marked_english(bilingual, client):
    page = soup(client, "/ar/action-lines/c5/team/")
    assert page.html["lang"] == "ar"
    assert page.html["dir"] == "rtl"
    assert content(page)["lang"] == "en"
    assert content(page)["dir"] == "ltr"
    assert "C5 team" in content(page).get_text()
    # The interface around the content stays Arabic, right to left.
    assert page.select_one("main#main > div").get("lang") is None
    join = page.select_one("#join form button")
    assert join is None or join.find_parent(attrs={"lang": True}).name == "html"


@pytest.mark.parametrize("code", ["es", "ru", "zh-hans"])
def test_english_page_under_other_ltr_languages(tree, client, code):
    page = soup(client, f"/{code}/action-lines/c5/")
    assert page.html["lang"] == code
    assert page.html["dir"] == "ltr"
    assert content(page)["lang"] == "en"
    assert content(page)["dir"] == "ltr"


def test_content_in_the_interface_language_is_not_marked(bilingual, client):
    for url, code in [("/action-lines/c5/", "en"), ("/fr/action-lines/c5/", "fr")]:
        page = soup(client, url)
        assert page.html["lang"] == code
        assert page.html["dir"] == "ltr"
        assert not content(page).has_attr("lang")
        assert not content(page).has_attr("dir")


def test_alias_in_the_french_tree_is_marked_english(bilingual, client):
    """The French index is an alias of the English one: its content is English."""
    page = soup(client, "/fr/action-lines/")
    assert page.html["lang"] == "fr"
    assert content(page)["lang"] == "en"


@pytest.mark.parametrize("code", ["fr", "es", "ar"])
def test_switcher_on_a_language_home_page(tree, client, code):
    """The home page's "/" starts every path: under /fr/ it is no sub-page."""
    links = switcher(soup(client, f"/{code}/"))
    assert links["en"] == "/"
    assert links[code] == f"/{code}/"
    assert links["zh-hans"] == "/zh-hans/"
    assert alternates(soup(client, f"/{code}/"))["en"] == "http://testserver/"
