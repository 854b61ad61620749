"""Permission audit: every role against every admin and public action, over HTTP.

The page-side matrix of the team areas is in tests/action_lines/test_permissions.py;
this one covers the inventory and the editors' internal notes, the annual
contributions, the admin reports that inventory/admin_reports.py scopes to teams,
the periodic reports, the designation register and the steps of its rounds, the
frameworks of the facilitators' meetings, the join-request and
meeting-registration screens, every other admin view that lists objects
(choosers, bulk-action confirmations, Wagtail's page reports and search, the
admin API, wagtail-localize's snippet API, list filters; home/scoped_admin.py),
and what the public side shows of drafts, of rejections (the status page, by
reference or with the submitter's key) and notes, and My WSIS: what a
stakeholder account holds, tried by a second account, by staff and anonymously.

Each cell is one test: ``(role, action, expected)``, where ``expected`` names what
the site answers (see tests/security/audit_helpers.py): ``ok``; ``login`` for the
anonymous; ``home``, Wagtail's refusal in the admin (``require_admin_access`` turns
PermissionDenied into a redirect to the dashboard with "Sorry, you do not have
permission"); ``404``; ``invalid`` (the form is sent back, nothing saved); ``draft``
(saved, not published)… An allowed listing or export must also
stay inside the role's scope (a C5 facilitator never sees C3's records, nor
the title of another team's draft page: ``forbidden_titles``), and a refused
POST must leave the database as it was. The world is built once per module
and each test runs in a savepoint, so a permitted POST is undone before the next.

An escalation (a role allowed what it must not) stays in the table with its right
answer and an ``xfail(strict=True, reason="ESCALATION: …")`` in ``ESCALATIONS``,
until the owner fixes it.
"""

import io

from django.urls import reverse

from wagtail.models import ModelLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest

from action_lines.choices import RequestStatus
from action_lines.models import (
    DesignationRound,
    MeetingRegistration,
    TeamMembershipRequest,
)
from home.models import StakeholderOrganisation
from inventory.models import AnnualContribution, InternalNote, InventoryEntry
from reporting.models import ReportAssembly, ReportPage
from tests.helpers.admin import report_page_data
from tests.security.audit_helpers import (
    ACCOUNT_REASON,
    CONTACT_EMAILS,
    DESIGNATION_ROUND_TITLE,
    DRAFT,
    DRAFT_PAGE_TITLES,
    DRAFT_REPORT_SUMMARY,
    FORBIDDEN,
    FRAMEWORK_DRAFT,
    FRAMEWORK_TEXT,
    HOME,
    INVALID,
    LIVE_REPORT_DRAFT_SUMMARY,
    LOGIN,
    NOT_FOUND,
    NOT_SHOWN,
    NOTE_TEXT,
    OK,
    ORGANISATION_NAME,
    OWN_AREA,
    PENDING_TITLE,
    REAUTHENTICATE,
    REFUSED,
    REJECTION_REASON,
    ROLES,
    ROUND_NOTES,
    ROUND_RECOMMENDATION,
    SIGN_IN,
    TITLES,
    body,
    client_as,
    csv_rows,
    entry_form_data,
    page_url,
    post_outcome,
    refusal,
    world_in_rolled_back_transaction,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_in_rolled_back_transaction(django_db_blocker) as built:
        yield built


# --- Scopes: what each role may see of the team-scoped records ------------------------

EVERY_ENTRY = set(TITLES)
C5_ENTRIES = {"c5_live", "c5_unpublished"}
C3_ENTRIES = {"c3_live", "c3_draft", "c3_rejected"}
# Entries in the admin (listing, export, reports) per role.
ENTRY_SCOPE = {
    "anonymous": set(),
    "account_holder": set(),
    "other_account": set(),
    "staff": set(),
    "c5_facilitator": C5_ENTRIES,
    "c3_facilitator": C3_ENTRIES,
    "inventory_editor": EVERY_ENTRY,
    "report_reviewer": set(),
    "secretariat": EVERY_ENTRY,
    "superuser": EVERY_ENTRY,
}
# Annual contributions (of the teams "c5", "c3") per role.
CONTRIBUTION_SCOPE = {
    "c5_facilitator": {"c5"},
    "c3_facilitator": {"c3"},
    "inventory_editor": {"c5", "c3"},
    "secretariat": {"c5", "c3"},
    "superuser": {"c5", "c3"},
}
# Join requests and meeting registrations per role.
TEAM_RECORD_SCOPE = {
    "c5_facilitator": {"c5"},
    "c3_facilitator": {"c3"},
    "secretariat": {"c5", "c3"},
    "superuser": {"c5", "c3"},
}
PUBLISHED_ENTRIES = {"c5_live", "c3_live"}


def entries_named_in(text):
    return {key for key, title in TITLES.items() if title in text}


def assert_entries_in_scope(text, role, complete=False):
    shown = entries_named_in(text)
    scope = ENTRY_SCOPE[role]
    assert shown <= scope, f"LEAK: {role} is shown {sorted(shown - scope)}"
    if complete:
        assert shown == scope, f"{role} misses {sorted(scope - shown)}"


# Who may read the pages that are not public: their team (or the Secretariat's
# tree), and a report's reviewers the report in review.
PAGE_READERS = {
    "c3_draft_meeting": {"c3_facilitator", "secretariat", "superuser"},
    "c3_pending_title": {"c3_facilitator", "secretariat", "superuser"},
    "c4_draft_line": {"secretariat", "superuser"},
    "c4_draft_team": {"secretariat", "superuser"},
    "draft_report": {"secretariat", "superuser"},
    "review_report": {"report_reviewer", "secretariat", "superuser"},
}
ORGANISATION_READERS = {
    "c5_facilitator",
    "c3_facilitator",
    "inventory_editor",
    "secretariat",
    "superuser",
}
DESIGNATION_READERS = {"secretariat", "superuser"}


def page_titles(world):
    return {
        **DRAFT_PAGE_TITLES,
        "draft_report": world.pages["draft_report"].title,
        "review_report": world.pages["review_report"].title,
    }


def forbidden_titles(world, role):
    """Every title ``role`` must never find in a listing of the admin."""
    scope = ENTRY_SCOPE[role]
    titles = {title for key, title in TITLES.items() if key not in scope}
    if "c5_live" not in scope:
        titles.add(PENDING_TITLE)
    titles |= {
        title
        for key, title in page_titles(world).items()
        if role not in PAGE_READERS[key]
    }
    if role not in ORGANISATION_READERS:
        titles.add(ORGANISATION_NAME)
    if role not in DESIGNATION_READERS:
        titles.add(DESIGNATION_ROUND_TITLE)
    return titles


def assert_nothing_forbidden(text, world, role):
    shown = sorted(title for title in forbidden_titles(world, role) if title in text)
    assert not shown, f"LEAK: {role} is shown {shown}"


def assert_public(text):
    """Public output.

    Published entries only, never a contact e-mail, a draft, an editor's reason or
    internal note.
    """
    shown = entries_named_in(text)
    assert shown <= PUBLISHED_ENTRIES, f"LEAK: public output shows {shown}"
    assert PENDING_TITLE not in text, "LEAK: an unpublished revision is public"
    assert REJECTION_REASON not in text, "LEAK: a rejection reason is public"
    assert NOTE_TEXT not in text, "LEAK: an internal note is public"
    for email in CONTACT_EMAILS.values():
        assert email not in text, f"LEAK: contact e-mail {email} is public"


def snippet_url(name, *args):
    return reverse(f"wagtailsnippets_inventory_inventoryentry:{name}", args=args)


def entry(world, key):
    return InventoryEntry.objects.get(pk=world.entries[key].pk)


def revision_count(obj):
    return Revision.objects.for_instance(obj).count()


def get(client, url, marker=None, **params):
    """The answer to a GET; an allowed page must show ``marker``."""
    response = client.get(url, params)
    answer = refusal(response)
    if answer == OK and marker is not None:
        assert marker in body(response), f"{url} does not show {marker!r}"
    return answer


# --- Inventory snippet admin -------------------------------------------------------


def inv_list(world, client, role):
    response = client.get(snippet_url("list"))
    if response.status_code == 200:
        assert_entries_in_scope(body(response), role, complete=True)
        assert_nothing_forbidden(body(response), world, role)  # the team filter
    return refusal(response)


def exported_references(world, response, fmt):
    if fmt == "csv":
        cells = {cell for row in csv_rows(response) for cell in row}
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row}
    return {key for key, e in world.entries.items() if e.reference in cells}


def inventory_export(fmt):
    def action(world, client, role):
        response = client.get(snippet_url("list"), {"export": fmt})
        if response.status_code == 200:
            shown = exported_references(world, response, fmt)
            assert shown <= ENTRY_SCOPE[role], f"LEAK: {role} exports {shown}"
            assert shown == ENTRY_SCOPE[role]
        return refusal(response)

    return action


def inv_add_get(world, client, role):
    return get(client, snippet_url("add"))


def inv_add_post(world, client, role):
    """Files a new entry for the C5 team."""
    title = f"Audit entry filed by {role}"
    data = entry_form_data(title=title, team=world.pages["c5_team"].pk)
    response = client.post(snippet_url("add"), data)
    created = InventoryEntry.objects.filter(title=title).exists()
    return team_refused_or(response, created)


def team_refused_or(response, done):
    """The POST's outcome; a form sent back must be refused for its team."""
    answer = post_outcome(response, done)
    if answer == INVALID:
        assert list(response.context["form"].errors) == ["team"]
    return answer


def inv_edit_get(world, client, role):
    return get(client, snippet_url("edit", world.entries["c5_live"].pk), PENDING_TITLE)


def inv_edit_post(world, client, role):
    """Saves a draft of the C5 entry."""
    current = entry(world, "c5_live")
    revisions = revision_count(current)
    title = f"Audit draft by {role}"
    response = client.post(
        snippet_url("edit", current.pk), entry_form_data(current, title=title)
    )
    after = entry(world, "c5_live")
    assert after.title == TITLES["c5_live"]
    saved = after.get_latest_revision_as_object().title == title
    if not saved:
        assert revision_count(after) == revisions
    return post_outcome(response, saved)


