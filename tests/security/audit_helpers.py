"""The world of the permission audit, built once per module, and its vocabulary.

Building the action-line tree, the users, the entries and the reports takes
seconds; the audit makes several hundred requests. So the world is created once
per test module, inside a transaction that is rolled back when the module ends,
and every test runs in its own savepoint (pytest-django's ``db``): what a test
changes disappears before the next one, and nothing outlives the module.

Outcomes are named by what the admin answers, so a matrix cell says exactly how
a refusal looks:

``ok``       allowed: 200, or a POST that did what it asked (then a redirect
             to a page of the admin, or JSON)
``login``    302 to the admin's login page (anonymous)
``403``      Django's PermissionDenied
``home``     302 to the admin's dashboard ("Sorry, you do not have permission")
``404``      the object does not exist for this user
``invalid``  the form came back with an error; nothing saved
``draft``    the edit was saved as a draft for moderation/review, not published
``refused``  a POST that was answered with a redirect and did nothing
``own area`` the page explorer sent the user to their own team's pages instead
``not shown`` the page opens (200) without the part under test (a dashboard panel)
``sign in``  302 to the public sign-in (/accounts/login/): My WSIS, anonymously
``reauthenticate`` 302 to allauth's "confirm your password" (a recent sign-in
             is asked before the account's data leaves the site)
``400``      a link that is not this account's (a claim link)

Stakeholder accounts are two roles: ``account_holder``, who submitted, joined,
registered and saved searches, and ``other_account``, a second account that
tries the first one's My WSIS addresses.
"""

import contextlib
import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse

from wagtail.models import Page

OK = "ok"
LOGIN = "login"
FORBIDDEN = "403"
HOME = "home"
NOT_FOUND = "404"
INVALID = "invalid"
DRAFT = "draft"
REFUSED = "refused"
OWN_AREA = "own area"
NOT_SHOWN = "not shown"
SIGN_IN = "sign in"
REAUTHENTICATE = "reauthenticate"

ROLES = [
    "anonymous",
    "account_holder",  # a stakeholder account (My WSIS), in no group
    "other_account",  # another stakeholder account
    "staff",  # signed in, may open the admin, in no group
    "c5_facilitator",
    "c3_facilitator",
    "inventory_editor",
    "report_reviewer",
    "secretariat",
    "superuser",
]

# Markers that must never reach a page they do not belong to.
CONTACT_EMAILS = {
    "c5_live": "c5.live.contact@private.example",
    "c5_unpublished": "c5.withdrawn.contact@private.example",
    "c3_live": "c3.live.contact@private.example",
    "c3_draft": "c3.draft.contact@private.example",
    "c3_rejected": "c3.rejected.contact@private.example",
    "orphan": "orphan.contact@private.example",
    "account_rejected": "account.holder@private.example",
}
TITLES = {
    "c5_live": "Audit C5 published entry",
    "c5_unpublished": "Audit C5 withdrawn entry",
    "c3_live": "Audit C3 published entry",
    "c3_draft": "Audit C3 entry in moderation",
    "c3_rejected": "Audit C3 rejected entry",
    "orphan": "Audit public submission in moderation",
    "account_rejected": "Audit account holder rejected entry",
}
PENDING_TITLE = "Audit C5 unpublished change"
# Pages that are not public: a team's draft, the draft of a published page's
# new title, a new action line and team not yet published.
DRAFT_PAGE_TITLES = {
    "c3_draft_meeting": "Audit C3 draft meeting",
    "c3_pending_title": "Audit C3 unpublished page title",
    "c4_draft_line": "Audit C4 draft action line",
    "c4_draft_team": "Audit C4 draft team",
}
ORGANISATION_NAME = "Audit organisation"
DESIGNATION_ROUND_TITLE = "Audit C5 designation round"
REJECTION_REASON = "Audit reason: not an activity."
# The inventory editors' internal notes, on C5's published entry and C3's
# rejected one: for the editors only, never outside the admin.
NOTE_TEXT = "Audit internal note, for the inventory editors only."
ROUND_NOTES = "Audit internal note on the candidates"
ROUND_RECOMMENDATION = "Audit recommendation not sent yet"
FRAMEWORK_TEXT = "Audit framework in force"
FRAMEWORK_DRAFT = "Audit framework change not yet published"
# The editors' reason on the account holder's entry: for that account only.
ACCOUNT_REASON = "Audit reason for the account holder only."
ACCOUNT_EMAILS = {
    "account_holder": CONTACT_EMAILS["account_rejected"],
    "other_account": "other.account@private.example",
}
LIVE_REPORT_DRAFT_SUMMARY = "Audit unreviewed wording of the published report"
DRAFT_REPORT_SUMMARY = "Audit draft report summary"


