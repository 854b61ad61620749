"""Settings of the django-q2 clusters of tests/ops/test_task_clusters.py.

The test settings with django-q2 configured as the base settings configure it
for production (the same broker, from the same environment), only
asynchronous and polling its queue often. ``Q_TIMEOUT`` and ``Q_RETRY`` come
from the environment; ``TEST_Q_SCHEDULER=1`` runs the scheduler, at start-up
and then every 30 s.
"""

import os

from cms.settings.test import *  # noqa: F403
from cms.settings.test import Q_CLUSTER

SCHEDULER = os.environ.get("TEST_Q_SCHEDULER") == "1"
Q_CLUSTER = {
    **Q_CLUSTER,
    "sync": False,
    "poll": 0.1,
    "workers": 2,
    "scheduler": SCHEDULER,
    # django-q2 runs the scheduler once its guard has counted 30 s of cycles:
    # with a 30 s cycle, that is right at start-up.
    "guard_cycle": 30 if SCHEDULER else 0.5,
}
