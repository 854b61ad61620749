"""Management commands as the tests run them.

In this process, or in a process of their own with the environment of a deployment.
"""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command


def seed(*args, **options):
    call_command("seed_demo", "--no-index", *args, **{"verbosity": 0, **options})


ROOT = Path(__file__).resolve().parents[2]


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "wsis.example.org",
    "DATABASE_URL": "postgres://wsis@127.0.0.1:5432/wsis",
}


def manage(*args, **env):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PRODUCTION_ENV, "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(env)
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
