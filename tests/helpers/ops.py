"""Operations.

The repository root, the PostgreSQL-only mark, database URLs and ``manage.py`` in a
process of its own.
"""

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection

import pytest

from tests.helpers.commands import ROOT

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL-only: runs in the PostgreSQL pass of make test"
)


def database_url(name=None):
    """The URL of the test database (or of another database on its server)."""
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    if params.get("PASSWORD"):
        user += ":" + quote(params["PASSWORD"], safe="")
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name or params['NAME']}"


def manage(*args, env, timeout=120):
    """Runs ``manage.py`` in a process of its own; fails the test if it fails."""
    result = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout
