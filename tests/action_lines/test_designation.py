"""The designation of facilitators as the Secretariat carries it out.

The designation of facilitators as the Secretariat carries it out and the public follows
it: the steps of a round, the rules each step keeps, the audit log, and what the action
line's pages show, and when.
"""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

import pytest
from bs4 import BeautifulSoup

from action_lines.choices import (
    AdviceOutcome,
    CandidateCondition,
    CandidateResponse,
    FacilitatorRole,
    MeetingKind,
    RoundStatus,
)
from action_lines.models import (
    CouncilAdvice,
    DesignationCandidate,
    DesignationRound,
    FacilitatorDesignation,
)
from action_lines.rounds import TRANSITIONS, RoundFacts, problems
from tests.factories import (
    DesignationRoundFactory,
    FacilitatorDesignationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    StakeholderOrganisationFactory,
)
from tests.helpers.pages import publish

ITU = "International Telecommunication Union"
UNESCO = "United Nations Educational, Scientific and Cultural Organization"
RECOMMENDATION = "The candidates recommend ITU as lead facilitator of C5."
NOTES = "Internal: UNESCO hesitates about the budget."


@pytest.fixture
def orgs(db):
    return {
        "itu": StakeholderOrganisationFactory(name=ITU, acronym="ITU"),
        "unesco": StakeholderOrganisationFactory(name=UNESCO, acronym="UNESCO"),
        "outsider": StakeholderOrganisationFactory(name="Outsider Agency", acronym=""),
    }


@pytest.fixture
def consultation(tree):
    """A published stakeholder consultation under the secretariat section."""
    index = MeetingIndexPageFactory(
        parent=tree.secretariat,
        title="Consultations",
        slug="consultations",
        kind=MeetingKind.CONSULTATION,
    )
    publish(index)
    meeting = MeetingPageFactory(parent=index, title="C5 consultation, Geneva")
    publish(meeting)
    return meeting


def new_round(tree, orgs, candidates=(), status=RoundStatus.OPEN, **fields):
    """A C5 round; ``candidates`` are (key, response, conditions)."""
    designation_round = DesignationRoundFactory(
        action_line=tree.c5,
        title="C5 facilitation 2026",
        status=status,
        recommendation_date=None,
        notes=NOTES,
        **fields,
    )
    for key, response, conditions in candidates:
        DesignationCandidate.objects.create(
            round=designation_round,
            organisation=orgs[key],
            role=FacilitatorRole.LEAD
            if key == "itu"
            else FacilitatorRole.CO_FACILITATOR,
            response=response,
            conditions=list(conditions),
        )
    designation_round.save_revision()
    return designation_round


ACCEPTING = [
    ("itu", CandidateResponse.ACCEPTS, [CandidateCondition.COUNCIL_ADVICE]),
    ("unesco", CandidateResponse.ACCEPTS, []),
]


def move_url(designation_round, name):
    return reverse(
        "wagtailsnippets_action_lines_designationround:move",
        args=[designation_round.pk, name],
    )


def step(client, designation_round, name, note=""):
    return client.post(move_url(designation_round, name), {"note": note})


def status_of(designation_round):
    return DesignationRound.objects.get(pk=designation_round.pk).status


def round_log(designation_round):
    return list(
        ModelLogEntry.objects.for_instance(designation_round)
        .filter(action__startswith="action_lines.round.")
        .order_by("timestamp", "pk")
    )


def snapshot(designation_round):
    """Everything a refused step must leave as it was."""
    fresh = DesignationRound.objects.get(pk=designation_round.pk)
    return {
        "status": fresh.status,
        "sent": fresh.recommendation_sent_on,
        "log": ModelLogEntry.objects.for_instance(fresh).count(),
        "revisions": Revision.objects.for_instance(fresh).count(),
    }


def designate(designation_round, key, orgs, **dates):
    today = timezone.localdate()
    return FacilitatorDesignation.objects.create(
        round=designation_round,
        organisation=orgs[key],
        role=FacilitatorRole.LEAD,
        designated_on=dates.get("designated_on", today),
        term_start=dates.get("term_start", today),
        term_end=dates.get("term_end"),
    )


def record_recommendation(designation_round):
    DesignationRound.objects.filter(pk=designation_round.pk).update(
        recommendation_date=timezone.localdate(),
        recommendation_text=f"<p>{RECOMMENDATION}</p>",
    )


