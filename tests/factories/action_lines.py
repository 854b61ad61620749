"""Factories of the action-line page tree, its teams, meetings and designations."""

import datetime

from django.utils import timezone

import wagtail_factories

import factory
from factory.django import DjangoModelFactory

from action_lines.choices import (
    AttendanceMode,
    FacilitatorRole,
    IndicativeRole,
    MeetingKind,
    RoundStatus,
)
from action_lines.models import (
    ActionLineFacilitator,
    ActionLineIndexPage,
    ActionLinePage,
    DesignationRound,
    FacilitatorDesignation,
    MeetingIndexPage,
    MeetingPage,
    MeetingRegistration,
    ModalitiesPage,
    SecretariatPage,
    TeamMembershipRequest,
    TeamPage,
)
from home.choices import StakeholderType

from .home import StakeholderOrganisationFactory


class ActionLineIndexPageFactory(wagtail_factories.PageFactory):
    title = "Action lines"
    slug = "action-lines"

    class Meta:
        model = ActionLineIndexPage


class ActionLinePageFactory(wagtail_factories.PageFactory):
    code = factory.Sequence(lambda n: f"C{n + 1}")
    title = factory.LazyAttribute(lambda page: f"Action line {page.code}")
    slug = factory.LazyAttribute(lambda page: page.code.lower())

    class Meta:
        model = ActionLinePage


class TeamPageFactory(wagtail_factories.PageFactory):
    title = "Team"
    slug = "team"
    purpose = "<p>Implement the action line with every stakeholder.</p>"
    contact_email = "team@example.org"

    class Meta:
        model = TeamPage


class ModalitiesPageFactory(wagtail_factories.PageFactory):
    title = "Coordination modalities"
    slug = "modalities"
    working_languages = ["en", "fr"]

    class Meta:
        model = ModalitiesPage


class MeetingIndexPageFactory(wagtail_factories.PageFactory):
    title = "Meetings"
    slug = "meetings"
    kind = MeetingKind.TEAM

    class Meta:
        model = MeetingIndexPage


class MeetingPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Meeting {n}")
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda page: page.start + datetime.timedelta(hours=3))
    time_zone = "Europe/Zurich"
    venue = "Geneva"
    registration_open = True

    class Meta:
        model = MeetingPage


class SecretariatPageFactory(wagtail_factories.PageFactory):
    title = "Secretariat"
    slug = "secretariat"

    class Meta:
        model = SecretariatPage


class TeamMembershipRequestFactory(DjangoModelFactory):
    organisation_name = factory.Faker("company")
    person_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"member{n}@example.org")
    stakeholder_type = StakeholderType.ACADEMIA
    country = "FRA"

    class Meta:
        model = TeamMembershipRequest


class DesignationRoundFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Designation round {n}")
    opened_on = datetime.date(2025, 1, 1)
    status = RoundStatus.DESIGNATED
    recommendation_date = datetime.date(2025, 3, 1)

    class Meta:
        model = DesignationRound


class FacilitatorDesignationFactory(DjangoModelFactory):
    organisation = factory.SubFactory(StakeholderOrganisationFactory)
    role = FacilitatorRole.LEAD
    designated_on = datetime.date(2025, 4, 1)
    term_start = datetime.date(2025, 4, 1)

    class Meta:
        model = FacilitatorDesignation


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
