"""A search cluster of several nodes: losing one costs the visitors nothing.

``ELASTICSEARCH_URL`` lists the nodes; every index is created with
``SEARCH_SHARDS`` shards and ``SEARCH_REPLICAS`` replicas. With a replica of every
shard on three nodes, one node killed leaves every entry in the cluster:
``/api/inventory/`` keeps answering from the engine (not the database fallback),
its client routing around the dead node. Without replicas the cluster can no
longer answer completely, and the inventory answers from the database rather
than from part of the index.

The three-node tests share one cluster, started once for the module, in
parallel, with small heaps; they are marked ``search_cluster`` and run in one
pass of make test only.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Page

import pytest

from inventory.bulk_index import rebuild
from inventory.models import InventoryEntry
from scripts import opensearch_node
from search.backends import default_backend
from tests.factories import InventoryEntryFactory
from tests.helpers.search import cluster_settings

ROOT = Path(__file__).resolve().parents[2]
API = "/api/inventory/"
ENTRIES = 300
START_TIMEOUT = 300  # seconds: three JVMs starting at once on two shared cores


def settings_in_a_process(**env):
    """WAGTAILSEARCH_BACKENDS as the settings build them from the environment."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SEARCH_", "ELASTICSEARCH_", "DJANGO_"))
    }
    environ.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", **env)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.WAGTAILSEARCH_BACKENDS['default']))",
        ],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_elasticsearch_url_lists_the_nodes_and_the_client_tries_each():
    result = settings_in_a_process(
        ELASTICSEARCH_URL="http://10.0.0.1:9200, http://10.0.0.2:9200,"
        "http://10.0.0.3:9200",
        SEARCH_SHARDS="3",
        SEARCH_REPLICAS="1",
    )
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)
    assert backend["URLS"] == [
        "http://10.0.0.1:9200",
        "http://10.0.0.2:9200",
        "http://10.0.0.3:9200",
    ]
    assert backend["INDEX_SETTINGS"]["settings"]["index"] == {
        "number_of_shards": 3,
        "number_of_replicas": 1,
    }
    # A failed request goes on to each of the other nodes, timeouts included
    # (how an unreachable host fails).
    assert backend["OPTIONS"]["max_retries"] == 2
    assert backend["OPTIONS"]["retry_on_timeout"] is True


def test_one_node_keeps_one_timeout_and_no_replica():
    result = settings_in_a_process(ELASTICSEARCH_URL="http://127.0.0.1:9200")
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout)
    assert backend["URLS"] == ["http://127.0.0.1:9200"]
    assert backend["INDEX_SETTINGS"]["settings"]["index"] == {
        "number_of_shards": 1,
        "number_of_replicas": 0,
    }
    assert backend["OPTIONS"]["retry_on_timeout"] is False


@pytest.mark.parametrize(
    "variable, value", [("SEARCH_SHARDS", "0"), ("SEARCH_REPLICAS", "-1")]
)
def test_impossible_shard_counts_are_refused(variable, value):
    result = settings_in_a_process(
        ELASTICSEARCH_URL="http://127.0.0.1:9200", **{variable: value}
    )
    assert result.returncode != 0
    assert "SEARCH_SHARDS must be 1 or more" in result.stderr


def test_each_process_keeps_one_client_and_what_it_learnt_of_dead_nodes(settings):
    """One backend per process.

    Its client's record of dead nodes, and the rest after a failure, last beyond one
    request.
    """
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(
        "http://127.0.0.1:9,http://127.0.0.1:10"
    )
    first = default_backend()
    assert default_backend() is first
    # Wagtail's own search (the site search's pages) builds a backend from the
    # same settings, which writes into them.
    Page.objects.search("broadband")
    assert default_backend() is first
    assert default_backend().es.transport.connection_pool is (
        first.es.transport.connection_pool
    )


def index_settings(backend, model):
    """The settings of the index that serves ``model`` (behind its alias)."""
    name = backend.get_index_for_model(model).name
    return {
        concrete: body["settings"]["index"]
        for concrete, body in backend.es.indices.get_settings(index=name).items()
    }


@pytest.fixture
def two_shards(settings, search_node_url, db):
    """The engine, with two shards per index, under an index prefix of its own.

    Update_index turns every index name into an alias, which the other tests'
    fixtures do not expect.
    """
    prefix = os.environ.get("SEARCH_TEST_INDEX_PREFIX", "test_") + "shards_"
    settings.SEARCH_SHARDS = 2
    settings.SEARCH_REPLICAS = 0
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(search_node_url, prefix)
    backend = default_backend()
    yield backend
    backend.es.indices.delete(index=f"{prefix}*")


