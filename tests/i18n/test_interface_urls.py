"""Under any language but English, links to English pages keep its prefix."""

import re

from django.test import Client
from django.utils import translation

import pytest

pytestmark = pytest.mark.django_db


def hrefs(html):
    return re.findall(r'href="([^"]+)"', html)


@pytest.mark.parametrize("language", ["fr", "ar", "es", "ru", "zh-hans"])
def test_navigation_and_breadcrumbs_stay_in_the_interface_language(tree, language):
    html = Client().get(f"/{language}/action-lines/c5/team/").content.decode()
    links = hrefs(html)
    assert f"/{language}/action-lines/c5/" in links  # breadcrumb and navigation
    assert "/action-lines/c5/" not in links
    assert f'action="/{language}/action-lines/c5/team/join/"' in html


def test_english_page_urls_take_the_active_languages_prefix(tree):
    assert tree.c5.url == "/action-lines/c5/"
    with translation.override("fr"):
        assert tree.c5.get_url() == "/fr/action-lines/c5/"
    with translation.override("ar"):
        assert tree.c5.get_url() == "/ar/action-lines/c5/"


def test_a_form_sent_from_arabic_redirects_back_to_arabic(tree):
    from tests.helpers.public_forms import registration_data

    url = tree.c5_meeting.url
    response = Client().post(f"/ar{url}register/", registration_data())
    assert response.status_code == 302
    assert response["Location"] == f"/ar{url}"