def inv_publish_post(world, client, role):
    """The editor's "Publish" on the C5 entry: live only for those who publish."""
    current = entry(world, "c5_live")
    revisions = revision_count(current)
    title = f"Audit publication by {role}"
    data = {**entry_form_data(current, title=title), "action-publish": "1"}
    response = client.post(snippet_url("edit", current.pk), data)
    after = entry(world, "c5_live")
    if after.title == title:
        return post_outcome(response, True)
    if after.get_latest_revision_as_object().title == title:
        assert refusal(response).startswith("302 /admin/snippets/")
        return DRAFT
    assert revision_count(after) == revisions
    return post_outcome(response, False)


def inv_delete_get(world, client, role):
    return get(client, snippet_url("delete", world.entries["c5_live"].pk))


def inv_delete_post(world, client, role):
    pk = world.entries["c5_live"].pk
    response = client.post(snippet_url("delete", pk))
    return post_outcome(response, not InventoryEntry.objects.filter(pk=pk).exists())


def inv_history(world, client, role):
    pk = world.entries["c5_live"].pk
    return get(client, snippet_url("history", pk), PENDING_TITLE)


def inv_revision_view(world, client, role):
    current = entry(world, "c5_live")
    url = snippet_url("revisions_view", current.pk, current.latest_revision_id)
    return get(client, url, PENDING_TITLE)


def inv_revision_compare(world, client, role):
    url = reverse(
        "wagtailsnippets_inventory_inventoryentry:revisions_compare",
        args=[world.entries["c5_live"].pk, "earliest", "latest"],
    )
    return get(client, url, '<span class="addition">unpublished change</span>')


def inv_revision_revert(world, client, role):
    current = entry(world, "c5_live")
    first = Revision.objects.for_instance(current).order_by("pk").first()
    return get(client, snippet_url("revisions_revert", current.pk, first.pk))


def preview(url, data, marker):
    """Wagtail's preview: the form is POSTed (kept per user), then the GET renders."""

    def run(client):
        response = client.post(url, data)
        if response.status_code != 200:
            return refusal(response)
        assert response.json()["is_valid"] is True
        return get(client, url, marker)

    return run


def inv_preview(world, client, role):
    current = entry(world, "c5_live")
    url = snippet_url("preview_on_edit", current.pk)
    return preview(url, entry_form_data(current), PENDING_TITLE)(client)


def inv_unpublish_post(world, client, role):
    pk = world.entries["c5_live"].pk
    response = client.post(snippet_url("unpublish", pk))
    return post_outcome(response, not InventoryEntry.objects.get(pk=pk).live)


def inv_usage(world, client, role):
    return get(client, snippet_url("usage", world.entries["c5_live"].pk))


def inv_inspect(world, client, role):
    pk = world.entries["c5_live"].pk
    response = client.get(snippet_url("inspect", pk))
    if response.status_code == 200:
        assert TITLES["c5_live"] in body(response)
        assert NOTE_TEXT not in body(response), f"LEAK: {role} reads a note"
    return refusal(response)


# --- Internal notes -----------------------------------------------------------------


def note_url(name, *args):
    return reverse(f"internal_notes:{name}", args=args)


def notes_tab(key):
    """The entry's editor.

    ``ok`` if it shows the notes, ``not shown`` if the editor opens without them.
    """

    def action(world, client, role):
        response = client.get(snippet_url("edit", world.entries[key].pk))
        answer = refusal(response)
        if answer == OK and NOTE_TEXT not in body(response):
            assert "Add an internal note" not in body(response)
            return NOT_SHOWN
        return answer

    return action


def notes_list(world, client, role):
    return get(client, note_url("index"), NOTE_TEXT)


def notes_add_post(world, client, role):
    text = f"Audit note by {role}"
    entry_pk = world.entries["c3_draft"].pk
    response = client.post(note_url("add"), {"entry": entry_pk, "text": text})
    return post_outcome(response, InternalNote.objects.filter(text=text).exists())


def notes_edit_get(world, client, role):
    return get(client, note_url("edit", world.notes["c5_live"].pk), NOTE_TEXT)


def notes_edit_post(world, client, role):
    note = world.notes["c5_live"]
    text = f"Audit note rewritten by {role}"
    data = {"entry": note.entry_id, "text": text}
    response = client.post(note_url("edit", note.pk), data)
    return post_outcome(response, InternalNote.objects.get(pk=note.pk).text == text)


def notes_delete_post(world, client, role):
    pk = world.notes["c3_rejected"].pk
    response = client.post(note_url("delete", pk))
    return post_outcome(response, not InternalNote.objects.filter(pk=pk).exists())


def inv_copy(world, client, role):
    pk = world.entries["c5_live"].pk
    return get(client, snippet_url("copy", pk), TITLES["c5_live"])


def inv_lock_post(world, client, role):
    pk = world.entries["c5_live"].pk
    response = client.post(snippet_url("lock", pk))
    return post_outcome(response, InventoryEntry.objects.get(pk=pk).locked)


def c3_draft_task_state(world):
    return entry(world, "c3_draft").current_workflow_task_state


def inv_workflow_history(world, client, role):
    pk = world.entries["c3_draft"].pk
    return get(client, snippet_url("workflow_history", pk))


def inv_workflow_history_detail(world, client, role):
    state = c3_draft_task_state(world).workflow_state
    url = snippet_url("workflow_history_detail", world.entries["c3_draft"].pk, state.pk)
    return get(client, url, TITLES["c3_draft"])


def inv_workflow_approve_post(world, client, role):
    """Approves C3's entry in moderation: it goes live."""
    pk = world.entries["c3_draft"].pk
    task_state = c3_draft_task_state(world)
    url = snippet_url("workflow_action", pk, "approve", task_state.pk)
    response = client.post(url, {"comment": ""})
    after = InventoryEntry.objects.get(pk=pk)
    if not after.live:
        assert after.current_workflow_task_state == task_state
    return post_outcome(response, after.live)


def inv_bulk_moderation_post(action, data):
    """Approves or rejects C3's entry in moderation with the listing's bulk action.

    Only whom its moderation task lets act on it, one entry at a time.
    """

    def run(world, client, role):
        pk = world.entries["c3_draft"].pk
        listing = snippet_url("list")
        url = f"/admin/bulk/inventory/inventoryentry/{action}/?next={listing}&id={pk}"
        response = client.post(url, data)
        after = InventoryEntry.objects.get(pk=pk)
        return post_outcome(response, not after.workflow_in_progress)

    return run


def inv_mark_duplicate_post(world, client, role):
    """Marks C3's entry in moderation a duplicate of C5's published entry."""
    from inventory.models import DuplicateMark

    pk = world.entries["c3_draft"].pk
    url = reverse("inventory_mark_duplicate", args=[pk])
    response = client.post(url, {"original": world.entries["c5_live"].pk})
    return post_outcome(response, DuplicateMark.objects.filter(entry_id=pk).exists())


def public_confirm_link(world, client, role):
    """The freshness e-mail's "still current" link, with a made-up token."""
    return refusal(client.post("/inventory/confirm/not-a-real-token/"))


def inv_workflow_preview(world, client, role):
    task_state = c3_draft_task_state(world)
    url = snippet_url(
        "workflow_preview", world.entries["c3_draft"].pk, task_state.task_id
    )
    return get(client, url, TITLES["c3_draft"])


def inv_other_team_edit(world, client, role):
    """The edit view of C3's entry in moderation, typed in directly."""
    pk = world.entries["c3_draft"].pk
    return get(client, snippet_url("edit", pk), TITLES["c3_draft"])


def inv_other_team_preview(world, client, role):
    current = entry(world, "c3_draft")
    url = snippet_url("preview_on_edit", current.pk)
    return preview(url, entry_form_data(current), TITLES["c3_draft"])(client)


def inv_other_team_revision(world, client, role):
    current = entry(world, "c3_draft")
    url = snippet_url("revisions_view", current.pk, current.latest_revision_id)
    return get(client, url, TITLES["c3_draft"])


def inv_other_team_history(world, client, role):
    pk = world.entries["c3_draft"].pk
    return get(client, snippet_url("history", pk), TITLES["c3_draft"])


def inv_chooser_chosen_c3(world, client, role):
    """The chooser's answer for C3's entry in moderation (its id typed in)."""
    url = reverse(
        "wagtailsnippetchoosers_inventory_inventoryentry:chosen",
        args=[world.entries["c3_draft"].pk],
    )
    return get(client, url, TITLES["c3_draft"])


# --- Admin reports replaced by team-scoped versions (inventory/admin_reports.py) ------


def admin_report(path, export=None, shows_c3_draft_to=()):
    """A report of the admin: never another team's entry.

    ``shows_c3_draft_to`` the roles that must find C3's entry in moderation in it (a
    positive control).
    """

    def action(world, client, role):
        response = client.get(path, {"export": export} if export else {})
        if response.status_code == 200:
            text = body(response)
            assert_entries_in_scope(text, role)
            assert_nothing_forbidden(text, world, role)
            if role in shows_c3_draft_to:
                assert TITLES["c3_draft"] in text
        return refusal(response)

    return action


# Who holds "change" on entries finds them in Wagtail's workflow reports; the
# site history shows every admin user the log of what they may see.
IN_WORKFLOW_REPORTS = {"c3_facilitator", "superuser"}
IN_SITE_HISTORY = {"c3_facilitator", "inventory_editor", "secretariat", "superuser"}


# --- Annual contributions -------------------------------------------------------------


def contribution_url(name, *args):
    return reverse(f"annual_contributions:{name}", args=args)


def contribution_data(team, year, narrative):
    return {
        "team": team.pk,
        "year": year,
        "narrative": rich_text(narrative),
        "entries": [],
    }


def con_index(world, client, role):
    response = client.get(contribution_url("index"))
    if response.status_code == 200:
        text = body(response)
        shown = {
            key
            for key, contribution in world.contributions.items()
            if contribution_url("edit", contribution.pk) in text
            or contribution_url("inspect", contribution.pk) in text
        }
        scope = CONTRIBUTION_SCOPE[role]
        assert shown <= scope, f"LEAK: {role} lists contributions {shown}"
        assert shown == scope
        assert_nothing_forbidden(text, world, role)  # the team filter
    return refusal(response)


def con_export(world, client, role):
    response = client.get(contribution_url("index"), {"export": "csv"})
    if response.status_code == 200:
        text = body(response)
        shown = {
            key for key in ("c5", "c3") if f"Audit {key.upper()} narrative" in text
        }
        assert shown <= CONTRIBUTION_SCOPE[role], f"LEAK: {role} exports {shown}"
        assert shown == CONTRIBUTION_SCOPE[role]
    return refusal(response)