def advise(designation_round, key, orgs, outcome=AdviceOutcome.FAVOURABLE):
    return CouncilAdvice.objects.create(
        round=designation_round,
        organisation=orgs[key],
        date=timezone.localdate(),
        outcome=outcome,
    )


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


# --- Walking a round through every step --------------------------------------------


def test_a_round_walks_through_every_step(tree, users, orgs, client_for, consultation):
    """A round goes through every step, each a button of the admin, logged.

    Consultations open → candidates consulted → agreement → recommendation sent →
    designated, each a button of the admin, logged with who and when.
    """
    designation_round = new_round(tree, orgs, ACCEPTING)
    designation_round.consultations.set([consultation])
    designation_round.save()
    secretary = users["secretariat"]
    client = client_for(secretary)

    edit = client.get(
        reverse(
            "wagtailsnippets_action_lines_designationround:edit",
            args=[designation_round.pk],
        )
    )
    assert edit.status_code == 200
    assert move_url(designation_round, "consult") in edit.content.decode()
    assert move_url(designation_round, "recommend") not in edit.content.decode()

    confirm = client.get(move_url(designation_round, "consult"))
    assert confirm.status_code == 200
    assert "Close the consultations: candidates consulted" in text_of(confirm)

    assert step(client, designation_round, "consult").status_code == 302
    assert status_of(designation_round) == RoundStatus.CONSULTED
    assert step(client, designation_round, "agree").status_code == 302
    assert status_of(designation_round) == RoundStatus.AGREED
    record_recommendation(designation_round)
    response = step(client, designation_round, "recommend", "Sent by letter.")
    assert response.status_code == 302
    assert status_of(designation_round) == RoundStatus.RECOMMENDED
    assert DesignationRound.objects.get(
        pk=designation_round.pk
    ).recommendation_sent_on == (timezone.localdate())
    advise(designation_round, "itu", orgs)
    designate(designation_round, "itu", orgs)
    assert step(client, designation_round, "designate").status_code == 302
    assert status_of(designation_round) == RoundStatus.DESIGNATED

    entries = round_log(designation_round)
    assert [entry.action for entry in entries] == [
        "action_lines.round.consult",
        "action_lines.round.agree",
        "action_lines.round.recommend",
        "action_lines.round.designate",
    ]
    assert {entry.user_id for entry in entries} == {secretary.pk}
    assert [entry.data["to"] for entry in entries] == [
        "consulted",
        "agreed",
        "recommended",
        "designated",
    ]
    assert entries[2].data["note"] == "Sent by letter."
    assert all(entry.revision_id for entry in entries)
    for entry in entries:
        assert log_registry.action_exists(entry.action)

    # The round's history in the admin names each step and the note.
    history = client.get(
        reverse(
            "wagtailsnippets_action_lines_designationround:history",
            args=[designation_round.pk],
        )
    )
    text = text_of(history)
    assert "Send the recommendation to the UN Secretary-General" in text
    assert "Designation round moved to “Facilitators designated”" in text
    assert "Sent by letter." in text
    # A designated round has no next step.
    assert step(client, designation_round, "withdraw").status_code == 200
    assert status_of(designation_round) == RoundStatus.DESIGNATED


def test_reopen_then_withdraw(tree, users, orgs, client_for):
    designation_round = new_round(tree, orgs, ACCEPTING)
    client = client_for(users["secretariat"])
    step(client, designation_round, "consult")
    step(client, designation_round, "agree")
    assert step(client, designation_round, "reopen").status_code == 302
    assert status_of(designation_round) == RoundStatus.OPEN
    response = step(client, designation_round, "withdraw", "No candidate could act.")
    assert response.status_code == 302
    assert status_of(designation_round) == RoundStatus.WITHDRAWN
    assert [entry.data["to"] for entry in round_log(designation_round)] == [
        "consulted",
        "agreed",
        "open",
        "withdrawn",
    ]
    # Nothing moves a withdrawn round.
    for name in TRANSITIONS:
        refused = step(client, designation_round, name)
        assert refused.status_code == 200
        assert "This step is not open to a round" in text_of(refused)
    assert status_of(designation_round) == RoundStatus.WITHDRAWN


