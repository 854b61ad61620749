"""Faults: the database connection dropped mid-request, a worker killed mid-task.

(The search engine stopped in the middle of use is tests/inventory/test_outage.py.)
"""

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time

from django.db import connection
from django.db.models.signals import post_save

from wagtail.models import Revision, WorkflowState

import psycopg
import pytest
from django_q.models import OrmQ, Success
from django_q.tasks import async_task

from action_lines.models import MeetingRegistration
from home.models import StakeholderOrganisation
from inventory.models import InventoryEntry
from inventory.moderation import ensure_moderation_workflow
from search.models import PendingIndexUpdate
from tests.helpers.ops import ROOT, database_url, postgres_only
from tests.helpers.public_forms import SUBMISSION as OUTAGE_SUBMISSION
from tests.helpers.public_forms import registration_data
from tests.ops.servers import wait_for

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

# The same public submission and registration as the outage and form tests.
SUBMISSION = {**OUTAGE_SUBMISSION, "language": "en"}
REGISTRATION = registration_data()
ERROR_PAGE = "Nothing you sent was half-saved"


# --- The database connection dropped in the middle of a request -------------


@contextlib.contextmanager
def connection_dropped_after_insert(model):
    """End the connection right after the request INSERTs its first row.

    Right after the request INSERTs its first ``model`` row, PostgreSQL ends its
    connection (pg_terminate_backend from a second connection, as a failover or a
    restarted server would): the rest of the request fails on a dead link.
    """
    dropped = []

    def terminate(sender, created, **kwargs):
        if not created or dropped:
            return
        pid = connection.connection.info.backend_pid
        with psycopg.connect(database_url(), autocommit=True) as admin:
            # Waits (up to 10 s) until the backend has really gone.
            (ended,) = admin.execute(
                "SELECT pg_terminate_backend(%s, 10000)", [pid]
            ).fetchone()
        dropped.append(ended)

    post_save.connect(terminate, sender=model, weak=False)
    try:
        yield dropped
    finally:
        post_save.disconnect(terminate, sender=model)


def assert_clean_error_page(response, caplog):
    assert response.status_code == 500
    assert [template.name for template in response.templates] == ["500.html"]
    assert ERROR_PAGE in response.content.decode()
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged and logged[0].levelno == logging.ERROR
    assert "connection" in str(logged[0].exc_info[1]).lower()