def con_add_get(world, client, role):
    return get(client, contribution_url("add"))


def con_add_post(world, client, role):
    """A C5 contribution for 2024."""
    team = world.pages["c5_team"]
    data = contribution_data(team, 2024, f"<p>Filed by {role}</p>")
    response = client.post(contribution_url("add"), data)
    created = AnnualContribution.objects.filter(team=team, year=2024).exists()
    return team_refused_or(response, created)


def con_edit_get(world, client, role):
    pk = world.contributions["c5"].pk
    return get(client, contribution_url("edit", pk), "Audit C5 narrative")


def con_edit_post(world, client, role):
    contribution = world.contributions["c5"]
    data = contribution_data(
        world.pages["c5_team"], 2025, f"<p>Rewritten by {role}</p>"
    )
    response = client.post(contribution_url("edit", contribution.pk), data)
    narrative = AnnualContribution.objects.get(pk=contribution.pk).narrative
    return post_outcome(response, f"Rewritten by {role}" in narrative)


def con_delete_post(world, client, role):
    pk = world.contributions["c5"].pk
    response = client.post(contribution_url("delete", pk))
    return post_outcome(response, not AnnualContribution.objects.filter(pk=pk).exists())


def con_inspect(world, client, role):
    pk = world.contributions["c5"].pk
    return get(client, contribution_url("inspect", pk), "Audit C5 narrative")


def con_history(world, client, role):
    return get(client, contribution_url("history", world.contributions["c5"].pk))


def con_other_team_inspect(world, client, role):
    pk = world.contributions["c3"].pk
    return get(client, contribution_url("inspect", pk), "Audit C3 narrative")


def con_copy(world, client, role):
    pk = world.contributions["c5"].pk
    return get(client, contribution_url("copy", pk), "Audit C5 narrative")


# --- The dashboard's panels ---------------------------------------------------------


def dashboard_panel(heading_id):
    """The dashboard opens for every admin user; ``ok`` if it shows the panel."""

    def action(world, client, role):
        response = client.get(reverse("wagtailadmin_home"))
        answer = refusal(response)
        if answer == OK:
            assert_nothing_forbidden(body(response), world, role)
            if f'id="{heading_id}"' not in body(response):
                return NOT_SHOWN
        return answer

    return action


# --- Periodic reports (pages) ---------------------------------------------------------


def page_admin(name, *args):
    return reverse(f"wagtailadmin_pages:{name}", args=args)


def report(world, key="draft_report"):
    return ReportPage.objects.get(pk=world.pages[key].pk)


def rpt_add_get(world, client, role):
    url = page_admin("add", "reporting", "reportpage", world.pages["report_index"].pk)
    return get(client, url)


def rpt_edit_get(world, client, role):
    return get(client, page_admin("edit", world.pages["draft_report"].pk))


def rpt_edit_post(world, client, role):
    page = report(world)
    revisions = page.revisions.count()
    marker = f"Summary rewritten by {role}"
    data = report_page_data(page, summary=f"<p>{marker}</p>")
    response = client.post(page_admin("edit", page.pk), data)
    after = report(world)
    saved = marker in after.get_latest_revision_as_object().summary
    if not saved:
        assert after.revisions.count() == revisions
    assert after.live is False
    return post_outcome(response, saved)


def rpt_publish_post(world, client, role):
    """The editor's "Publish" on the draft report, which was never reviewed."""
    page = report(world)
    revisions = page.revisions.count()
    data = {**report_page_data(page), "action-publish": "1"}
    response = client.post(page_admin("edit", page.pk), data)
    after = report(world)
    if after.live:
        return post_outcome(response, True)
    if after.revisions.count() > revisions:
        return DRAFT
    return post_outcome(response, False)


def rpt_assemble_post(world, client, role):
    page = report(world)
    before = ReportAssembly.objects.filter(report=page).count()
    response = client.post(reverse("reporting_assemble", args=[page.pk]))
    after = ReportAssembly.objects.filter(report=page).count()
    return post_outcome(response, after > before)


def rpt_assembly_status(world, client, role):
    url = reverse("reporting_assembly", args=[world.assembly.pk])
    return get(client, url, world.pages["draft_report"].title)


def rpt_preview(world, client, role):
    page = report(world)
    url = page_admin("preview_on_edit", page.pk)
    return preview(url, report_page_data(page), DRAFT_REPORT_SUMMARY)(client)


def rpt_view_draft(world, client, role):
    url = page_admin("view_draft", world.pages["draft_report"].pk)
    return get(client, url, DRAFT_REPORT_SUMMARY)


def rpt_revision_view(world, client, role):
    page = report(world)
    url = page_admin("revisions_view", page.pk, page.latest_revision_id)
    return get(client, url, DRAFT_REPORT_SUMMARY)


def rpt_revision_compare(world, client, role):
    url = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[world.pages["draft_report"].pk, "earliest", "latest"],
    )
    return get(client, url)


def rpt_history(world, client, role):
    return get(client, page_admin("history", world.pages["draft_report"].pk))


def rpt_delete_post(world, client, role):
    pk = world.pages["draft_report"].pk
    response = client.post(page_admin("delete", pk))
    return post_outcome(response, not ReportPage.objects.filter(pk=pk).exists())


def rpt_unpublish_post(world, client, role):
    pk = world.pages["live_report"].pk
    response = client.post(page_admin("unpublish", pk))
    return post_outcome(response, not ReportPage.objects.get(pk=pk).live)


def rpt_copy_and_publish_post(world, client, role):
    """A published copy of the published report would be a report nobody reviewed."""
    page = report(world, "live_report")
    data = {
        "new_title": "Audit copy",
        "new_slug": "audit-copy",
        "new_parent_page": world.pages["report_index"].pk,
        "publish_copies": "on",
    }
    response = client.post(page_admin("copy", page.pk), data)
    copy = ReportPage.objects.filter(slug="audit-copy").first()
    if copy is not None and not copy.live:
        return DRAFT
    return post_outcome(response, copy is not None)


def rpt_delete_published_post(world, client, role):
    pk = world.pages["live_report"].pk
    response = client.post(page_admin("delete", pk))
    return post_outcome(response, not ReportPage.objects.filter(pk=pk).exists())


def rpt_explore(world, client, role):
    """The page explorer under /reports/, which lists the draft reports.

    Wagtail sends a user whose pages are elsewhere to their own area instead.
    """
    url = reverse("wagtailadmin_explore", args=[world.pages["report_index"].pk])
    response = client.get(url)
    if response.status_code == 302 and role.endswith("_facilitator"):
        team = world.pages[f"{role[:2]}_team"]
        if response["Location"] == reverse("wagtailadmin_explore", args=[team.pk]):
            return OWN_AREA
    answer = refusal(response)
    if answer == OK:
        assert world.pages["draft_report"].title in body(response)
    return answer


def review_task_state(world):
    return report(world, "review_report").current_workflow_task_state


def rpt_review_edit_get(world, client, role):
    """The editor of the report that is in the editorial review."""
    return get(client, page_admin("edit", world.pages["review_report"].pk))


def rpt_review_edit_post(world, client, role):
    """Saves a change to the report that is in the editorial review."""
    page = report(world, "review_report")
    revisions = page.revisions.count()
    marker = f"Review wording by {role}"
    data = report_page_data(page, summary=f"<p>{marker}</p>")
    response = client.post(page_admin("edit", page.pk), data)
    after = report(world, "review_report")
    saved = marker in after.get_latest_revision_as_object().summary
    if not saved:
        assert after.revisions.count() == revisions
    assert after.live is False
    return post_outcome(response, saved)


def rpt_review_workflow_history(world, client, role):
    url = page_admin("workflow_history", world.pages["review_report"].pk)
    return get(client, url, "Editorial review")


def rpt_review_approve_post(world, client, role):
    task_state = review_task_state(world)
    url = page_admin(
        "workflow_action", world.pages["review_report"].pk, "approve", task_state.pk
    )
    response = client.post(url, {"comment": ""})
    current = review_task_state(world)
    return post_outcome(response, current != task_state)


def rpt_review_preview(world, client, role):
    task_state = review_task_state(world)
    url = page_admin(
        "workflow_preview", world.pages["review_report"].pk, task_state.task_id
    )
    return get(client, url, world.pages["review_report"].title)


# --- Designation register (snippet) -------------------------------------------------


def designation_url(name, *args):
    return reverse(f"wagtailsnippets_action_lines_designationround:{name}", args=args)


def designation_data(world, title):
    return nested_form_data(
        {
            "action_line": world.pages["c5"].pk,
            "title": title,
            "opened_on": "2025-01-01",
            "status": "open",
            "candidates": inline_formset([]),
            "council_advice": inline_formset([]),
            "recommendation_date": "",
            "recommendation_text": rich_text(""),
            "recommendation_document": "",
            "designations": inline_formset([]),
            "notes": "",
        }
    )


def des_list(world, client, role):
    return get(client, designation_url("list"), "Audit C5 designation round")


def des_add_post(world, client, role):
    title = f"Audit round opened by {role}"
    response = client.post(designation_url("add"), designation_data(world, title))
    return post_outcome(response, DesignationRound.objects.filter(title=title).exists())


def des_edit_get(world, client, role):
    url = designation_url("edit", world.designation_round.pk)
    return get(client, url, "Audit C5 designation round")


def des_edit_post(world, client, role):
    pk = world.designation_round.pk
    title = f"Audit round renamed by {role}"
    response = client.post(designation_url("edit", pk), designation_data(world, title))
    return post_outcome(response, DesignationRound.objects.get(pk=pk).title == title)


def des_delete_post(world, client, role):
    pk = world.designation_round.pk
    response = client.post(designation_url("delete", pk))
    return post_outcome(response, not DesignationRound.objects.filter(pk=pk).exists())


def des_history(world, client, role):
    return get(client, designation_url("history", world.designation_round.pk))


def des_compare(world, client, role):
    url = reverse(
        "wagtailsnippets_action_lines_designationround:revisions_compare",
        args=[world.designation_round.pk, "earliest", "latest"],
    )
    return get(client, url)


def des_round(world):
    return DesignationRound.objects.get(pk=world.designation_round.pk)