def test_superuser_may_move_a_round(tree, users, orgs, client_for):
    designation_round = new_round(tree, orgs, ACCEPTING)
    step(client_for(users["superuser"]), designation_round, "consult")
    assert status_of(designation_round) == RoundStatus.CONSULTED


def test_unknown_step_is_404(tree, users, orgs, client_for):
    designation_round = new_round(tree, orgs, ACCEPTING)
    response = step(client_for(users["secretariat"]), designation_round, "skip")
    assert response.status_code == 404


# --- Refused steps: the message, and nothing changed -------------------------------


def pending_candidate(tree, orgs):
    return new_round(
        tree,
        orgs,
        [ACCEPTING[0], ("unesco", CandidateResponse.PENDING, [])],
        status=RoundStatus.CONSULTED,
    )


def declined_candidate(tree, orgs):
    return new_round(
        tree,
        orgs,
        [ACCEPTING[0], ("unesco", CandidateResponse.DECLINES, [])],
        status=RoundStatus.CONSULTED,
    )


def recommended(tree, orgs, candidates=ACCEPTING):
    designation_round = new_round(tree, orgs, candidates, status=RoundStatus.AGREED)
    record_recommendation(designation_round)
    DesignationRound.objects.filter(pk=designation_round.pk).update(
        status=RoundStatus.RECOMMENDED, recommendation_sent_on=timezone.localdate()
    )
    return DesignationRound.objects.get(pk=designation_round.pk)


def non_candidate_designated(tree, orgs):
    designation_round = recommended(tree, orgs)
    advise(designation_round, "itu", orgs)
    designate(designation_round, "itu", orgs)
    designate(designation_round, "outsider", orgs)
    return designation_round


def advice_missing(tree, orgs):
    designation_round = recommended(tree, orgs)
    designate(designation_round, "itu", orgs)
    return designation_round


def extra_resources_without_advice(tree, orgs):
    designation_round = recommended(
        tree,
        orgs,
        [("itu", CandidateResponse.ACCEPTS, [CandidateCondition.EXTRA_RESOURCES])],
    )
    designate(designation_round, "itu", orgs)
    return designation_round


def advice_against(tree, orgs):
    designation_round = recommended(tree, orgs)
    advise(designation_round, "itu", orgs, AdviceOutcome.UNFAVOURABLE)
    designate(designation_round, "itu", orgs)
    return designation_round


def nobody_designated(tree, orgs):
    return recommended(tree, orgs)


def recommendation_not_written(tree, orgs):
    return new_round(tree, orgs, ACCEPTING, status=RoundStatus.AGREED)


def no_candidate(tree, orgs):
    return new_round(tree, orgs, [])


def pending_at_recommendation(tree, orgs):
    """A candidate changed its answer after the agreement was recorded."""
    designation_round = new_round(tree, orgs, ACCEPTING, status=RoundStatus.AGREED)
    record_recommendation(designation_round)
    DesignationCandidate.objects.filter(
        round=designation_round, organisation=orgs["unesco"]
    ).update(response=CandidateResponse.PENDING)
    return designation_round


