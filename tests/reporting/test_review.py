"""Editorial review: drafting → editorial review → final approval → published.

Every role is tried at every step: nobody but a superuser publishes a report
that has not been through the editorial review and the final approval.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from wagtail.models import Comment, WorkflowState

import pytest

from home.roles import SECRETARIAT
from reporting.assembly import assemble_and_save
from reporting.models import ReportPage
from reporting.review import WORKFLOW_NAME
from tests.factories import UserFactory
from tests.helpers.admin import add_url, assert_refused, edit_url, report_page_data
from tests.helpers.pages import refreshed
from tests.helpers.workflows import mails_to, workflow_action_url

OUTSIDERS = ["c5_facilitator", "c2_facilitator", "inventory_editor", "public"]


def current_step(page):
    task = refreshed(page).current_workflow_task
    return task.name if task else None


def is_published(page):
    page = refreshed(page)
    return (
        page.live or page.revisions.filter(approved_go_live_at__isnull=False).exists()
    )


@pytest.fixture
def secretary2(users):
    """A second Secretariat member, who gives the final approval."""
    return UserFactory(username="secretary2", groups=[SECRETARIAT])


@pytest.fixture
def submit(client_for, users, django_capture_on_commit_callbacks):
    """Submits the report to the editorial review, as the Secretariat."""

    def run(report, user=None, **changes):
        client = client_for(user or users["secretariat"])
        data = report_page_data(refreshed(report), **changes)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(edit_url(report), {**data, "action-submit": "1"})
        assert response.status_code == 302, response.content[:2000]
        return refreshed(report)

    return run


@pytest.fixture
def act(client_for, django_capture_on_commit_callbacks):
    """Posts a workflow action on the report's current step as ``user``."""

    def run(report, user, action, comment=""):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                workflow_action_url(report, action), {"comment": comment}
            )

    return run


@pytest.fixture
def at_final_step(report, users, submit, act):
    """The report, submitted and approved at the editorial review."""
    assemble_and_save(report, users["secretariat"])
    submit(report)
    response = act(report, users["report_reviewer"], "approve", "Reads well.")
    assert response.status_code == 302
    assert current_step(report) == "Final approval"
    return refreshed(report)


def test_report_index_has_the_two_step_review(report_index):
    workflow = report_index.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    steps = [
        (t.name, [g.name for g in t.specific.groups.all()]) for t in workflow.tasks
    ]
    assert steps == [
        ("Editorial review", ["Report reviewers"]),
        ("Final approval", ["Secretariat"]),
    ]


def test_secretariat_cannot_create_and_publish_in_one_go(
    report_index, users, client_for
):
    client = client_for(users["secretariat"])
    data = report_page_data(None, title="Report for 2025")
    response = client.post(
        add_url(ReportPage, report_index), {**data, "action-publish": "1"}
    )
    assert response.status_code == 302
    report = ReportPage.objects.get(slug="report-2025")
    assert report.live is False
    assert report.owner == users["secretariat"]
    assert report.revisions.count() == 1


def test_secretariat_draft_cannot_be_published_directly(report, users, client_for):
    client = client_for(users["secretariat"])
    assemble_and_save(report)
    assert refreshed(report).permissions_for_user(users["secretariat"]).can_edit()
    data = report_page_data(refreshed(report))
    response = client.post(edit_url(report), {**data, "action-publish": "1"})
    assert response.status_code in {200, 302}
    assert is_published(report) is False
    perms = refreshed(report).permissions_for_user(users["secretariat"])
    assert perms.can_publish() is False
    assert perms.can_submit_for_moderation() is True