def des_step_get(world, client, role):
    url = designation_url("move", world.designation_round.pk, "consult")
    return get(client, url, "Close the consultations")


def des_step_post(world, client, role):
    """Closes the consultations of the open C5 round (its candidate accepts)."""
    before = des_round(world)
    logged = ModelLogEntry.objects.for_instance(before).count()
    url = designation_url("move", before.pk, "consult")
    response = client.post(url, {"note": ""})
    after = des_round(world)
    moved = after.status == "consulted"
    if not moved:
        assert after.status == before.status
        assert ModelLogEntry.objects.for_instance(after).count() == logged
    return post_outcome(response, moved)


def des_refused_step_post(world, client, role):
    """Designated straight from open consultations: never, for anyone."""
    before = des_round(world)
    url = designation_url("move", before.pk, "designate")
    response = client.post(url, {"note": ""})
    after = des_round(world)
    assert after.status == before.status
    if response.status_code == 200:
        assert "This step is not open to a round" in body(response)
    return post_outcome(response, False)


def public_designation_round(world, client, role):
    """The round's public page.

    Its step, never its notes, nor a recommendation that has not been sent.
    """
    url = f"{page_url(world.pages['c5'])}designations/{world.designation_round.pk}/"
    response = client.get(url)
    if response.status_code == 200:
        text = body(response)
        assert "Audit C5 designation round" in text
        assert ROUND_NOTES not in text, "LEAK: the round's internal notes"
        assert ROUND_RECOMMENDATION not in text, "LEAK: an unsent recommendation"
    return refusal(response)


def fw_edit_get(world, client, role):
    return get(client, page_admin("edit", world.pages["framework"].pk), FRAMEWORK_DRAFT)


def fw_compare(world, client, role):
    page = world.pages["framework"]
    revisions = list(page.revisions.order_by("pk").values_list("pk", flat=True))
    url = page_admin("revisions_compare", page.pk, revisions[0], revisions[-1])
    return get(client, url, "change not yet published")


def public_framework(suffix="", key="framework"):
    def action(world, client, role):
        response = client.get(page_url(world.pages[key]) + suffix)
        if response.status_code == 200:
            text = body(response)
            assert FRAMEWORK_DRAFT not in text, "LEAK: an unpublished framework"
            assert FRAMEWORK_TEXT in text
        return refusal(response)

    return action


# --- Join requests and meeting registrations (wagtail-modeladmin) ------------------


def modeladmin_url(model, action, *args):
    return reverse(f"action_lines_{model}_modeladmin_{action}", args=args)


def team_records_in(text, records, field):
    return {key for key, record in records.items() if getattr(record, field) in text}


def modeladmin_index(model, records_attr, field):
    def action(world, client, role):
        response = client.get(modeladmin_url(model, "index"))
        if response.status_code == 200:
            records = getattr(world, records_attr)
            shown = team_records_in(body(response), records, field)
            scope = TEAM_RECORD_SCOPE[role]
            assert shown <= scope, f"LEAK: {role} lists {model} of {shown}"
            assert shown == scope
            # The filters on the team and the meeting.
            assert_nothing_forbidden(body(response), world, role)
        return refusal(response)

    return action


def modeladmin_export_of_c3(model, records_attr, filter_param, filter_value):
    """The CSV export, filtered on C3's team (or meeting)."""

    def action(world, client, role):
        params = {"export": "csv", filter_param: filter_value(world)}
        response = client.get(modeladmin_url(model, "index"), params)
        if response.status_code == 200:
            records = getattr(world, records_attr)
            shown = team_records_in(body(response), records, "email")
            scope = TEAM_RECORD_SCOPE[role]
            assert shown <= scope, f"LEAK: {role} exports {model} of {shown}"
            assert shown == scope & {"c3"}
        return refusal(response)

    return action


def jr_inspect_c3(world, client, role):
    request = world.join_requests["c3"]
    return get(
        client,
        modeladmin_url("teammembershiprequest", "inspect", request.pk),
        request.email,
    )


def jr_history_c5(world, client, role):
    request = world.join_requests["c5"]
    url = modeladmin_url("teammembershiprequest", "history", request.pk)
    return get(client, url, request.organisation_name)


def jr_decide_post(world, client, role):
    """Accepts C5's pending join request."""
    request = world.join_requests["c5"]
    url = modeladmin_url("teammembershiprequest", "decide", request.pk)
    response = client.post(url, {"decision": RequestStatus.ACCEPTED, "note": ""})
    status = TeamMembershipRequest.objects.get(pk=request.pk).status
    return post_outcome(response, status == RequestStatus.ACCEPTED)


def jr_create_get(world, client, role):
    return get(client, modeladmin_url("teammembershiprequest", "create"))


def jr_edit_get(world, client, role):
    pk = world.join_requests["c5"].pk
    return get(client, modeladmin_url("teammembershiprequest", "edit", pk))


def jr_delete_post(world, client, role):
    pk = world.join_requests["c3"].pk
    response = client.post(modeladmin_url("teammembershiprequest", "delete", pk))
    gone = not TeamMembershipRequest.objects.filter(pk=pk).exists()
    return post_outcome(response, gone)


def reg_inspect_c3(world, client, role):
    registration = world.registrations["c3"]
    url = modeladmin_url("meetingregistration", "inspect", registration.pk)
    return get(client, url, registration.email)


def reg_history_c5(world, client, role):
    registration = world.registrations["c5"]
    url = modeladmin_url("meetingregistration", "history", registration.pk)
    return get(client, url, registration.name)


def reg_delete_post(world, client, role):
    pk = world.registrations["c3"].pk
    response = client.post(modeladmin_url("meetingregistration", "delete", pk))
    gone = not MeetingRegistration.objects.filter(pk=pk).exists()
    return post_outcome(response, gone)


# --- Public side ----------------------------------------------------------------------


def public_entry(key):
    def action(world, client, role):
        response = client.get(f"/inventory/entries/{world.entries[key].pk}/")
        if response.status_code == 200:
            text = body(response)
            assert TITLES[key] in text
            assert_public(text)
        return refusal(response)

    return action


def public_status(key, with_key=False):
    """Return /inventory/status/ with a reference or a status key.

    /inventory/status/ with an entry's reference (public for published entries), or
    with the key of the submitter's status link.
    """

    def action(world, client, role):
        entry = world.entries[key]
        params = {"reference": entry.reference}
        if with_key:
            params["key"] = entry.status_key()
        response = client.get("/inventory/status/", params)
        assert response.status_code == 200, response.status_code
        text = body(response)
        assert entry.reference in text
        assert NOTE_TEXT not in text, "LEAK: an internal note is on the status page"
        assert CONTACT_EMAILS[key] not in text
        if with_key:
            if key == "c3_rejected":
                assert REJECTION_REASON in text
        else:
            assert_public(text)
        return OK

    return action


def public_listing(path, **params):
    def action(world, client, role):
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code
        text = body(response)
        assert_public(text)
        if "q" not in params:  # the database search backend indexes on commit
            assert entries_named_in(text) == PUBLISHED_ENTRIES
        return OK

    return action


def public_report(key, suffix=""):
    def action(world, client, role):
        response = client.get(page_url(world.pages[key]) + suffix)
        if response.status_code == 200:
            assert LIVE_REPORT_DRAFT_SUMMARY not in body(response)
        return refusal(response)

    return action


def public_reports(path, **params):
    """Public listings of reports: the published one only."""

    def action(world, client, role):
        response = client.get(path, params)
        assert response.status_code == 200, response.status_code
        text = body(response)
        for key in ("draft_report", "review_report"):
            assert world.pages[key].title not in text, f"LEAK: {key} is listed"
        if path == "/reports/":
            assert world.pages["live_report"].title in text
        return OK

    return action


# --- Every other admin view that lists objects (home/scoped_admin.py) -----------------


def readers_find(key, *titles):
    """A positive control: the readers of ``key`` find ``titles`` (by key or text)."""

    def expect(world, role):
        if role not in PAGE_READERS.get(key, ()) and role not in READERS.get(key, ()):
            return set()
        names = page_titles(world)
        return {names.get(title, title) for title in titles}

    return expect


READERS = {
    "organisation": ORGANISATION_READERS,
    "designation": DESIGNATION_READERS,
}


def listing(url, params=None, complete_entries=False, finds=None):
    """A view of the admin that lists objects: nothing the role may not see.

    ``url`` is a function of the world; ``complete_entries`` asks for every entry
    of the role's scope; ``finds(world, role)`` the titles it must show (the
    searches find nothing through the database backend's index inside the
    audit's transaction, so they have none).
    """

    def action(world, client, role):
        response = client.get(url(world), params or {})
        if response.status_code == 200:
            text = body(response)
            assert_nothing_forbidden(text, world, role)
            assert_entries_in_scope(text, role, complete=complete_entries)
            for title in finds(world, role) if finds else ():
                assert title in text, f"{role} does not find {title!r}"
        return refusal(response)

    return action


def localize_api(app_label, model_name, *pk):
    return lambda world: reverse(
        "wagtail_localize:snippets_api_" + ("detail" if pk else "listing"),
        args=[app_label, model_name, *(key(world) for key in pk)],
    )


def bulk(app_label, model_name, action, query):
    def url(world):
        base = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
        return f"{base}?{query(world)}"

    return url


def page_ids(*keys):
    return lambda world: "&".join(f"id={world.pages[key].pk}" for key in keys)


def every_entry(world):
    return "&".join(f"id={entry.pk}" for entry in world.entries.values())


def child_of(key):
    return lambda world: f"id=all&childOf={world.pages[key].pk}"


def fixed(path):
    return lambda world: path


def chooser(name, *args):
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def page_pk(key):
    return lambda world: world.pages[key].pk


def published_title(key):
    """The page's published title, for a role that may not read its draft."""

    def expect(world, role):
        if role in PAGE_READERS["c3_pending_title"]:
            return {DRAFT_PAGE_TITLES["c3_pending_title"]}
        return {world.pages[key].title}

    return expect


def chooser_create_post(world, client, role):
    """The inventory chooser has no "create" tab: its address creates nothing."""
    title = f"Audit entry created in the chooser by {role}"
    data = entry_form_data(title=title, team=world.pages["c5_team"].pk)
    url = reverse("wagtailsnippetchoosers_inventory_inventoryentry:create")
    response = client.post(url, data)
    created = InventoryEntry.objects.filter(title=title).exists()
    return post_outcome(response, created)


