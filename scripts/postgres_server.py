#!/usr/bin/env python3
"""A throw-away PostgreSQL server on a free loopback port, for the test suite.

Uses Debian's ``postgresql`` binaries (/usr/lib/postgresql/<major>/bin). The
server refuses to run as root, so as root it runs as the ``postgres`` user.
Stdlib only.

    with PostgresServer() as server:
        server.url   # postgres://postgres@127.0.0.1:PORT/postgres
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresError(RuntimeError):
    pass


def find_bindir() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda path: int(path.split("/")[4]),
    )
    if not candidates:
        raise PostgresError(
            "PostgreSQL server binaries not found: install them with "
            "`apt-get install -y postgresql` (or run `make prerequisites`)."
        )
    return Path(candidates[-1]).parent


def server_user(root: Path) -> str | None:
    """Return the user to run the server as.

    ``postgres`` when we are root (the server refuses to run as root), who is then
    given ``root``; else ourselves (None).
    """
    if os.geteuid() != 0:
        return None
    entry = pwd.getpwnam("postgres")
    os.chown(root, entry.pw_uid, entry.pw_gid)
    return "postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, port: int | None = None):
        self.bindir = find_bindir()
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="wsis-pg-"))
        self.datadir = self.root / "data"
        self.as_user = server_user(self.root)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise PostgresError(f"{' '.join(args[:1])} failed:\n{result.stderr}")

    def start(self) -> PostgresServer:
        self._run(
            "initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.2)
        raise PostgresError("PostgreSQL did not start listening in time.")

    def stop(self) -> None:
        if self.datadir.exists():
            with contextlib.suppress(PostgresError):
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
