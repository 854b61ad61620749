"""Settings of the ``manage.py`` processes run on a restored database.

The test settings, but with the search engine (``ELASTICSEARCH_URL``,
``SEARCH_BACKEND``, ``SEARCH_INDEX_PREFIX``) and the media directory
(``MEDIA_ROOT``) read from the environment, as a deployed site reads them.
"""

from cms.settings.base import WAGTAILSEARCH_BACKENDS as CONFIGURED_SEARCH
from cms.settings.test import *  # noqa: F403
from cms.settings.test import STORAGES

WAGTAILSEARCH_BACKENDS = CONFIGURED_SEARCH
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
