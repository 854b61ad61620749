"""Real servers for the operations tests: Redis, gunicorn, and closed ports.

Each runs in a process group of its own on a free loopback port and is
stopped by the fixture that started it.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from scripts.serve_prod import http_get, redis_binary, redis_ping
from tests.helpers.ops import ROOT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port():
    """A loopback port nothing listens on: connections to it are refused."""
    return free_port()


class Process:
    def __init__(self, command, env, log):
        self.log = Path(log)
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def alive(self):
        return self.process.poll() is None

    def stop(self, sig=signal.SIGTERM):
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def tail(self):
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


def start_redis(directory):
    port = free_port()
    redis = Process(
        [redis_binary(), "--bind", "127.0.0.1", "--port", str(port),
         "--save", "", "--appendonly", "no", "--dir", str(directory)],
        os.environ.copy(),
        Path(directory) / "redis.log",
    )  # fmt: skip
    deadline = time.monotonic() + 20
    while not redis_ping(port):
        assert redis.alive() and time.monotonic() < deadline, redis.tail()
        time.sleep(0.05)
    redis.url = f"redis://127.0.0.1:{port}/0"
    return redis


def start_gunicorn(directory, env, workers=1, timeout=60, host="127.0.0.1", name=""):
    """Gunicorn with the project's configuration (cms/gunicorn.conf.py)."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    directory = Path(directory) / name if name else Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    environ = {
        **os.environ,
        "GUNICORN_BIND": f"{host}:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": "1",
        "GUNICORN_ACCESS_LOG": str(Path(directory) / "access.log"),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = Process(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "cms" / "gunicorn.conf.py"),
         "cms.wsgi"],
        environ,
        Path(directory) / "gunicorn.log",
    )  # fmt: skip
    server.host, server.port = host, port
    server.address = f"{host}:{port}"
    deadline = time.monotonic() + timeout
    while True:
        assert server.alive(), server.tail()
        with contextlib.suppress(OSError):
            http_get(host, port, "/healthz", timeout=5)
            return server
        assert time.monotonic() < deadline, server.tail()
        time.sleep(0.2)


def wait_for(condition, timeout, what, log=None):
    """``condition()``'s first true value.

    Fails the test after ``timeout`` seconds, with the end of ``log`` if given.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    details = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{details}")
