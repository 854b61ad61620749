r"""One-line fields refuse control characters, in every form that writes them.

A title with "\r\nBcc:" made the editors' notification fail (Django refuses the
header), and a name with line breaks wrote lines of its own into the
facilitators' e-mail. Each public form and the admin forms of the project's
models answer with a field error instead; the e-mail helper keeps subjects on
one line whatever is stored, and a mail that fails is logged.
"""

import io
import json
import logging

from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from action_lines.models import MeetingRegistration, TeamMembershipRequest
from action_lines.tasks import send_registration_confirmation
from home.models import StakeholderOrganisation
from home.validators import control_characters, one_line, single_line
from inventory.models import InventoryEntry
from inventory.moderation import ensure_moderation_workflow
from tests.factories import InventoryEntryFactory
from tests.helpers.admin import edit_url, team_page_data
from tests.helpers.inventory import GOOD_ROW, admin_form_data
from tests.helpers.public_forms import join_data, registration_data, submission

pytestmark = pytest.mark.django_db

MESSAGE = "Use a single line of text, without line breaks"
HEADER_INJECTION = "Cyber drills\r\nBcc: everyone@example.org"
# A line break in a name, then what reads like the platform's own call to action.
FORGED_LINE = "Ada\n\nUrgent: confirm your account at http://evil.example/"
CONTROL_VALUES = [
    HEADER_INJECTION,
    FORGED_LINE,
    "tab\tseparated",
    "nul\x00byte",
    "escape\x1b[31m",
    "next line\x85C1",
    "line\u2028separator",
    "paragraph\u2029separator",
    "delete\x7f",
]


def field_error(response, field):
    assert response.status_code in (200, 400), response.status_code
    errors = response.context["form"].errors
    assert field in errors, errors
    return " ".join(errors[field])


# --- The validator ------------------------------------------------------------------


@pytest.mark.parametrize("value", CONTROL_VALUES)
def test_validator_refuses_control_and_line_breaking_characters(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        single_line(value)
    assert refused.value.code == "control_characters"


@pytest.mark.parametrize(
    "value",
    [
        "Cyber drills for West African CERTs",
        "مبادرة الحكومة الإلكترونية",
        "\u200fשלום\u200e",  # right-to-left marks are format characters, not control
        "宽带接入项目 🌍",
        "O'Brien & Söhne — “quoted”",
        "",
    ],
)
def test_validator_accepts_ordinary_text_in_any_script(value):
    single_line(value)


def test_one_line_turns_any_break_into_a_space():
    assert one_line(HEADER_INJECTION) == "Cyber drills Bcc: everyone@example.org"
    assert one_line("a\x00b\u2028c\x85d\te") == "a b c d e"
    assert control_characters(one_line("".join(CONTROL_VALUES))) == []


def project_models():
    for app in ("home", "action_lines", "inventory", "reporting", "search"):
        yield from apps.get_app_config(app).get_models()


def test_every_free_text_char_field_of_the_project_is_single_line():
    """Every CharField a person types into refuses control characters.

    Every CharField a person types into (no choices, editable) refuses control
    characters; e-mail addresses, web addresses and slugs have their own check.
    """
    own_validators = (models.EmailField, models.URLField, models.SlugField)
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in project_models()
        for field in model._meta.local_fields
        if isinstance(field, models.CharField)
        and not isinstance(field, own_validators)
        and not field.choices
        and field.editable
        # Derived values, never typed: facet values, the outbox's object ids.
        and model._meta.label
        not in {"inventory.EntryFacetValue", "search.PendingIndexUpdate"}
        and single_line not in field.validators
    ]
    assert missing == []


# --- Public forms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "field",
    ["title", "contact_name", "keywords", "organisation_name", "partner_names"],
)
def test_submission_form_refuses_control_characters(
    client, db, mailoutbox, django_capture_on_commit_callbacks, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/inventory/submit/", submission(**{field: HEADER_INJECTION})
        )
    assert response.status_code == 400
    assert MESSAGE in field_error(response, field)
    assert MESSAGE in response.content.decode()
    assert InventoryEntry.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("field", ["title", "contact_name", "organisation_name"])
def test_update_proposal_refuses_control_characters(
    client, db, django_capture_on_commit_callbacks, field
):
    """Proposed from the account that holds the entry (My WSIS)."""
    from accounts.models import EntryClaim
    from tests.helpers.accounts import make_account

    entry = InventoryEntryFactory(published=True)
    account = make_account("submitter@example.org")
    EntryClaim.objects.create(entry=entry, user=account, source="claimed")
    client.force_login(account)
    revisions = entry.revisions.count()
    response = client.post(
        f"/my/activities/{entry.pk}/edit/", submission(**{field: FORGED_LINE})
    )
    assert response.status_code == 400
    assert MESSAGE in field_error(response, field)
    assert entry.revisions.count() == revisions


@pytest.mark.parametrize("field", ["person_name", "organisation_name"])
def test_join_request_refuses_control_characters(
    tree, mailoutbox, django_capture_on_commit_callbacks, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{tree.c5_team.url}join/", join_data(**{field: FORGED_LINE})
        )
    assert response.status_code == 400
    assert MESSAGE in field_error(response, field)
    assert TeamMembershipRequest.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize("field", ["name", "organisation"])
def test_meeting_registration_refuses_control_characters(
    tree, mailoutbox, django_capture_on_commit_callbacks, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{tree.c5_meeting.url}register/",
            registration_data(**{field: HEADER_INJECTION}),
        )
    assert response.status_code == 400
    assert MESSAGE in field_error(response, field)
    assert MeetingRegistration.objects.count() == 0
    assert mailoutbox == []


