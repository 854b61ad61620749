"""Translated pages.

Finding a page's French version, translating one as wagtail-localize does.
"""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tests.helpers.pages import publish


def french(page):
    """The French version of ``page`` (a translation or an alias), or None."""
    return (
        page.specific_class.objects.filter(
            translation_key=page.translation_key, locale__language_code="fr"
        )
        .order_by("pk")
        .first()
    )


def submit_translation_url(page):
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk])


def translated(page, fr, **changes):
    """``page``'s French translation (wagtail-localize), changed and published."""
    from wagtail_localize.operations import translate_object

    translate_object(page, [fr])
    version = french(page)
    for name, value in changes.items():
        setattr(version, name, value)
    version.save()
    return publish(version)


BASE_DIR = Path(settings.BASE_DIR)


def template_files():
    """Every template of the project: templates/ and each app's templates/."""
    roots = [BASE_DIR / "templates"] + [
        path
        for path in BASE_DIR.glob("*/templates")
        if not path.parent.name.startswith(".")
    ]
    files = []
    for root in roots:
        files += [
            path
            for path in root.rglob("*")
            if path.suffix in {".html", ".txt"} and path.is_file()
        ]
    return sorted(files)
