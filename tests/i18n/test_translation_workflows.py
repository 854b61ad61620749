"""Translated pages follow their own workflow, the same as their source's.

Translating a page makes a linked French draft (same translation_key) under the
French root; submitted for moderation, it goes to the team's facilitators (team
pages and modalities), to the Secretariat (action lines) or through the report
editorial review (reports). The platform's permission rules hold in the French
tree as they do in the English one.
"""

from wagtail.models import Locale, Page

import pytest

from home.roles import SECRETARIAT
from reporting.review import WORKFLOW_NAME
from tests.factories import ReportIndexPageFactory, ReportPageFactory, UserFactory
from tests.helpers.admin import (
    action_line_page_data,
    assert_refused,
    edit_url,
    modalities_page_data,
    report_page_data,
    team_page_data,
)
from tests.helpers.i18n import french, submit_translation_url
from tests.helpers.pages import publish, refreshed
from tests.helpers.workflows import mails_to, workflow_action_url

FRENCH_PURPOSE = "Renforcer la confiance et la sécurité dans l'utilisation des TIC."


@pytest.fixture
def submit(client_for, django_capture_on_commit_callbacks):
    """Submits ``data`` for moderation from ``page``'s editor, as ``user``."""

    def run(page, user, data):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit_url(page), {**data, "action-submit": "1"})
        assert response.status_code == 302, response.content[:3000]
        return refreshed(page)

    return run


@pytest.fixture
def act(client_for, django_capture_on_commit_callbacks):
    def run(page, user, action):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(workflow_action_url(page, action), {"comment": ""})

    return run


@pytest.fixture
def french_team(tree, users, translate):
    """The C5 team page, translated by a C5 facilitator."""
    return translate(tree.c5_team, users["c5_facilitator"])


# --- Translating makes a linked draft in the French tree -----------------------


def test_translation_is_a_linked_french_draft(tree, french_team, fr):
    source = refreshed(tree.c5_team)
    assert french_team.translation_key == source.translation_key
    assert french_team.locale == fr
    assert french_team.pk != source.pk
    # A draft: it goes live only through its workflow.
    assert french_team.live is False
    assert french_team.has_unpublished_changes is True
    assert source.get_translation(fr) == french_team
    # Under the French root; the untranslated parents are aliases of the English.
    parent = french_team.get_parent().specific
    assert parent.locale == fr
    assert parent.alias_of_id == tree.c5.pk
    assert parent.code == "C5"
    root = french_team.get_ancestors().get(depth=2)
    assert root.locale == fr
    assert root.translation_key == tree.home.translation_key


def test_french_team_page_has_the_team_workflow_and_group(tree, french_team):
    assert french_team.get_workflow().name == "C5 team review"
    assert french_team.facilitator_group_id == tree.c5_team.facilitator_group_id
    assert french_team.get_team() == french_team


def test_c2_facilitator_cannot_translate_the_c5_team(tree, users, client_for, fr):
    """Translating needs the right to edit the page."""
    client = client_for(users["c2_facilitator"])
    response = client.post(submit_translation_url(tree.c5_team), {"locales": [fr.pk]})
    assert_refused(response)
    assert french(tree.c5_team) is None


@pytest.mark.parametrize("role", ["inventory_editor", "report_reviewer"])
def test_roles_without_translation_rights_cannot_translate(
    tree, users, client_for, fr, role
):
    client = client_for(users[role])
    response = client.post(submit_translation_url(tree.c5), {"locales": [fr.pk]})
    assert response.status_code in {302, 403}
    assert french(tree.c5) is None


# --- Team pages and modalities: the team's facilitators -------------------------


@pytest.fixture
def submitted_french_team(french_team, users, submit):
    """The Secretariat's French text of the C5 team page, submitted for moderation."""
    data = team_page_data(french_team, purpose=f"<p>{FRENCH_PURPOSE}</p>")
    return submit(french_team, users["secretariat"], data)


def test_french_team_page_goes_to_the_c5_facilitators(
    submitted_french_team, users, mailoutbox
):
    page = submitted_french_team
    assert page.workflow_in_progress is True
    assert page.current_workflow_state.workflow.name == "C5 team review"
    assert page.current_workflow_task.name == "C5 team review"
    assert page.live is False
    assert mails_to(mailoutbox, users["c5_facilitator"], "submitted")
    assert not mails_to(mailoutbox, users["c2_facilitator"], "submitted")


