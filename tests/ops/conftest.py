"""Operations: backup and restore, faults, task clusters; health checks,
metrics, request ids, the balancer and the media bucket.

The first ones need PostgreSQL (pg_dump, a second connection to kill the first,
django-q2 worker processes sharing the database, row locks), so they run in
the PostgreSQL pass of `make test`; the SQLite pass skips them, saying so. They
commit their data (``transaction=True``): the table flush that follows each one
also empties what migrations created, so ``home_page`` rebuilds the site's home
when needed.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from wagtail.models import Locale, Page, Site

import pytest

from home.models import HomePage
from scripts.postgres_server import find_bindir

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL-only: runs in the PostgreSQL pass of make test"
)


def site_home():
    """The site's home page, rebuilt (with its Site and the root collection of
    documents) after an earlier flush."""
    from wagtail.models import Collection

    from home.roles import setup_site_root

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")

    home = HomePage.objects.filter(depth=2).first()
    if home is None:
        locale, _created = Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node() or Page.add_root(
            title="Root", slug="root", locale=locale
        )
        home = root.add_child(
            instance=HomePage(title="WSIS implementation", slug="home", locale=locale)
        )
        setup_site_root(home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    return home


@pytest.fixture
def home_page(transactional_db):
    return site_home()


def database_url(name=None):
    """The URL of the test database (or of another database on its server)."""
    params = connection.settings_dict
    user = quote(params["USER"] or "", safe="")
    if params.get("PASSWORD"):
        user += ":" + quote(params["PASSWORD"], safe="")
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{name or params['NAME']}"


class Postgres:
    """The test database's server: URLs, psql, throw-away databases."""

    def __init__(self):
        self.bindir = find_bindir()
        self.test_url = database_url()
        self.created = []

    def url(self, name):
        return database_url(name)

    def psql(self, sql, database="postgres"):
        result = subprocess.run(  # noqa: S603 - our own psql, our SQL
            [str(self.bindir / "psql"), "-X", "-q", "-A", "-t",
             "-v", "ON_ERROR_STOP=1", "-d", self.url(database), "-c", sql],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def create_database(self, prefix="ops"):
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.psql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return name

    def drop_created(self):
        for name in self.created:
            self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres(transactional_db):
    server = Postgres()
    yield server
    server.drop_created()


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
