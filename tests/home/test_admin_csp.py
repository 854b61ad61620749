"""The admin's Content Security Policy (home.csp), beside the public site's."""

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def directives(header):
    """{"script-src": ["'self'", …], …} of a policy header."""
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def admin_urls(tree, users):
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[tree.c5_team.pk]),
        reverse("wagtailadmin_explore", args=[tree.c5.pk]),
        reverse("wagtaildocs:index"),
        reverse("wagtailimages:index"),
    ]


def test_every_admin_response_carries_the_admin_policy(admin_urls, users, client_for):
    client = client_for(users["superuser"])
    for url in admin_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["script-src-attr"] == ["'none'"]
        assert policy["connect-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert "Content-Security-Policy-Report-Only" not in response


def test_the_sign_in_page_and_redirects_carry_it_too(client):
    response = client.get(reverse("wagtailadmin_login"))
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "script-src-attr 'none'" in response["Content-Security-Policy"]


def test_the_public_site_keeps_its_stricter_policy(tree, client):
    policy = directives(client.get(tree.c5.url)["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]


def test_report_only_sends_the_admin_policy_without_enforcing_it(
    settings, users, client_for
):
    settings.ADMIN_CONTENT_SECURITY_POLICY = {
        **settings.ADMIN_CONTENT_SECURITY_POLICY,
        "REPORT_ONLY": True,
    }
    response = client_for(users["superuser"]).get(reverse("wagtailadmin_home"))
    assert "Content-Security-Policy" not in response
    policy = directives(response["Content-Security-Policy-Report-Only"])
    assert policy["script-src-attr"] == ["'none'"]
