"""Links in e-mails lead to the site in their recipient's language.

Each e-mail is rendered in its recipient's language, and its links with it
(``home.mail.site_url``): public addresses under that language's prefix (English
has none), a page as its version in that language when it has one; the admin's
addresses have no prefix. Each kind of e-mail is checked for a French and an
Arabic recipient, and each link is followed. Tasks run as the worker runs them:
default language, no request.
"""

import datetime
import re
from contextlib import contextmanager

from django.test import Client
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

import pytest

from action_lines import tasks
from action_lines.models import MeetingRegistration, TeamMembershipRequest
from home.page_languages import page_address
from inventory import contributions
from inventory.models import InventoryEntry
from tests.factories import UserFactory
from tests.helpers.admin import edit_url, team_page_data
from tests.helpers.inventory import act
from tests.helpers.public_forms import (
    SUBMIT_URL,
    UPDATE_URL,
    join_data,
    registration_data,
    submission,
)
from tests.helpers.workflows import (
    add_secretariat_step,
    run_two_steps,
    workflow_action_url,
)

BASE = "http://testserver"
LANGUAGES = ["fr", "ar"]


@contextmanager
def in_the_worker():
    with translation.override("en"):
        yield


def links(text):
    return re.findall(r"http://testserver/\S*", text)


def opens_in(url, language, client=None):
    """Following ``url`` gives the page with the interface in ``language``."""
    response = (client or Client()).get(url.removeprefix(BASE))
    assert response.status_code == 200, (url, response.status_code)
    assert f'<html lang="{language}"' in response.content.decode(), url


def speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def sent_from(path, data, capture, client=None):
    """POSTs like a visitor; the e-mail tasks wait (on_commit not run)."""
    with capture(execute=False):
        response = (client or Client()).post(path, data)
    assert response.status_code == 302, response.content[:1000]


# --- Meetings -------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_registration_mails_link_to_the_meeting_in_the_registrants_language(
    tree, settings, mailoutbox, django_capture_on_commit_callbacks, language
):
    meeting = tree.c5_meeting
    meeting.start = timezone.now() + datetime.timedelta(hours=2)
    meeting.end = meeting.start + datetime.timedelta(hours=1)
    meeting.save_revision().publish()
    path = "/action-lines/c5/team/meetings/c5-work-plan-meeting/"
    assert meeting.url == path
    sent_from(
        f"/{language}{path}register/",
        registration_data(),
        django_capture_on_commit_callbacks,
    )
    registration = MeetingRegistration.objects.get()
    settings.MEETING_REMINDER_HOURS = 24
    with in_the_worker():
        tasks.send_registration_confirmation(registration.pk)
        assert tasks.send_meeting_reminders() == 1
    confirmation, reminder = mailoutbox[-2:]
    expected = f"{BASE}/{language}{path}"
    assert links(confirmation.body) == [expected]
    assert links(reminder.body) == [expected]
    (_name, calendar, _type) = confirmation.attachments[0]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    unfolded = calendar.replace("\r\n ", "")
    assert f"URL:{expected}" in unfolded
    assert set(links(unfolded.replace("\\n", " "))) == {expected}
    opens_in(expected, language)


# --- Join requests --------------------------------------------------------------------


def decided(team_path, language, capture):
    """A join request filed under ``language``, accepted, its decision e-mailed."""
    sent_from(f"/{language}{team_path}join/", join_data(), capture)
    request = TeamMembershipRequest.objects.get()
    request.status = "accepted"
    request.save()
    with in_the_worker():
        tasks.notify_membership_decision(request.pk)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_join_decision_links_to_the_team_in_the_requesters_language(
    tree, mailoutbox, django_capture_on_commit_callbacks, language
):
    decided("/action-lines/c5/team/", language, django_capture_on_commit_callbacks)
    expected = f"{BASE}/{language}/action-lines/c5/team/"
    assert links(mailoutbox[-1].body) == [expected]
    opens_in(expected, language)


