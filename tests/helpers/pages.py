"""Pages as the tests publish, reload and read them."""

from django.test import Client

from wagtail.models import Locale, Page, Site

from home.models import HomePage


def refreshed(page):
    """The page's specific instance as stored now."""
    return page.specific_class.objects.get(pk=page.pk)


def public_text(page):
    """The page's public address as an anonymous visitor gets it."""
    response = Client().get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def publish(page, user=None):
    page.save_revision(user=user).publish(user=user)
    return page


def root_collection():
    """Return the root collection of images and documents.

    The root collection of images and documents, as the migrations made it (a
    live-server or transactional test ends with the tables flushed).
    """
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def site_home():
    """Return the site's home page, rebuilt after an earlier flush.

    The site's home page, rebuilt (with its Site and the root collection of
    documents) after an earlier flush.
    """
    from home.roles import setup_site_root

    root_collection()

    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        locale, _created = Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(
            title="Root", slug="root", locale=locale
        )
        home = root.add_child(
            instance=HomePage(title="WSIS implementation", slug="home", locale=locale)
        )
        setup_site_root(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home