def translate_organisation_post(world, client, role):
    """Translates the organisation into French (a new, French organisation)."""
    from wagtail.models import Locale

    organisation = world.organisation
    url = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["home", "stakeholderorganisation", organisation.pk],
    )
    french = Locale.objects.get(language_code="fr")
    response = client.post(url, {"locales": [french.pk]})
    done = StakeholderOrganisation.objects.filter(
        translation_key=organisation.translation_key, locale=french
    ).exists()
    return post_outcome(response, done)


LISTINGS = {
    # wagtail-localize's snippet API (its editor's snippet choosers).
    "localize API: entries": listing(
        localize_api("inventory", "inventoryentry"), complete_entries=True
    ),
    "localize API: C3 entry in moderation": listing(
        localize_api(
            "inventory", "inventoryentry", lambda world: world.entries["c3_draft"].pk
        )
    ),
    "localize API: designation rounds": listing(
        localize_api("action_lines", "designationround"),
        finds=readers_find("designation", DESIGNATION_ROUND_TITLE),
    ),
    "localize API: organisations": listing(
        localize_api("home", "stakeholderorganisation"),
        finds=readers_find("organisation", ORGANISATION_NAME),
    ),
    # Bulk-action confirmation pages.
    "bulk delete every entry (confirm)": listing(
        bulk("inventory", "inventoryentry", "delete", lambda world: "id=all"),
        complete_entries=True,
    ),
    "bulk delete entries by id (confirm)": listing(
        bulk("inventory", "inventoryentry", "delete", every_entry),
        complete_entries=True,
    ),
    "bulk delete designation rounds (confirm)": listing(
        bulk("action_lines", "designationround", "delete", lambda world: "id=all"),
        finds=readers_find("designation", DESIGNATION_ROUND_TITLE),
    ),
    "bulk delete organisations (confirm)": listing(
        bulk("home", "stakeholderorganisation", "delete", lambda world: "id=all"),
        finds=readers_find("organisation", ORGANISATION_NAME),
    ),
    "bulk delete C3 meetings (confirm)": listing(
        bulk("wagtailcore", "page", "delete", child_of("c3_meetings")),
        finds=readers_find("c3_draft_meeting", "c3_draft_meeting"),
    ),
    "bulk publish unpublished pages (confirm)": listing(
        bulk(
            "wagtailcore",
            "page",
            "publish",
            page_ids("c3_draft_meeting", "c3_meeting", "draft_report", "c4_draft_team"),
        ),
        finds=readers_find("c3_draft_meeting", "c3_draft_meeting"),
    ),
    "bulk move reports (confirm)": listing(
        bulk("wagtailcore", "page", "move", child_of("report_index")),
        finds=readers_find("draft_report", "draft_report"),
    ),
    # Wagtail's page reports, search and listings by type.
    "report page types usage": listing(fixed("/admin/reports/page-types-usage/")),
    "report page types usage csv": listing(
        fixed("/admin/reports/page-types-usage/"), params={"export": "csv"}
    ),
    "report locked pages": listing(
        fixed("/admin/reports/locked/"),
        finds=readers_find("c3_pending_title", "c3_pending_title"),
    ),
    "report aging pages": listing(fixed("/admin/reports/aging-pages/")),
    "page search": listing(fixed("/admin/pages/search/"), params={"q": "Audit"}),
    "pages of type meeting": listing(
        chooser(
            "wagtailadmin_pages:type_use",
            lambda w: "action_lines",
            lambda w: "meetingpage",
        ),
        finds=readers_find("c3_draft_meeting", "c3_draft_meeting"),
    ),
    "admin API: page search": listing(
        fixed("/admin/api/main/pages/"), params={"search": "Audit"}
    ),
    "admin API: pages under C3 meetings": listing(
        lambda world: f"/admin/api/main/pages/?child_of={world.pages['c3_meetings'].pk}"
    ),
    # The page chooser (links, page fields, move and copy destinations).
    "page chooser under C3 meetings": listing(
        chooser("wagtailadmin_choose_page_child", page_pk("c3_meetings")),
        finds=published_title("c3_meeting"),
    ),
    "page chooser under /reports/": listing(
        chooser("wagtailadmin_choose_page_child", page_pk("report_index")),
        finds=lambda world, role: {world.pages["live_report"].title},
    ),
    "page chooser search": listing(
        fixed("/admin/choose-page/search/"), params={"q": "Audit"}
    ),
    "page chooser returns unpublished pages": listing(
        lambda world: (
            "/admin/choose-page/chosen-multiple/?"
            + page_ids(
                "c3_draft_meeting", "c3_meeting", "draft_report", "c4_draft_team"
            )(world)
        ),
        finds=published_title("c3_meeting"),
    ),
    "page chooser opens C3 draft meeting": listing(
        chooser("wagtailadmin_choose_page_child", page_pk("c3_draft_meeting")),
        finds=readers_find("c3_draft_meeting", "c3_draft_meeting"),
    ),
    # Snippet choosers.
    "entry chooser": listing(
        chooser("wagtailsnippetchoosers_inventory_inventoryentry:choose"),
        complete_entries=True,
    ),
    "entry chooser search": listing(
        chooser("wagtailsnippetchoosers_inventory_inventoryentry:choose_results"),
        params={"q": "Audit"},
    ),
    "entry chooser create (POST)": chooser_create_post,
    "designation chooser": listing(
        chooser("wagtailsnippetchoosers_action_lines_designationround:choose"),
        finds=readers_find("designation", DESIGNATION_ROUND_TITLE),
    ),
    "designation chooser returns the round": listing(
        chooser(
            "wagtailsnippetchoosers_action_lines_designationround:chosen",
            lambda world: world.designation_round.pk,
        ),
        finds=readers_find("designation", DESIGNATION_ROUND_TITLE),
    ),
    "organisation chooser": listing(
        chooser("wagtailsnippetchoosers_home_stakeholderorganisation:choose"),
        finds=readers_find("organisation", ORGANISATION_NAME),
    ),
    # Translating an organisation (wagtail-localize).
    "translate organisation into French (POST)": translate_organisation_post,
}


# --- My WSIS: the account holder's records ------------------------------------------


def account_thing(world, key):
    return world.account[key]


def my_page(path, shows_owner_text=None):
    """A My WSIS page of the account holder's.

    Its text never reaches anyone else, even where the page opens for them (another
    account's own list).
    """

    def action(world, client, role):
        response = client.get(path(world) if callable(path) else path)
        text = body(response) if response.status_code == 200 else ""
        owner_text = shows_owner_text(world) if shows_owner_text else ()
        for marker in owner_text:
            if role == "account_holder":
                assert marker in text, f"the account holder misses {marker!r}"
            else:
                assert marker not in text, f"LEAK: {role} is shown {marker!r}"
        return refusal(response)

    return action


def my_entry_url(suffix=""):
    return lambda world: f"/my/activities/{account_thing(world, 'entry').pk}/{suffix}"


def my_propose_post(world, client, role):
    entry = account_thing(world, "entry")
    before = revision_count(entry)
    from tests.helpers.public_forms import submission

    response = client.post(
        f"/my/activities/{entry.pk}/edit/", submission(title="Audit hijacked title")
    )
    done = revision_count(entry) == before + 1
    return post_outcome(response, done) if done else refusal(response)


def my_cancel_post(world, client, role):
    registration = account_thing(world, "registration")
    response = client.post(f"/my/meetings/{registration.pk}/cancel/")
    gone = not MeetingRegistration.objects.filter(pk=registration.pk).exists()
    return post_outcome(response, gone) if gone else refusal(response)


def my_renew_feed_post(world, client, role):
    from accounts.models import SavedSearch

    search = account_thing(world, "search")
    response = client.post(f"/my/searches/{search.pk}/", {"action": "renew"})
    renewed = SavedSearch.objects.get(pk=search.pk).feed_token != search.feed_token
    return post_outcome(response, renewed) if renewed else refusal(response)


def my_claim_link(world, client, role):
    """The claim link e-mailed for the account holder (its orphan's address)."""
    from accounts.claims import claim_token
    from accounts.models import EntryClaim

    token = claim_token(world.users["account_holder"], CONTACT_EMAILS["orphan"])
    response = client.post(f"/my/claim/{token}/")
    if EntryClaim.objects.filter(entry=world.entries["orphan"]).exists():
        assert role == "account_holder", f"LEAK: {role} claimed with another's link"
        return OK
    return refusal(response)


def my_feed(world, client, role):
    """A saved search's feed.

    Public to whoever has its address, and public entries only.
    """
    token = account_thing(world, "search").feed_token
    response = client.get(f"/my/feeds/{token}/")
    if response.status_code == 200:
        assert_public(body(response))
    return refusal(response)


def admin_proposed_organisations(world, client, role):
    return refusal(client.get("/admin/accounts/proposed-organisations/"))


def admin_accounts_entries(world, client, role):
    response = client.get("/admin/accounts/entries/")
    if response.status_code == 200:
        assert_nothing_forbidden(body(response), world, role)
    return refusal(response)


def admin_assign_post(world, client, role):
    from accounts.models import EntryClaim

    entry = world.entries["orphan"]
    response = client.post(
        "/admin/accounts/entries/new/",
        {"entry": entry.pk, "account_email": world.users["other_account"].email},
    )
    done = EntryClaim.objects.filter(
        entry=entry, user=world.users["other_account"]
    ).exists()
    return post_outcome(response, done)


def admin_staff_sign_in(world, client, role):
    from accounts.models import StaffSignInSettings

    pk = StaffSignInSettings.load().pk
    return refusal(client.get(f"/admin/settings/accounts/staffsigninsettings/{pk}/"))


