"""Small helpers shared by the action-line tests."""

from django.test import Client


def refreshed(page):
    """The page's specific instance as stored now."""
    return page.specific_class.objects.get(pk=page.pk)


def public_text(page):
    """The page's public address as an anonymous visitor gets it."""
    response = Client().get(page.url)
    assert response.status_code == 200
    return response.content.decode()
