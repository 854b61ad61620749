"""Stakeholder accounts.

Made as allauth makes them (a user, a verified primary address, a profile), and signed
in through the site's own forms when it matters.
"""

from django.core.cache import cache

import pytest

from tests.helpers.accounts import make_account


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


@pytest.fixture
def inventory_editor(db):
    from home.roles import INVENTORY_EDITORS
    from tests.factories import UserFactory

    return UserFactory(
        username="inventory-editor",
        email="editor@wsis.example.org",
        groups=[INVENTORY_EDITORS],
    )
