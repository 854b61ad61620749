"""Factories of action-line records that only these tests need (yet)."""

import factory
from factory.django import DjangoModelFactory

from action_lines.choices import AttendanceMode, IndicativeRole
from action_lines.models import ActionLineFacilitator, MeetingRegistration
from home.choices import StakeholderType
from tests.factories import StakeholderOrganisationFactory


class MeetingRegistrationFactory(DjangoModelFactory):
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")
    organisation = factory.Faker("company")
    stakeholder_type = StakeholderType.GOVERNMENT
    country = "KEN"
    attendance = AttendanceMode.IN_PERSON

    class Meta:
        model = MeetingRegistration


class ActionLineFacilitatorFactory(DjangoModelFactory):
    """An organisation on an action line's indicative list."""

    organisation = factory.SubFactory(StakeholderOrganisationFactory)
    role = IndicativeRole.LEAD

    class Meta:
        model = ActionLineFacilitator