# --- Admin forms ----------------------------------------------------------------------


def test_inventory_admin_form_refuses_a_title_with_a_line_break(users, client_for):
    entry = InventoryEntryFactory(published=True)
    url = reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry.pk])
    client = client_for(users["inventory_editor"])
    response = client.post(url, admin_form_data(entry, title=HEADER_INJECTION))
    assert MESSAGE in field_error(response, "title")
    assert entry.revisions.count() == 1


def test_organisation_snippet_refuses_a_name_with_a_line_break(users, client_for):
    client = client_for(users["inventory_editor"])
    response = client.post(
        reverse("wagtailsnippets_home_stakeholderorganisation:add"),
        {
            "name": FORGED_LINE,
            "acronym": "",
            "stakeholder_type": "civil-society",
            "country": "",
            "website": "",
        },
    )
    assert MESSAGE in field_error(response, "name")
    assert StakeholderOrganisation.objects.count() == 0


def test_designation_round_refuses_a_title_with_a_line_break(tree, users, client_for):
    client = client_for(users["secretariat"])
    data = nested_form_data(
        {
            "action_line": tree.c5.pk,
            "title": HEADER_INJECTION,
            "opened_on": "2025-01-01",
            "status": "open",
            "candidates": inline_formset([]),
            "recommendation_date": "",
            "recommendation_text": rich_text(""),
            "recommendation_document": "",
            "designations": inline_formset([]),
            "notes": "",
        }
    )
    response = client.post(
        reverse("wagtailsnippets_action_lines_designationround:add"), data
    )
    assert MESSAGE in field_error(response, "title")


def test_team_page_refuses_a_contact_name_with_a_line_break(tree, users, client_for):
    client = client_for(users["c5_facilitator"])
    team = tree.c5_team
    response = client.post(
        edit_url(team), team_page_data(team, contact_name=FORGED_LINE)
    )
    assert MESSAGE in field_error(response, "contact_name")
    assert team.revisions.count() == 1


# --- E-mails -------------------------------------------------------------------------


def test_editors_are_notified_of_an_entry_stored_with_a_line_break_in_its_title(
    users, mailoutbox, django_capture_on_commit_callbacks
):
    """An entry stored before the check.

    The editors' notification (Wagtail's) still goes out, its subject on one line.
    """
    entry = InventoryEntryFactory(title=HEADER_INJECTION, draft=True)
    entry.save_revision(clean=False)  # as it was saved before the check
    with django_capture_on_commit_callbacks(execute=True):
        ensure_moderation_workflow().start(entry, None)
    editor = users["inventory_editor"].email
    to_editor = [mail for mail in mailoutbox if editor in mail.to]
    assert len(to_editor) == 1
    mail = to_editor[0]
    assert "Cyber drills Bcc: everyone@example.org" in mail.subject
    assert control_characters(mail.subject) == []
    assert mail.bcc == []
    assert "\nBcc:" not in mail.message().as_string().split("\n\n")[0]


def test_mail_subjects_stay_on_one_line_whatever_the_page_title(tree, mailoutbox):
    """A meeting title saved with a carriage return (pages are Wagtail's model).

    The confirmation's subject is one line and carries no extra header.
    """
    meeting = tree.c5_meeting
    meeting.title = "Work plan\rBcc: everyone@example.org"
    meeting.save()
    registration = MeetingRegistration.objects.create(
        meeting=meeting,
        name="Grace Hopper",
        email="grace@example.org",
        organisation="Ministry of ICT",
        stakeholder_type="government",
        country="KEN",
    )
    send_registration_confirmation(registration.pk)
    (mail,) = mailoutbox
    assert mail.subject == "Registration confirmed: Work plan Bcc: everyone@example.org"
    assert mail.bcc == []
    headers = mail.message().as_string().split("\n\n")[0]
    assert "\nBcc:" not in headers


def test_a_mail_the_server_refuses_is_logged_not_swallowed(
    client, db, settings, caplog, django_capture_on_commit_callbacks
):
    """The real SMTP backend, with no server listening.

    The submission is kept, the thanks page still gives the status link, and the
    failure is logged.
    """
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # discard: nothing listens there
    settings.EMAIL_TIMEOUT = 5
    with (
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post("/inventory/submit/", submission())
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    failures = [r for r in caplog.records if r.name == "home.mail"]
    assert len(failures) == 1
    assert "inventory/emails/submission_received.txt" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert entry.status_key() in thanks.content.decode()


def test_import_reports_control_characters_by_row_and_imports_nothing(tmp_path, db):
    """An import saves a revision of each entry, which validates the fields.

    A bad row is reported by line, as any other problem, before anything is saved.
    """
    rows = [
        {**GOOD_ROW, "action_lines": ["C2"], "countries": ["NPL"]},
        {**GOOD_ROW, "title": HEADER_INJECTION, "action_lines": ["C2"]},
        {**GOOD_ROW, "partners": ["ITU", FORGED_LINE], "action_lines": ["C2"]},
    ]
    path = tmp_path / "entries.json"
    path.write_text(json.dumps({"results": rows}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), stdout=io.StringIO(), stderr=err)
    assert [line.split(":")[0] for line in err.getvalue().splitlines()] == [
        "line 2, title",
        "line 3, partners",
    ]
    assert InventoryEntry.objects.count() == 0
    assert StakeholderOrganisation.objects.count() == 0
