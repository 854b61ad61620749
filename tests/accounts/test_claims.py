"""Claiming.

Entries submitted before the account are attached to it by proving control of their
contact address (a signed link e-mailed there, the same answer whatever the address), at
once for the account's own verified addresses, and by the update links e-mailed before
accounts.
"""

import datetime

from django.core import signing
from django.utils import timezone

import pytest

from accounts import claims
from accounts.models import EntryClaim
from inventory.models import InventoryEntry, UpdateLink
from inventory.views import UPDATE_LINK_LIFETIME
from tests.factories import InventoryEntryFactory
from tests.helpers.accounts import links_in
from tests.helpers.public_forms import submission

pytestmark = pytest.mark.django_db

CONTACT = "awa.diop@example.org"


@pytest.fixture
def earlier(db):
    """Two entries submitted with CONTACT before any account, one published."""
    return [
        InventoryEntryFactory(contact_email=CONTACT, published=True),
        InventoryEntryFactory(contact_email="Awa.Diop@example.org", draft=True),
    ]


def ask(client, capture, email, reference="", **headers):
    with capture(execute=True):
        return client.post(
            "/my/claim/",
            {"action": "email", "email": email, "reference": reference},
            **headers,
        )


def held(user):
    return set(EntryClaim.objects.filter(user=user).values_list("entry", flat=True))


