"""An account states who it acts for.

An organisation the platform knows, or a new one that an inventory editor confirms;
several accounts may act for one.
"""

from django.urls import reverse

from wagtail.users.models import UserProfile

import pytest

from accounts.models import AccountProfile
from home.models import StakeholderOrganisation
from home.roles import INVENTORY_EDITORS
from tests.factories import StakeholderOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def profile_data(**changes):
    return {
        "name": "Ada Lovelace",
        "organisation_name": "",
        "stakeholder_type": "civil-society",
        "country": "SEN",
        "preferred_language": "fr",
        "notify_moderation": "on",
        "notify_team_news": "on",
        **changes,
    }


def test_choosing_a_known_organisation(client, account, other_account):
    known = StakeholderOrganisationFactory(name="Dakar Digital Schools")
    for user in (account, other_account):
        client.force_login(user)
        response = client.post(
            "/my/profile/", profile_data(organisation_name="dakar digital  SCHOOLS")
        )
        assert response.status_code == 302
    profiles = AccountProfile.objects.filter(organisation=known)
    assert profiles.count() == 2  # several accounts act for one organisation
    profile = profiles.get(user=account)
    assert profile.proposed_organisation == ""
    assert profile.stakeholder_type == "civil-society"
    assert not profile.notify_meeting_reminders
    assert UserProfile.objects.get(user=account).preferred_language == "fr"
    page = client.get("/my/profile/").content.decode()
    assert 'value="Dakar Digital Schools"' in page


def test_proposing_an_organisation_an_editor_confirms(client, account):
    client.force_login(account)
    client.post("/my/profile/", profile_data(organisation_name="Sahel Makers"))
    profile = AccountProfile.objects.get(user=account)
    assert profile.organisation is None
    assert profile.proposed_organisation == "Sahel Makers"
    assert not StakeholderOrganisation.objects.filter(name="Sahel Makers").exists()

    editor = UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    client.force_login(editor)
    index = client.get("/admin/accounts/proposed-organisations/")
    assert index.status_code == 200
    assert "Sahel Makers" in index.content.decode()
    url = reverse("proposed_organisations:edit", args=[profile.pk])
    refused = client.post(url, {})
    assert refused.status_code == 200  # neither chosen nor created
    response = client.post(url, {"create_organisation": "on"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.organisation.name == "Sahel Makers"
    assert profile.organisation.stakeholder_type == "civil-society"
    assert profile.proposed_organisation == ""
    assert (
        "Sahel Makers"
        not in client.get("/admin/accounts/proposed-organisations/").content.decode()
    )


def test_an_editor_may_choose_the_organisation_meant(client, account):
    meant = StakeholderOrganisationFactory(name="Sahel Makers Network")
    AccountProfile.objects.filter(user=account).update(
        proposed_organisation="Sahel Makers"
    )
    profile = AccountProfile.objects.get(user=account)
    client.force_login(UserFactory(username="editor", groups=[INVENTORY_EDITORS]))
    url = reverse("proposed_organisations:edit", args=[profile.pk])
    assert client.post(url, {"organisation": meant.pk}).status_code == 302
    profile.refresh_from_db()
    assert profile.organisation == meant
    assert profile.proposed_organisation == ""


def test_an_organisation_created_elsewhere_is_adopted(account):
    """An entry's approval creates the organisation an account proposed."""
    AccountProfile.objects.filter(user=account).update(
        proposed_organisation="Sahel Makers"
    )
    created = StakeholderOrganisationFactory(name="sahel makers")
    profile = AccountProfile.objects.get(user=account)
    assert profile.organisation == created
    assert profile.proposed_organisation == ""


def test_nobody_else_reaches_the_proposals(client, account):
    client.force_login(account)
    assert client.get("/admin/accounts/proposed-organisations/").status_code == 302
    client.force_login(UserFactory(username="secretary", groups=["Secretariat"]))
    response = client.get("/admin/accounts/proposed-organisations/")
    assert response.status_code == 302
    add = client.get("/admin/accounts/proposed-organisations/new/")
    assert add.status_code in (302, 404)


def test_a_one_line_name(client, account):
    client.force_login(account)
    response = client.post(
        "/my/profile/", profile_data(organisation_name="Sahel\nMakers")
    )
    assert response.status_code == 400