def test_update_index_creates_every_index_with_the_configured_shards(two_shards):
    InventoryEntryFactory.create_batch(3)
    call_command("update_index", verbosity=0)
    for model in (InventoryEntry, Page):
        created = index_settings(two_shards, model)
        assert created, model
        for concrete in created.values():
            assert concrete["number_of_shards"] == "2", model
            assert concrete["number_of_replicas"] == "0", model


# --- Three nodes --------------------------------------------------------------


@pytest.fixture(scope="module")
def three_nodes():
    cluster = opensearch_node.start_cluster(3, heap="256m", timeout=START_TIMEOUT)
    try:
        yield cluster
    finally:
        cluster.cleanup()


def on_three_nodes(three_nodes, settings, replicas):
    """Search the inventory on the three nodes, every node up.

    The inventory searched on the three nodes, every node up, with a fresh index of
    ENTRIES published entries built by update_index's bulk rebuild.
    """
    for node in three_nodes.nodes:
        node.start(START_TIMEOUT)  # a no-op if it runs; a test may have killed it
    three_nodes.wait_for_status("green", timeout=START_TIMEOUT)
    settings.SEARCH_SHARDS = 3
    settings.SEARCH_REPLICAS = replicas
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(
        three_nodes.url, prefix="cluster_"
    )
    backend = default_backend()
    index = backend.get_index_for_model(InventoryEntry)
    if index.is_alias():
        for aliased in index.aliased_indices():
            aliased.delete()
    index.delete()
    entries = InventoryEntryFactory.create_batch(ENTRIES)
    assert rebuild(backend) == ENTRIES
    (created,) = index_settings(backend, InventoryEntry).values()
    assert created["number_of_shards"] == "3"
    assert created["number_of_replicas"] == str(replicas)
    # Every copy of every shard allocated before a node goes.
    three_nodes.wait_for_status("green", timeout=120)
    return backend, {entry.pk for entry in entries}


def node_holding(three_nodes, backend, primary_of_shard=None):
    """The elected cluster manager, or the node with a shard's primary copy."""
    if primary_of_shard is None:
        name = backend.es.cat.cluster_manager(format="json")[0]["node"]
    else:
        index = backend.get_index_for_model(InventoryEntry).name
        shards = backend.es.cat.shards(index=index, format="json")
        (name,) = {
            shard["node"]
            for shard in shards
            if shard["prirep"] == "p" and shard["shard"] == str(primary_of_shard)
        }
    (node,) = [node for node in three_nodes.nodes if node.node_name == name]
    return node


def every_result(client):
    """The ids the API lists over all its pages, and whether it was degraded."""
    ids, degraded = [], set()
    for page in range(1, ENTRIES // 100 + 1):
        response = client.get(API, {"page_size": 100, "page": page})
        assert response.status_code == 200
        data = response.json()
        assert data["count"] == ENTRIES
        degraded.add(data["engine_degraded"])
        ids += [record["id"] for record in data["results"]]
    return ids, degraded


@pytest.mark.search_cluster
def test_with_a_replica_one_node_killed_the_api_still_answers_from_the_cluster(
    three_nodes, settings, client, db
):
    backend, published = on_three_nodes(three_nodes, settings, replicas=1)
    victim = node_holding(three_nodes, backend)  # the elected cluster manager

    victim.kill()

    ids, degraded = every_result(client)
    assert degraded == {False}  # from the cluster, not the database fallback
    assert sorted(ids) == sorted(published)
    # The client did send requests to the dead node, and set it aside.
    pool = backend.es.transport.connection_pool
    assert victim.url in {connection.host for connection in pool.dead_count}

    victim.start(START_TIMEOUT)
    health = three_nodes.wait_for_status("green", timeout=START_TIMEOUT)
    assert health["number_of_nodes"] == 3
    ids, degraded = every_result(client)
    assert degraded == {False}
    assert sorted(ids) == sorted(published)


@pytest.mark.search_cluster
def test_without_replicas_a_lost_node_sends_the_inventory_to_the_database(
    three_nodes, settings, client, db
):
    backend, published = on_three_nodes(three_nodes, settings, replicas=0)

    node_holding(three_nodes, backend, primary_of_shard=0).kill()

    # The engine would answer from two shards of three, without an error:
    # the inventory answers, complete, from the database instead.
    ids, degraded = every_result(client)
    assert degraded == {True}
    assert sorted(ids) == sorted(published)
