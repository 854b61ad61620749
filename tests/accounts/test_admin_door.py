"""Two doors.

Stakeholder accounts never reach the admin, staff keep the admin's sign-in (django-axes,
two-factor authentication), and allauth's rate limits count a client as the rest of the
site does.
"""

from django.contrib.auth.models import Group

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from axes.models import AccessAttempt

from accounts.models import StaffSignInSettings
from home.roles import INVENTORY_EDITORS, SECRETARIAT
from tests.factories import UserFactory
from tests.helpers.accounts import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/snippets/inventory/inventoryentry/"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_an_account_never_reaches_the_admin(client, account, path):
    client.force_login(account)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_account_cannot_sign_in_at_the_admin(client, account):
    for login in ("ada.lovelace@example.org", account.username):
        response = client.post(
            "/admin/login/", {"username": login, "password": PASSWORD}
        )
        assert client.get("/admin/").status_code == 302, login
        assert response.status_code in (200, 302)


def test_staff_sign_in_at_the_admin_not_on_the_public_site(client, db):
    UserFactory(
        username="editor", email="editor@example.org", groups=[INVENTORY_EDITORS]
    )
    response = client.post(
        "/accounts/login/", {"login": "editor@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    response = client.post(
        "/admin/login/", {"username": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_axes_locks_the_admin_and_leaves_accounts_to_allauth(client, account, settings):
    UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert locked.status_code == 429
    before = AccessAttempt.objects.count()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            "/accounts/login/",
            {"login": "ada.lovelace@example.org", "password": "wrong"},
        )
    assert AccessAttempt.objects.count() == before  # no address of an account kept
    response = client.post(
        "/accounts/login/", {"login": "ada.lovelace@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


# --- Rate limits ---------------------------------------------------------------


def test_failed_sign_ins_are_limited_per_account_from_any_address(
    client, account, settings
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "100/m/ip,3/5m/key",
    }
    for number in range(3):
        response = client.post(
            "/accounts/login/",
            {"login": "ada.lovelace@example.org", "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{number + 1}",
        )
        assert response.status_code == 200
    refused = client.post(
        "/accounts/login/",
        {"login": "ada.lovelace@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.9",
    )
    # allauth refuses on the form, even the right password.
    assert refused.status_code == 200
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_ups_are_limited_per_client_whatever_it_forwards(client, settings):
    """The site counts the address its trusted proxies saw, not allauth's.

    Allauth's own client address is the first X-Forwarded-For entry, which the
    client writes; the site's counts the address its trusted proxies saw.
    """
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    answers = [
        client.post(
            "/accounts/signup/",
            {
                "email": f"person{number}@example.org",
                "password1": "x",
                "password2": "y",
            },
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        ).status_code
        for number in range(3)
    ]
    assert answers == [200, 200, 429]
    refused = client.post("/accounts/signup/", {}, REMOTE_ADDR="2001:db8:1:2::99")
    assert refused.status_code != 429  # another client
    assert client.get("/accounts/signup/").status_code == 200  # reading is free


def test_password_resets_are_limited_per_address(client, account, settings, mailoutbox):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "100/h/ip,2/h/key",
    }
    answers = [
        client.post(
            "/accounts/password/reset/",
            {"email": "ada.lovelace@example.org"},
            REMOTE_ADDR=f"203.0.113.{number + 1}",
        ).status_code
        for number in range(3)
    ]
    assert answers == [302, 302, 429]
    assert len(mailoutbox) == 2
    refused = client.post(
        "/accounts/password/reset/", {"email": "ada.lovelace@example.org"}
    )
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert "Too many attempts" in refused.content.decode()


# --- Two-factor authentication for staff ----------------------------------------


def admin_sign_in(client, username):
    response = client.post(
        "/admin/login/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def current_code(secret):
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def with_authenticator(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_staff_with_an_authenticator_give_a_code_before_the_admin(client, db):
    editor = UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    secret = with_authenticator(editor)
    admin_sign_in(client, "editor")
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/two-factor/?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    wrong = client.post(
        "/admin/two-factor/", {"code": "000000", "next": "/admin/pages/"}
    )
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    right = client.post(
        "/admin/two-factor/", {"code": current_code(secret), "next": "/admin/pages/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    # The next sign-in asks again.
    client.post("/admin/logout/")
    admin_sign_in(client, "editor")
    assert client.get("/admin/").status_code == 302


def test_the_code_page_sends_nowhere_else(client, db):
    editor = UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    secret = with_authenticator(editor)
    admin_sign_in(client, "editor")
    response = client.post(
        "/admin/two-factor/",
        {"code": current_code(secret), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("how", ["setting", "secretariat"])
def test_a_group_that_requires_it_sets_up_an_authenticator_first(
    client, db, settings, how
):
    UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    if how == "setting":
        settings.STAFF_MFA_REQUIRED_GROUPS = [INVENTORY_EDITORS]
    else:
        policy = StaffSignInSettings.load()
        policy.mfa_required_groups.add(Group.objects.get(name=INVENTORY_EDITORS))
    admin_sign_in(client, "editor")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # Other staff are not concerned.
    other = UserFactory(username="secretary", groups=[SECRETARIAT])
    client.force_login(other)
    assert client.get("/admin/").status_code == 200


def test_setting_up_the_authenticator_opens_the_admin(client, db, settings):
    settings.STAFF_MFA_REQUIRED_GROUPS = [INVENTORY_EDITORS]
    editor = UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    admin_sign_in(client, "editor")
    activate = client.get("/accounts/2fa/totp/activate/", follow=True)
    if activate.redirect_chain:  # allauth asks for the password again first
        reauth = activate.redirect_chain[-1][0]
        client.post(reauth, {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": current_code(secret)}
    )
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    assert client.get("/admin/").status_code == 200


def test_the_secretariat_chooses_the_groups(client, db):
    secretary = UserFactory(username="secretary", groups=[SECRETARIAT])
    editors = Group.objects.get(name=INVENTORY_EDITORS)
    client.force_login(secretary)
    page = client.get("/admin/settings/accounts/staffsigninsettings/", follow=True)
    assert page.status_code == 200
    url = page.redirect_chain[-1][0]
    response = client.post(url, {"mfa_required_groups": [editors.pk]})
    assert response.status_code == 302
    assert list(StaffSignInSettings.load().mfa_required_groups.all()) == [editors]
    editor = UserFactory(username="editor", groups=[INVENTORY_EDITORS])
    client.force_login(editor)
    assert client.get(url).status_code == 302  # not theirs
