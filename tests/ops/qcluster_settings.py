"""Settings of the real django-q2 cluster (``manage.py qcluster``) the fault tests run.

The test settings, with django-q2 asynchronous on the ORM broker of the test
database, one worker, and short limits: a task running for more than 3 s is
stopped, and one taken but not acknowledged (its worker died) is handed out
again 5 s later. No scheduler: only the tests' own tasks run.
"""

from cms.settings.test import *  # noqa: F403
from cms.settings.test import Q_CLUSTER

Q_CLUSTER = {
    **{key: value for key, value in Q_CLUSTER.items() if key != "redis"},
    "orm": "default",
    "sync": False,
    "workers": 1,
    "timeout": 3,
    "retry": 5,
    "max_attempts": 5,
    "poll": 0.1,
    "scheduler": False,
}