@pytest.mark.parametrize(
    ("language", "team_path", "expected"),
    [
        # Filed on the team's French page; the e-mail links to it.
        ("fr", "/action-lines/c5/equipe/", "/fr/action-lines/c5/equipe/"),
        # Arabic has no pages of its own: the English page under /ar/.
        ("ar", "/action-lines/c5/team/", "/ar/action-lines/c5/team/"),
    ],
)
def test_a_join_decision_links_to_the_teams_own_page_in_that_language(
    bilingual,
    mailoutbox,
    django_capture_on_commit_callbacks,
    *,
    language,
    team_path,
    expected,
):
    decided(team_path, language, django_capture_on_commit_callbacks)
    assert links(mailoutbox[-1].body) == [BASE + expected]
    opens_in(BASE + expected, language)


def test_a_page_missing_from_the_french_tree_is_linked_under_fr(
    bilingual, tree, mailoutbox, django_capture_on_commit_callbacks
):
    """The French tree has no C2 team.

    /fr/ serves the English page with a notice, so the e-mail (in French) links
    there and keeps the reader's language.
    """
    sent_from(
        "/action-lines/c2/team/join/", join_data(), django_capture_on_commit_callbacks
    )
    request = TeamMembershipRequest.objects.get()
    request.status = "accepted"
    request.language = "fr"
    request.save()
    with in_the_worker():
        tasks.notify_membership_decision(request.pk)
    assert mailoutbox[-1].subject.startswith("Bienvenue")
    assert links(mailoutbox[-1].body) == [f"{BASE}/fr/action-lines/c2/team/"]
    opens_in(f"{BASE}/fr/action-lines/c2/team/", "fr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_facilitators_admin_links_have_no_language_prefix(
    tree, settings, mailoutbox, django_capture_on_commit_callbacks, language
):
    """The admin has no language prefix: it speaks each user's own language."""
    facilitator = speaks(
        UserFactory(username=f"c5{language}", groups=["C5 facilitators"]), language
    )
    sent_from(
        "/action-lines/c5/team/join/", join_data(), django_capture_on_commit_callbacks
    )
    cycle = contributions.current_cycle(timezone.localdate())
    settings.INVENTORY_REMINDER_DAYS = [7]
    with in_the_worker():
        tasks.notify_new_membership_request(TeamMembershipRequest.objects.get().pk)
        contributions.send_reminders(today=cycle.deadline - datetime.timedelta(days=7))
    request_mail, reminder = [m for m in mailoutbox if m.to == [facilitator.email]]
    assert links(request_mail.body) == [
        f"{BASE}/admin/action_lines/teammembershiprequest/"
    ]
    assert links(reminder.body) == [f"{BASE}/admin/annual_contributions/"]
    client = Client()
    client.force_login(facilitator)
    for url in links(request_mail.body) + links(reminder.body):
        opens_in(url, language, client)


# --- Inventory submissions ------------------------------------------------------------