def test_a_link_to_the_contact_address_attaches_its_entries(
    client, account, earlier, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    response = ask(client, django_capture_on_commit_callbacks, CONTACT)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [CONTACT]
    assert "ada.lovelace@example.org" in mail.body
    link = next(url for url in links_in(mail) if "/my/claim/" in url)
    path = link.replace("http://testserver", "")
    confirm = client.get(path)  # opening the link attaches nothing yet
    assert confirm.status_code == 200
    assert held(account) == set()
    for entry in earlier:
        assert entry.title in confirm.content.decode()
    assert client.post(path).status_code == 302
    assert held(account) == {entry.pk for entry in earlier}
    listing = client.get("/my/activities/").content.decode()
    assert all(entry.title in listing for entry in earlier)


def test_the_answer_is_the_same_for_any_address(
    client, account, earlier, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    capture = django_capture_on_commit_callbacks
    known = ask(client, capture, CONTACT)
    unknown = ask(client, capture, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    first = client.get(known["Location"]).content.decode()
    assert "If entries were submitted with this address" in first
    assert [mail.to for mail in mailoutbox] == [[CONTACT]]


def test_a_reference_narrows_the_claim(
    client, account, earlier, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(account)
    ask(client, django_capture_on_commit_callbacks, CONTACT, earlier[0].reference)
    path = links_in(mailoutbox[0])[0].replace("http://testserver", "")
    client.post(path)
    assert held(account) == {earlier[0].pk}


def test_a_link_works_only_for_the_account_that_asked(
    client,
    account,
    other_account,
    earlier,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(account)
    ask(client, django_capture_on_commit_callbacks, CONTACT)
    path = links_in(mailoutbox[0])[0].replace("http://testserver", "")
    client.force_login(other_account)
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400
    assert held(other_account) == set()
    client.logout()
    assert client.get(path)["Location"].startswith("/accounts/login/")


def test_a_forged_or_expired_link_is_refused(client, account, earlier, settings):
    client.force_login(account)
    forged = signing.dumps(
        {"user": account.pk, "email": CONTACT, "reference": ""}, salt="other"
    )
    assert client.post(f"/my/claim/{forged}/").status_code == 400
    token = claims.claim_token(account, CONTACT)
    settings.ACCOUNTS_CLAIM_LINK_MAX_AGE = -1
    assert client.post(f"/my/claim/{token}/").status_code == 400
    assert held(account) == set()


def test_the_accounts_own_addresses_need_no_link(client, account_factory, mailoutbox):
    user = account_factory(CONTACT)
    entries = [
        InventoryEntryFactory(contact_email=CONTACT.upper(), published=True),
        InventoryEntryFactory(contact_email=CONTACT, draft=True),
    ]
    InventoryEntryFactory(contact_email="someone.else@example.org")
    client.force_login(user)
    page = client.get("/my/claim/").content.decode()
    assert entries[0].title in page
    response = client.post("/my/claim/", {"action": "verified"})
    assert response.status_code == 302
    assert held(user) == {entry.pk for entry in entries}
    assert mailoutbox == []


def test_claim_links_are_limited_per_recipient(
    client,
    account_factory,
    earlier,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.ACCOUNTS_CLAIM_RATE_LIMIT = 2
    capture = django_capture_on_commit_callbacks
    answers = []
    for number in range(3):
        user = account_factory(f"person{number}@example.org")
        client.force_login(user)
        answers.append(
            ask(
                client, capture, CONTACT, REMOTE_ADDR=f"203.0.113.{number + 1}"
            ).status_code
        )
    assert answers == [302, 302, 429]
    assert len(mailoutbox) == 2


# --- The update links e-mailed before accounts ------------------------------------


@pytest.fixture
def old_link(earlier):
    _link, token = UpdateLink.issue(earlier[0], UPDATE_LINK_LIFETIME)
    return f"/inventory/update/{token}/"


def test_an_old_link_leads_to_sign_in_then_to_the_update(
    client, account, earlier, old_link, django_capture_on_commit_callbacks
):
    response = client.get(old_link)
    assert response.status_code == 302
    my_link = response["Location"]
    assert my_link.startswith("/my/update-link/")
    assert response["Referrer-Policy"] == "no-referrer"
    to_login = client.get(my_link)
    assert to_login["Location"].startswith("/accounts/login/?next=/my/update-link/")
    client.force_login(account)
    assert client.get(my_link).status_code == 200  # a confirmation first
    response = client.post(my_link)
    assert response.status_code == 302
    assert response["Location"] == f"/my/activities/{earlier[0].pk}/edit/"
    assert held(account) == {earlier[0].pk}
    assert UpdateLink.objects.get().used_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        update = client.post(response["Location"], submission(title="Updated"))
    assert update.status_code == 302
    entry = InventoryEntry.objects.get(pk=earlier[0].pk)
    assert entry.get_latest_revision_as_object().title == "Updated"
    assert entry.title != "Updated"  # public until approved


@pytest.mark.parametrize("state", ["used", "expired"])
def test_a_used_or_expired_link_leads_to_claiming(
    client, account, earlier, old_link, state
):
    if state == "used":
        UpdateLink.objects.update(used_at=timezone.now())
    else:
        UpdateLink.objects.update(expires_at=timezone.now() - datetime.timedelta(1))
    client.force_login(account)
    response = client.get(client.get(old_link)["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"/my/claim/?reference={earlier[0].reference}"
    assert held(account) == set()
    page = client.get(response["Location"]).content.decode()
    assert earlier[0].reference in page


def test_an_unknown_link_is_refused(client, account):
    assert client.get("/inventory/update/not-a-token/").status_code == 400
    client.force_login(account)
    assert client.post("/my/update-link/not-a-token/").status_code == 404


def test_the_update_page_leads_to_sign_in_and_claiming(client, account, mailoutbox):
    page = client.get("/inventory/update/")
    assert page.status_code == 200
    assert 'href="/accounts/login/?next=/my/claim/"' in page.content.decode()
    posted = client.post("/inventory/update/", {"reference": "WSIS-26-ABC234"})
    assert posted.status_code == 302
    assert mailoutbox == []
    client.force_login(account)
    assert client.get("/inventory/update/")["Location"] == "/my/claim/"


def test_a_claim_reference_already_held_opens_the_activity(client, account, earlier):
    EntryClaim.objects.create(entry=earlier[0], user=account, source="claimed")
    client.force_login(account)
    response = client.get(f"/my/claim/?reference={earlier[0].reference}")
    assert response["Location"] == f"/my/activities/{earlier[0].pk}/"
