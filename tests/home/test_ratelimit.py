"""Rate limits over HTTP.

Every limited view answers 429 with the real time left in the client's window; a client
is an IPv4 address or an IPv6 /64, read behind PROXY_COUNT proxies from X-Forwarded-For.
"""

import math
from types import SimpleNamespace

from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

import pytest

from home import ratelimit
from home.ratelimit import HOUR, MINUTE, network_key
from tests.helpers.public_forms import join_data, registration_data

# 1234.5 s into an hour, so 34.5 s into a minute: the two windows end at
# different times, and neither at a round number.
START = 480_000 * HOUR + 1234.5


@pytest.fixture
def clock(monkeypatch):
    """The rate limits' clock, pinned and moved by hand."""
    now = SimpleNamespace(value=START)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now.value))
    cache.clear()
    yield now
    cache.clear()


def seconds_left(now, window):
    return math.ceil(window - now % window)


def limited_request(request, name):
    """(setting, window, method, url, data) of each limited view."""
    if name in ("join", "registration"):
        tree = request.getfixturevalue("tree")
        if name == "join":
            return (
                "PUBLIC_FORM_RATE_LIMIT",
                HOUR,
                "post",
                f"{tree.c5_team.url}join/",
                join_data(),
            )
        return (
            "PUBLIC_FORM_RATE_LIMIT",
            HOUR,
            "post",
            f"{tree.c5_meeting.url}register/",
            registration_data(),
        )
    return {
        "inventory search": (
            "INVENTORY_SEARCH_RATE_LIMIT",
            MINUTE,
            "get",
            "/inventory/",
            {"page_size": "100"},
        ),
        "inventory search (fr)": (
            "INVENTORY_SEARCH_RATE_LIMIT",
            MINUTE,
            "get",
            "/fr/inventory/",
            {},
        ),
        "site search": (
            "SITE_SEARCH_RATE_LIMIT",
            MINUTE,
            "get",
            "/search/",
            {"q": "x"},
        ),
        "api": ("INVENTORY_API_RATE_LIMIT", MINUTE, "get", "/api/inventory/", {}),
        "export": (
            "INVENTORY_EXPORT_RATE_LIMIT",
            MINUTE,
            "get",
            "/inventory/export.csv",
            {},
        ),
        "submission": (
            "INVENTORY_SUBMIT_RATE_LIMIT",
            HOUR,
            "post",
            "/inventory/submit/",
            {"title": "x"},
        ),
        "password reset": (
            "PASSWORD_RESET_RATE_LIMIT",
            HOUR,
            "post",
            reverse("wagtailadmin_password_reset"),
            {"email": "nobody@example.org"},
        ),
    }[name]


LIMITED = [
    "inventory search",
    "inventory search (fr)",
    "site search",
    "api",
    "export",
    "submission",
    "join",
    "registration",
    "password reset",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", LIMITED)
def test_each_limited_view_answers_429_with_the_time_left_in_the_window(
    request, settings, clock, name
):
    setting, window, method, url, data = limited_request(request, name)
    setattr(settings, setting, 2)
    client = Client()
    send = getattr(client, method)
    for _ in range(2):
        assert send(url, data).status_code != 429
        clock.value += 1.25
    response = send(url, data)
    assert response.status_code == 429
    expected = seconds_left(clock.value, window)
    assert expected != window
    assert response["Retry-After"] == str(expected)
    if name == "api":
        assert response["Content-Type"] == "application/json"
        assert response.json()["errors"]
    else:
        assert (b"Trop de" if "(fr)" in name else b"Too many") in response.content

    # Still refused a second before the window ends; accepted once it has.
    clock.value += expected - 1
    response = send(url, data)
    assert response.status_code == 429
    assert response["Retry-After"] == "1"
    clock.value += 1
    assert send(url, data).status_code != 429


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["submission", "join", "password reset"])
def test_forms_count_only_what_is_sent(request, settings, clock, name):
    """Showing a form is not limited; sending it is."""
    setting, _window, _method, url, data = limited_request(request, name)
    setattr(settings, setting, 1)
    client = Client()
    for _ in range(3):
        assert client.get(url).status_code in (200, 302)
    assert client.post(url, data).status_code != 429
    assert client.post(url, data).status_code == 429


@pytest.mark.django_db
def test_the_html_search_cannot_be_used_to_bypass_the_api_limit(settings, clock):
    settings.INVENTORY_API_RATE_LIMIT = 1
    settings.INVENTORY_SEARCH_RATE_LIMIT = 1
    client = Client()
    assert client.get("/api/inventory/").status_code == 200
    assert client.get("/api/inventory/").status_code == 429
    assert client.get("/inventory/", {"page_size": "100"}).status_code == 200
    assert client.get("/inventory/", {"page_size": "100"}).status_code == 429
    # Each page keeps its own counter; the site search too.
    settings.SITE_SEARCH_RATE_LIMIT = 1
    assert client.get("/search/", {"q": "x"}).status_code == 200
    assert client.get("/search/", {"q": "y"}).status_code == 429


