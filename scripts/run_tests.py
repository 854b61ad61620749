#!/usr/bin/env python3
"""`make test`: the CI gates, then the whole suite twice.

1. ruff (lint and format), djhtml (templates), `manage.py check`,
   `makemigrations --check`.
2. The suite on PostgreSQL, end-to-end browser tests included, and
3. the suite on SQLite, side by side.
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
import tempfile
import time
from pathlib import Path

from scripts import opensearch_node
from scripts.postgres_server import PostgresError, PostgresServer

ROOT = Path(__file__).resolve().parent.parent

PYTHON = sys.executable
# Each pass ends with its slowest tests, so a suite that grows slow says where.
DURATIONS = ["--durations=15", "--durations-min=5"]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def run(
    command: list[str], env: dict | None = None, exit_on_failure: bool = True
) -> bool:
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(f"FAILED ({elapsed:.0f} s): {' '.join(command)}", flush=True)
        if exit_on_failure:
            sys.exit(result.returncode)
        return False
    print(f"ok ({elapsed:.0f} s)", flush=True)
    return True


def check_prerequisites() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM}: apt-get install -y chromium")
    if shutil.which("mvn") is None:
        missing.append("Maven: apt-get install -y maven")
    if missing:
        sys.exit(
            "Missing prerequisites (`make prerequisites` installs them):\n  "
            + "\n  ".join(missing)
        )


def main(pytest_args: list[str]) -> None:
    check_prerequisites()
    base_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "SEARCH_BACKEND"):
        base_env.pop(name, None)

    step("Gates: ruff, djhtml, Django checks, migrations")
    run([PYTHON, "-m", "ruff", "check", "."])
    run([PYTHON, "-m", "ruff", "format", "--check", "."])
    run([PYTHON, "-m", "djhtml", "--check", "templates"])
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
    media = None
    try:
        print(f"PostgreSQL {postgres.url}\nOpenSearch {node.url}", flush=True)
        # The two passes run side by side (each mostly waits on one core), on
        # the same search node under different index prefixes. The PostgreSQL
        # pass prints as it goes; the SQLite pass's output follows it.
        step("Suite on SQLite (search suite on the database and on OpenSearch)")
        print("started in the background; its output follows the PostgreSQL pass")
        sqlite_log = ROOT / ".cache" / "sqlite-pass.log"
        # Uploaded files of each pass, apart and thrown away afterwards.
        media = Path(tempfile.mkdtemp(prefix="test-media-"))
        started = time.monotonic()
        with open(sqlite_log, "wb") as log:
            sqlite_pass = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "pytest",
                    # Both run in the PostgreSQL pass only: the browser, and
                    # the three-node search cluster (slow to start).
                    "-m",
                    "not e2e and not search_cluster",
                    *DURATIONS,
                    *pytest_args,
                ],
                cwd=ROOT,
                env={
                    **base_env,
                    "SEARCH_TEST_URL": node.url,
                    "SEARCH_TEST_INDEX_PREFIX": "lite_",
                    "MEDIA_ROOT": str(media / "sqlite"),
                },
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                step("Suite on PostgreSQL + OpenSearch")
                postgres_ok = run(
                    [PYTHON, "-m", "pytest", *DURATIONS, *pytest_args],
                    {
                        **base_env,
                        "DATABASE_URL": postgres.url,
                        "SEARCH_TEST_URL": node.url,
                        "SEARCH_TEST_INDEX_PREFIX": "pg_",
                        "MEDIA_ROOT": str(media / "postgresql"),
                    },
                    exit_on_failure=False,
                )
                sqlite_code = sqlite_pass.wait()
            finally:
                if sqlite_pass.poll() is None:
                    sqlite_pass.kill()
        step("Suite on SQLite: its output")
        print(sqlite_log.read_text(errors="replace"), flush=True)
        elapsed = time.monotonic() - started
        if sqlite_code != 0:
            print(f"FAILED ({elapsed:.0f} s): the SQLite pass", flush=True)
        else:
            print(f"ok ({elapsed:.0f} s, both passes)", flush=True)
        if not postgres_ok or sqlite_code != 0:
            print_screenshots()
            sys.exit(1)
    finally:
        node.stop()
        node.cleanup()
        postgres.stop()
        if media is not None:
            shutil.rmtree(media, ignore_errors=True)
    print("\nAll green.")
    print_screenshots()


def screenshot_dir():
    """Where the end-to-end tests save their screenshots (tests/helpers/browser.py)."""
    return Path(os.environ.get("SCREENSHOT_DIR", ROOT / ".cache" / "screenshots"))


def print_screenshots():
    """Say where the end-to-end tests left their screenshots (test artefacts)."""
    folder = screenshot_dir()
    shots = sorted(folder.glob("*.png")) if folder.is_dir() else []
    if shots:
        print(f"Screenshots ({len(shots)}): {folder}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
