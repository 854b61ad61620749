"""Translation fixtures: the French locale, and translating a page as a user does.

Pages are translated the way editors do it, through wagtail-localize's
"Translate this page" view; the French copy is a draft edited in Wagtail's own
editor.
"""

from wagtail.models import Locale, Site

import pytest

from tests.helpers.i18n import french, submit_translation_url, translated


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail caches the site root paths (one per locale): tests add French roots."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def fr(db):
    return Locale.objects.get(language_code="fr")


@pytest.fixture
def translate(client_for, fr, django_capture_on_commit_callbacks):
    """Translates ``page`` into French as ``user``; returns the French page."""

    def run(page, user):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(submit_translation_url(page), {"locales": [fr.pk]})
        assert response.status_code == 302, response.content[:2000]
        translation = french(page)
        assert translation is not None
        return translation

    return run


@pytest.fixture
def bilingual(tree, fr, django_capture_on_commit_callbacks):
    """C5, its team and modalities in French (the team at .../c5/equipe/); C2 not."""
    with django_capture_on_commit_callbacks(execute=True):
        c5 = translated(tree.c5, fr, title="Établir la confiance")
        team = translated(tree.c5_team, fr, title="Équipe C5", slug="equipe")
        modalities = translated(tree.c5_modalities, fr, title="Modalités C5")
    Site.clear_site_root_paths_cache()
    return {"c5": c5, "team": team, "modalities": modalities}
