"""A backup restored into a new database brings the whole site back.

The site is backed up with scripts/backup.py (pg_dump + a tar of MEDIA_ROOT),
restored into a new empty database on the same PostgreSQL server, re-indexed
with ``manage.py update_index`` on the real OpenSearch node, then searched: every
published entry and page is found again, the draft stays private, and the
uploaded document is served again.
"""

import json
import subprocess
import sys
import urllib.request
import uuid

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from scripts.opensearch_node import WAGTAIL_BACKEND as BACKEND
from tests.factories import InventoryEntryFactory, MeetingPageFactory
from tests.helpers.ops import ROOT, manage, postgres_only
from tests.helpers.pages import publish

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

PUBLISHED = {
    "telecentres": "Solar telecentres for island schools",
    "census": "Fibre census of rural districts",
    "hygiene": "Cyber hygiene clinics for teachers",
}
DRAFT = ("satellite", "Unreleased satellite broadband pilot")
PAGES = {
    "confidence": "Building confidence",
    "infrastructure": "Infrastructure",
    "work plan": "C5 work plan meeting",
}
DRAFT_PAGE = ("budget", "Unannounced budget retreat")
DOCUMENT = b"Minutes of the C5 work plan meeting.\n"

# Runs in `manage.py shell` on the restored database and the node: what the
# search finds, what the public sees.
PROBE = """
import json, os
from django.test import Client
from wagtail.documents import get_document_model
from wagtail.models import Page
from inventory.models import InventoryEntry
from inventory.search import ClusterEngine, InventoryQuery
from search.backends import cluster_backend

asked = json.loads(os.environ["PROBE"])
backend = cluster_backend()
backend.es.indices.refresh(index=os.environ["SEARCH_INDEX_PREFIX"] + "_*")
engine = ClusterEngine(backend)
client = Client()
index = backend.get_index_for_model(InventoryEntry)
document = get_document_model().objects.get()
served = client.get(document.url)
api = client.get("/api/inventory/", {"q": asked["entries"][0]}).json()
print(json.dumps({
    "entries": {
        q: [e.title for e in engine.search(InventoryQuery(q=q, page_size=50)).entries]
        for q in asked["entries"]
    },
    "pages": {
        q: [p.title for p in Page.objects.live().public().search(q)]
        for q in asked["pages"]
    },
    "indexed_entries": backend.es.count(index=index.name)["count"],
    "api_degraded": api.get("engine_degraded"),
    "api_titles": [row["title"] for row in api["results"]],
    "entry_pages": {
        str(pk): client.get(f"/inventory/entries/{pk}/").status_code
        for pk in asked["entry_ids"]
    },
    "document": [served.status_code, b"".join(served.streaming_content).decode()],
    "document_file": document.file.name,
}))
"""


def backup_py(*args):
    return subprocess.run(  # noqa: S603 - scripts/backup.py
        [sys.executable, "-m", "scripts.backup", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def delete_indices(node_url, prefix):
    with urllib.request.urlopen(  # noqa: S310 - the loopback test node
        f"{node_url}/_cat/indices/{prefix}_*?format=json&h=index", timeout=10
    ) as response:
        names = [row["index"] for row in json.load(response)]
    for name in names:
        url = f"{node_url}/{name}"
        request = urllib.request.Request(url, method="DELETE")  # noqa: S310
        urllib.request.urlopen(request, timeout=10).close()  # noqa: S310


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a real directory, as in production."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root


@pytest.fixture
def index_prefix(search_node_url):
    prefix = f"restore{uuid.uuid4().hex[:8]}"
    yield prefix
    delete_indices(search_node_url, prefix)


def test_backup_restored_into_a_new_database_is_found_again_by_search(
    tree, media, postgres, search_node_url, index_prefix, tmp_path
):
    entries = [
        InventoryEntryFactory(published=True, title=title)
        for title in PUBLISHED.values()
    ]
    draft = InventoryEntryFactory(draft=True, title=DRAFT[1])
    MeetingPageFactory(parent=tree.c5_meetings, title=DRAFT_PAGE[1], live=False)
    document = get_document_model().objects.create(
        title="Work plan minutes", file=ContentFile(DOCUMENT, name="minutes.txt")
    )
    # Documents are public once a live page links to them.
    publish(
        MeetingPageFactory(
            parent=tree.c5_meetings,
            title="Annual retreat",
            documents=[("document", {"document": document, "label": "Minutes"})],
        )
    )
    assert (media / document.file.name).read_bytes() == DOCUMENT

    # Back up the live site.
    backup = tmp_path / "backup"
    result = backup_py(
        "backup", "--database-url", postgres.test_url,
        "--media", str(media), "--out", str(backup),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["counts"]["published_inventory_entries"] == 3
    assert manifest["database"]["counts"]["inventory_entries"] == 4
    assert manifest["media"]["files"] == 1
    assert manifest["database"]["migrations"]["inventory"]

    # Restore into a new, empty database on the same server.
    restored = postgres.url(postgres.create_database("restored"))
    restored_media = tmp_path / "restored-media"
    result = backup_py(
        "restore", "--database-url", restored,
        "--media", str(restored_media), "--from", str(backup),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "update_index" in result.stdout
    assert (restored_media / document.file.name).read_bytes() == DOCUMENT

    # A second restore over it is refused, and changes nothing...
    result = backup_py(
        "restore", "--database-url", restored,
        "--media", str(restored_media), "--from", str(backup),
    )  # fmt: skip
    assert result.returncode == 1
    assert "Refusing to restore" in result.stderr
    assert "--force" in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "backup",
        "media",
        "restored-media",
    ]

    # --force replaces both; the media files it replaced are kept beside.
    result = backup_py(
        "restore", "--database-url", restored, "--force",
        "--media", str(restored_media), "--from", str(backup),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (kept,) = tmp_path.glob("restored-media.before-restore-*")
    assert (kept / document.file.name).read_bytes() == DOCUMENT
    assert (restored_media / document.file.name).read_bytes() == DOCUMENT

    # The operator rebuilds the search index, then the site answers.
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.ops.restore_settings",
        "DATABASE_URL": restored,
        "ELASTICSEARCH_URL": search_node_url,
        "SEARCH_BACKEND": BACKEND,
        "SEARCH_INDEX_PREFIX": index_prefix,
        "MEDIA_ROOT": str(restored_media),
    }
    out = manage("update_index", env=env)
    assert "indexed 3 inventory entries" in out
    asked = {
        "entries": [*PUBLISHED, DRAFT[0]],
        "pages": [*PAGES, "retreat", DRAFT_PAGE[0]],
        "entry_ids": [entry.pk for entry in entries] + [draft.pk],
    }
    out = manage("shell", "-c", PROBE, env={**env, "PROBE": json.dumps(asked)})
    found = json.loads(out.strip().splitlines()[-1])

    for query, title in PUBLISHED.items():
        assert found["entries"][query] == [title]
    assert found["entries"][DRAFT[0]] == []
    assert found["indexed_entries"] == 3
    assert found["api_degraded"] is False
    assert found["api_titles"] == [PUBLISHED["telecentres"]]
    for query, title in PAGES.items():
        assert title in found["pages"][query]
    assert found["pages"]["retreat"] == ["Annual retreat"]
    assert found["pages"][DRAFT_PAGE[0]] == []
    assert found["entry_pages"] == {
        **{str(entry.pk): 200 for entry in entries},
        str(draft.pk): 404,
    }
    assert found["document"] == [200, DOCUMENT.decode()]
    assert found["document_file"] == document.file.name
