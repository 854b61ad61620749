"""A Django tasks backend that hands Wagtail's background tasks to django-q2.

Wagtail 8 enqueues its work (search index and reference index updates, file
deletion) through Django's tasks framework; this backend queues each call on
django-q2, so the real worker runs it, with django-q2's retries.

The call is queued when the surrounding transaction commits: requests run in
one (ATOMIC_REQUESTS), and a worker that picked the task up at once would not
see the rows it is about to index (with Redis as the broker, it did).
"""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from django_q.tasks import async_task
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_module_path, get_random_id


def run_task(task_path, args, kwargs):
    """Run in the django-q2 worker: look the task up and call it."""
    task = import_string(task_path)
    return task.call(*args, **kwargs)


class DjangoQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        task_id = get_random_id()
        transaction.on_commit(
            partial(
                async_task,
                "home.task_backend.run_task",
                get_module_path(task.func),
                list(args),
                dict(kwargs),
                task_name=f"{task.name}-{task_id}",
            ),
            robust=True,
        )
        return TaskResult(
            task=task,
            id=task_id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