def test_secretariat_cannot_schedule_before_review(report, users, client_for):
    """A go-live date is publishing too: it waits for the review."""
    client = client_for(users["secretariat"])
    go_live = (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    data = report_page_data(refreshed(report), go_live_at=go_live)
    client.post(edit_url(report), {**data, "action-publish": "1"})
    assert is_published(report) is False


def test_bulk_publish_refused_before_review(report, users, client_for):
    """The page listing's bulk "Publish" action does not bypass the review."""
    client = client_for(users["secretariat"])
    url = (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + f"?id={report.pk}"
    )
    client.post(url, {})
    assert is_published(report) is False


def test_submission_starts_the_editorial_review(report, users, submit, mailoutbox):
    report = submit(report)
    state = report.current_workflow_state
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by == users["secretariat"]
    assert current_step(report) == "Editorial review"
    assert report.live is False
    assert mails_to(mailoutbox, users["report_reviewer"], "submitted")
    assert not mails_to(mailoutbox, users["c5_facilitator"], "submitted")


def test_only_report_reviewers_approve_the_editorial_review(report, users, submit, act):
    """Nobody else approves the first step: the Secretariat cannot skip it."""
    submit(report)
    for role in ["secretariat", *OUTSIDERS]:
        response = act(report, users[role], "approve")
        if role == "public":  # no admin access at all
            assert "/admin/login/" in response["Location"]
        else:
            assert_refused(response)
        assert current_step(report) == "Editorial review", role
        assert is_published(report) is False, role


def test_secretariat_cannot_publish_while_in_editorial_review(
    report, users, submit, client_for
):
    submit(report)
    perms = refreshed(report).permissions_for_user(users["secretariat"])
    assert perms.can_publish() is False
    data = report_page_data(refreshed(report))
    client_for(users["secretariat"]).post(
        edit_url(report), {**data, "action-publish": "1"}
    )
    assert is_published(report) is False
    assert current_step(report) == "Editorial review"


def test_reviewer_approval_moves_to_final_approval(at_final_step, users):
    state = at_final_step.current_workflow_state
    approved = state.task_states.get(task__name="Editorial review")
    assert approved.status == "approved"
    assert approved.finished_by == users["report_reviewer"]
    assert at_final_step.live is False


def test_reviewer_cannot_give_final_approval(at_final_step, users, act, client_for):
    """No approve action for a reviewer at the final step, and no way around it."""
    reviewer = users["report_reviewer"]
    task = refreshed(at_final_step).current_workflow_task
    assert task.specific.get_actions(at_final_step, reviewer) == []
    assert_refused(act(at_final_step, reviewer, "approve"))
    # The editorial-review task state it already approved cannot be approved again.
    earlier = at_final_step.current_workflow_state.task_states.get(
        task__name="Editorial review"
    )
    stale = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[at_final_step.pk, "approve", earlier.pk],
    )
    assert_refused(client_for(reviewer).post(stale))
    # Reviewers cannot edit a report, so cannot publish from the editor either.
    data = report_page_data(refreshed(at_final_step))
    response = client_for(reviewer).post(
        edit_url(at_final_step), {**data, "action-publish": "1"}
    )
    assert response.status_code in {302, 403}
    assert current_step(at_final_step) == "Final approval"
    assert is_published(at_final_step) is False


def test_outsiders_cannot_give_final_approval(at_final_step, users, act):
    for role in OUTSIDERS:
        response = act(at_final_step, users[role], "approve")
        if role == "public":
            assert "/admin/login/" in response["Location"]
        else:
            assert_refused(response)
        assert current_step(at_final_step) == "Final approval", role
        assert is_published(at_final_step) is False, role


def test_secretariat_final_approval_publishes_the_reviewed_revision(
    at_final_step, users, secretary2, act, mailoutbox
):
    reviewed = at_final_step.latest_revision_id
    response = act(at_final_step, secretary2, "approve", "Approved for ECOSOC.")
    assert response.status_code == 302
    report = refreshed(at_final_step)
    assert report.live is True
    assert report.live_revision_id == reviewed
    assert report.current_workflow_state is None
    state = WorkflowState.objects.for_instance(report).get()
    assert state.status == "approved"
    assert report.figures["totals"] == {
        "entries": 0,
        "new": 0,
        "continuing": 0,
        "countries": 0,
        "organisations": 0,
    }
    assert mails_to(mailoutbox, users["secretariat"], "approved")
    assert mails_to(mailoutbox, users["report_reviewer"], "approved")


def test_secretariat_may_also_publish_from_the_editor_at_the_final_step(
    at_final_step, secretary2, client_for
):
    """At the final step, "Publish" in the editor is the final approval."""
    perms = refreshed(at_final_step).permissions_for_user(secretary2)
    assert perms.can_publish() is True
    data = report_page_data(refreshed(at_final_step))
    response = client_for(secretary2).post(
        edit_url(at_final_step), {**data, "action-publish": "1"}
    )
    assert response.status_code == 302
    assert refreshed(at_final_step).live is True