def test_submission_whose_connection_drops_half_way_saves_nothing(
    home_page, client, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    ensure_moderation_workflow()
    revisions = Revision.objects.count()
    client.raise_request_exception = False

    with (
        connection_dropped_after_insert(InventoryEntry) as dropped,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post("/inventory/submit/", SUBMISSION)

    assert dropped == [True], response.context and response.context["form"].errors
    assert_clean_error_page(response, caplog)
    # The entry, its organisations, its revision, its moderation: all rolled back.
    assert not InventoryEntry.objects.exists()
    assert not StakeholderOrganisation.objects.exists()
    assert Revision.objects.count() == revisions
    assert not WorkflowState.objects.exists()
    assert not PendingIndexUpdate.objects.exists()
    assert callbacks == []
    assert mailoutbox == []

    # The next request gets a new connection, and the same submission goes through.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/inventory/submit/", SUBMISSION)
    assert response.status_code == 302
    entry = InventoryEntry.objects.get()
    assert entry.live is False
    assert entry.workflow_in_progress is True
    # Its organisations are names on the proposal until an editor approves it.
    assert StakeholderOrganisation.objects.count() == 0
    assert entry.proposed_organisation
    assert [mail.to for mail in mailoutbox] == [[SUBMISSION["contact_email"]]]


def test_registration_whose_connection_drops_half_way_saves_nothing(
    tree, client, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    register = f"{tree.c5_meeting.url}register/"
    client.raise_request_exception = False

    with (
        connection_dropped_after_insert(MeetingRegistration) as dropped,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = client.post(register, REGISTRATION)

    assert dropped == [True]
    assert_clean_error_page(response, caplog)
    assert not MeetingRegistration.objects.exists()
    assert callbacks == []
    assert mailoutbox == []

    # Registering again works: the lost attempt holds no place and no address.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register, REGISTRATION)
    assert response.status_code == 302
    assert MeetingRegistration.objects.get().email == REGISTRATION["email"]
    assert [mail.to for mail in mailoutbox] == [[REGISTRATION["email"]]]


# --- A django-q2 worker killed in the middle of a task ----------------------

TASK = "tests.ops.tasks.slow_append"
TASK_SECONDS = 1.5  # under the cluster's 3 s timeout (tests/ops/qcluster_settings.py)


class QCluster:
    """``manage.py qcluster`` on the test database, in a process group of its own."""

    def __init__(self, log_path):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.ops.qcluster_settings",
            "DATABASE_URL": database_url(),
        }
        env.pop("REDIS_URL", None)
        self.log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self):
        """SIGKILL to the whole cluster: the sentinel, pusher, monitor and workers."""
        if self.log.closed:
            return
        with contextlib.suppress(ProcessLookupError):  # all gone already
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def qclusters(tmp_path):
    started = []

    def start():
        cluster = QCluster(tmp_path / "qcluster.log")
        started.append(cluster)
        return cluster

    yield start
    for cluster in started:
        cluster.kill()


@pytest.fixture
def enqueue(monkeypatch):
    """async_task onto the ORM broker, committed, for a real cluster to take."""
    from django_q.conf import Conf

    def enqueue(*args, **kwargs):
        with monkeypatch.context() as patch:
            patch.setattr(Conf, "SYNC", False)
            return async_task(*args, **kwargs)

    return enqueue


def started_pids(journal):
    if not journal.exists():
        return []
    return [
        int(line.split()[1])
        for line in journal.read_text().splitlines()
        if line.startswith("started ")
    ]


def done(task_id):
    """Saved as a success and acknowledged (the monitor does one, then the other)."""
    return Success.objects.filter(id=task_id).exists() and not OrmQ.objects.exists()


def assert_completed_once(task_id, journal):
    lines = journal.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["started", "started", "finished"]
    task = Success.objects.get(id=task_id)
    assert task.func == TASK
    assert task.result == "finished"
    assert not OrmQ.objects.exists()  # acknowledged, so never run again


def test_task_of_a_killed_worker_is_retried_by_its_cluster(
    qclusters, enqueue, tmp_path
):
    journal = tmp_path / "journal.txt"
    log = tmp_path / "qcluster.log"
    task_id = enqueue(TASK, str(journal), TASK_SECONDS, task_name="killed-worker")
    qclusters()

    (worker,) = wait_for(lambda: started_pids(journal), 30, "the task to start", log)
    os.kill(worker, signal.SIGKILL)  # the OOM killer, say, in the middle of the task

    # The cluster replaces the worker; the unacknowledged task is handed out
    # again once its 5 s lease ("retry") is over, and runs to its end.
    wait_for(lambda: done(task_id), 30, "the retry", log)
    assert started_pids(journal)[1] != worker
    assert_completed_once(task_id, journal)


def test_task_of_a_killed_cluster_is_finished_by_the_next_one(
    qclusters, enqueue, tmp_path
):
    journal = tmp_path / "journal.txt"
    log = tmp_path / "qcluster.log"
    task_id = enqueue(TASK, str(journal), TASK_SECONDS, task_name="killed-cluster")
    first = qclusters()

    wait_for(lambda: started_pids(journal), 30, "the task to start", log)
    first.kill()  # kill -9 of the worker and of everything around it
    time.sleep(TASK_SECONDS + 0.5)
    assert journal.read_text().splitlines()[-1].startswith("started")
    assert OrmQ.objects.count() == 1  # taken, never acknowledged
    assert not Success.objects.exists()

    qclusters()
    wait_for(lambda: done(task_id), 30, "the retry", log)
    assert_completed_once(task_id, journal)
