"""Define action lines, teams, meetings, membership, designations, frameworks.

Models of action lines, teams, meetings, membership, designations and the frameworks of
the facilitators' meetings.
"""

from .designation import (
    CouncilAdvice,
    DesignationCandidate,
    DesignationRound,
    FacilitatorDesignation,
)
from .frameworks import FrameworkPage, FrameworkVersion
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
    "FrameworkPage",
    "FrameworkVersion",
    "MeetingIndexPage",
    "MeetingPage",
    "MeetingRegistration",
    "ModalitiesPage",
    "SecretariatPage",
    "TeamMembership",
    "TeamMembershipRequest",
    "TeamPage",
]
