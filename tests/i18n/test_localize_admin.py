"""wagtail-localize 1.14.5 on Wagtail 8.0.1.

Installed, migrated, its admin views work, and they are held to the platform's page
permissions.
"""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import resolve, reverse

import pytest

from home import translation_admin
from tests.factories import ReportIndexPageFactory, ReportPageFactory
from tests.helpers.admin import assert_refused, edit_url
from tests.helpers.i18n import french
from tests.helpers.pages import publish, refreshed


def test_wagtail_localize_replaces_wagtails_translation_apps():
    apps = settings.INSTALLED_APPS
    assert "wagtail_localize" in apps
    assert "wagtail_localize.locales" in apps
    assert "wagtail.locales" not in apps
    assert "wagtail.contrib.simple_translation" not in apps
    # Our views answer at wagtail-localize's addresses: home's hooks come first.
    assert apps.index("home") < apps.index("wagtail_localize")
    # Translations start as drafts and are edited in Wagtail's own editor.
    assert settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE is False
    assert settings.WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE == "simple"


def test_migrations_are_applied_and_complete(db):
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    applied = {name for app, name in executor.loader.applied_migrations}
    assert "0016_rename_page_revision_translationlog_revision" in applied
    out = StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize(
    ("url", "view"),
    [
        ("/admin/localize/submit/page/1/", translation_admin.PageTranslationView),
        (
            "/admin/localize/submit/snippet/home/stakeholderorganisation/1/",
            translation_admin.SnippetTranslationView,
        ),
        ("/admin/localize/update/1/", translation_admin.SyncTranslationsView),
        (
            "/admin/localize/reports/translations/",
            translation_admin.SecretariatTranslationsReportView,
        ),
    ],
)
def test_guarded_views_answer_at_localize_addresses(db, url, view):
    assert resolve(url).func.view_class is view


@pytest.fixture
def french_team(tree, users, translate):
    return translate(tree.c5_team, users["c5_facilitator"])