MY_ACTIONS = {
    "my WSIS overview": my_page("/my/"),
    "my activities list": my_page(
        "/my/activities/",
        shows_owner_text=lambda world: [TITLES["account_rejected"]],
    ),
    "my activity of the account holder": my_page(
        my_entry_url(),
        shows_owner_text=lambda world: [TITLES["account_rejected"], ACCOUNT_REASON],
    ),
    "my update form of the account holder's entry": my_page(my_entry_url("edit/")),
    "my update of the account holder's entry (POST)": my_propose_post,
    "my teams list": my_page("/my/teams/", shows_owner_text=lambda world: ["C5 team"]),
    "my meetings list": my_page(
        "/my/meetings/", shows_owner_text=lambda world: ["C5 audit meeting"]
    ),
    "my cancel the account holder's registration (POST)": my_cancel_post,
    "my saved searches list": my_page(
        "/my/searches/",
        shows_owner_text=lambda world: [
            "Audit account holder search",
            account_thing(world, "search").feed_token,
        ],
    ),
    "my renew the account holder's feed (POST)": my_renew_feed_post,
    "my feed of the account holder's search": my_feed,
    "my claim with the account holder's link (POST)": my_claim_link,
    "my data download": my_page("/my/data/download/"),
    "my account deletion (form)": my_page("/my/delete/"),
    "admin proposed organisations": admin_proposed_organisations,
    "admin accounts' entries": admin_accounts_entries,
    "admin assign an entry to an account (POST)": admin_assign_post,
    "admin staff sign-in settings": admin_staff_sign_in,
}


# --- The matrix -----------------------------------------------------------------------

ACTIONS = {
    # Inventory snippet admin (the C5 entry, published, with a draft change).
    "inventory list": inv_list,
    "inventory export csv": inventory_export("csv"),
    "inventory export xlsx": inventory_export("xlsx"),
    "inventory add (form)": inv_add_get,
    "inventory add for C5 (POST)": inv_add_post,
    "inventory edit C5 entry": inv_edit_get,
    "inventory save draft of C5 entry (POST)": inv_edit_post,
    "inventory publish C5 entry (POST)": inv_publish_post,
    "inventory delete C5 entry (confirm)": inv_delete_get,
    "inventory delete C5 entry (POST)": inv_delete_post,
    "inventory history of C5 entry": inv_history,
    "inventory revision of C5 entry": inv_revision_view,
    "inventory compare revisions of C5 entry": inv_revision_compare,
    "inventory revert C5 entry (form)": inv_revision_revert,
    "inventory preview C5 entry": inv_preview,
    "inventory unpublish C5 entry (POST)": inv_unpublish_post,
    "inventory usage of C5 entry": inv_usage,
    "inventory inspect C5 entry": inv_inspect,
    "inventory copy C5 entry (form)": inv_copy,
    "inventory lock C5 entry (POST)": inv_lock_post,
    "inventory chooser returns C3 entry": inv_chooser_chosen_c3,
    # The inventory editors' internal notes.
    "inventory notes tab of C5 entry": notes_tab("c5_live"),
    "notes list": notes_list,
    "notes add on C3 entry (POST)": notes_add_post,
    "notes edit (form)": notes_edit_get,
    "notes edit (POST)": notes_edit_post,
    "notes delete (POST)": notes_delete_post,
    # C3's entry in moderation.
    "inventory edit C3 entry in moderation": inv_other_team_edit,
    "inventory preview C3 entry": inv_other_team_preview,
    "inventory revision of C3 entry": inv_other_team_revision,
    "inventory history of C3 entry": inv_other_team_history,
    "inventory workflow history of C3 entry": inv_workflow_history,
    "inventory workflow history detail of C3 entry": inv_workflow_history_detail,
    "inventory workflow preview of C3 entry": inv_workflow_preview,
    "inventory approve C3 entry (POST)": inv_workflow_approve_post,
    "inventory bulk approve C3 entry (POST)": inv_bulk_moderation_post("approve", {}),
    "inventory bulk reject C3 entry (POST)": inv_bulk_moderation_post(
        "reject", {"comment": "Repeats a published activity."}
    ),
    "inventory mark C3 entry a duplicate (POST)": inv_mark_duplicate_post,
    "public freshness confirm link (made-up)": public_confirm_link,
    # Wagtail's reports, scoped to the teams.
    "report workflow": admin_report(
        "/admin/reports/workflow/", shows_c3_draft_to=IN_WORKFLOW_REPORTS
    ),
    "report workflow csv": admin_report(
        "/admin/reports/workflow/", "csv", shows_c3_draft_to=IN_WORKFLOW_REPORTS
    ),
    "report workflow tasks": admin_report(
        "/admin/reports/workflow_tasks/", shows_c3_draft_to=IN_WORKFLOW_REPORTS
    ),
    "report site history": admin_report(
        "/admin/reports/site-history/", shows_c3_draft_to=IN_SITE_HISTORY
    ),
    "report site history csv": admin_report(
        "/admin/reports/site-history/", "csv", shows_c3_draft_to=IN_SITE_HISTORY
    ),
    # Annual contributions.
    "contributions list": con_index,
    "contributions export csv": con_export,
    "contributions add (form)": con_add_get,
    "contributions add for C5 (POST)": con_add_post,
    "contributions edit C5's": con_edit_get,
    "contributions save C5's (POST)": con_edit_post,
    "contributions delete C5's (POST)": con_delete_post,
    "contributions inspect C5's": con_inspect,
    "contributions inspect C3's": con_other_team_inspect,
    "contributions history of C5's": con_history,
    "contributions copy C5's (form)": con_copy,
    # Dashboard.
    "dashboard contributions panel": dashboard_panel("contributions-heading"),
    "dashboard moderation panel": dashboard_panel("moderation-heading"),
    # Periodic reports.
    "reports add (form)": rpt_add_get,
    "reports edit draft": rpt_edit_get,
    "reports save draft (POST)": rpt_edit_post,
    "reports publish draft (POST)": rpt_publish_post,
    "reports copy and publish (POST)": rpt_copy_and_publish_post,
    "reports assemble (POST)": rpt_assemble_post,
    "reports assembly progress": rpt_assembly_status,
    "reports preview draft": rpt_preview,
    "reports view draft": rpt_view_draft,
    "reports revision of draft": rpt_revision_view,
    "reports compare revisions": rpt_revision_compare,
    "reports history": rpt_history,
    "reports delete draft (POST)": rpt_delete_post,
    "reports unpublish published (POST)": rpt_unpublish_post,
    "reports delete published (POST)": rpt_delete_published_post,
    "reports explorer of /reports/": rpt_explore,
    "reports edit report in review": rpt_review_edit_get,
    "reports save report in review (POST)": rpt_review_edit_post,
    "reports preview for review task": rpt_review_preview,
    "reports workflow history of report in review": rpt_review_workflow_history,
    "reports approve editorial review (POST)": rpt_review_approve_post,
    # Designation register.
    "designations list": des_list,
    "designations add (POST)": des_add_post,
    "designations edit": des_edit_get,
    "designations save (POST)": des_edit_post,
    "designations delete (POST)": des_delete_post,
    "designations history": des_history,
    "designations compare revisions": des_compare,
    "designations step (confirm)": des_step_get,
    "designations step (POST)": des_step_post,
    "designations step its rules refuse (POST)": des_refused_step_post,
    "frameworks edit": fw_edit_get,
    "frameworks compare revisions": fw_compare,
    # Join requests and meeting registrations.
    "join requests list": modeladmin_index(
        "teammembershiprequest", "join_requests", "organisation_name"
    ),
    "join requests csv of C3": modeladmin_export_of_c3(
        "teammembershiprequest",
        "join_requests",
        "team__id__exact",
        lambda world: world.pages["c3_team"].pk,
    ),
    "join requests inspect C3's": jr_inspect_c3,
    "join requests history of C5's": jr_history_c5,
    "join requests decide C5's (POST)": jr_decide_post,
    "join requests create (form)": jr_create_get,
    "join requests edit (form)": jr_edit_get,
    "join requests delete C3's (POST)": jr_delete_post,
    "registrations list": modeladmin_index(
        "meetingregistration", "registrations", "name"
    ),
    "registrations csv of C3": modeladmin_export_of_c3(
        "meetingregistration",
        "registrations",
        "meeting__id__exact",
        lambda world: world.pages["c3_meeting"].pk,
    ),
    "registrations inspect C3's": reg_inspect_c3,
    "registrations history of C5's": reg_history_c5,
    "registrations delete C3's (POST)": reg_delete_post,
    # Public side.
    "public entry: C5 published": public_entry("c5_live"),
    "public entry: C3 in moderation": public_entry("c3_draft"),
    "public entry: C3 rejected": public_entry("c3_rejected"),
    "public entry: C5 unpublished": public_entry("c5_unpublished"),
    "public entry: submission in moderation": public_entry("orphan"),
    "public status: C5 published, by reference": public_status("c5_live"),
    "public status: C3 rejected, by reference": public_status("c3_rejected"),
    "public status: C3 in moderation, by reference": public_status("c3_draft"),
    "public status: C3 rejected, with its key": public_status("c3_rejected", True),
    "public /api/inventory/": public_listing("/api/inventory/"),
    "public /api/inventory/?q=": public_listing("/api/inventory/", q="Audit"),
    # The date filters start from the published entries too: every one of them
    # (none ended before 1990), and nothing else.
    "public /api/inventory/?active=": public_listing(
        "/api/inventory/", active="1990-01-01.."
    ),
    "public /inventory/export.csv?started=": public_listing(
        "/inventory/export.csv", started="1990-01-01..", freshness="current"
    ),
    "public /inventory/export.csv": public_listing("/inventory/export.csv"),
    "public /inventory/export.csv?q=": public_listing(
        "/inventory/export.csv", q="Audit"
    ),
    "public /inventory/": public_listing("/inventory/"),
    "public /search/?q=": public_listing("/search/", q="Audit"),
    "public draft report": public_report("draft_report"),
    "public draft report pdf/": public_report("draft_report", "pdf/"),
    "public draft report figures/csv/": public_report("draft_report", "figures/csv/"),
    "public draft report figures/json/": public_report("draft_report", "figures/json/"),
    "public draft report print/": public_report("draft_report", "print/"),
    "public report in review": public_report("review_report"),
    "public published report": public_report("live_report"),
    "public published report figures/json/": public_report(
        "live_report", "figures/json/"
    ),
    "public /reports/": public_reports("/reports/"),
    "public /search/?q= reports": public_reports("/search/", q="Implementation"),
    **LISTINGS,
    "public designation round": public_designation_round,
    "public framework": public_framework(),
    "public framework versions/1/": public_framework("versions/1/"),
    "public framework compare/": public_framework("compare/?from=1&to=1"),
    "public draft framework": public_framework(key="draft_framework"),
    **MY_ACTIONS,
}