@pytest.mark.parametrize(
    ("build", "transition", "message"),
    [
        pytest.param(
            pending_candidate,
            "agree",
            f"{UNESCO} (UNESCO) has not answered yet: the candidates must agree among "
            "themselves before a recommendation.",
            id="pending-candidate",
        ),
        pytest.param(
            pending_at_recommendation,
            "recommend",
            f"{UNESCO} (UNESCO) has not answered yet",
            id="pending-candidate-at-recommendation",
        ),
        pytest.param(
            declined_candidate,
            "agree",
            f"{UNESCO} (UNESCO) declined: facilitators are designated by "
            "agreement among the candidates.",
            id="declined-candidate",
        ),
        pytest.param(
            non_candidate_designated,
            "designate",
            "Outsider Agency was not a candidate in this round: only its candidates "
            "can be designated.",
            id="non-candidate-designated",
        ),
        pytest.param(
            advice_missing,
            "designate",
            f"{ITU} (ITU) said its acceptance depends on its governing council's "
            "advice or on extra resources: record the council's advice before "
            "designating it.",
            id="council-advice-missing",
        ),
        pytest.param(
            extra_resources_without_advice,
            "designate",
            "record the council's advice before designating it",
            id="extra-resources-advice-missing",
        ),
        pytest.param(
            advice_against,
            "designate",
            f"The governing council of {ITU} (ITU) advised against its acting as "
            "facilitator: it cannot be designated.",
            id="council-advised-against",
        ),
        pytest.param(
            nobody_designated,
            "designate",
            "Record the designations made by the UN Secretary-General.",
            id="no-designation",
        ),
        pytest.param(
            recommendation_not_written,
            "recommend",
            "Record the date of the recommendation.",
            id="recommendation-missing",
        ),
        pytest.param(
            no_candidate,
            "consult",
            "The round has no candidate yet.",
            id="no-candidate",
        ),
    ],
)
def test_refused_step_says_why_and_changes_nothing(
    tree, users, orgs, client_for, build, transition, message
):
    designation_round = build(tree, orgs)
    before = snapshot(designation_round)
    client = client_for(users["secretariat"])

    confirm = client.get(move_url(designation_round, transition))
    assert confirm.status_code == 200
    assert message in text_of(confirm)
    assert 'type="submit"' not in confirm.content.decode().split("nice-padding")[1]

    response = step(client, designation_round, transition)
    assert response.status_code == 200
    assert message in text_of(response)
    assert snapshot(designation_round) == before


def test_rules_accept_what_the_mechanism_allows(tree, orgs):
    """The same rules, read directly.

    A designation agreed by every candidate, with the advice its candidate needed,
    stands in every step up to the end.
    """
    designation_round = recommended(tree, orgs)
    advise(designation_round, "itu", orgs, AdviceOutcome.CONDITIONAL)
    designate(designation_round, "itu", orgs)
    facts = RoundFacts.of(designation_round)
    for status in RoundStatus.values:
        if status in (RoundStatus.OPEN, RoundStatus.CONSULTED, RoundStatus.AGREED):
            assert problems(facts, status) == [
                "Designations are recorded once the recommendation has been sent "
                "to the UN Secretary-General."
            ]
        else:
            assert problems(facts, status) == []


# --- Only the Secretariat moves a round ---------------------------------------------


@pytest.mark.parametrize(
    "role", ["public", "c5_facilitator", "inventory_editor", "report_reviewer"]
)
def test_other_roles_get_403_and_nothing_changes(tree, users, orgs, client_for, role):
    from django.contrib.auth.models import Permission

    user = users[role]
    if role == "public":  # signed in and allowed into the admin, in no group
        user.user_permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="change_designationround"),
        )
    designation_round = new_round(tree, orgs, ACCEPTING)
    before = snapshot(designation_round)
    client = client_for(user)
    assert client.get(move_url(designation_round, "consult")).status_code == 403
    response = step(client, designation_round, "consult")
    assert response.status_code == 403
    assert snapshot(designation_round) == before