@pytest.mark.parametrize("role", ["c2_facilitator", "secretariat", "inventory_editor"])
def test_only_c5_facilitators_approve_the_french_team_page(
    submitted_french_team, users, act, role
):
    response = act(submitted_french_team, users[role], "approve")
    assert response.status_code in {302, 403}
    page = refreshed(submitted_french_team)
    assert page.workflow_in_progress is True
    assert page.live is False


def test_c5_facilitator_approval_publishes_the_french_team_page(
    submitted_french_team, users, act, client
):
    response = act(submitted_french_team, users["c5_facilitator"], "approve")
    assert response.status_code == 302
    page = refreshed(submitted_french_team)
    assert page.workflow_in_progress is False
    assert page.live is True
    client.logout()
    public = client.get("/fr/action-lines/c5/team/")
    assert public.status_code == 200
    assert FRENCH_PURPOSE in public.content.decode()
    # The English page is untouched.
    english = client.get("/action-lines/c5/team/")
    assert FRENCH_PURPOSE not in english.content.decode()


def test_french_modalities_go_to_the_c5_facilitators(
    tree, users, translate, submit, act
):
    modalities = translate(tree.c5_modalities, users["c5_facilitator"])
    assert modalities.live is False
    assert modalities.get_workflow().name == "C5 team review"
    data = modalities_page_data(modalities, decision_notes="Par consensus.")
    modalities = submit(modalities, users["secretariat"], data)
    assert modalities.current_workflow_state.workflow.name == "C5 team review"
    assert act(modalities, users["c2_facilitator"], "approve").status_code in {
        302,
        403,
    }
    assert refreshed(modalities).live is False
    assert act(modalities, users["c5_facilitator"], "approve").status_code == 302
    modalities = refreshed(modalities)
    assert modalities.live is True
    assert modalities.decision_notes == "Par consensus."


# --- Permissions in the French tree ----------------------------------------------


def test_team_area_rules_hold_in_the_french_tree(tree, users, translate):
    team = translate(tree.c5_team, users["c5_facilitator"])
    modalities = translate(tree.c5_modalities, users["c5_facilitator"])
    for page in (team, modalities):
        c5 = page.permissions_for_user(users["c5_facilitator"])
        assert c5.can_edit() and c5.can_publish()
        c2 = page.permissions_for_user(users["c2_facilitator"])
        assert not c2.can_edit() and not c2.can_publish()
        # The Secretariat edits, but inside a team's area only the team publishes.
        secretariat = page.permissions_for_user(users["secretariat"])
        assert secretariat.can_edit() and not secretariat.can_publish()
        assert not page.permissions_for_user(users["inventory_editor"]).can_edit()


def test_c2_facilitator_cannot_open_the_french_c5_team_editor(
    french_team, users, client_for
):
    response = client_for(users["c2_facilitator"]).get(edit_url(french_team))
    assert_refused(response)


def test_secretariat_publish_of_french_team_page_is_refused(
    french_team, users, client_for
):
    """Publish from the editor is no way around the team's review."""
    client = client_for(users["secretariat"])
    data = team_page_data(french_team, purpose=f"<p>{FRENCH_PURPOSE}</p>")
    client.post(edit_url(french_team), {**data, "action-publish": "1"})
    assert refreshed(french_team).live is False