# Stakeholder accounts are no admin users: the admin answers them as it answers
# the anonymous (Wagtail sends both to its login).
PUBLIC_ROLES = {"anonymous", "account_holder", "other_account"}


def cells(default=HOME, anonymous=LOGIN, **answers):
    """Expected answers by role.

    Every admin refusal not named is ``default`` (Wagtail's: back to the dashboard),
    and the anonymous (and stakeholder accounts) go to the login.
    """
    return {
        role: answers.get(role, anonymous if role in PUBLIC_ROLES else default)
        for role in ROLES
    }


def my_cells(owner=OK, other=NOT_FOUND):
    """My WSIS: the account holder's.

    Another account is answered as if nothing existed there; staff are sent to the
    admin, the anonymous to the sign-in.
    """
    return cells(
        default=HOME, anonymous=SIGN_IN, account_holder=owner, other_account=other
    )


def everyone(answer):
    return dict.fromkeys(ROLES, answer)


TEAMS = {"c5_facilitator": OK, "c3_facilitator": OK}
EDITORS = {"inventory_editor": OK, "superuser": OK}
SECRETARIAT = {"secretariat": OK, "superuser": OK}

EXPECTED = {
    # The inventory: facilitators on their team's entries (changes are drafts for
    # moderation), inventory editors on all, the Secretariat reads.
    "inventory list": cells(**TEAMS, **EDITORS, secretariat=OK),
    "inventory export csv": cells(**TEAMS, **EDITORS, secretariat=OK),
    "inventory export xlsx": cells(**TEAMS, **EDITORS, secretariat=OK),
    "inventory add (form)": cells(**TEAMS, **EDITORS),
    "inventory add for C5 (POST)": cells(
        c5_facilitator=OK, c3_facilitator=INVALID, **EDITORS
    ),
    "inventory edit C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory save draft of C5 entry (POST)": cells(c5_facilitator=OK, **EDITORS),
    "inventory publish C5 entry (POST)": cells(c5_facilitator=DRAFT, **EDITORS),
    "inventory delete C5 entry (confirm)": cells(**EDITORS),
    "inventory delete C5 entry (POST)": cells(**EDITORS),
    "inventory history of C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory revision of C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory compare revisions of C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory revert C5 entry (form)": cells(c5_facilitator=OK, **EDITORS),
    "inventory preview C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory unpublish C5 entry (POST)": cells(**EDITORS),
    "inventory usage of C5 entry": cells(c5_facilitator=OK, **EDITORS),
    "inventory inspect C5 entry": cells(c5_facilitator=OK, **EDITORS, secretariat=OK),
    "inventory copy C5 entry (form)": cells(c5_facilitator=OK, **EDITORS),
    "inventory lock C5 entry (POST)": cells(**EDITORS),
    "inventory chooser returns C3 entry": cells(
        NOT_FOUND, c3_facilitator=OK, **EDITORS, secretariat=OK
    ),
    # Internal notes are the inventory editors' alone, even for the team that
    # may edit the entry.
    "inventory notes tab of C5 entry": cells(c5_facilitator=NOT_SHOWN, **EDITORS),
    "notes list": cells(**EDITORS),
    "notes add on C3 entry (POST)": cells(**EDITORS),
    "notes edit (form)": cells(**EDITORS),
    "notes edit (POST)": cells(**EDITORS),
    "notes delete (POST)": cells(**EDITORS),
    "inventory edit C3 entry in moderation": cells(c3_facilitator=OK, **EDITORS),
    "inventory preview C3 entry": cells(c3_facilitator=OK, **EDITORS),
    "inventory revision of C3 entry": cells(c3_facilitator=OK, **EDITORS),
    "inventory history of C3 entry": cells(c3_facilitator=OK, **EDITORS),
    "inventory workflow history of C3 entry": cells(c3_facilitator=OK, **EDITORS),
    "inventory workflow history detail of C3 entry": cells(
        c3_facilitator=OK, **EDITORS
    ),
    "inventory workflow preview of C3 entry": cells(**EDITORS),
    "inventory approve C3 entry (POST)": cells(**EDITORS),
    # Bulk moderation: a role that sees the entry but may not moderate it is sent
    # back with nothing done; one that does not see it gets a 404.
    "inventory bulk approve C3 entry (POST)": cells(
        NOT_FOUND, c3_facilitator=REFUSED, **EDITORS, secretariat=REFUSED
    ),
    "inventory bulk reject C3 entry (POST)": cells(
        NOT_FOUND, c3_facilitator=REFUSED, **EDITORS, secretariat=REFUSED
    ),
    "inventory mark C3 entry a duplicate (POST)": cells(
        NOT_FOUND, c3_facilitator=HOME, **EDITORS, secretariat=HOME
    ),
    "public freshness confirm link (made-up)": everyone("400"),
    # Wagtail opens the workflow reports to whoever may edit some page (so not to
    # the inventory editors, who have no page); the site history to every admin
    # user. Every allowed answer is checked for other teams' entries.
    "report workflow": cells(**TEAMS, **SECRETARIAT),
    "report workflow csv": cells(**TEAMS, **SECRETARIAT),
    "report workflow tasks": cells(**TEAMS, **SECRETARIAT),
    "report site history": cells(OK),
    "report site history csv": cells(OK),
    # Annual contributions: a team files and edits its own; editors and the
    # Secretariat read; nobody but a superuser deletes.
    "contributions list": cells(**TEAMS, **EDITORS, secretariat=OK),
    "contributions export csv": cells(**TEAMS, **EDITORS, secretariat=OK),
    "contributions add (form)": cells(**TEAMS, superuser=OK),
    "contributions add for C5 (POST)": cells(
        c5_facilitator=OK, c3_facilitator=INVALID, superuser=OK
    ),
    "contributions edit C5's": cells(c5_facilitator=OK, superuser=OK),
    "contributions save C5's (POST)": cells(c5_facilitator=OK, superuser=OK),
    "contributions delete C5's (POST)": cells(superuser=OK),
    "contributions inspect C5's": cells(c5_facilitator=OK, **EDITORS, secretariat=OK),
    "contributions inspect C3's": cells(c3_facilitator=OK, **EDITORS, secretariat=OK),
    "contributions history of C5's": cells(c5_facilitator=OK, superuser=OK),
    "contributions copy C5's (form)": cells(c5_facilitator=OK, superuser=OK),
    # The dashboard: which teams contributed is the Secretariat's panel, the
    # moderation queue the inventory editors'.
    "dashboard contributions panel": cells(NOT_SHOWN, **SECRETARIAT),
    "dashboard moderation panel": cells(NOT_SHOWN, **EDITORS),
    # Reports: the Secretariat drafts and assembles; publishing only after the
    # editorial review (Report reviewers) and the final approval.
    "reports add (form)": cells(**SECRETARIAT),
    "reports edit draft": cells(**SECRETARIAT),
    "reports save draft (POST)": cells(**SECRETARIAT),
    "reports publish draft (POST)": cells(secretariat=DRAFT, superuser=OK),
    # The copy form refuses "publish copies" at /reports/ to all but superusers.
    "reports copy and publish (POST)": cells(secretariat=INVALID, superuser=OK),
    "reports assemble (POST)": cells(**SECRETARIAT),
    "reports assembly progress": cells(**SECRETARIAT),
    "reports preview draft": cells(**SECRETARIAT),
    "reports view draft": cells(**SECRETARIAT),
    "reports revision of draft": cells(**SECRETARIAT),
    "reports compare revisions": cells(**SECRETARIAT),
    "reports history": cells(**SECRETARIAT),
    "reports delete draft (POST)": cells(**SECRETARIAT),
    "reports unpublish published (POST)": cells(superuser=OK),
    "reports delete published (POST)": cells(superuser=OK),
    "reports explorer of /reports/": cells(
        c5_facilitator=OWN_AREA, c3_facilitator=OWN_AREA, **SECRETARIAT
    ),
    "reports edit report in review": cells(report_reviewer=OK, **SECRETARIAT),
    # In review, the report is locked for all but the reviewers of the current
    # step: "The page could not be saved as it is locked."
    "reports save report in review (POST)": cells(
        report_reviewer=OK, secretariat=INVALID, superuser=OK
    ),
    "reports preview for review task": cells(report_reviewer=OK, superuser=OK),
    "reports workflow history of report in review": cells(
        report_reviewer=OK, **SECRETARIAT
    ),
    "reports approve editorial review (POST)": cells(report_reviewer=OK, superuser=OK),
    # The designation register is the Secretariat's; rounds are never deleted.
    "designations list": cells(**SECRETARIAT),
    "designations add (POST)": cells(**SECRETARIAT),
    "designations edit": cells(**SECRETARIAT),
    "designations save (POST)": cells(**SECRETARIAT),
    "designations delete (POST)": cells(superuser=OK),
    "designations history": cells(**SECRETARIAT),
    "designations compare revisions": cells(**SECRETARIAT),
    # Only the Secretariat moves a round; anyone else in the admin gets a 403. A
    # step its rules refuse is refused to everyone (the form comes back).
    "designations step (confirm)": cells(FORBIDDEN, **SECRETARIAT),
    "designations step (POST)": cells(FORBIDDEN, **SECRETARIAT),
    "designations step its rules refuse (POST)": cells(
        FORBIDDEN, secretariat=INVALID, superuser=INVALID
    ),
    # The frameworks are pages of the secretariat section.
    "frameworks edit": cells(**SECRETARIAT),
    "frameworks compare revisions": cells(**SECRETARIAT),
    # Team records: a team's own, the Secretariat reads all; only the team decides.
    "join requests list": cells(**TEAMS, **SECRETARIAT),
    "join requests csv of C3": cells(**TEAMS, **SECRETARIAT),
    "join requests inspect C3's": cells(c3_facilitator=OK, **SECRETARIAT),
    "join requests history of C5's": cells(c5_facilitator=OK, **SECRETARIAT),
    "join requests decide C5's (POST)": cells(c5_facilitator=OK, superuser=OK),
    "join requests create (form)": cells(),
    "join requests edit (form)": cells(),
    "join requests delete C3's (POST)": cells(superuser=OK),
    "registrations list": cells(**TEAMS, **SECRETARIAT),
    "registrations csv of C3": cells(**TEAMS, **SECRETARIAT),
    "registrations inspect C3's": cells(c3_facilitator=OK, **SECRETARIAT),
    "registrations history of C5's": cells(c5_facilitator=OK, **SECRETARIAT),
    "registrations delete C3's (POST)": cells(superuser=OK),
    # The public side is the same for everyone, signed in or not.
    "public entry: C5 published": everyone(OK),
    "public entry: C3 in moderation": everyone(NOT_FOUND),
    "public entry: C3 rejected": everyone(NOT_FOUND),
    "public entry: C5 unpublished": everyone(NOT_FOUND),
    "public entry: submission in moderation": everyone(NOT_FOUND),
    # A reference says received, in moderation or published; the key of the
    # submitter's status link adds the editors' reason, never a note.
    "public status: C5 published, by reference": everyone(OK),
    "public status: C3 rejected, by reference": everyone(OK),
    "public status: C3 in moderation, by reference": everyone(OK),
    "public status: C3 rejected, with its key": everyone(OK),
    "public /api/inventory/": everyone(OK),
    "public /api/inventory/?q=": everyone(OK),
    "public /api/inventory/?active=": everyone(OK),
    "public /inventory/export.csv?started=": everyone(OK),
    "public /inventory/export.csv": everyone(OK),
    "public /inventory/export.csv?q=": everyone(OK),
    "public /inventory/": everyone(OK),
    "public /search/?q=": everyone(OK),
    "public draft report": everyone(NOT_FOUND),
    "public draft report pdf/": everyone(NOT_FOUND),
    "public draft report figures/csv/": everyone(NOT_FOUND),
    "public draft report figures/json/": everyone(NOT_FOUND),
    "public draft report print/": everyone(NOT_FOUND),
    "public report in review": everyone(NOT_FOUND),
    "public published report": everyone(OK),
    "public published report figures/json/": everyone(OK),
    "public /reports/": everyone(OK),
    "public /search/?q= reports": everyone(OK),
    "public designation round": everyone(OK),
    "public framework": everyone(OK),
    "public framework versions/1/": everyone(OK),
    "public framework compare/": everyone(OK),
    "public draft framework": everyone(NOT_FOUND),
}

