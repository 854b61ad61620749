"""Settings of the real search engine, as the site builds them."""

import os

from scripts import opensearch_node


def cluster_settings(url, prefix=None):
    """Return settings for the node (or comma-separated nodes) at ``url``.

    Settings for the node (or comma-separated nodes) at ``url``, built as the site
    builds them from ELASTICSEARCH_URL, with SEARCH_SHARDS and SEARCH_REPLICAS; the
    index prefix keeps test runs that share a node (make test's two passes, and
    pytest-xdist's workers) apart.
    """
    from django.conf import settings

    from cms.settings.base import search_backend_settings

    if prefix is None:
        prefix = os.environ.get("SEARCH_TEST_INDEX_PREFIX", "test_")
        if worker := os.environ.get("PYTEST_XDIST_WORKER"):
            prefix = f"{prefix}{worker}_"

    return {
        "default": search_backend_settings(
            url.split(","),
            opensearch_node.WAGTAIL_BACKEND,
            prefix,
            shards=settings.SEARCH_SHARDS,
            replicas=settings.SEARCH_REPLICAS,
        )
    }
