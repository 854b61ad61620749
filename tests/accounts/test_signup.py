"""Sign-up, verification, sign-in and password reset, as a visitor meets them.

Sign-up, verification, sign-in and password reset (allauth), as a visitor meets them: no
account is ever revealed, bots fill in a trap, and every door is rate limited per client
and per address.
"""

from django.contrib.auth import get_user_model

import pytest
from allauth.account.models import EmailAddress

from accounts.models import AccountProfile
from tests.helpers.accounts import PASSWORD, links_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 42"


def signup(client, email, **extra):
    return client.post(
        "/accounts/signup/",
        {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, **extra},
    )


def test_sign_up_verify_and_land_in_my_wsis(client, mailoutbox):
    response = signup(client, "new.person@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get(email="new.person@example.org")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert AccountProfile.objects.filter(user=user).exists()
    # Not signed in before the address is verified.
    assert client.get("/my/").status_code == 302

    (mail,) = mailoutbox
    assert mail.to == ["new.person@example.org"]
    link = next(url for url in links_in(mail) if "/confirm-email/" in url)
    path = link.replace("http://testserver", "")
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    assert EmailAddress.objects.get(user=user).verified
    page = client.get("/my/")
    assert page.status_code == 200
    assert "new.person@example.org" in page.content.decode()


def test_an_unverified_account_cannot_sign_in(client, account_factory, mailoutbox):
    account_factory("unverified@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "unverified@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert client.get("/my/").status_code == 302
    assert "/confirm-email/" in mailoutbox[0].body


def test_sign_in_and_out(client, account):
    response = client.post(
        "/accounts/login/", {"login": "ada.lovelace@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    assert client.get("/my/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/my/").status_code == 302


def test_the_honeypot_answers_as_a_sign_up_and_creates_nothing(client, mailoutbox):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="website"' in page
    assert 'class="trap" aria-hidden="true"' in page
    assert "style=" not in page  # the Content Security Policy refuses inline styles
    response = signup(client, "bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not get_user_model().objects.filter(email="bot@example.org").exists()
    assert mailoutbox == []


def test_sign_up_with_a_known_address_answers_the_same(client, account, mailoutbox):
    """The visitor sees what a new address gets.

    The address's owner is told by e-mail that someone tried, and no second account
    exists.
    """
    known = signup(client, "ada.lovelace@example.org")
    client.logout()
    new = signup(client, "someone.new@example.org")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert (
        get_user_model().objects.filter(email="ada.lovelace@example.org").count() == 1
    )
    to_known = [mail for mail in mailoutbox if mail.to == ["ada.lovelace@example.org"]]
    assert len(to_known) == 1
    assert "/confirm-email/" not in to_known[0].body


@pytest.mark.parametrize("email", ["ada.lovelace@example.org", "nobody@example.org"])
def test_password_reset_answers_the_same_for_any_address(
    client, account, mailoutbox, email
):
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    (mail,) = mailoutbox
    assert mail.to == [email]
    has_link = "/accounts/password/reset/key/" in mail.body
    assert has_link == (email == "ada.lovelace@example.org")


def test_password_reset_sets_a_new_password(client, account, mailoutbox):
    client.post("/accounts/password/reset/", {"email": "ada.lovelace@example.org"})
    link = next(u for u in links_in(mailoutbox[0]) if "/password/reset/key/" in u)
    form = client.get(link.replace("http://testserver", ""), follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_pages_speak_the_visitors_language(client):
    html = client.get("/fr/accounts/login/").content.decode()
    assert '<html lang="fr"' in html
    assert "Connexion" in html
    html = client.get("/ar/accounts/signup/").content.decode()
    assert 'dir="rtl"' in html
    assert "تسجيل" in html


def test_the_header_offers_sign_in_or_my_wsis(client, account, home_page):
    anonymous = client.get("/inventory/").content.decode()
    assert 'href="/accounts/login/"' in anonymous
    assert 'href="/my/"' not in anonymous
    client.force_login(account)
    signed_in = client.get("/inventory/").content.decode()
    assert 'href="/my/"' in signed_in
    assert 'href="/accounts/logout/"' in signed_in
