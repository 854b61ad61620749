"""The designation process.

The steps of a round, its transitions and their rules (docs/mechanism.md §3 and §8).

A round moves consultations open → candidates consulted → agreement reached
among the candidates → recommendation sent to the UN Secretary-General →
facilitators designated, or is withdrawn before it is designated; the Secretariat
may also reopen the consultations of a round that has not sent its
recommendation. Each step has rules that hold for as long as the round is in it
(``RULES``): a transition checks the rules of the step it leads to, and the
round's admin form checks the rules of the round's current step on every save,
so the register can never say what the mechanism does not allow, whichever way it
is written. Each transition is recorded in Wagtail's audit log with a revision of
the round (who, when, and an optional public note).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.log_actions import LogFormatter, log
from wagtail.models import ModelLogEntry

from .choices import AdviceOutcome, CandidateResponse, RoundStatus

MOVE_PERMISSION = "action_lines.move_designationround"
LOG_PREFIX = "action_lines.round."


# --- What a round holds, whether saved or in a form -------------------------


@dataclass
class Candidate:
    organisation: object
    response: str
    conditions: list = field(default_factory=list)


@dataclass
class Advice:
    organisation: object
    date: object
    outcome: str


@dataclass
class RoundFacts:
    """The parts of a round the rules read: from the database or from a form."""

    candidates: list
    advice: list
    designations: list  # organisations
    recommendation_date: object = None
    recommendation_text: str = ""
    recommendation_document: object = None

    @classmethod
    def of(cls, designation_round):
        return cls(
            candidates=[
                Candidate(c.organisation, c.response, list(c.conditions or []))
                for c in designation_round.candidates.select_related("organisation")
            ],
            advice=[
                Advice(a.organisation, a.date, a.outcome)
                for a in designation_round.council_advice.select_related("organisation")
            ],
            designations=[
                d.organisation
                for d in designation_round.designations.select_related("organisation")
            ],
            recommendation_date=designation_round.recommendation_date,
            recommendation_text=designation_round.recommendation_text,
            recommendation_document=designation_round.recommendation_document,
        )


# --- Rules ---------------------------------------------------------------------


def _candidates(facts):
    return {candidate.organisation.pk for candidate in facts.candidates}


def has_candidates(facts):
    if not facts.candidates:
        return [_("The round has no candidate yet.")]
    return []


def candidates_agree(facts):
    """Designation is by agreement among the candidates, not by one of them."""
    problems = []
    for candidate in facts.candidates:
        if candidate.response == CandidateResponse.PENDING:
            problems.append(
                _(
                    "%(organisation)s has not answered yet: the candidates must "
                    "agree among themselves before a recommendation."
                )
                % {"organisation": candidate.organisation}
            )
        elif candidate.response == CandidateResponse.DECLINES:
            problems.append(
                _(
                    "%(organisation)s declined: facilitators are designated by "
                    "agreement among the candidates. Remove its candidacy or "
                    "withdraw the round."
                )
                % {"organisation": candidate.organisation}
            )
    return problems


def recommendation_recorded(facts):
    problems = []
    if not facts.recommendation_date:
        problems.append(_("Record the date of the recommendation."))
    if not strip_tags(facts.recommendation_text or "").strip() and not (
        facts.recommendation_document
    ):
        problems.append(
            _("Record the recommendation: its text, its document, or both.")
        )
    return problems


def no_designation_yet(facts):
    if facts.designations:
        return [
            _(
                "Designations are recorded once the recommendation has been sent "
                "to the UN Secretary-General."
            )
        ]
    return []


def designations_recorded(facts):
    if not facts.designations:
        return [_("Record the designations made by the UN Secretary-General.")]
    return []


def designations_name_candidates(facts):
    candidates = _candidates(facts)
    return [
        _(
            "%(organisation)s was not a candidate in this round: only its "
            "candidates can be designated."
        )
        % {"organisation": organisation}
        for organisation in unique(facts.designations)
        if organisation.pk not in candidates
    ]


def advice_names_candidates(facts):
    candidates = _candidates(facts)
    return [
        _(
            "The advice recorded for %(organisation)s concerns an organisation that "
            "is not a candidate in this round."
        )
        % {"organisation": organisation}
        for organisation in unique(advice.organisation for advice in facts.advice)
        if organisation.pk not in candidates
    ]


def advice_before_designation(facts):
    """Refuse to designate a candidate whose council's advice is missing.

    A candidate whose acceptance depends on its council's advice or on extra
    resources is designated only once that advice is recorded, and not against it.
    """
    designated = {organisation.pk for organisation in facts.designations}
    problems = []
    for candidate in facts.candidates:
        if not candidate.conditions or candidate.organisation.pk not in designated:
            continue
        advice = sorted(
            (a for a in facts.advice if a.organisation.pk == candidate.organisation.pk),
            key=lambda a: a.date,
        )
        if not advice:
            problems.append(
                _(
                    "%(organisation)s said its acceptance depends on its governing "
                    "council's advice or on extra resources: record the council's "
                    "advice before designating it."
                )
                % {"organisation": candidate.organisation}
            )
        elif advice[-1].outcome == AdviceOutcome.UNFAVOURABLE:
            problems.append(
                _(
                    "The governing council of %(organisation)s advised against its "
                    "acting as facilitator: it cannot be designated."
                )
                % {"organisation": candidate.organisation}
            )
    return problems


def unique(organisations):
    seen, found = set(), []
    for organisation in organisations:
        if organisation.pk not in seen:
            seen.add(organisation.pk)
            found.append(organisation)
    return found


# What holds while a round is in each step.
RULES = {
    RoundStatus.OPEN: [no_designation_yet, advice_names_candidates],
    RoundStatus.CONSULTED: [
        has_candidates,
        no_designation_yet,
        advice_names_candidates,
    ],
    RoundStatus.AGREED: [
        has_candidates,
        candidates_agree,
        no_designation_yet,
        advice_names_candidates,
    ],
    RoundStatus.RECOMMENDED: [
        has_candidates,
        candidates_agree,
        recommendation_recorded,
        designations_name_candidates,
        advice_names_candidates,
    ],
    RoundStatus.DESIGNATED: [
        has_candidates,
        candidates_agree,
        recommendation_recorded,
        designations_recorded,
        designations_name_candidates,
        advice_names_candidates,
        advice_before_designation,
    ],
    RoundStatus.WITHDRAWN: [designations_name_candidates, advice_names_candidates],
}


def problems(facts, status):
    """Why ``facts`` cannot stand in step ``status`` (empty: they can)."""
    return [message for rule in RULES[status] for message in rule(facts)]


# --- Transitions ---------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    explanation: str

    @property
    def log_action(self):
        return LOG_PREFIX + self.name


BEFORE_DESIGNATION = (
    RoundStatus.OPEN,
    RoundStatus.CONSULTED,
    RoundStatus.AGREED,
    RoundStatus.RECOMMENDED,
)

TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "consult",
            gettext_lazy("Close the consultations: candidates consulted"),
            (RoundStatus.OPEN,),
            RoundStatus.CONSULTED,
            gettext_lazy(
                "The stakeholders have been consulted and the candidates are known. "
                "Next, the candidates agree among themselves."
            ),
        ),
        Transition(
            "agree",
            gettext_lazy("Record the candidates' agreement"),
            (RoundStatus.CONSULTED,),
            RoundStatus.AGREED,
            gettext_lazy(
                "Every candidate has answered and none declined: the candidates "
                "agree on the recommendation."
            ),
        ),
        Transition(
            "recommend",
            gettext_lazy("Send the recommendation to the UN Secretary-General"),
            (RoundStatus.AGREED,),
            RoundStatus.RECOMMENDED,
            gettext_lazy(
                "The recommendation agreed among the candidates goes to the UN "
                "Secretary-General; from now on it is public on the action line's "
                "page."
            ),
        ),
        Transition(
            "designate",
            gettext_lazy("Record the designation"),
            (RoundStatus.RECOMMENDED,),
            RoundStatus.DESIGNATED,
            gettext_lazy(
                "The UN Secretary-General has designated the facilitators recorded "
                "in the round; they are shown as the action line's facilitators "
                "for their terms."
            ),
        ),
        Transition(
            "reopen",
            gettext_lazy("Reopen the consultations"),
            (RoundStatus.CONSULTED, RoundStatus.AGREED),
            RoundStatus.OPEN,
            gettext_lazy(
                "The consultations start again, for instance after a candidate "
                "changed its answer."
            ),
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw the round"),
            BEFORE_DESIGNATION,
            RoundStatus.WITHDRAWN,
            gettext_lazy(
                "The round ends without designation. This cannot be undone; a new "
                "round can be opened."
            ),
        ),
    ]
}


def next_steps(designation_round):
    """Return the transitions open to the round in its current step."""
    return [t for t in TRANSITIONS.values() if designation_round.status in t.sources]


class TransitionRefused(Exception):
    def __init__(self, messages):
        super().__init__("; ".join(str(message) for message in messages))
        self.messages = list(messages)


def check(designation_round, transition):
    """Why ``transition`` cannot be made now (empty: it can)."""
    if designation_round.status not in transition.sources:
        return [
            _("This step is not open to a round whose status is “%(status)s”.")
            % {"status": designation_round.get_status_display()}
        ]
    return problems(RoundFacts.of(designation_round), transition.target)


def move(designation_round, transition, user, note=""):
    """Make ``transition`` or raise TransitionRefused, changing nothing."""
    from .models import DesignationRound  # noqa: PLC0415 - cycle: the models import this module

    with transaction.atomic():
        current = DesignationRound.objects.select_for_update().get(
            pk=designation_round.pk
        )
        refused = check(current, transition)
        if refused:
            raise TransitionRefused(refused)
        previous = current.status
        current.status = transition.target
        if transition.target == RoundStatus.RECOMMENDED:
            current.recommendation_sent_on = timezone.localdate()
        current.save(update_fields=["status", "recommendation_sent_on"])
        revision = current.save_revision(user=user, clean=False)
        log_step(current, transition, previous, user, note, revision)
    return current


def log_step(
    designation_round, transition, previous, user, note="", revision=None, **kw
):
    """Return the audit-log entry of a transition (``timestamp`` may be given)."""
    return log(
        designation_round,
        transition.log_action,
        user=user,
        revision=revision,
        data={"from": previous, "to": transition.target, "note": (note or "").strip()},
        **kw,
    )


def steps(designation_round):
    """Return the round's history as the public reads it.

    (date, label, note), oldest first, from its opening and the transitions in the
    audit log.
    """
    history = [(designation_round.opened_on, RoundStatus.OPEN.label, "")]
    entries = (
        ModelLogEntry.objects.for_instance(designation_round)
        .filter(action__startswith=LOG_PREFIX)
        .order_by("timestamp", "pk")
    )
    labels = dict(RoundStatus.choices)
    for entry in entries:
        target = (entry.data or {}).get("to")
        if target in labels:
            history.append(
                (
                    timezone.localdate(entry.timestamp),
                    labels[target],
                    (entry.data or {}).get("note", ""),
                )
            )
    return history


def register_log_actions(actions):
    """Wagtail's audit log: one action per transition, with its public note."""
    for transition in TRANSITIONS.values():
        target_label = dict(RoundStatus.choices)[transition.target]

        def formatter(transition=transition, target_label=target_label):
            class StepFormatter(LogFormatter):
                label = transition.label

                def format_message(self, log_entry):
                    return _("Designation round moved to “%(status)s”") % {
                        "status": target_label
                    }

                def format_comment(self, log_entry):
                    return (log_entry.data or {}).get("note", "")

            return StepFormatter

        actions.register_action(transition.log_action)(formatter())