def test_localize_admin_views_work(tree, users, client_for, french_team, fr):
    """Every wagtail-localize screen the platform uses renders on Wagtail 8."""
    from wagtail_localize.models import Translation, TranslationSource

    client = client_for(users["superuser"])
    source = TranslationSource.objects.get(object_id=tree.c5_team.translation_key)
    urls = [
        reverse("wagtaillocales:index"),
        reverse("wagtaillocales:add"),
        reverse("wagtaillocales:edit", args=[fr.pk]),
        reverse("wagtail_localize:submit_page_translation", args=[tree.c5.pk]),
        reverse("wagtail_localize:update_translations", args=[source.pk]),
        reverse("wagtail_localize:translations_report"),
        reverse("wagtail_localize:translations_report_results"),
        edit_url(french_team),
        reverse("wagtailadmin_explore", args=[french_team.get_parent().pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    # The French page opens in Wagtail's editor, with its workflow actions and
    # wagtail-localize's offer to switch to its synced editor.
    html = client.get(edit_url(french_team)).content.decode()
    assert 'name="action-submit"' in html
    assert "localize-restart-translation" in html
    # The synced (segment) editor renders too.
    Translation.objects.filter(source=source).update(enabled=True)
    html = client.get(edit_url(french_team)).content.decode()
    assert "wagtail-localize" in html
    assert 'name="action-submit"' not in html


def test_translate_page_form_offers_french(tree, users, client_for):
    client = client_for(users["secretariat"])
    url = reverse("wagtail_localize:submit_page_translation", args=[tree.c5.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Français" in response.content.decode()


# --- Organisations are translated like pages ----------------------------------------


def test_secretariat_translates_an_organisation(users, client_for, fr):
    """Translate in the organisations listing makes and opens the French one.

    "Translate" in the organisations listing makes the French organisation and opens
    it in its editor.
    """
    from home.models import StakeholderOrganisation
    from tests.factories import StakeholderOrganisationFactory

    organisation = StakeholderOrganisationFactory(name="Digital Rights Watch")
    url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["home", "stakeholderorganisation", organisation.pk],
    )
    client = client_for(users["secretariat"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [fr.pk]}, follow=True)
    assert response.status_code == 200
    french = StakeholderOrganisation.objects.get(
        translation_key=organisation.translation_key, locale=fr
    )
    assert french.name == "Digital Rights Watch"
    assert response.redirect_chain[-1][0] == reverse(
        "wagtailsnippets_home_stakeholderorganisation:edit", args=[french.pk]
    )


def test_a_facilitator_does_not_translate_organisations(users, client_for, fr):
    """Facilitators may translate their pages, not add organisations."""
    from home.models import StakeholderOrganisation
    from tests.factories import StakeholderOrganisationFactory

    organisation = StakeholderOrganisationFactory()
    url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["home", "stakeholderorganisation", organisation.pk],
    )
    response = client_for(users["c5_facilitator"]).post(url, {"locales": [fr.pk]})
    assert_refused(response)
    assert not StakeholderOrganisation.objects.filter(locale=fr).exists()


# --- Syncing does not publish what the user may not publish -----------------------


@pytest.fixture
def synced_french_report(home_page, users, translate):
    """A published report whose French translation uses the synced editor."""
    from wagtail_localize.models import Translation

    index = publish(ReportIndexPageFactory(parent=home_page))
    report = publish(ReportPageFactory(parent=index))
    version = translate(report, users["secretariat"])
    Translation.objects.filter(source__object_id=report.translation_key).update(
        enabled=True
    )
    return report, version


def sync_url(page):
    from wagtail_localize.models import TranslationSource

    source = TranslationSource.objects.get(object_id=page.translation_key)
    return reverse("wagtail_localize:update_translations", args=[source.pk])


def test_sync_and_publish_refused_for_a_report_in_review(
    synced_french_report, users, client_for, django_capture_on_commit_callbacks
):
    report, version = synced_french_report
    client = client_for(users["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url(report), {"publish_translations": "on"})
    assert response.status_code == 200
    assert "You may not publish" in response.content.decode()
    assert refreshed(version).live is False
    # Syncing without publishing is allowed: the French draft then goes to review.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url(report), {})
    assert response.status_code == 302
    assert refreshed(version).live is False


def test_superuser_may_sync_and_publish(
    synced_french_report, users, client_for, django_capture_on_commit_callbacks
):
    report, version = synced_french_report
    client = client_for(users["superuser"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url(report), {"publish_translations": "on"})
    assert response.status_code == 302
    assert refreshed(version).live is True


def test_synced_editor_does_not_publish_a_report_before_review(
    synced_french_report, users, client_for
):
    report, version = synced_french_report
    client = client_for(users["secretariat"])
    response = client.post(edit_url(version), {"action": "publish"})
    assert_refused(response)
    assert refreshed(version).live is False


def test_sync_needs_the_right_to_edit_the_source(tree, users, client_for, translate):
    translate(tree.c5_team, users["c5_facilitator"])
    client = client_for(users["c2_facilitator"])
    assert_refused(client.get(sync_url(tree.c5_team)))
    assert_refused(client.post(sync_url(tree.c5_team), {}))
    assert french(tree.c5_team).live is False


def test_synced_editor_translates_and_publishes_for_the_team(
    tree, users, client_for, french_team, django_capture_on_commit_callbacks
):
    """wagtail-localize's segment editor on Wagtail 8.

    A C5 facilitator (who may publish the team's pages) translates the purpose
    string and publishes.
    """
    from urllib.parse import urlencode

    from wagtail_localize.models import StringSegment, Translation

    translation = Translation.objects.get(
        source__object_id=tree.c5_team.translation_key
    )
    translation.enabled = True
    translation.save()
    segment = StringSegment.objects.filter(
        source=translation.source, context__path="purpose"
    ).first()
    assert segment is not None
    client = client_for(users["c5_facilitator"])
    url = reverse(
        "wagtail_localize:edit_string_translation",
        args=[translation.pk, segment.pk],
    )
    french_text = "Mettre en œuvre la ligne d'action avec toutes les parties."
    response = client.put(
        url,
        urlencode({"value": french_text}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {200, 201}, response.content
    po = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert po.status_code == 200
    assert french_text in po.content.decode()
    # The C2 facilitator may not edit the French C5 team's strings.
    response = client_for(users["c2_facilitator"]).put(
        url,
        urlencode({"value": "Non."}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(users["c5_facilitator"]).post(
            edit_url(french_team), {"action": "publish"}
        )
    assert response.status_code == 302
    page = refreshed(french_team)
    assert page.live is True
    assert french_text in page.purpose