# --- Who is a client ----------------------------------------------------------


def search_from(client, **meta):
    return client.get("/inventory/", **meta).status_code


@pytest.mark.django_db
def test_ipv6_addresses_of_one_64_share_a_counter(settings, clock):
    settings.INVENTORY_SEARCH_RATE_LIMIT = 1
    client = Client()
    assert search_from(client, REMOTE_ADDR="2001:db8:1:2::1") == 200
    assert search_from(client, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:fffe") == 429
    assert search_from(client, REMOTE_ADDR="2001:db8:1:2:1234::") == 429
    # The next /64 is another client.
    assert search_from(client, REMOTE_ADDR="2001:db8:1:3::1") == 200
    assert search_from(client, REMOTE_ADDR="2001:db8:1:1::1") == 200


@pytest.mark.django_db
def test_ipv4_clients_are_counted_by_address(settings, clock):
    settings.INVENTORY_SEARCH_RATE_LIMIT = 1
    client = Client()
    assert search_from(client, REMOTE_ADDR="192.0.2.1") == 200
    assert search_from(client, REMOTE_ADDR="192.0.2.1") == 429
    assert search_from(client, REMOTE_ADDR="192.0.2.2") == 200
    # The same client written as an IPv4-mapped IPv6 address.
    assert search_from(client, REMOTE_ADDR="::ffff:192.0.2.2") == 429


@pytest.mark.django_db
def test_behind_proxies_the_client_is_read_from_x_forwarded_for(settings, clock):
    settings.INVENTORY_SEARCH_RATE_LIMIT = 1
    settings.AXES_IPWARE_PROXY_COUNT = 1
    client = Client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    # What the client wrote itself (left of the proxy's entry) is not trusted.
    assert (
        search_from(
            client, HTTP_X_FORWARDED_FOR="198.51.100.1, 2001:db8:9:9::1", **proxy
        )
        == 200
    )
    assert (
        search_from(
            client, HTTP_X_FORWARDED_FOR="198.51.100.2, 2001:db8:9:9::2", **proxy
        )
        == 429
    )
    assert search_from(client, HTTP_X_FORWARDED_FOR="2001:db8:9:9:a::", **proxy) == 429
    # Another client behind the same proxy has its own counter.
    assert search_from(client, HTTP_X_FORWARDED_FOR="2001:db8:9:8::1", **proxy) == 200
    assert search_from(client, HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy) == 200
    # Two proxies: the client is the second entry from the right.
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert (
        search_from(client, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9, 10.0.0.2")
        == 200
    )
    assert (
        search_from(client, HTTP_X_FORWARDED_FOR="2.2.2.2, 203.0.113.9, 10.0.0.3")
        == 429
    )
    # Without PROXY_COUNT the header is ignored: REMOTE_ADDR is the client.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert search_from(client, HTTP_X_FORWARDED_FOR="192.0.2.77", **proxy) == 200
    assert search_from(client, HTTP_X_FORWARDED_FOR="192.0.2.78", **proxy) == 429


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        (" 192.0.2.1 ", "192.0.2.1"),
        ("192.0.2.1:51234", "192.0.2.1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::1", "::/64"),
        ("unknown", "invalid"),
        ("", "invalid"),
        ("2001:db8::1::2", "invalid"),
    ],
)
def test_network_key(address, key):
    assert network_key(address) == key


# --- Password reset -------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_emails_are_limited_per_client(users, settings, clock):
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    url = reverse("wagtailadmin_password_reset")
    client = Client()
    for user in ("editor", "secretary"):
        response = client.post(url, {"email": f"{user}@example.org"})
        assert response.status_code == 302
    response = client.post(url, {"email": "reviewer@example.org"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(seconds_left(clock.value, HOUR))
    assert b"Too many password reset e-mails" in response.content
    assert sorted(message.to[0] for message in mail.outbox) == [
        "editor@example.org",
        "secretary@example.org",
    ]


@pytest.mark.django_db
def test_password_reset_emails_are_limited_per_recipient(users, settings, clock):
    """Many clients cannot flood one mailbox either."""
    settings.PASSWORD_RESET_RATE_LIMIT = 2
    url = reverse("wagtailadmin_password_reset")
    client = Client()
    for number, email in enumerate(["editor@example.org", "Editor@Example.org "]):
        response = client.post(url, {"email": email}, REMOTE_ADDR=f"192.0.2.{number}")
        assert response.status_code == 302
    response = client.post(
        url, {"email": "editor@example.org"}, REMOTE_ADDR="192.0.2.9"
    )
    assert response.status_code == 429
    assert len(mail.outbox) == 2
    # Someone else, from that address, is still served.
    response = client.post(url, {"email": "root@example.org"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    assert len(mail.outbox) == 3