@dataclass
class World:
    """Everything the audit acts on; objects are read again by pk when needed."""

    users: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    contributions: dict = field(default_factory=dict)
    join_requests: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)
    designation_round: object = None
    assembly: object = None
    organisation: object = None
    # What the account holder made in My WSIS: entry, join request,
    # registration, saved search.
    account: dict = field(default_factory=dict)


def _publish(page, user=None):
    page.save_revision(user=user).publish(user=user)
    return page


def build_world():
    """The tree (C5 and C3 teams), one user per role, entries, reports, records."""
    from django.utils import timezone

    from action_lines.choices import (
        CandidateResponse,
        FrameworkScope,
        MeetingKind,
        RoundStatus,
    )
    from action_lines.models import (
        DesignationCandidate,
        FrameworkPage,
        MeetingRegistration,
    )
    from home.models import HomePage
    from home.roles import INVENTORY_EDITORS, REPORT_REVIEWERS, SECRETARIAT
    from inventory.models import AnnualContribution, InternalNote, InventoryEntry
    from inventory.moderation import submit_for_moderation
    from reporting.assembly import assemble_and_save
    from reporting.models import ReportAssembly, ReportPage
    from tests.factories import (
        ActionLineIndexPageFactory,
        ActionLinePageFactory,
        DesignationRoundFactory,
        InventoryEntryFactory,
        MeetingIndexPageFactory,
        MeetingPageFactory,
        ReportIndexPageFactory,
        ReportPageFactory,
        SecretariatPageFactory,
        StakeholderOrganisationFactory,
        TeamMembershipRequestFactory,
        TeamPageFactory,
        UserFactory,
    )

    world = World()
    home = HomePage.objects.get(depth=2)
    index = ActionLineIndexPageFactory(parent=home)
    pages = {"home": home, "index": index}
    for code, title in (("C5", "Building confidence"), ("C3", "Access to knowledge")):
        key = code.lower()
        line = ActionLinePageFactory(parent=index, code=code, title=title)
        team = TeamPageFactory(parent=line, title=f"{code} team")
        meetings = MeetingIndexPageFactory(parent=team)
        meeting = MeetingPageFactory(parent=meetings, title=f"{code} audit meeting")
        for page in (line, team, meetings, meeting):
            _publish(page)
        pages[key] = line
        pages[f"{key}_team"] = team.specific_class.objects.get(pk=team.pk)
        pages[f"{key}_meetings"] = meetings
        pages[f"{key}_meeting"] = meeting
    _publish(index)
    world.pages = pages

    users = {
        "staff": UserFactory(username="audit-staff"),
        "c5_facilitator": UserFactory(username="audit-c5", groups=["C5 facilitators"]),
        "c3_facilitator": UserFactory(username="audit-c3", groups=["C3 facilitators"]),
        "inventory_editor": UserFactory(
            username="audit-editor", groups=[INVENTORY_EDITORS]
        ),
        "report_reviewer": UserFactory(
            username="audit-reviewer", groups=[REPORT_REVIEWERS]
        ),
        "secretariat": UserFactory(username="audit-secretary", groups=[SECRETARIAT]),
        "superuser": UserFactory(
            username="audit-root", is_superuser=True, is_staff=True
        ),
    }
    for role, email in ACCOUNT_EMAILS.items():
        users[role] = stakeholder_account(f"audit-{role}", email)
    users["staff"].user_permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    world.users = users

    # --- Pages that are not public ------------------------------------------------
    c3_facilitator = users["c3_facilitator"]
    draft_meeting = MeetingPageFactory(
        parent=pages["c3_meetings"],
        title=DRAFT_PAGE_TITLES["c3_draft_meeting"],
        live=False,
    )
    draft_meeting.save_revision(user=c3_facilitator)
    pages["c3_draft_meeting"] = draft_meeting
    # A new title for C3's published meeting, in a draft; the meeting is locked.
    meeting = pages["c3_meeting"].specific_class.objects.get(pk=pages["c3_meeting"].pk)
    meeting.title = DRAFT_PAGE_TITLES["c3_pending_title"]
    meeting.save_revision(user=c3_facilitator)
    type(meeting).objects.filter(pk=meeting.pk).update(
        locked=True, locked_by=c3_facilitator, locked_at=timezone.now()
    )
    pages["c3_meeting"] = type(meeting).objects.get(pk=meeting.pk)
    c4 = ActionLinePageFactory(
        parent=index, code="C4", title=DRAFT_PAGE_TITLES["c4_draft_line"], live=False
    )
    pages["c4_draft_team"] = TeamPageFactory(
        parent=c4, title=DRAFT_PAGE_TITLES["c4_draft_team"], live=False
    )
    pages["c4_draft_line"] = c4

    # --- Inventory entries -----------------------------------------------------
    c5_team, c3_team = pages["c5_team"], pages["c3_team"]

    def entry(key, **values):
        return InventoryEntryFactory(
            title=TITLES[key],
            contact_email=CONTACT_EMAILS[key],
            action_lines=["C5"],
            **values,
        )

    entries = {
        "c5_live": entry("c5_live", team=c5_team, published=True),
        "c3_live": entry("c3_live", team=c3_team, published=True),
        "c3_draft": entry("c3_draft", team=c3_team, draft=True),
        "c3_rejected": entry("c3_rejected", team=c3_team, draft=True),
        "c5_unpublished": entry("c5_unpublished", team=c5_team, published=True),
        "orphan": entry("orphan", draft=True),
        "account_rejected": entry(
            "account_rejected", draft=True, submitted_by=users["account_holder"]
        ),
    }
    for key in ("c3_draft", "c3_rejected", "orphan"):
        submit_for_moderation(entries[key])
    submit_for_moderation(entries["account_rejected"], users["account_holder"])
    rejected = InventoryEntry.objects.get(pk=entries["c3_rejected"].pk)
    rejected.current_workflow_task_state.specific.reject(
        user=users["inventory_editor"], comment=REJECTION_REASON
    )
    rejected = InventoryEntry.objects.get(pk=entries["account_rejected"].pk)
    rejected.current_workflow_task_state.specific.reject(
        user=users["inventory_editor"], comment=ACCOUNT_REASON
    )
    InventoryEntry.objects.get(pk=entries["c5_unpublished"].pk).unpublish()
    # An unpublished change of the published C5 entry (a draft revision).
    pending = InventoryEntry.objects.get(pk=entries["c5_live"].pk)
    pending.title = PENDING_TITLE
    pending.save_revision(user=users["c5_facilitator"])
    world.entries = {
        key: InventoryEntry.objects.get(pk=value.pk) for key, value in entries.items()
    }
    world.notes = {
        key: InternalNote.objects.create(
            entry=world.entries[key], text=NOTE_TEXT, author=users["inventory_editor"]
        )
        for key in ("c5_live", "c3_rejected")
    }

    # --- Annual contributions, designations, team records ------------------------
    for key, team in (("c5", c5_team), ("c3", c3_team)):
        contribution = AnnualContribution.objects.create(
            team=team,
            year=2025,
            narrative=f"<p>Audit {key.upper()} narrative of the year.</p>",
            submitted_at=timezone.now(),
        )
        contribution.entries.set([world.entries[f"{key}_live"]])
        world.contributions[key] = contribution
        world.join_requests[key] = TeamMembershipRequestFactory(
            team=team,
            organisation_name=f"Audit {key.upper()} applicant organisation",
            email=f"join.{key}@private.example",
        )
        world.registrations[key] = MeetingRegistration.objects.create(
            meeting=pages[f"{key}_meeting"],
            name=f"Audit {key.upper()} registrant",
            email=f"registrant.{key}@private.example",
            organisation=f"Audit {key.upper()} registrant organisation",
            stakeholder_type="academia",
            country="FRA",
        )
    world.account = account_records(world, users["account_holder"])
    # An open round whose only candidate accepts: its consultations can close.
    world.designation_round = DesignationRoundFactory(
        action_line=pages["c5"],
        title=DESIGNATION_ROUND_TITLE,
        status=RoundStatus.OPEN,
        recommendation_date=None,
        recommendation_text=f"<p>{ROUND_RECOMMENDATION}</p>",
        notes=ROUND_NOTES,
    )
    DesignationCandidate.objects.create(
        round=world.designation_round,
        organisation=StakeholderOrganisationFactory(name="Audit candidate agency"),
        role="lead",
        response=CandidateResponse.ACCEPTS,
    )
    world.organisation = StakeholderOrganisationFactory(
        name=ORGANISATION_NAME, acronym=""
    )
    world.designation_round.save_revision(user=users["secretariat"])

    # --- The secretariat section: a framework in force, with an unpublished change
    secretariat = _publish(SecretariatPageFactory(parent=home))
    facilitators = _publish(
        MeetingIndexPageFactory(
            parent=secretariat,
            title="Facilitators' meetings",
            slug="facilitators-meetings",
            kind=MeetingKind.FACILITATORS,
        )
    )
    adopting = _publish(
        MeetingPageFactory(parent=facilitators, title="Audit facilitators' meeting")
    )
    framework = FrameworkPage(
        title="Audit framework",
        slug="framework",
        scope=FrameworkScope.TEAMS,
        adopted_at=adopting,
        in_force_from=timezone.localdate(),
        text=f"<p>{FRAMEWORK_TEXT}</p>",
    )
    secretariat.add_child(instance=framework)
    _publish(framework, users["secretariat"])
    framework = FrameworkPage.objects.get(pk=framework.pk)
    framework.text = f"<p>{FRAMEWORK_DRAFT}</p>"
    framework.save_revision(user=users["secretariat"])
    draft_framework = FrameworkPage(
        title="Audit draft framework",
        slug="draft-framework",
        scope=FrameworkScope.INVENTORY,
        adopted_at=adopting,
        text=f"<p>{FRAMEWORK_DRAFT}</p>",
        live=False,
    )
    secretariat.add_child(instance=draft_framework)
    draft_framework.save_revision(user=users["secretariat"])
    pages.update(
        framework=FrameworkPage.objects.get(pk=framework.pk),
        draft_framework=FrameworkPage.objects.get(pk=draft_framework.pk),
    )

    # --- Reports ---------------------------------------------------------------------
    import datetime

    report_index = _publish(ReportIndexPageFactory(parent=home))
    secretary = users["secretariat"]

    # A draft report, never published, with assembled figures and its assembly.
    draft = ReportPageFactory(parent=report_index, summary=DRAFT_REPORT_SUMMARY)
    draft.save_revision(user=secretary)
    revision = assemble_and_save(draft, secretary)
    world.assembly = ReportAssembly.objects.create(
        report=draft,
        requested_by=secretary,
        status=ReportAssembly.Status.DONE,
        progress=100,
        revision=revision,
    )
    # A report in the editorial review (first step).
    in_review = ReportPageFactory(
        parent=report_index,
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
    )
    in_review.save_revision(user=secretary)
    in_review = ReportPage.objects.get(pk=in_review.pk)
    in_review.get_workflow().start(in_review, secretary)
    # A published report with an unreviewed draft on top.
    live = ReportPageFactory(
        parent=report_index,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    assemble_and_save(live, secretary)
    ReportPage.objects.get(pk=live.pk).get_latest_revision().publish()
    live = ReportPage.objects.get(pk=live.pk)
    live.summary = f"<p>{LIVE_REPORT_DRAFT_SUMMARY}</p>"
    live.save_revision(user=secretary)
    pages.update(
        report_index=report_index,
        draft_report=ReportPage.objects.get(pk=draft.pk),
        review_report=ReportPage.objects.get(pk=in_review.pk),
        live_report=ReportPage.objects.get(pk=live.pk),
    )
    return world


def stakeholder_account(username, email):
    """A stakeholder account as sign-up makes it: a verified address, a profile."""
    from allauth.account.models import EmailAddress

    from accounts.profiles import ensure_profile
    from tests.factories import UserFactory

    user = UserFactory(username=username, email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ensure_profile(user, language="en")
    return user


def account_records(world, user):
    """The account holder's join request, registration and saved search (C5)."""
    from accounts.models import AccountJoinRequest, AccountRegistration, SavedSearch
    from action_lines.models import MeetingRegistration
    from tests.factories import TeamMembershipRequestFactory

    join = TeamMembershipRequestFactory(
        team=world.pages["c5_team"],
        organisation_name="Audit account holder organisation",
        email=user.email,
    )
    AccountJoinRequest.objects.create(request=join, user=user)
    registration = MeetingRegistration.objects.create(
        meeting=world.pages["c5_meeting"],
        name="Audit account holder",
        email=user.email,
        organisation="Audit account holder organisation",
        stakeholder_type="academia",
        country="FRA",
    )
    AccountRegistration.objects.create(registration=registration, user=user)
    search = SavedSearch.objects.create(
        user=user, name="Audit account holder search", query="action_line=C5"
    )
    return {
        "entry": world.entries["account_rejected"],
        "join_request": join,
        "registration": registration,
        "search": search,
    }


@contextlib.contextmanager
def world_in_rolled_back_transaction(django_db_blocker):
    """Builds the world in a transaction that is rolled back on exit."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def entry_form_data(entry=None, **changes):
    """The inventory admin form as posted.

    Tests/inventory's helper, plus any other field of the form taken from the
    entry's latest revision (or the defaults), so the audit keeps working when a
    field is added to the form.
    """
    from django.core.exceptions import FieldDoesNotExist

    from wagtail.admin.panels import get_edit_handler

    from inventory.models import InventoryEntry
    from tests.helpers.inventory import admin_form_data

    data = admin_form_data(entry, **changes)
    instance = entry.get_latest_revision_as_object() if entry else InventoryEntry()
    form_class = get_edit_handler(InventoryEntry).get_form_class()
    for name in form_class.base_fields:
        if name in data:
            continue
        try:
            field = InventoryEntry._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.many_to_many:
            value = [obj.pk for obj in getattr(instance, name).all()] if entry else []
        else:
            value = field.value_from_object(instance)
        data[name] = "" if value is None else value
    return data


# --- Requests and what they answered ---------------------------------------------


def client_as(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response))))


def refusal(response):
    """The name of a refusal (or ``ok`` for a plain 200)."""
    code = response.status_code
    if code == 200:
        return OK
    if code == 302:
        location = response["Location"]
        if location.startswith(reverse("wagtailadmin_login")):
            return LOGIN
        if location == reverse("wagtailadmin_home"):
            return HOME
        if location.startswith(reverse("account_login")):
            return SIGN_IN
        if location.startswith(reverse("account_reauthenticate")):
            return REAUTHENTICATE
        return f"302 {location}"
    if code == 403:
        return FORBIDDEN
    if code == 404:
        return NOT_FOUND
    return str(code)


def post_outcome(response, done):
    """Return ``ok`` if the POST did its work, else how it was refused.

    ``ok`` if the POST did its work (answered by a redirect or 200), else how it was
    refused; a refused POST must not have done anything.
    """
    if done:
        assert response.status_code in {200, 302}, response.status_code
        if response.status_code == 302:
            assert refusal(response) not in {LOGIN, HOME}, response["Location"]
        return OK
    answer = refusal(response)
    if answer == OK:
        return INVALID
    if answer.startswith("302 "):
        return REFUSED
    return answer


def page_url(page):
    """The public address of a page (live or not), from its url_path."""
    return Page.objects.get(pk=page.pk).get_url()