def test_c5_facilitator_publishes_the_french_team_page_directly(
    french_team, users, client_for
):
    """As in English: the team's facilitators publish their own pages."""
    client = client_for(users["c5_facilitator"])
    data = team_page_data(french_team, purpose=f"<p>{FRENCH_PURPOSE}</p>")
    response = client.post(edit_url(french_team), {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert refreshed(french_team).live is True


# --- Action lines: Secretariat approval -------------------------------------------


def test_french_action_line_goes_to_secretariat_approval(
    tree, users, translate, submit, act
):
    colleague = UserFactory(username="secretary2", groups=[SECRETARIAT])
    line = translate(tree.c5, users["secretariat"])
    assert line.live is False and line.alias_of_id is None
    data = action_line_page_data(line, summary="Établir la confiance.")
    line = submit(line, users["secretariat"], data)
    assert line.current_workflow_state.workflow.name == "Secretariat approval"
    assert act(line, users["c5_facilitator"], "approve").status_code in {302, 403}
    assert refreshed(line).live is False
    assert act(line, colleague, "approve").status_code == 302
    line = refreshed(line)
    assert line.live is True
    assert line.summary == "Établir la confiance."
    assert line.code == "C5"


# --- Reports: the editorial review, then final approval ----------------------------


@pytest.fixture
def published_report(home_page, users):
    index = publish(ReportIndexPageFactory(parent=home_page))
    report = ReportPageFactory(parent=index)
    publish(report)
    return Page.objects.get(pk=report.pk).specific


@pytest.fixture
def french_report(published_report, users, translate):
    return translate(published_report, users["secretariat"])


def test_french_report_is_a_draft_under_the_french_report_index(
    published_report, french_report
):
    assert french_report.translation_key == published_report.translation_key
    assert french_report.live is False
    assert french_report.get_workflow().name == WORKFLOW_NAME


def test_secretariat_cannot_publish_a_french_report_before_review(
    french_report, users, client_for
):
    perms = french_report.permissions_for_user(users["secretariat"])
    assert perms.can_edit() and not perms.can_publish()
    assert perms.can_submit_for_moderation()
    data = report_page_data(french_report, summary="<p>Résumé.</p>")
    client_for(users["secretariat"]).post(
        edit_url(french_report), {**data, "action-publish": "1"}
    )
    assert refreshed(french_report).live is False


def test_french_report_goes_through_the_editorial_review(
    french_report, users, submit, act
):
    secretary2 = UserFactory(username="secretary2", groups=[SECRETARIAT])
    data = report_page_data(french_report, summary="<p>Résumé du rapport.</p>")
    report = submit(french_report, users["secretariat"], data)
    state = report.current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME
    assert report.current_workflow_task.name == "Editorial review"
    # Neither the Secretariat nor a facilitator approves the editorial review.
    for role in ["secretariat", "c5_facilitator"]:
        act(report, users[role], "approve")
        assert refreshed(report).current_workflow_task.name == "Editorial review"
    assert act(report, users["report_reviewer"], "approve").status_code == 302
    assert refreshed(report).current_workflow_task.name == "Final approval"
    assert refreshed(report).live is False
    # The reviewer does not give the final approval.
    act(report, users["report_reviewer"], "approve")
    assert refreshed(report).live is False
    assert act(report, secretary2, "approve").status_code == 302
    report = refreshed(report)
    assert report.live is True
    assert "Résumé du rapport." in report.summary


# --- Every content language goes through the same workflows ---------------------

ARABIC_PURPOSE = "بناء الثقة والأمن في استخدام تكنولوجيا المعلومات والاتصالات."


@pytest.mark.parametrize("code", ["es", "ru", "zh-hans", "ar"])
def test_a_team_page_translated_into_any_un_language_goes_to_its_team(
    tree, users, client_for, submit, act, code, django_capture_on_commit_callbacks
):
    locale = Locale.objects.get(language_code=code)
    client = client_for(users["c5_facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            submit_translation_url(tree.c5_team), {"locales": [locale.pk]}
        )
    assert response.status_code == 302, response.content[:2000]
    version = tree.c5_team.get_translation(locale)
    assert version.live is False
    data = team_page_data(version, purpose=f"<p>{ARABIC_PURPOSE}</p>")
    version = submit(version, users["secretariat"], data)
    assert version.current_workflow_state.workflow.name == "C5 team review"
    assert act(version, users["c2_facilitator"], "approve").status_code in {302, 403}
    assert refreshed(version).live is False
    assert act(version, users["c5_facilitator"], "approve").status_code == 302
    assert refreshed(version).live is True
    client.logout()
    public = client.get(f"/{code}/action-lines/c5/team/")
    assert public.status_code == 200
    html = public.content.decode()
    assert ARABIC_PURPOSE in html
    assert "notice--untranslated" not in html
    # Its parent is not translated: served in English, with the notice.
    parent = client.get(f"/{code}/action-lines/c5/")
    assert parent.status_code == 200
    assert "notice--untranslated" in parent.content.decode()