def test_anonymous_is_sent_to_the_login(tree, orgs):
    designation_round = new_round(tree, orgs, ACCEPTING)
    response = Client().post(move_url(designation_round, "consult"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert status_of(designation_round) == RoundStatus.OPEN


# --- The form keeps to the rules of the round's step ---------------------------------


def form_data(designation_round, **changes):
    """Return the round's edit form as posted, with ``changes``.

    The round's edit form as posted, from what is stored, with ``changes``
    (``candidates``/``council_advice``/``designations`` replace whole lists).
    """

    def rows(relation, fields):
        return [
            {"id": obj.pk, **{name: value(obj, name) for name in fields}}
            for obj in getattr(designation_round, relation).all()
        ]

    def value(obj, name):
        data = getattr(obj, name)
        if hasattr(data, "pk"):
            return data.pk
        if isinstance(data, datetime.date):
            return data.isoformat()
        return "" if data is None else data

    candidates = rows(
        "candidates", ["organisation", "role", "response", "conditions", "notes"]
    )
    advice = rows("council_advice", ["organisation", "date", "outcome", "notes"])
    designations = rows(
        "designations",
        ["organisation", "role", "designated_on", "term_start", "term_end"],
    )
    data = {
        "action_line": designation_round.action_line_id,
        "title": designation_round.title,
        "opened_on": designation_round.opened_on.isoformat(),
        "recommendation_date": value(designation_round, "recommendation_date"),
        "recommendation_text": rich_text(designation_round.recommendation_text or ""),
        "recommendation_document": "",
        "notes": designation_round.notes,
        "consultations": [m.pk for m in designation_round.consultations.all()],
    }
    lists = {
        "candidates": changes.pop("candidates", candidates),
        "council_advice": changes.pop("council_advice", advice),
        "designations": changes.pop("designations", designations),
    }
    data.update(changes)
    for name, items in lists.items():
        initial = sum(1 for item in items if item.get("id"))
        data[name] = inline_formset(items, initial=initial)
    return nested_form_data(data)


def edit_url(designation_round):
    return reverse(
        "wagtailsnippets_action_lines_designationround:edit",
        args=[designation_round.pk],
    )


def test_saving_the_form_never_changes_the_step(tree, users, orgs, client_for):
    designation_round = new_round(tree, orgs, ACCEPTING)
    data = form_data(designation_round, title="Renamed", status="designated")
    response = client_for(users["secretariat"]).post(edit_url(designation_round), data)
    assert response.status_code == 302
    saved = DesignationRound.objects.get(pk=designation_round.pk)
    assert saved.title == "Renamed"
    assert saved.status == RoundStatus.OPEN


def test_a_new_round_starts_with_open_consultations(tree, users, orgs, client_for):
    data = nested_form_data(
        {
            "action_line": tree.c5.pk,
            "title": "C5 facilitation 2030",
            "opened_on": "2029-09-01",
            "status": "designated",
            "candidates": inline_formset(
                [
                    {
                        "organisation": orgs["itu"].pk,
                        "role": "lead",
                        "response": "accepts",
                    }
                ]
            ),
            "council_advice": inline_formset([]),
            "recommendation_date": "",
            "recommendation_text": rich_text(""),
            "recommendation_document": "",
            "designations": inline_formset([]),
            "notes": "",
        }
    )
    response = client_for(users["secretariat"]).post(
        reverse("wagtailsnippets_action_lines_designationround:add"), data
    )
    assert response.status_code == 302
    created = DesignationRound.objects.get(title="C5 facilitation 2030")
    assert created.status == RoundStatus.OPEN
    assert created.recommendation_sent_on is None


def test_form_refuses_a_candidate_declining_after_the_agreement(
    tree, users, orgs, client_for
):
    designation_round = recommended(tree, orgs)
    data = form_data(designation_round)
    unesco = next(
        row
        for row in designation_round.candidates.all()
        if row.organisation == orgs["unesco"]
    )
    candidates = [
        {
            "id": c.pk,
            "organisation": c.organisation_id,
            "role": c.role,
            "response": "declines" if c.pk == unesco.pk else c.response,
            "conditions": c.conditions,
            "notes": "",
        }
        for c in designation_round.candidates.all()
    ]
    data = form_data(designation_round, candidates=candidates)
    response = client_for(users["secretariat"]).post(edit_url(designation_round), data)
    assert response.status_code == 200
    assert f"{UNESCO} (UNESCO) declined" in text_of(response)
    assert DesignationCandidate.objects.get(pk=unesco.pk).response == "accepts"


def test_form_refuses_designating_a_non_candidate(tree, users, orgs, client_for):
    designation_round = recommended(tree, orgs)
    today = timezone.localdate().isoformat()
    data = form_data(
        designation_round,
        designations=[
            {
                "organisation": orgs["outsider"].pk,
                "role": "lead",
                "designated_on": today,
                "term_start": today,
                "term_end": "",
            }
        ],
    )
    response = client_for(users["secretariat"]).post(edit_url(designation_round), data)
    assert response.status_code == 200
    assert "Outsider Agency was not a candidate in this round" in text_of(response)
    assert not FacilitatorDesignation.objects.filter(round=designation_round).exists()


def test_form_refuses_designations_before_the_recommendation(
    tree, users, orgs, client_for
):
    designation_round = new_round(tree, orgs, ACCEPTING)
    today = timezone.localdate().isoformat()
    data = form_data(
        designation_round,
        designations=[
            {
                "organisation": orgs["itu"].pk,
                "role": "lead",
                "designated_on": today,
                "term_start": today,
                "term_end": "",
            }
        ],
    )
    response = client_for(users["secretariat"]).post(edit_url(designation_round), data)
    assert response.status_code == 200
    assert "Designations are recorded once the recommendation has been sent" in (
        text_of(response)
    )
    assert not FacilitatorDesignation.objects.filter(round=designation_round).exists()


def test_recording_the_advice_in_the_form(tree, users, orgs, client_for):
    """The advice is saved with the modalities in force, then designation goes on.

    The advice is saved with the version of the team's modalities published on its
    date, then the designation goes through.
    """
    modalities = tree.c5_modalities
    published = Revision.page_revisions.filter(object_id=str(modalities.pk)).latest(
        "created_at"
    )
    designation_round = advice_missing(tree, orgs)
    data = form_data(
        designation_round,
        council_advice=[
            {
                "organisation": orgs["itu"].pk,
                "date": timezone.localdate().isoformat(),
                "outcome": "favourable",
                "notes": "Within existing resources.",
            }
        ],
    )
    client = client_for(users["secretariat"])
    response = client.post(edit_url(designation_round), data)
    assert response.status_code == 302
    advice = CouncilAdvice.objects.get(round=designation_round)
    assert advice.modalities == published
    step(client, designation_round, "designate")
    assert status_of(designation_round) == RoundStatus.DESIGNATED


# --- Public pages ---------------------------------------------------------------------


def round_url(designation_round):
    return f"{designation_round.action_line.url}designations/{designation_round.pk}/"


def public_text(url):
    response = Client().get(url)
    assert response.status_code == 200, url
    return text_of(response)


def test_public_round_shows_each_part_only_in_its_time(
    tree, users, orgs, client_for, consultation
):
    designation_round = new_round(tree, orgs, ACCEPTING)
    designation_round.consultations.set([consultation])
    designation_round.save()
    record_recommendation(designation_round)
    client = client_for(users["secretariat"])

    text = public_text(round_url(designation_round))
    assert "C5 consultation, Geneva" in text
    assert RECOMMENDATION not in text
    assert NOTES not in text
    assert "Consultations open" in text

    step(client, designation_round, "consult")
    step(client, designation_round, "agree")
    assert RECOMMENDATION not in public_text(round_url(designation_round))

    step(client, designation_round, "recommend", "Sent to New York.")
    advise(designation_round, "itu", orgs)
    designate(designation_round, "itu", orgs)
    text = public_text(round_url(designation_round))
    assert RECOMMENDATION in text
    assert "Sent to New York." in text
    assert "No facilitator has been designated in this round." in text  # not yet

    step(client, designation_round, "designate")
    soup = BeautifulSoup(
        Client().get(round_url(designation_round)).content, "html.parser"
    )
    table = soup.find(id="designations-heading").parent.find("table")
    assert ITU in table.get_text()
    steps = [li.get_text(" ", strip=True) for li in soup.select(".round-steps li")]
    assert [s.split(" — ")[1].split(" Sent")[0] for s in steps] == [
        "Consultations open",
        "Candidates consulted",
        "Agreement reached among the candidates",
        "Recommendation sent to the UN Secretary-General",
        "Facilitators designated",
    ]
    assert NOTES not in soup.get_text()


def test_recommendation_document_is_linked_once_sent(tree, users, orgs, client_for):
    from django.core.files.base import ContentFile

    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Recommendation letter",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="recommendation.pdf"),
    )
    designation_round = new_round(tree, orgs, ACCEPTING, status=RoundStatus.AGREED)
    DesignationRound.objects.filter(pk=designation_round.pk).update(
        recommendation_date=timezone.localdate(), recommendation_document=document
    )
    html = Client().get(round_url(designation_round)).content.decode()
    assert document.url not in html
    step(client_for(users["secretariat"]), designation_round, "recommend")
    html = Client().get(round_url(designation_round)).content.decode()
    assert document.url in html


def test_action_line_lists_its_rounds(tree, orgs):
    designation_round = new_round(tree, orgs, ACCEPTING)
    soup = BeautifulSoup(Client().get(tree.c5.url).content, "html.parser")
    section = soup.find(id="designation-heading").parent
    link = section.find("a", string="C5 facilitation 2026")
    assert link["href"] == round_url(designation_round)
    assert "Consultations open" in section.get_text()
    c2 = BeautifulSoup(Client().get(tree.c2.url).content, "html.parser")
    assert "C5 facilitation 2026" not in c2.get_text()


def test_round_of_another_action_line_is_not_found(tree, orgs):
    designation_round = new_round(tree, orgs, ACCEPTING)
    assert Client().get(round_url(designation_round)).status_code == 200
    other = f"{tree.c2.url}designations/{designation_round.pk}/"
    assert Client().get(other).status_code == 404
    missing = f"{tree.c5.url}designations/{designation_round.pk + 1000}/"
    assert Client().get(missing).status_code == 404


def test_consultation_meeting_links_to_its_round(tree, orgs, consultation):
    designation_round = new_round(tree, orgs, ACCEPTING)
    designation_round.consultations.set([consultation])
    designation_round.save()
    soup = BeautifulSoup(Client().get(consultation.url).content, "html.parser")
    section = soup.find(id="rounds-heading").parent
    assert section.find("a")["href"] == round_url(designation_round)


def test_unpublished_consultation_is_not_listed(tree, orgs, consultation):
    designation_round = new_round(tree, orgs, ACCEPTING)
    draft = MeetingPageFactory(
        parent=consultation.get_parent(), title="Draft consultation", live=False
    )
    designation_round.consultations.set([consultation, draft])
    designation_round.save()
    text = public_text(round_url(designation_round))
    assert "C5 consultation, Geneva" in text
    assert "Draft consultation" not in text


def test_facilitators_in_force_and_since_when(tree, orgs):
    """A renewed designation continues the run.

    The facilitator is in office since the first term, and the action line says so.
    """
    first = DesignationRoundFactory(action_line=tree.c5, title="C5 2006")
    FacilitatorDesignationFactory(
        round=first,
        organisation=orgs["itu"],
        designated_on=datetime.date(2006, 5, 1),
        term_start=datetime.date(2006, 5, 1),
        term_end=datetime.date(2015, 12, 31),
    )
    second = DesignationRoundFactory(action_line=tree.c5, title="C5 2016")
    FacilitatorDesignationFactory(
        round=second,
        organisation=orgs["itu"],
        designated_on=datetime.date(2016, 1, 15),
        term_start=datetime.date(2016, 1, 1),
    )
    # Someone else, designated after a gap, is in office only since its term.
    gap = DesignationRoundFactory(action_line=tree.c5, title="C5 co 2020")
    FacilitatorDesignationFactory(
        round=gap,
        organisation=orgs["unesco"],
        role=FacilitatorRole.CO_FACILITATOR,
        designated_on=datetime.date(2012, 1, 1),
        term_start=datetime.date(2012, 1, 1),
        term_end=datetime.date(2013, 12, 31),
    )
    FacilitatorDesignationFactory(
        round=gap,
        organisation=orgs["unesco"],
        role=FacilitatorRole.CO_FACILITATOR,
        designated_on=datetime.date(2020, 3, 1),
        term_start=datetime.date(2020, 3, 1),
    )
    current = {d.organisation.acronym: d for d in tree.c5.current_designations()}
    assert current["ITU"].since == datetime.date(2006, 5, 1)
    assert current["UNESCO"].since == datetime.date(2020, 3, 1)
    aside = BeautifulSoup(Client().get(tree.c5.url).content, "html.parser").find(
        "aside"
    )
    text = aside.get_text(" ", strip=True)
    assert "since 1 May 2006" in text
    assert "since 1 March 2020" in text
    team = BeautifulSoup(Client().get(tree.c5_team.url).content, "html.parser")
    assert "since 1 May 2006" in team.find("aside").get_text(" ", strip=True)


# --- The register's old yes/no boxes --------------------------------------------------


def test_migration_keeps_what_the_yes_no_boxes_said(tmp_path):
    """Run on a database of its own, the migration keeps the boxes' meaning.

    Run on a database of its own (migrating back and forth would empty the test
    database): the boxes become conditions, "closed" becomes "withdrawn", and a
    recommendation already marked as sent stays public.
    """
    import json
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migration.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.action_lines.yes_no_migration"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["conditions"] == {
        "True True": ["council-advice", "extra-resources"],
        "True False": ["council-advice"],
        "False True": ["extra-resources"],
        "False False": [],
    }
    assert found["rounds"] == {
        "open": ["open", None],
        "recommended": ["recommended", "2015-12-16"],
        "designated": ["designated", "2015-12-16"],
        "closed": ["withdrawn", None],
    }
