"""The Secretariat's report of missing and out-of-date French translations."""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from home.translation_report import (
    DRAFT,
    MISSING,
    OUT_OF_DATE,
    UP_TO_DATE,
    translation_rows,
)
from tests.factories import ReportIndexPageFactory, ReportPageFactory
from tests.helpers.admin import assert_refused
from tests.helpers.i18n import french
from tests.helpers.pages import publish

REPORT_URL = "/admin/reports/translation-status/"
LOCALIZE_REPORT_URL = "/admin/localize/reports/translations/"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def set_published(page, when):
    Page.objects.filter(pk=page.pk).update(last_published_at=when)


def set_synced(page, when):
    """wagtail-localize's source and logs of ``page`` as made ``when``."""
    from wagtail_localize.models import TranslationLog, TranslationSource

    source = TranslationSource.objects.get(object_id=page.translation_key)
    TranslationSource.objects.filter(pk=source.pk).update(last_updated_at=when)
    TranslationLog.objects.filter(source=source).update(created_at=when)


def translate(page, fr, publish_it=True):
    from wagtail_localize.operations import translate_object

    translate_object(page, [fr])
    version = french(page)
    if publish_it:
        publish(version)
    return version


@pytest.fixture
def reports(home_page):
    index = publish(ReportIndexPageFactory(parent=home_page))
    report = publish(ReportPageFactory(parent=index))
    return index, report


@pytest.fixture
def translations(tree, reports, fr, django_capture_on_commit_callbacks):
    """One page in each state (see the report's module docstring).

    - C5: translated and published after the English → up to date;
    - C5 team: translated, never published → draft only;
    - C5 modalities: the English was published again after the French → out of date;
    - C2 team: the same, but then synced from the new English → up to date;
    - C2 and the reports: never translated (the French action-line index is an
      alias made for the translated pages' parents) → missing.
    """
    with django_capture_on_commit_callbacks(execute=True):
        translate(tree.c5, fr)
        translate(tree.c5_team, fr, publish_it=False)
        for page in (tree.c5_modalities, tree.c2_team):
            version = translate(page, fr)
            set_synced(page, days_ago(3))
            set_published(version, days_ago(2))
            set_published(page, days_ago(1))
        # Sync the C2 team's translation from its current English content, as
        # "Sync translated pages" does for a synced translation.
        from wagtail_localize.models import Translation, TranslationSource

        source = TranslationSource.objects.get(object_id=tree.c2_team.translation_key)
        source.update_from_db()
        Translation.objects.get(source=source, target_locale=fr).save_target(
            publish=False
        )
    return tree


def statuses():
    return {row.source.pk: row.status for row in translation_rows()}


def test_statuses(translations, reports):
    tree = translations
    index, report = reports
    assert statuses() == {
        tree.index.pk: MISSING,
        tree.c5.pk: UP_TO_DATE,
        tree.c5_team.pk: DRAFT,
        tree.c5_modalities.pk: OUT_OF_DATE,
        tree.c2.pk: MISSING,
        tree.c2_team.pk: UP_TO_DATE,
        tree.c2_modalities.pk: MISSING,
        index.pk: MISSING,
        report.pk: MISSING,
    }


def test_only_live_english_pages_of_the_reported_types(translations, reports):
    tree = translations
    sources = [row.source for row in translation_rows()]
    assert all(page.live and page.locale.language_code == "en" for page in sources)
    pks = {page.pk for page in sources}
    # Not reported: the home page, the secretariat section, meetings, drafts.
    for page in (tree.home, tree.secretariat, tree.c5_meetings, tree.c5_meeting):
        assert page.pk not in pks
    assert [page.path for page in sources] == sorted(page.path for page in sources)


def test_an_unpublished_english_page_is_not_reported(tree, fr):
    tree.c2_modalities.unpublish()
    assert tree.c2_modalities.pk not in statuses()


def test_republishing_the_translation_brings_it_up_to_date(translations):
    tree = translations
    assert statuses()[tree.c5_modalities.pk] == OUT_OF_DATE
    publish(french(tree.c5_modalities))
    assert statuses()[tree.c5_modalities.pk] == UP_TO_DATE