def submitted_under(language, capture):
    """An entry sent through the public form under ``language``; its e-mail sent."""
    with capture(execute=True):
        response = Client().post(f"/{language}{SUBMIT_URL}", submission())
    assert response.status_code == 302
    return InventoryEntry.objects.get()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_submission_receipt_links_to_the_status_in_the_submitters_language(
    db, mailoutbox, django_capture_on_commit_callbacks, language
):
    entry = submitted_under(language, django_capture_on_commit_callbacks)
    expected = (
        f"{BASE}/{language}/inventory/status/"
        f"?reference={entry.reference}&key={entry.status_key()}"
    )
    assert links(mailoutbox[-1].body) == [expected]
    opens_in(expected, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_update_link_of_before_leads_to_sign_in_in_its_language(
    db, django_capture_on_commit_callbacks, language
):
    """Update links of before accounts lead to sign-in, then to claiming.

    Update links e-mailed before accounts lead to the sign-in, then to claiming the
    entry, in the language they were sent in.
    """
    from inventory.models import UpdateLink
    from inventory.views import UPDATE_LINK_LIFETIME

    entry = submitted_under(language, django_capture_on_commit_callbacks)
    _link, token = UpdateLink.issue(entry, UPDATE_LINK_LIFETIME)
    response = Client().get(f"/{language}{UPDATE_URL}{token}/", follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/{language}/accounts/login/")
    assert f'<html lang="{language}"' in response.content.decode()


@pytest.fixture
def spanish_editor(users):
    """An editor whose admin speaks Spanish: the links must follow the recipient."""
    client = Client()
    client.force_login(speaks(users["inventory_editor"], "es"))
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rejection_links_to_the_claim_in_the_submitters_language(
    spanish_editor, mailoutbox, django_capture_on_commit_callbacks, language
):
    capture = django_capture_on_commit_callbacks
    entry = submitted_under(language, capture)
    act(spanish_editor, capture, entry, "reject", comment="Add the countries.")
    expected = f"{BASE}/{language}/my/claim/?reference={entry.reference}"
    assert links(mailoutbox[-1].body) == [expected]
    # The submitter's account (signed in) claims the entry there.
    from tests.helpers.accounts import make_account

    account = Client()
    account.force_login(make_account(entry.contact_email))
    opens_in(expected, language, client=account)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_publication_links_to_the_entry_in_the_submitters_language(
    spanish_editor, mailoutbox, django_capture_on_commit_callbacks, language
):
    capture = django_capture_on_commit_callbacks
    entry = submitted_under(language, capture)
    act(spanish_editor, capture, entry, "approve")
    expected = f"{BASE}/{language}/inventory/entries/{entry.pk}/"
    assert links(mailoutbox[-1].body) == [expected]
    opens_in(expected, language)


# --- Page workflows -------------------------------------------------------------------


def public_links(mailoutbox, user):
    """Return the links to the public site in the e-mails ``user`` received.

    The links to the public site in the e-mails ``user`` received (Wagtail's
    workflow e-mails link to the admin, and the approval to the page).
    """
    return [
        link
        for mail in mailoutbox
        if mail.to == [user.email]
        for link in links(mail.body)
        if not link.startswith(f"{BASE}/admin/")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_workflow_approval_links_to_the_page_in_the_submitters_language(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks, language
):
    """Wagtail's own e-mail to the submitter, sent once, links in their language."""
    submitter = speaks(users["secretariat"], language)
    data = team_page_data(tree.c5_team, purpose="<p>A new purpose.</p>")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(submitter).post(
            edit_url(tree.c5_team), {**data, "action-submit": "1"}
        )
        response = client_for(users["c5_facilitator"]).post(
            workflow_action_url(tree.c5_team, "approve")
        )
    assert response.status_code == 302
    expected = f"{BASE}/{language}/action-lines/c5/team/"
    assert public_links(mailoutbox, submitter) == [expected]
    opens_in(expected, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_earlier_reviewer_hears_of_the_approval_in_their_language(
    tree, users, client_for, mailoutbox, django_capture_on_commit_callbacks, language
):
    add_secretariat_step(sort_order=-1)
    checker = speaks(UserFactory(username="checker", groups=["Secretariat"]), language)
    run_two_steps(
        tree,
        users,
        client_for,
        django_capture_on_commit_callbacks,
        approvers=(checker, users["c5_facilitator"]),
        last_action="approve",
    )
    expected = f"{BASE}/{language}/action-lines/c5/team/"
    assert public_links(mailoutbox, checker) == [expected]


# --- The address of a page ------------------------------------------------------------


def test_a_pages_address_in_each_language(bilingual, tree):
    assert page_address(tree.c5_team, "en") == "/action-lines/c5/team/"
    assert page_address(tree.c5_team, "fr") == "/fr/action-lines/c5/equipe/"
    assert page_address(bilingual["team"], "en") == "/action-lines/c5/team/"
    assert page_address(tree.c5_team, "zh-hans") == "/zh-hans/action-lines/c5/team/"
    assert page_address(tree.c2_team, "fr") == "/fr/action-lines/c2/team/"
    assert page_address(tree.c2_team, "ar") == "/ar/action-lines/c2/team/"


def test_before_any_french_page_french_readers_get_the_prefix(tree):
    assert page_address(tree.c2_team, "fr") == "/fr/action-lines/c2/team/"
