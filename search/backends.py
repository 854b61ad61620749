"""Access to the configured search backends, the same for OpenSearch and Elasticsearch.

Wagtail's backends (built on modelsearch) each wrap the client of their engine;
this module hands out one instance per configuration and sends raw requests in
whichever calling convention that client expects.
"""

import copy
import json

from django.conf import settings

from modelsearch.backends import get_search_backend

_cache = {}


def _configuration_key():
    """Return the search settings as a key, without the client timeout.

    The search settings as a key, without the client timeout that the
    Elasticsearch-family backends write into the OPTIONS they are given (Wagtail's
    own searches build backends from the same settings): it is always TIMEOUT, and
    would otherwise make the key change after the first search.
    """
    backends = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    for params in backends.values():
        for name in ("timeout", "request_timeout"):
            params.get("OPTIONS", {}).pop(name, None)
    return json.dumps(backends, sort_keys=True, default=str)


def default_backend():
    """Return the default search backend, instantiated once per configuration.

    One instance per process matters beyond speed: it carries the rest after a
    failure (inventory.search), and its client remembers which nodes of the
    cluster failed, to leave them aside for a while.
    """
    key = _configuration_key()
    backend = _cache.get(key)
    if backend is None:
        _cache.clear()
        backend = _cache[key] = get_search_backend("default")
    return backend


def is_cluster(backend):
    """Return True for Elasticsearch-family backends (they carry a client in ``es``)."""
    return hasattr(backend, "es")


def cluster_backend():
    backend = default_backend()
    return backend if is_cluster(backend) else None


def raw_search(backend, index_name, body):
    """Send a search request body to the engine and return its JSON answer."""
    if getattr(backend, "use_new_elasticsearch_api", False):
        params = dict(body)
        if "from" in params:
            params["from_"] = params.pop("from")
        return backend.es.search(index=index_name, **params)
    return backend.es.search(index=index_name, body=body)


class BulkIndexError(RuntimeError):
    pass


def raw_bulk(backend, ndjson):
    """Send a bulk request body (NDJSON); raise if any item failed."""
    if getattr(backend, "use_new_elasticsearch_api", False):
        response = backend.es.bulk(operations=ndjson)
    else:
        response = backend.es.bulk(body=ndjson)
    if response.get("errors"):
        failures = [
            item
            for item in response.get("items", [])
            if next(iter(item.values())).get("error")
        ]
        raise BulkIndexError(f"{len(failures)} documents failed: {failures[:3]}")
    return response


def raw_delete(backend, index_name, document_id, timeout):
    """Delete one document and refresh the index.

    Deletes one document and refreshes the index, so that searches stop finding it
    at once; waits at most ``timeout`` seconds. A document (or an index) that does
    not exist is nothing to delete.
    """
    try:
        if getattr(backend, "use_new_elasticsearch_api", False):
            backend.es.options(request_timeout=timeout).delete(
                index=index_name, id=document_id, refresh=True
            )
        else:
            backend.es.delete(
                index=index_name,
                id=document_id,
                refresh="true",
                request_timeout=timeout,
            )
    except backend.NotFoundError:
        return False
    return True
