"""Wagtail's background tasks reach django-q2 only once their data is committed."""

import pytest
from django_tasks import task

from home.task_backend import DjangoQBackend

CALLS = []


@task()
def remember(value):
    CALLS.append(value)


@pytest.mark.django_db
def test_tasks_are_queued_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    CALLS.clear()
    backend = DjangoQBackend(alias="default", params={})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = backend.enqueue(remember, ["entry 7"], {})
    # Nothing ran inside the transaction (the test settings run django-q2
    # synchronously: an immediate hand-over would have run it already).
    assert CALLS == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert CALLS == ["entry 7"]
    assert result.status == "READY"
