#!/usr/bin/env python3
"""`make test`: the CI gates, then the whole suite twice.

1. ruff (lint and format), `manage.py check`, `makemigrations --check`.
2. The suite on PostgreSQL, end-to-end browser tests included.
3. The suite on SQLite.
Both runs run the search suite on the database backend and on a real OpenSearch
node; PostgreSQL and OpenSearch are started here, on loopback, and stopped after.

A missing prerequisite fails the run with a message saying what to install.
Extra arguments are passed to both pytest runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import opensearch_node  # noqa: E402
from postgres_server import PostgresError, PostgresServer  # noqa: E402

PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run(command: list[str], env: dict | None = None) -> None:
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(f"FAILED ({elapsed:.0f} s): {' '.join(command)}", flush=True)
        sys.exit(result.returncode)
    print(f"ok ({elapsed:.0f} s)", flush=True)


def check_prerequisites() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM}: apt-get install -y chromium")
    if shutil.which("mvn") is None:
        missing.append("Maven: apt-get install -y maven")
    if missing:
        sys.exit(
            "Missing prerequisites (or run `bash .ci/run`):\n  " + "\n  ".join(missing)
        )


def main(pytest_args: list[str]) -> None:
    check_prerequisites()
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "SEARCH_BACKEND"):
        base_env.pop(name, None)

    step("Gates: ruff, Django checks, migrations")
    run([PYTHON, "-m", "ruff", "check", "."])
    run([PYTHON, "-m", "ruff", "format", "--check", "."])
    run([PYTHON, "manage.py", "check", "--fail-level", "WARNING"], base_env)
    run([PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"], base_env)

    step("Starting PostgreSQL and OpenSearch on loopback")
    (ROOT / ".cache").mkdir(exist_ok=True)
    opensearch_node.ensure_installed()
    try:
        postgres = PostgresServer().start()
    except PostgresError as error:
        sys.exit(str(error))
    node = opensearch_node.start(timeout=180)
    try:
        print(f"PostgreSQL {postgres.url}\nOpenSearch {node.url}", flush=True)
        step("Suite on PostgreSQL + OpenSearch")
        run(
            [PYTHON, "-m", "pytest", *pytest_args],
            {
                **base_env,
                "DATABASE_URL": postgres.url,
                "SEARCH_TEST_URL": node.url,
            },
        )
        postgres.stop()
        step("Suite on SQLite (search suite on the database and on OpenSearch)")
        run(
            [PYTHON, "-m", "pytest", "-m", "not e2e", *pytest_args],
            {**base_env, "SEARCH_TEST_URL": node.url},
        )
    finally:
        node.stop()
        node.cleanup()
        postgres.stop()
    print("\nAll green.")


if __name__ == "__main__":
    main(sys.argv[1:])
