"""Stakeholder accounts: made as allauth makes them (a user, a verified primary
address, a profile), and signed in through the site's own forms when it matters."""

import re

from django.core.cache import cache

import pytest

PASSWORD = "correct horse battery staple"  # UserFactory's
LINK = re.compile(r"https?://\S+")


def make_account(email, password=PASSWORD, verified=True, **profile):
    from allauth.account.models import EmailAddress

    from accounts.profiles import ensure_profile
    from tests.factories import UserFactory

    local = email.split("@")[0].replace(".", "-")
    user = UserFactory(username=f"account-{local}", email=email)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    account = ensure_profile(user, language="en")
    for name, value in profile.items():
        setattr(account, name, value)
    account.save()
    return user


@pytest.fixture
def account_factory(db):
    return make_account


@pytest.fixture
def account(db):
    return make_account("ada.lovelace@example.org", name="Ada Lovelace")


@pytest.fixture
def other_account(db):
    return make_account("grace.hopper@example.org", name="Grace Hopper")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which tests share."""
    cache.clear()
    yield
    cache.clear()


def links_in(mail):
    return LINK.findall(mail.body)


@pytest.fixture
def inventory_editor(db):
    from home.roles import INVENTORY_EDITORS
    from tests.factories import UserFactory

    return UserFactory(
        username="inventory-editor",
        email="editor@wsis.example.org",
        groups=[INVENTORY_EDITORS],
    )
