"""`make run PORT=…`.

Everything links to the port it serves, and stopping it stops its worker too.
"""

import io
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from wagtail.models import Site

import pytest

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_set_site_address_points_the_site_and_calendars_at_the_port(tree, settings):
    settings.DEBUG = True
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    calendar = f"{tree.c5_meeting.url}calendar/"
    before = Client().get(calendar).content.decode()
    assert "http://127.0.0.1:8123/" not in before
    call_command("set_site_address", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    ics = Client().get(calendar).content.decode()
    assert f"URL:http://127.0.0.1:8123{tree.c5_meeting.url}" in ics.replace("\r\n ", "")
    call_command("set_site_address", stdout=io.StringIO())  # idempotent
    assert Site.objects.get(pk=site.pk).port == 8123


@pytest.mark.django_db
def test_set_site_address_is_for_development_only(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development only"):
        call_command("set_site_address", url="http://127.0.0.1:8123")


FAKE_PYTHON = """#!/bin/bash
# Stands for .venv/bin/python: logs each command with the address it is given;
# "manage.py qcluster" starts a main process with two children and ignores
# SIGTERM, as a django-q2 cluster whose children died first does; "manage.py
# runserver" ends after a second.
echo "$2 $WAGTAILADMIN_BASE_URL" >> "$COMMANDS"
case "$2" in
  qcluster)
    trap '' TERM
    sleep 300 & echo $! >> "$PIDS"
    sleep 300 & echo $! >> "$PIDS"
    echo $$ >> "$PIDS"
    while true; do sleep 0.1; done ;;
  runserver)
    sleep 1 ;;
esac
"""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waits for its parent only: it runs no more.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


def test_make_run_serves_links_and_stops_everything_on_its_port(tmp_path):
    """Everything `make run PORT=8123` starts uses that address.

    Every command `make run PORT=8123` runs gets the site's address (e-mail links),
    the Site record is set to it (calendar files), and once the server ends the
    worker's whole process group is gone.
    """
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()
    pids, commands = tmp_path / "pids", tmp_path / "commands"
    started = time.monotonic()
    subprocess.run(  # noqa: S603 - this project's Makefile, our fake python
        ["make", "--no-print-directory", "run", "PORT=8123", f"PY={python}"]
        + [f"STAMP={stamp}"],
        cwd=ROOT,
        env={
            **os.environ,
            "PIDS": str(pids),
            "COMMANDS": str(commands),
            "STOP_TIMEOUT": "1",
        },
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert time.monotonic() - started < 60
    address = "http://127.0.0.1:8123"
    lines = commands.read_text().splitlines()
    assert lines[:4] == [
        f"migrate {address}",
        f"seed_demo {address}",
        f"set_site_address {address}",
        f"reset_demo_logins {address}",
    ]
    # The worker and the server start side by side: either may log first.
    assert sorted(lines[4:]) == [f"qcluster {address}", f"runserver {address}"]
    worker = [int(line) for line in pids.read_text().split()]
    assert len(worker) == 3
    left = [pid for pid in worker if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_sqlite_side_files_are_ignored():
    ignored = subprocess.run(  # noqa: S603 - git on this repository
        [
            shutil.which("git"),
            "check-ignore",
            "db.sqlite3-wal",
            "db.sqlite3-shm",
            "a.sqlite3-wal",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert ignored == ["db.sqlite3-wal", "db.sqlite3-shm", "a.sqlite3-wal"]