EXPECTED.update(
    {
        # Every admin user may open the choosers and the APIs; each lists only
        # the user's objects (a bulk action naming none of them: 404).
        "localize API: entries": cells(OK),
        "localize API: C3 entry in moderation": cells(
            NOT_FOUND, c3_facilitator=OK, **EDITORS, secretariat=OK
        ),
        "localize API: designation rounds": cells(OK),
        "localize API: organisations": cells(OK),
        "bulk delete every entry (confirm)": cells(
            NOT_FOUND, **TEAMS, **EDITORS, secretariat=OK
        ),
        "bulk delete entries by id (confirm)": cells(
            NOT_FOUND, **TEAMS, **EDITORS, secretariat=OK
        ),
        "bulk delete designation rounds (confirm)": cells(NOT_FOUND, **SECRETARIAT),
        "bulk delete organisations (confirm)": cells(
            NOT_FOUND, **TEAMS, **EDITORS, secretariat=OK
        ),
        "bulk delete C3 meetings (confirm)": cells(
            NOT_FOUND, c3_facilitator=OK, **SECRETARIAT
        ),
        "bulk publish unpublished pages (confirm)": cells(
            NOT_FOUND, c3_facilitator=OK, **SECRETARIAT
        ),
        "bulk move reports (confirm)": cells(NOT_FOUND, **SECRETARIAT),
        # Wagtail opens its page reports to whoever may add, edit or publish
        # some page.
        "report page types usage": cells(**TEAMS, **SECRETARIAT),
        "report page types usage csv": cells(**TEAMS, **SECRETARIAT),
        "report locked pages": cells(**TEAMS, **SECRETARIAT),
        "report aging pages": cells(**TEAMS, **SECRETARIAT),
        "page search": cells(**TEAMS, **SECRETARIAT),
        "pages of type meeting": cells(**TEAMS, **SECRETARIAT),
        "admin API: page search": cells(OK),
        # The admin API answers 400 ("parent page doesn't exist") for a page the
        # user may not explore.
        "admin API: pages under C3 meetings": cells(
            "400", c3_facilitator=OK, **SECRETARIAT
        ),
        "page chooser under C3 meetings": cells(OK),
        "page chooser under /reports/": cells(OK),
        "page chooser search": cells(OK),
        "page chooser returns unpublished pages": cells(OK),
        "page chooser opens C3 draft meeting": cells(
            NOT_FOUND, c3_facilitator=OK, **SECRETARIAT
        ),
        "entry chooser": cells(OK),
        "entry chooser search": cells(OK),
        "entry chooser create (POST)": cells(NOT_FOUND),
        "designation chooser": cells(OK),
        "designation chooser returns the round": cells(NOT_FOUND, **SECRETARIAT),
        "organisation chooser": cells(OK),
        # A translation is a new organisation: for those who may add them.
        "translate organisation into French (POST)": cells(**SECRETARIAT),
    }
)

EXPECTED.update(
    {
        "my WSIS overview": my_cells(other=OK),
        "my activities list": my_cells(other=OK),
        "my activity of the account holder": my_cells(),
        "my update form of the account holder's entry": my_cells(),
        "my update of the account holder's entry (POST)": my_cells(),
        "my teams list": my_cells(other=OK),
        "my meetings list": my_cells(other=OK),
        "my cancel the account holder's registration (POST)": my_cells(),
        "my saved searches list": my_cells(other=OK),
        "my renew the account holder's feed (POST)": my_cells(),
        # The feed is public to whoever has its address (it lists public entries).
        "my feed of the account holder's search": everyone(OK),
        # A claim link works for the account that asked for it only.
        "my claim with the account holder's link (POST)": my_cells(other="400"),
        # The account's data leaves the site after a recent sign-in only.
        "my data download": my_cells(owner=REAUTHENTICATE, other=REAUTHENTICATE),
        "my account deletion (form)": my_cells(
            owner=REAUTHENTICATE, other=REAUTHENTICATE
        ),
        # Proposed organisations and accounts' entries are the inventory
        # editors'; which staff must use two-factor authentication, the
        # Secretariat's.
        "admin proposed organisations": cells(**EDITORS),
        "admin accounts' entries": cells(**EDITORS),
        "admin assign an entry to an account (POST)": cells(**EDITORS),
        "admin staff sign-in settings": cells(**SECRETARIAT),
    }
)

# (role, action) → where the product grants what it must not. Empty: the
# modeladmin history screens (join requests, registrations) now check the same
# rule as inspect (action_lines.modeladmin.TeamRecordHistoryView).
ESCALATIONS = {}


def matrix():
    assert set(EXPECTED) == set(ACTIONS)
    for action in ACTIONS:
        for role in ROLES:
            marks = []
            if (role, action) in ESCALATIONS:
                reason = f"ESCALATION: {ESCALATIONS[role, action]}"
                marks.append(pytest.mark.xfail(strict=True, reason=reason))
            yield pytest.param(
                role,
                action,
                EXPECTED[action][role],
                id=f"{action}|{role}",
                marks=marks,
            )


CASES = list(matrix())


@pytest.mark.parametrize(("role", "action", "expected"), CASES)
def test_permission_matrix(world, role, action, expected):
    client = client_as(world, role)
    assert ACTIONS[action](world, client, role) == expected


def test_matrix_covers_every_role_and_action():
    assert len(CASES) == len(ACTIONS) * len(ROLES)
    assert {case.values[0] for case in CASES} == set(ROLES)


def test_page_scope_explores_what_wagtail_explores(world):
    """The in-memory test of the choosers' titles agrees with Wagtail's explorer."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    from wagtail.models import Page

    from home.admin_scope import explorable_pages, page_scope

    pages = list(Page.objects.all())
    users = [AnonymousUser()] + [
        get_user_model().objects.get(pk=user.pk) for user in world.users.values()
    ]
    for user in users:
        explorable = set(explorable_pages(user).values_list("pk", flat=True))
        scope = page_scope(user)
        assert {page.pk for page in pages if scope.explores(page)} == explorable, user


def test_every_listing_view_answers_through_the_scope(db):
    """Wagtail's listing views are replaced and every snippet gets the scoped ones.

    Wagtail's listing views are replaced at their addresses, and every snippet (a
    new one too) gets the scoped chooser, filters and localize API.
    """
    import inspect

    from django.urls import resolve

    from wagtail.snippets.models import get_snippet_models

    from home import scoped_admin

    def view_of(name, *args):
        return resolve(reverse(name, args=args)).func

    for model in get_snippet_models():
        opts = model._meta
        assert isinstance(model.snippet_viewset, scoped_admin.ScopedSnippetViewSet)
        chooser = f"wagtailsnippetchoosers_{opts.app_label}_{opts.model_name}"
        for name, args in [
            ("choose", []),
            ("choose_results", []),
            ("chosen", [1]),
            ("chosen_multiple", []),
        ]:
            view = view_of(f"{chooser}:{name}", *args).view_class
            assert issubclass(view, scoped_admin.ScopedChooserMixin), (model, name)
        create = view_of(f"{chooser}:create").view_class
        assert issubclass(create, scoped_admin.ScopedCreateView)
        for name, args in [("listing", []), ("detail", [1])]:
            api = view_of(
                f"wagtail_localize:snippets_api_{name}",
                opts.app_label,
                opts.model_name,
                *args,
            )
            assert api.cls is scoped_admin.ScopedSnippetsAPIViewSet
    bulk = view_of("wagtail_bulk_action", "wagtailcore", "page", "delete")
    assert inspect.unwrap(bulk) is scoped_admin.bulk_action
    assert view_of("wagtailadmin_choose_page").view_class is (
        scoped_admin.ScopedBrowseView
    )
    assert view_of("wagtailadmin_choose_page_child", 1).view_class is (
        scoped_admin.ScopedBrowseView
    )
    assert view_of("wagtailadmin_choose_page_search").view_class is (
        scoped_admin.ScopedSearchView
    )
    assert view_of("wagtailadmin_choose_page_chosen_multiple").view_class is (
        scoped_admin.ScopedChosenMultipleView
    )
    for name in ("page_types_usage", "page_types_usage_results"):
        assert view_of(f"wagtailadmin_reports:{name}").view_class is (
            scoped_admin.ScopedPageTypesUsageReportView
        )