def test_other_roles_can_neither_create_edit_nor_publish_reports(
    report, users, client_for
):
    """Facilitators, inventory editors, reviewers (outside their step), the public."""
    for role in [*OUTSIDERS, "report_reviewer"]:
        client = client_for(users[role])
        assert client.get(edit_url(report)).status_code in {302, 403}, role
        data = report_page_data(refreshed(report), title="Hijacked")
        response = client.post(edit_url(report), {**data, "action-publish": "1"})
        assert response.status_code in {302, 403}, role
        page = refreshed(report)
        assert page.live is False, role
        assert page.get_latest_revision_as_object().title != "Hijacked", role
        perms = page.permissions_for_user(users[role])
        assert (perms.can_edit(), perms.can_publish()) == (False, False), role
        response = client.post(
            add_url(ReportPage, report.get_parent()),
            {**report_page_data(None, slug="other"), "action-publish": "1"},
        )
        assert response.status_code in {302, 403}, role
        assert not ReportPage.objects.filter(slug="other").exists(), role


def test_anonymous_visitors_cannot_reach_the_editor(report, client):
    response = client.post(edit_url(report), {"action-publish": "1"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert refreshed(report).live is False


def test_superuser_may_publish_directly(report, users, client_for):
    """The documented exception: superusers are not bound by the review."""
    client = client_for(users["superuser"])
    data = report_page_data(refreshed(report))
    response = client.post(edit_url(report), {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert refreshed(report).live is True
    data = report_page_data(None, slug="report-2026")
    response = client.post(
        add_url(ReportPage, report.get_parent()), {**data, "action-publish": "1"}
    )
    assert response.status_code == 302
    assert ReportPage.objects.get(slug="report-2026").live is True


def test_rejection_at_final_step_tells_submitter_and_reviewer(
    at_final_step, users, secretary2, act, mailoutbox
):
    mailoutbox.clear()
    response = act(at_final_step, secretary2, "reject", "Check the C2 figures.")
    assert response.status_code == 302
    report = refreshed(at_final_step)
    assert report.live is False
    assert report.current_workflow_state.status == "needs_changes"
    to_submitter = mails_to(mailoutbox, users["secretariat"], "rejected")
    to_reviewer = mails_to(mailoutbox, users["report_reviewer"], "rejected")
    assert to_submitter and to_reviewer
    assert not mails_to(mailoutbox, secretary2, "rejected")
    bodies = [m.body for m in mailoutbox if users["secretariat"].email in m.to]
    assert any("Check the C2 figures." in body for body in bodies)


def test_rejection_at_editorial_review_tells_submitter(
    report, users, submit, act, mailoutbox
):
    submit(report)
    mailoutbox.clear()
    response = act(report, users["report_reviewer"], "reject", "Too long.")
    assert response.status_code == 302
    assert refreshed(report).current_workflow_state.status == "needs_changes"
    assert mails_to(mailoutbox, users["secretariat"], "rejected")
    assert is_published(report) is False


def test_resubmission_after_rejection_goes_back_into_review(
    at_final_step, users, secretary2, submit, act, client_for
):
    """A report the final approval sent back is not publishable.

    Resubmitted, it starts again at the editorial review (not at the step that
    rejected it, as Wagtail would), so the reviewers see the corrections before
    publication.
    """
    act(at_final_step, secretary2, "reject", "Check the C2 figures.")
    perms = refreshed(at_final_step).permissions_for_user(users["secretariat"])
    assert perms.can_publish() is False
    submit(at_final_step, summary="<p>Corrected.</p>")
    assert current_step(at_final_step) == "Editorial review"
    assert is_published(at_final_step) is False
    assert_refused(act(at_final_step, secretary2, "approve"))
    assert act(at_final_step, users["report_reviewer"], "approve").status_code == 302
    assert current_step(at_final_step) == "Final approval"
    assert is_published(at_final_step) is False
    assert act(at_final_step, secretary2, "approve").status_code == 302
    report = refreshed(at_final_step)
    assert report.live is True
    assert "Corrected." in report.summary
    # The history tells the story: the first run cancelled, a second approved.
    states = WorkflowState.objects.for_instance(report).order_by("created_at")
    assert [state.status for state in states] == ["cancelled", "approved"]


def test_resubmission_after_rejection_at_the_editorial_review_resumes_there(
    report, users, submit, act
):
    submit(report)
    act(report, users["report_reviewer"], "reject", "Too long.")
    submit(report, summary="<p>Shorter.</p>")
    assert current_step(report) == "Editorial review"
    states = WorkflowState.objects.for_instance(report)
    assert states.count() == 1  # Wagtail's resume: the same run


def test_scheduled_report_goes_live_at_its_date(report, users, secretary2, submit, act):
    """A go-live date set before review: the final approval schedules the report."""
    from django.core.management import call_command

    from wagtail.models import Revision

    go_live = timezone.now() + datetime.timedelta(days=2)
    submit(report, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    act(report, users["report_reviewer"], "approve")
    act(report, secretary2, "approve")
    page = refreshed(report)
    assert page.live is False
    scheduled = Revision.page_revisions.get(
        object_id=str(page.pk), approved_go_live_at__isnull=False
    )
    assert abs(scheduled.approved_go_live_at - go_live) < datetime.timedelta(minutes=1)
    # Two days later:
    past = timezone.now() - datetime.timedelta(minutes=1)
    scheduled.approved_go_live_at = past
    scheduled.content["go_live_at"] = past.isoformat()
    scheduled.save()
    call_command("publish_scheduled", verbosity=0)
    assert refreshed(report).live is True


def test_comments_are_enabled_on_reports(report, users, client_for):
    """The Secretariat comments on a draft; comments are stored with the page."""
    client = client_for(users["secretariat"])
    response = client.get(edit_url(report))
    assert response.status_code == 200
    assert response.context["form"].show_comments_toggle is True
    data = report_page_data(refreshed(report))
    data.update(
        {
            "comments-TOTAL_FORMS": "1",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "comments-0-id": "",
            "comments-0-contentpath": "title",
            "comments-0-text": "Shorter title?",
            "comments-0-resolved": "",
            "comments-0-replies-TOTAL_FORMS": "0",
            "comments-0-replies-INITIAL_FORMS": "0",
            "comments-0-replies-MIN_NUM_FORMS": "0",
            "comments-0-replies-MAX_NUM_FORMS": "1000",
        }
    )
    response = client.post(edit_url(report), data)
    assert response.status_code == 302
    comment = Comment.objects.get(page=report)
    assert comment.text == "Shorter title?"
    assert comment.user == users["secretariat"]


def test_reviewer_opens_the_editor_during_the_review_to_comment(
    report, users, submit, client_for
):
    """During the editorial review, reviewers reach the editor (and its comments)."""
    submit(report)
    response = client_for(users["report_reviewer"]).get(edit_url(report))
    assert response.status_code == 200
    assert response.context["form"].show_comments_toggle is True


def test_review_history_is_in_the_audit_log(at_final_step, users, secretary2, act):
    from wagtail.models import PageLogEntry

    act(at_final_step, secretary2, "approve")
    actions = list(
        PageLogEntry.objects.filter(page=at_final_step)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    for action in [
        "reporting.assemble",
        "wagtail.workflow.start",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]:
        assert action in actions


def test_figures_cannot_be_reassembled_during_review(
    at_final_step,
    inventory,
    users,
    secretary2,
    act,
    client_for,
    django_capture_on_commit_callbacks,
):
    """New figures during the review would go out unreviewed.

    The assembly button refuses, and says how to proceed; the reviewed revision can
    still be approved.
    """
    from reporting.models import ReportAssembly

    reviewed = refreshed(at_final_step).latest_revision_id
    client = client_for(users["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting_assemble", args=[at_final_step.pk]), follow=True
        )
    assert "The report is in review" in response.content.decode()
    assert not ReportAssembly.objects.filter(report=at_final_step).exists()
    report = refreshed(at_final_step)
    assert report.latest_revision_id == reviewed
    assert act(report, secretary2, "approve").status_code == 302
    report = refreshed(report)
    assert report.live is True
    assert report.latest_revision_id == reviewed


def test_edits_at_the_final_step_are_not_published_unreviewed(
    at_final_step, secretary2, client_for
):
    """Publish in the editor at the final step approves the reviewed text only.

    A report changed after the editorial review goes back to it.
    """
    client = client_for(secretary2)
    data = report_page_data(
        refreshed(at_final_step), summary="<p>Rewritten after the review.</p>"
    )
    response = client.post(
        edit_url(at_final_step), {**data, "action-publish": "1"}, follow=True
    )
    report = refreshed(at_final_step)
    assert is_published(report) is False
    assert "Summary changed after the editorial review" in response.content.decode()
    assert current_step(report) == "Final approval"
    # The edit is kept as a draft, for the next review.
    assert "Rewritten" in report.get_latest_revision_as_object().summary


def test_final_approver_may_set_the_go_live_date_when_publishing(
    at_final_step, secretary2, client_for
):
    """A publication date is not content: setting it at the final step schedules."""
    go_live = timezone.now() + datetime.timedelta(days=1)
    data = report_page_data(
        refreshed(at_final_step), go_live_at=go_live.strftime("%Y-%m-%d %H:%M")
    )
    response = client_for(secretary2).post(
        edit_url(at_final_step), {**data, "action-publish": "1"}
    )
    assert response.status_code == 302
    report = refreshed(at_final_step)
    assert report.live is False
    assert is_published(report) is True  # scheduled


def test_corrections_to_a_published_report_go_through_the_review_again(
    at_final_step, users, secretary2, submit, act, client_for
):
    """After publication, an edit published from the editor is refused.

    The correction is submitted to the review like the first version.
    """
    act(at_final_step, secretary2, "approve")
    assert refreshed(at_final_step).live is True
    for user in (users["secretariat"], secretary2):
        data = report_page_data(
            refreshed(at_final_step), summary="<p>Corrected without review.</p>"
        )
        client_for(user).post(edit_url(at_final_step), {**data, "action-publish": "1"})
        report = refreshed(at_final_step)
        assert report.live is True
        assert "Corrected without review." not in report.summary, user
        assert report.has_unpublished_changes is True

    submit(at_final_step, summary="<p>Corrected after review.</p>")
    assert current_step(at_final_step) == "Editorial review"
    act(at_final_step, users["report_reviewer"], "approve")
    act(at_final_step, secretary2, "approve")
    assert "Corrected after review." in refreshed(at_final_step).summary


def test_approving_with_edits_at_the_final_step_publishes_nothing_unreviewed(
    at_final_step, secretary2, client_for, django_capture_on_commit_callbacks
):
    """Approve from the editor with changed text is refused as a whole."""
    data = report_page_data(
        refreshed(at_final_step), summary="<p>Slipped in at approval.</p>"
    )
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary2).post(edit_url(at_final_step), data)
    report = refreshed(at_final_step)
    assert is_published(report) is False
    assert current_step(report) == "Final approval"


def test_approving_from_the_editor_without_edits_publishes(
    at_final_step, secretary2, client_for, django_capture_on_commit_callbacks
):
    data = report_page_data(refreshed(at_final_step))
    data.update({"action-workflow-action": "1", "workflow-action-name": "approve"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary2).post(edit_url(at_final_step), data)
    assert response.status_code == 302
    assert refreshed(at_final_step).live is True


def test_a_draft_saved_at_the_final_step_cannot_be_approved_unreviewed(
    at_final_step, users, secretary2, client_for, act
):
    """A draft saved during the final approval blocks the approval.

    A change saved as a draft during the final approval has not been through the
    editorial review: the approval is refused (it would publish the draft) until the
    report is submitted again.
    """
    data = report_page_data(
        refreshed(at_final_step), summary="<p>Saved after the review.</p>"
    )
    response = client_for(secretary2).post(edit_url(at_final_step), data)
    assert response.status_code == 302
    assert_refused(act(at_final_step, secretary2, "approve"))
    report = refreshed(at_final_step)
    assert is_published(report) is False
    assert current_step(report) == "Final approval"
