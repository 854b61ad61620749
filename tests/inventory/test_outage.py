"""A search-engine outage: the platform keeps working, and nothing is lost.

These tests start their own OpenSearch node (the session's shared node must keep
running for the other tests), stop it in the middle, and start it again.
"""

import datetime
import io

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

import pytest
from bs4 import BeautifulSoup

from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry
from inventory.search import ClusterEngine, InventoryQuery
from scripts import opensearch_node
from search import tasks
from search.backends import default_backend
from search.models import PendingIndexUpdate
from search.outbox import flush_pending
from tests.factories import InventoryEntryFactory, SecretariatPageFactory
from tests.helpers.pages import publish
from tests.helpers.public_forms import SUBMISSION
from tests.helpers.search import cluster_settings

API = "/api/inventory/"
PAGE = "/inventory/"
NOTICE = "temporarily unavailable"


@pytest.fixture(scope="module")
def node():
    """A node of this module's own, on a free loopback port."""
    node = opensearch_node.start(timeout=180)
    try:
        yield node
    finally:
        node.stop()
        node.cleanup()


@pytest.fixture
def engine(node, settings, db):
    """The inventory searched on the module's node, with a fresh index."""
    node.start()  # a no-op when it runs; a previous test may have stopped it
    settings.WAGTAILSEARCH_BACKENDS = cluster_settings(node.url, prefix="outage_")
    backend = default_backend()
    index = backend.get_index_for_model(InventoryEntry)
    index.reset()
    index.add_model(InventoryEntry)
    pages = backend.get_index_for_model(Page)
    pages.reset()
    pages.add_model(Page)

    class Engine:
        def __init__(self):
            self.backend = backend
            self.index = index

        def refresh(self):
            self.index.refresh()
            pages.refresh()

        def titles(self, q="", **filters):
            """Titles the engine itself finds (raises if it is unreachable)."""
            result = ClusterEngine(backend).search(
                InventoryQuery(q=q, filters=filters, page_size=100)
            )
            return [entry.title for entry in result.entries]

        def indexed_ids(self):
            self.refresh()
            hits = backend.es.search(
                index=index.name,
                body={"query": {"match_all": {}}, "stored_fields": ["pk"], "size": 100},
            )["hits"]["hits"]
            return {int(hit["fields"]["pk"][0]) for hit in hits}

    return Engine()