def test_publishing_the_english_again_puts_it_out_of_date(translations):
    tree = translations
    assert statuses()[tree.c5.pk] == UP_TO_DATE
    publish(Page.objects.get(pk=tree.c5.pk).specific)
    assert statuses()[tree.c5.pk] == OUT_OF_DATE


def test_unpublished_translation_is_draft_only(translations):
    tree = translations
    french(tree.c5).unpublish()
    assert statuses()[tree.c5.pk] == DRAFT


def test_translation_in_moderation_is_flagged(translations, users):
    tree = translations
    version = french(tree.c5_team)
    version.get_workflow().start(version, users["secretariat"])
    row = next(row for row in translation_rows() if row.source.pk == tree.c5_team.pk)
    assert row.status == DRAFT
    assert row.in_workflow is True


def test_report_queries_do_not_grow_with_pages(
    translations, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        rows = translation_rows()
    assert len(rows) == 9


# --- The admin view -------------------------------------------------------------


def rows_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select("table tbody tr")
    ]


@pytest.mark.parametrize("role", ["secretariat", "superuser"])
def test_secretariat_reads_the_report(translations, users, client_for, role):
    response = client_for(users[role]).get(REPORT_URL)
    assert response.status_code == 200
    rows = {row[0]: row for row in rows_of(response)}
    assert "Out of date" in rows["C5 modalities"]
    assert "Draft only" in rows["C5 team"]
    assert "Missing" in rows["Infrastructure"]
    assert "Up to date" in rows["Building confidence"]


def test_report_filters_by_status(translations, users, client_for):
    client = client_for(users["secretariat"])
    response = client.get(REPORT_URL, {"status": [OUT_OF_DATE, DRAFT]})
    assert sorted(row[0] for row in rows_of(response)) == ["C5 modalities", "C5 team"]
    response = client.get(REPORT_URL + "results/", {"status": MISSING})
    assert response.status_code == 200
    rows = rows_of(response)
    assert [row[0] for row in rows] == [
        "Action lines",
        "Infrastructure",
        "C2 modalities",
        "Reports",
        "Implementation of the WSIS outcomes in 2025",
    ]
    assert all("Missing" in row for row in rows)


def test_report_exports_csv(translations, users, client_for):
    response = client_for(users["secretariat"]).get(REPORT_URL, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    assert "C5 modalities" in text
    assert "Out of date" in text


@pytest.mark.parametrize(
    "role", ["c5_facilitator", "report_reviewer", "inventory_editor"]
)
def test_others_may_not_read_the_report(translations, users, client_for, role):
    client = client_for(users[role])
    assert_refused(client.get(REPORT_URL))
    assert_refused(client.get(REPORT_URL + "results/"))
    # Nor wagtail-localize's list of every translation.
    assert_refused(client.get(LOCALIZE_REPORT_URL))


def test_anonymous_visitors_are_sent_to_sign_in(tree, client):
    client.logout()
    response = client.get(REPORT_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def menu_urls(client):
    """The URLs of the admin's Reports menu, as its sidebar receives them."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_menu_item_only_for_the_secretariat(tree, users, client_for):
    assert REPORT_URL in menu_urls(client_for(users["secretariat"]))
    assert REPORT_URL in menu_urls(client_for(users["superuser"]))
    assert LOCALIZE_REPORT_URL in menu_urls(client_for(users["secretariat"]))
    for role in ["c5_facilitator", "report_reviewer", "inventory_editor"]:
        html = menu_urls(client_for(users[role]))
        assert REPORT_URL not in html, role
        assert LOCALIZE_REPORT_URL not in html, role


def test_report_covers_each_content_language(translations, users, client_for):
    """Spanish, Russian, Chinese and Arabic are content languages too.

    The report describes the translations into the language chosen.
    """
    client = client_for(users["secretariat"])
    response = client.get(REPORT_URL)
    html = response.content.decode()
    for code in ["fr", "es", "ru", "zh-hans", "ar"]:
        assert f'value="{code}"' in html, code
    assert (
        "Up to date"
        in {row[0]: row for row in rows_of(response)}["Building confidence"]
    )
    response = client.get(REPORT_URL, {"language": "ar"})
    rows = rows_of(response)
    assert rows and all("Missing" in row for row in rows)
    assert "Versions in العربية" in response.content.decode()
