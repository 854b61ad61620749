"""Two django-q2 clusters on one queue, as two worker hosts would run them.

The clusters are real ``manage.py qcluster`` processes with django-q2 set up as
production sets it up, Redis running beside them (as in production, where it is
the cache): a scheduled task runs once, not once per cluster, and the tasks a
killed cluster had taken still run, on the other.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from django.utils import timezone

import pytest
from django_q.models import OrmQ, Schedule, Success

from tests.helpers.ops import ROOT, database_url, postgres_only

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

TASK = "tests.ops.tasks.numbered_task"


def cluster_env(redis, **extra):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.cluster_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis.url,
        # A task may run 3 s; one taken and not acknowledged is handed out
        # again 6 s later.
        "Q_TIMEOUT": "3",
        "Q_RETRY": "6",
        **extra,
    }


class Cluster:
    def __init__(self, env, log):
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self):
        """SIGKILL to the sentinel, pusher, monitor and workers at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def clusters(tmp_path):
    started = []

    def start(env, name):
        cluster = Cluster(env, tmp_path / f"{name}.log")
        started.append(cluster)
        return cluster

    yield start
    for cluster in started:
        cluster.kill()


def enqueue(env, journal, numbers, seconds):
    """Queue the tasks from another process, as a web server does.

    Queues the tasks from another process with the same settings, as a web server
    does.
    """
    script = (
        "from django_q.tasks import async_task\n"
        f"for n in {list(numbers)!r}:\n"
        f"    async_task({TASK!r}, {str(journal)!r}, n, {seconds!r}, "
        "task_name=f'numbered-{n}')\n"
    )
    subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def journal_lines(journal, kind):
    if not journal.exists():
        return []
    return [
        line.split()
        for line in journal.read_text().splitlines()
        if line.startswith(kind + " ")
    ]


def wait_for(condition, timeout, what, *logs):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    details = "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)
    raise AssertionError(f"timed out waiting for {what}\n{details}")


def test_two_clusters_run_each_scheduled_task_once(redis, clusters, tmp_path):
    journal = tmp_path / "journal.txt"
    Schedule.objects.all().delete()
    due = timezone.now() - timedelta(seconds=1)
    for number in range(40):
        Schedule.objects.create(
            name=f"every minute {number}",
            func=TASK,
            args=repr((str(journal), number)),
            schedule_type=Schedule.MINUTES,
            minutes=1,
            repeats=-1,
            next_run=due,
        )
    env = cluster_env(redis, TEST_Q_SCHEDULER="1")
    # Started together, their schedulers run at the same moment, at start-up.
    first, second = clusters(env, "first"), clusters(env, "second")
    wait_for(
        lambda: len(journal_lines(journal, "finished")) >= 40,
        60,
        "the scheduled tasks",
        first.log,
        second.log,
    )
    time.sleep(3)  # time for a second run to show, if there were one

    finished = journal_lines(journal, "finished")
    assert sorted(int(number) for _kind, number, _pid in finished) == list(range(40))
    assert Success.objects.filter(func=TASK).count() == 40
    for schedule in Schedule.objects.filter(func=TASK):
        assert schedule.next_run > timezone.now()  # next run: a minute later


def test_tasks_of_a_killed_cluster_run_on_the_other(redis, clusters, tmp_path):
    """Each task is taken under a lease.

    The one the dead cluster was running, and those it had taken ahead, are handed
    out again once their lease ends, and each finishes exactly once.
    """
    journal = tmp_path / "journal.txt"
    env = cluster_env(redis)
    enqueue(env, journal, range(12), 1.0)
    doomed = clusters(env, "doomed")
    wait_for(lambda: journal_lines(journal, "started"), 60, "a task", doomed.log)
    doomed.kill()  # kill -9 of the whole cluster, as a lost host
    lost_with_it = 12 - len(journal_lines(journal, "finished"))
    assert lost_with_it > 0

    survivor = clusters(env, "survivor")
    wait_for(
        lambda: (
            len(journal_lines(journal, "finished")) >= 12 and not OrmQ.objects.exists()
        ),
        90,
        "every task",
        survivor.log,
    )
    finished = sorted(int(line[1]) for line in journal_lines(journal, "finished"))
    assert finished == list(range(12))
    assert Success.objects.filter(func=TASK).count() == 12
