"""Vocabularies of the action-line, team and meeting models."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FacilitatorRole(models.TextChoices):
    LEAD = "lead", _("Lead facilitator")
    CO_FACILITATOR = "co-facilitator", _("Co-facilitator")


class IndicativeRole(models.TextChoices):
    """Roles in the Tunis Agenda's indicative list of facilitators."""

    LEAD = "lead", _("Lead facilitator")
    CO_FACILITATOR = "co-facilitator", _("Co-facilitator")
    INTERESTED = "interested", _("Expressed interest")


class MeetingKind(models.TextChoices):
    TEAM = "team", _("Team meeting")
    FACILITATORS = "facilitators", _("Facilitators' meeting")
    CONSULTATION = "consultation", _("Designation consultation")


class MembershipOpenness(models.TextChoices):
    OPEN = "open", _("Open to every stakeholder, membership on request")
    OPEN_AUTOMATIC = "open-automatic", _("Open to every stakeholder, no request needed")


class MeetingCadence(models.TextChoices):
    MONTHLY = "monthly", pgettext_lazy("meeting cadence", "Monthly")
    QUARTERLY = "quarterly", pgettext_lazy("meeting cadence", "Quarterly")
    TWICE_YEARLY = "twice-yearly", _("Twice a year")
    YEARLY = "yearly", _("Once a year")
    AS_NEEDED = "as-needed", _("As needed")


class DecisionRule(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    ROUGH_CONSENSUS = "rough-consensus", _("Rough consensus")
    MAJORITY = "majority", _("Majority of members present")
    FACILITATOR = "facilitator", _("Facilitator decides after consulting the team")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")


class CandidateResponse(models.TextChoices):
    PENDING = "pending", _("Not yet answered")
    ACCEPTS = "accepts", _("Accepts")
    DECLINES = "declines", _("Declines")


class CandidateCondition(models.TextChoices):
    """What a candidate's acceptance depends on (docs/mechanism.md §8)."""

    COUNCIL_ADVICE = "council-advice", _("Its governing council's advice")
    EXTRA_RESOURCES = "extra-resources", _("Extra resources")


class AdviceOutcome(models.TextChoices):
    FAVOURABLE = "favourable", _("Favourable")
    CONDITIONAL = "conditional", _("Favourable, with conditions")
    UNFAVOURABLE = "unfavourable", _("Unfavourable")


class RoundStatus(models.TextChoices):
    """The steps of a designation round, in order (action_lines/rounds.py)."""

    OPEN = "open", _("Consultations open")
    CONSULTED = "consulted", _("Candidates consulted")
    AGREED = "agreed", _("Agreement reached among the candidates")
    RECOMMENDED = "recommended", _("Recommendation sent to the UN Secretary-General")
    DESIGNATED = "designated", _("Facilitators designated")
    WITHDRAWN = "withdrawn", _("Round withdrawn")


class FrameworkScope(models.TextChoices):
    """The two frameworks the facilitators' meetings set (docs/mechanism.md §5)."""

    TEAMS = "teams", _("General framework of the teams' activities")
    INVENTORY = "inventory", _("Framework for the inventory follow-up")
