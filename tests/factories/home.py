"""Factories of the people and organisations every part of the site refers to."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import factory
from factory.django import DjangoModelFactory

from home.choices import StakeholderType
from home.models import StakeholderOrganisation


class UserFactory(DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class StakeholderOrganisationFactory(DjangoModelFactory):
    name = factory.Faker("company")
    acronym = factory.LazyAttribute(
        lambda org: "".join(w[0] for w in org.name.split())[:6]
    )
    stakeholder_type = StakeholderType.CIVIL_SOCIETY
    country = "CHE"

    class Meta:
        model = StakeholderOrganisation
