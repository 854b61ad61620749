"""Inventory editors give an entry to a stakeholder account in the admin.

Inventory editors give an entry to a stakeholder account in the admin (Admin → Accounts'
entries), by the account's verified address; nobody else may.
"""

import pytest

from accounts.models import EntryClaim
from home.roles import SECRETARIAT
from tests.factories import InventoryEntryFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/entries/new/"


def test_an_editor_assigns_an_entry_to_an_account(client, account, inventory_editor):
    entry = InventoryEntryFactory(title="Imported activity", published=True)
    client.force_login(inventory_editor)
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD, {"entry": entry.pk, "account_email": "ADA.lovelace@example.org"}
    )
    assert response.status_code == 302
    claim = EntryClaim.objects.get()
    assert (claim.entry, claim.user, claim.source, claim.assigned_by) == (
        entry,
        account,
        "assigned",
        inventory_editor,
    )
    listing = client.get("/admin/accounts/entries/").content.decode()
    assert "Imported activity" in listing and "ada.lovelace@example.org" in listing
    client.force_login(account)
    assert "Imported activity" in client.get("/my/activities/").content.decode()


@pytest.mark.parametrize(
    "email", ["nobody@example.org", "unverified@example.org", "staff@example.org"]
)
def test_only_a_stakeholder_accounts_verified_address(
    client, account_factory, inventory_editor, email
):
    account_factory("unverified@example.org", verified=False)
    UserFactory(username="staff", email="staff@example.org", groups=[SECRETARIAT])
    entry = InventoryEntryFactory()
    client.force_login(inventory_editor)
    response = client.post(ADD, {"entry": entry.pk, "account_email": email})
    assert response.status_code == 200
    assert "No stakeholder account has this verified address." in (
        response.content.decode()
    )
    assert not EntryClaim.objects.exists()


def test_an_editor_withdraws_an_assignment(client, account, inventory_editor):
    claim = EntryClaim.objects.create(
        entry=InventoryEntryFactory(), user=account, source="assigned"
    )
    client.force_login(inventory_editor)
    response = client.post(f"/admin/accounts/entries/delete/{claim.pk}/")
    assert response.status_code == 302
    assert not EntryClaim.objects.exists()


@pytest.mark.parametrize("who", ["secretariat", "facilitator", "account"])
def test_nobody_else_assigns(client, tree, account, who):
    user = {
        "secretariat": lambda: UserFactory(username="sec", groups=[SECRETARIAT]),
        "facilitator": lambda: UserFactory(username="fac", groups=["C5 facilitators"]),
        "account": lambda: account,
    }[who]()
    entry = InventoryEntryFactory()
    client.force_login(user)
    response = client.post(
        ADD, {"entry": entry.pk, "account_email": "ada.lovelace@example.org"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/accounts/entries/")
    assert not EntryClaim.objects.exists()
