"""Operations: backup and restore, faults, task clusters.

Health checks, metrics, request ids, the balancer and the media bucket.

The first ones need PostgreSQL (pg_dump, a second connection to kill the first,
django-q2 worker processes sharing the database, row locks), so they run in
the PostgreSQL pass of `make test`; the SQLite pass skips them, saying so. They
commit their data (``transaction=True``): the table flush that follows each one
also empties what migrations created, so ``home_page`` rebuilds the site's home
when needed.
"""

import subprocess
import uuid

import pytest

from scripts.postgres_server import find_bindir
from tests.helpers.ops import database_url
from tests.helpers.pages import site_home
from tests.ops.servers import start_redis


@pytest.fixture
def redis(tmp_path):
    """A Redis server of the test's own."""
    server = start_redis(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def home_page(transactional_db):
    return site_home()


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
