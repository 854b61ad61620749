"""Factories of the platform's models, one module per app.

factory_boy / wagtail-factories factories of the platform's models, one module per app,
all importable from here.
"""

from .action_lines import (
    ActionLineFacilitatorFactory,
    ActionLineIndexPageFactory,
    ActionLinePageFactory,
    DesignationRoundFactory,
    FacilitatorDesignationFactory,
    MeetingIndexPageFactory,
    MeetingPageFactory,
    MeetingRegistrationFactory,
    ModalitiesPageFactory,
    SecretariatPageFactory,
    TeamMembershipRequestFactory,
    TeamPageFactory,
)
from .home import StakeholderOrganisationFactory, UserFactory
from .inventory import InventoryEntryFactory
from .reporting import (
    PERIOD_END,
    PERIOD_START,
    YEAR,
    ReportIndexPageFactory,
    ReportPageFactory,
)

__all__ = [
    "PERIOD_END",
    "PERIOD_START",
    "YEAR",
    "ActionLineFacilitatorFactory",
    "ActionLineIndexPageFactory",
    "ActionLinePageFactory",
    "DesignationRoundFactory",
    "FacilitatorDesignationFactory",
    "InventoryEntryFactory",
    "MeetingIndexPageFactory",
    "MeetingPageFactory",
    "MeetingRegistrationFactory",
    "ModalitiesPageFactory",
    "ReportIndexPageFactory",
    "ReportPageFactory",
    "SecretariatPageFactory",
    "StakeholderOrganisationFactory",
    "TeamMembershipRequestFactory",
    "TeamPageFactory",
    "UserFactory",
]
