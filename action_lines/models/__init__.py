"""Models of action lines, teams, meetings, membership and designations."""

from .designation import (
    CouncilAdvice,
    DesignationCandidate,
    DesignationRound,
    FacilitatorDesignation,
)
from .meetings import MeetingIndexPage, MeetingPage, MeetingRegistration
from .membership import TeamMembership, TeamMembershipRequest
from .pages import (
    ActionLineFacilitator,
    ActionLineIndexPage,
    ActionLinePage,
    ModalitiesPage,
    SecretariatPage,
    TeamPage,
)

__all__ = [
    "ActionLineFacilitator",
    "ActionLineIndexPage",
    "ActionLinePage",
    "CouncilAdvice",
    "DesignationCandidate",
    "DesignationRound",
    "FacilitatorDesignation",
    "MeetingIndexPage",
    "MeetingPage",
    "MeetingRegistration",
    "ModalitiesPage",
    "SecretariatPage",
    "TeamMembership",
    "TeamMembershipRequest",
    "TeamPage",
]