def edit_form_data(client, entry):
    """The admin edit form of an entry as the browser would post it back."""
    url = reverse("wagtailsnippets_inventory_inventoryentry:edit", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("input", attrs={"name": "title"}).find_parent("form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("disabled") is not None:
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = [
                o.get("value", o.text)
                for o in field.find_all("option")
                if o.get("selected") is not None
            ]
            if field.get("multiple") is not None:
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
        elif field.get("type") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field.get("value", "")
    return url, data


def form_errors(response):
    form = (response.context or {}).get("form")
    return form.errors if form is not None else response.status_code


def test_the_platform_keeps_working_through_an_outage_and_catches_up(
    engine,
    node,
    client,
    client_for,
    inventory_editor,
    django_capture_on_commit_callbacks,
    mailoutbox,
    home_page,
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        renamed = InventoryEntryFactory(
            published=True, title="Broadband census of districts"
        )
        withdrawn = InventoryEntryFactory(
            published=True, title="Broadband vouchers pilot"
        )
    engine.refresh()
    assert sorted(engine.titles("broadband")) == [
        "Broadband census of districts",
        "Broadband vouchers pilot",
    ]
    assert not PendingIndexUpdate.objects.exists()

    node.stop()

    # A member of the public submits an activity.
    with capture(execute=True):
        response = client.post("/inventory/submit/", SUBMISSION)
    assert response.status_code == 302
    submitted = InventoryEntry.objects.get(title=SUBMISSION["title"])
    assert submitted.live is False
    assert ["mele.tupou@example.org"] in [mail.to for mail in mailoutbox]

    # An editor approves it, through the workflow.
    with capture(execute=True):
        task_state = submitted.current_workflow_task_state
        task_state.task.specific.on_action(task_state, inventory_editor, "approve")
    submitted.refresh_from_db()
    assert submitted.live is True

    # A second submission is approved through the admin.
    with capture(execute=True):
        response = client.post(
            "/inventory/submit/",
            {
                **SUBMISSION,
                "title": "Island schools coding clubs",
                "summary": "After-school coding clubs on the outer islands.",
            },
        )
    assert response.status_code == 302
    clubs = InventoryEntry.objects.get(title="Island schools coding clubs")
    editor_client = client_for(inventory_editor)
    approve_url = reverse(
        "wagtailsnippets_inventory_inventoryentry:workflow_action",
        args=[clubs.pk, "approve", clubs.current_workflow_task_state.pk],
    )
    with capture(execute=True):
        response = editor_client.post(approve_url, {"comment": ""})
    assert response.status_code == 302
    clubs.refresh_from_db()
    assert clubs.live is True

    # An editor edits a published entry and publishes the change in the admin.
    url, data = edit_form_data(editor_client, renamed)
    data["title"] = "Fibre census of districts"
    data["action-publish"] = "action-publish"
    with capture(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    renamed.refresh_from_db()
    assert renamed.title == "Fibre census of districts"
    assert renamed.live is True

    # And unpublishes another.
    with capture(execute=True):
        withdrawn.unpublish(user=inventory_editor)

    # The Secretariat publishes a page.
    with capture(execute=True):
        consultation = publish(
            SecretariatPageFactory(
                parent=home_page, title="Island connectivity consultation"
            )
        )

    client.logout()

    # The public search still answers, from the database, and says so.
    page = client.get(PAGE, {"q": "island"})
    assert page.status_code == 200
    html = page.content.decode()
    assert NOTICE in html
    assert "Solar telecentres for island schools" in html
    data = client.get(API, {"q": "census"}).json()
    assert data["engine_degraded"] is True
    assert [row["title"] for row in data["results"]] == ["Fibre census of districts"]
    assert client.get(API, {"q": "vouchers"}).json()["count"] == 0
    export = client.get("/inventory/export.csv", {"q": "island"})
    assert export.status_code == 200
    csv_text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Island schools coding clubs" in csv_text
    assert client.get("/search/", {"q": "island"}).status_code == 200

    # Every change waits in the outbox, and stays there while the node is down:
    # the entries', the page's and the submitted organisations'.
    waiting = (
        {
            ("inventoryentry", str(entry.pk))
            for entry in (submitted, clubs, renamed, withdrawn)
        }
        | {("page", str(consultation.pk))}
        | {
            ("stakeholderorganisation", str(pk))
            for pk in StakeholderOrganisation.objects.values_list("pk", flat=True)
        }
    )
    assert len(waiting) == 7
    assert (
        set(PendingIndexUpdate.objects.values_list("content_type__model", "object_id"))
        == waiting
    )
    assert flush_pending() == (0, 7)
    assert PendingIndexUpdate.objects.count() == 7
    assert all(row.attempts >= 1 for row in PendingIndexUpdate.objects.all())
    assert all(row.last_error for row in PendingIndexUpdate.objects.all())

    node.start()

    assert tasks.flush_index_updates() == {"applied": 7, "remaining": 0}
    assert not PendingIndexUpdate.objects.exists()
    engine.refresh()
    assert engine.indexed_ids() == {submitted.pk, clubs.pk, renamed.pk}
    assert engine.titles("census") == ["Fibre census of districts"]
    # The new title is indexed; the summary still speaks of broadband.
    assert engine.titles("fibre") == ["Fibre census of districts"]
    assert engine.titles("broadband") == ["Fibre census of districts"]
    assert engine.titles("vouchers") == []
    assert sorted(engine.titles("island")) == [
        "Island schools coding clubs",
        "Solar telecentres for island schools",
    ]
    assert sorted(engine.titles(region=("asia-pacific",), sdg=("7",))) == [
        "Island schools coding clubs",
        "Solar telecentres for island schools",
    ]

    data = client.get(API, {"q": "solar telecentres"}).json()
    assert data["engine_degraded"] is False
    (row,) = data["results"]
    assert row["title"] == "Solar telecentres for island schools"
    assert row["countries"] == ["FJI", "TON"]
    assert row["action_lines"] == ["C2", "C7-ELEARN"]
    assert data["facets"]["region"] == {"asia-pacific": 1}
    html = client.get(PAGE, {"q": "island"}).content.decode()
    assert NOTICE not in html
    # The page published during the outage is found by the site search.
    site = BeautifulSoup(
        Client().get("/search/", {"q": "consultation"}).content, "html.parser"
    )
    results = [link["href"] for link in site.select("ol.search-results a")]
    assert results == [consultation.url]


def test_sync_search_index_repairs_drift_and_reports_it(
    engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = InventoryEntryFactory(published=True, title="Kept entry")
        lost = InventoryEntryFactory(published=True, title="Lost document")
        stale = InventoryEntryFactory(published=True, title="Stale document")
        draft = InventoryEntryFactory(draft=True, title="Leaked draft")
    assert engine.indexed_ids() == {kept.pk, lost.pk, stale.pk}

    out = io.StringIO()
    call_command("sync_search_index", stdout=out)
    assert "In step." in out.getvalue()

    # Drift, made behind the outbox's back.
    engine.index.delete_item(lost)
    engine.index.add_item(draft)
    InventoryEntry.objects.filter(pk=stale.pk).update(
        title="Quietly renamed document",
        last_published_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    engine.refresh()
    assert engine.indexed_ids() == {kept.pk, stale.pk, draft.pk}

    out = io.StringIO()
    call_command("sync_search_index", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "1 missing entries would be indexed." in report
    assert "1 out-of-date entries would be re-indexed." in report
    assert "1 unpublished entries would be removed." in report
    assert engine.indexed_ids() == {kept.pk, stale.pk, draft.pk}

    out = io.StringIO()
    call_command("sync_search_index", stdout=out)
    report = out.getvalue()
    assert "Published entries: 3; documents in the index: 3" in report
    assert "1 missing entries were indexed." in report
    assert "1 out-of-date entries were re-indexed." in report
    assert "1 unpublished entries were removed." in report
    assert "Drift repaired." in report

    assert engine.indexed_ids() == {kept.pk, lost.pk, stale.pk}
    assert engine.titles("lost") == ["Lost document"]
    assert engine.titles("leaked") == []
    assert engine.titles("quietly renamed") == ["Quietly renamed document"]

    out = io.StringIO()
    call_command("sync_search_index", stdout=out)
    assert "In step." in out.getvalue()


def test_sync_search_index_applies_waiting_updates_first(
    engine, django_capture_on_commit_callbacks
):
    # The change commits but its task never runs (a worker that died).
    with django_capture_on_commit_callbacks(execute=False):
        entry = InventoryEntryFactory(published=True, title="Written, never sent")
    assert PendingIndexUpdate.objects.filter(object_id=entry.pk).exists()
    assert engine.indexed_ids() == set()
    out = io.StringIO()
    call_command("sync_search_index", stdout=out)
    assert "waiting updates applied: 1." in out.getvalue()
    assert "In step." in out.getvalue()
    assert not PendingIndexUpdate.objects.exists()
    assert engine.titles("never sent") == ["Written, never sent"]
