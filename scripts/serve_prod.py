#!/usr/bin/env python3
"""Run the platform locally the production way (`make serve-prod`).

``cms.settings.production`` on PostgreSQL, the OpenSearch node and Redis (the
django-q2 broker and the shared cache), then ``migrate``, ``createcachetable``,
``collectstatic``, a ``qcluster`` worker and gunicorn (``cms/gunicorn.conf.py``,
static files through whitenoise). Ctrl-C stops everything, web server first.

Each service is started here unless its variable is already set:

    DATABASE_URL       else PostgreSQL (Debian's), data in .cache/serve-prod/postgres
    ELASTICSEARCH_URL  else an OpenSearch node, data in .cache/serve-prod/opensearch
    REDIS_URL          else Debian's redis-server, data in .cache/serve-prod/redis

The SECRET_KEY is generated once into .cache/serve-prod/secret_key (mode 0600,
never committed: .cache/ is ignored) unless SECRET_KEY is set. ALLOWED_HOSTS
defaults to 127.0.0.1,localhost and SECURE_SSL_REDIRECT to false (plain HTTP on
loopback); the session and CSRF cookies stay ``Secure`` (docs/production.md).

``bench/load_bench.py`` reuses :class:`Stack` with a throw-away directory.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from scripts import opensearch_node
from scripts.postgres_server import (
    PostgresError,
    PostgresServer,
    find_bindir,
    free_port,
    server_user,
)

ROOT = Path(__file__).resolve().parent.parent

STATE_DIR = ROOT / ".cache" / "serve-prod"
PYTHON = sys.executable
SETPRIV = shutil.which("setpriv")
GUNICORN_CONF = ROOT / "cms" / "gunicorn.conf.py"


class ServeError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[serve-prod] {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------- PostgreSQL


class LocalPostgres(PostgresServer):
    """PostgreSQL on a free loopback port, its data directory kept in ``root``.

    Unlike the test suite's throw-away server, the cluster is created once and
    reused by later starts (``keep=True``), with durable writes (fsync on).
    """

    def __init__(self, root: Path, *, keep: bool = True, database: str = "wsis"):
        self.bindir = find_bindir()
        self.port = free_port()
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.datadir = self.root / "data"
        self.keep = keep
        self.database = database
        self.as_user = server_user(self.root)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        # Own session: Ctrl-C in the terminal must not reach the postmaster, which
        # is stopped last, after the processes that use it.
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            start_new_session=True,
            cwd=self.root,
        )
        if check and result.returncode != 0:
            raise PostgresError(
                f"{args[0]} failed:\n{result.stderr or result.stdout}"
                f"\n(log: {self.root / 'server.log'})"
            )
        return result

    def start(self) -> LocalPostgres:
        if not (self.datadir / "PG_VERSION").exists():
            shutil.rmtree(self.datadir, ignore_errors=True)
            options = ["--no-sync"] if not self.keep else []
            self._run(
                "initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8", *options,
            )  # fmt: skip
        elif self.running():
            # Left running by a run that was killed: stop it, then start on a new port.
            log("stopping a PostgreSQL server left running by an earlier run")
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c max_connections=100"
        )
        if not self.keep:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        wait_for_port(self.port, 30, "PostgreSQL")
        psql = [
            str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", "-d", "postgres", "-tAc",
        ]  # fmt: skip
        exists = subprocess.run(
            [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{self.database}'"],  # noqa: S608 - our own constant
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(
                [*psql, f'CREATE DATABASE "{self.database}"'],
                capture_output=True,
                check=True,
            )
        return self

    def running(self) -> bool:
        status = self._run("pg_ctl", "status", "-D", str(self.datadir), check=False)
        return status.returncode == 0

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            with contextlib.suppress(PostgresError):
                self._run("pg_ctl", "-D", str(self.datadir), "-m", "fast", "-w", "stop")
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)


# ---------------------------------------------------------------------- Redis


def redis_binary() -> str:
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        raise ServeError(
            "redis-server not found: install it with `apt-get install -y "
            "redis-server` (`make prerequisites` does), or set REDIS_URL."
        )
    return binary


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


# ------------------------------------------------------------------ processes


def wait_for_port(port: int, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise ServeError(f"{what} did not start listening on port {port} in time.")


class Child:
    """A long-running child in its own session (Ctrl-C reaches only us), stopped
    by a signal to its main process, then SIGKILL to its group if it lingers.
    With setpriv it also gets SIGTERM if this script dies without cleaning up."""

    def __init__(self, name, command, env, *, output=None, stop_timeout=30):
        self.name = name
        self.command = command
        self.env = env
        self.output = output
        self.stop_timeout = stop_timeout
        self.proc: subprocess.Popen | None = None

    def start(self) -> Child:
        command = list(self.command)
        if SETPRIV:
            command = [SETPRIV, "--pdeathsig", "TERM", "--", *command]
        stdout = None
        if self.output is not None:
            stdout = open(self.output, "ab")  # noqa: SIM115 - kept by the child
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.STDOUT if stdout else None,
            start_new_session=True,
        )
        if stdout is not None:
            stdout.close()
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM) -> None:
        if not self.alive():
            return
        self.proc.send_signal(sig)
        try:
            self.proc.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            log(f"{self.name} ignored SIGTERM for {self.stop_timeout} s: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        # Anything the main process left behind in its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)


def http_get(host: str, port: int, path: str, timeout: float = 10):
    """(status, headers, body) of a GET on loopback, without any proxy."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def secret_key(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


# ---------------------------------------------------------------------- stack


class Stack:
    """The production stack: services, Django set-up, worker and web server.

    ``state_dir`` keeps every service's data; ``keep=False`` makes it throw-away
    (benchmarks). Services whose URL is in the environment are not started.
    """

    def __init__(
        self,
        state_dir: Path = STATE_DIR,
        *,
        keep: bool = True,
        bind: str | None = None,
        heap: str = "512m",
        extra_env: dict | None = None,
        log_dir: Path | None = None,
    ):
        self.state_dir = Path(state_dir).resolve()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.keep = keep
        self.bind = bind or os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
        self.heap = heap
        self.extra_env = dict(extra_env or {})
        self.log_dir = Path(log_dir) if log_dir else None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
        self.postgres: LocalPostgres | None = None
        self.node = None
        self.redis: Child | None = None
        self.worker: Child | None = None
        self.web: Child | None = None
        self.urls: dict[str, str] = {}

    # -- services -------------------------------------------------------------
    def start_services(self) -> None:
        given = os.environ
        if given.get("DATABASE_URL"):
            self.urls["DATABASE_URL"] = given["DATABASE_URL"]
            log("PostgreSQL: DATABASE_URL from the environment")
        else:
            self.postgres = LocalPostgres(self.state_dir / "postgres", keep=self.keep)
            self.postgres.start()
            self.urls["DATABASE_URL"] = self.postgres.url
            log(
                f"PostgreSQL on 127.0.0.1:{self.postgres.port} "
                f"(data in {self.postgres.datadir})"
            )
        if given.get("ELASTICSEARCH_URL"):
            self.urls["ELASTICSEARCH_URL"] = given["ELASTICSEARCH_URL"]
            self.urls["SEARCH_BACKEND"] = given.get(
                "SEARCH_BACKEND", opensearch_node.WAGTAIL_BACKEND
            )
            log("search: ELASTICSEARCH_URL from the environment")
        else:
            self.start_search()
            self.urls["ELASTICSEARCH_URL"] = self.node.url
            self.urls["SEARCH_BACKEND"] = opensearch_node.WAGTAIL_BACKEND
        if given.get("REDIS_URL"):
            self.urls["REDIS_URL"] = given["REDIS_URL"]
            log("Redis: REDIS_URL from the environment")
        else:
            self.start_redis()

    def start_search(self) -> None:
        """Starts the OpenSearch node, or starts it again on the same port."""
        if self.node is not None:
            self.node.start(timeout=180)
            log(f"OpenSearch started again at {self.node.url}")
            return
        root = self.state_dir / "opensearch"
        version = opensearch_node.OPENSEARCH_VERSION
        log(f"starting OpenSearch {version} (heap {self.heap})")
        self.node = opensearch_node.start(
            heap=self.heap,
            timeout=180,
            run_dir=root,
            data_dir=root / "data",
            log_dir=root / "logs",
        )
        log(f"OpenSearch at {self.node.url} (data in {self.node.data_dir})")

    def stop_search(self) -> None:
        if self.node is not None:
            self.node.stop()

    def start_redis(self) -> None:
        root = self.state_dir / "redis"
        root.mkdir(parents=True, exist_ok=True)
        port = free_port()
        command = [
            redis_binary(), "--bind", "127.0.0.1", "--port", str(port),
            "--protected-mode", "yes", "--daemonize", "no", "--dir", str(root),
            "--logfile", str(root / "redis.log"), "--save", "",
            # The queue of django-q2 tasks survives a restart of serve-prod.
            "--appendonly", "yes" if self.keep else "no",
        ]  # fmt: skip
        self.redis = Child("redis-server", command, os.environ.copy(), stop_timeout=15)
        self.redis.start()
        deadline = time.monotonic() + 20
        while not redis_ping(port):
            if not self.redis.alive() or time.monotonic() > deadline:
                raise ServeError(f"redis-server did not start ({root / 'redis.log'})")
            time.sleep(0.1)
        self.urls["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        log(f"Redis on 127.0.0.1:{port}")

    # -- Django ---------------------------------------------------------------
    def environment(self) -> dict:
        env = os.environ.copy()
        env.update(self.urls)
        env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
        env.setdefault("SECRET_KEY", secret_key(self.state_dir / "secret_key"))
        env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("SECURE_SSL_REDIRECT", "false")
        env["GUNICORN_BIND"] = self.bind
        env.setdefault("PYTHONUNBUFFERED", "1")
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, quiet: bool = False) -> str:
        """Runs a management command with the stack's environment; returns stdout."""
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.environment(),
            stdin=subprocess.DEVNULL,
            capture_output=quiet,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            detail = f":\n{result.stderr[-3000:]}" if quiet else ""
            raise ServeError(f"manage.py {' '.join(args)} failed{detail}")
        return result.stdout if quiet else ""

    def prepare(self, quiet: bool = False) -> None:
        log("migrate, createcachetable, collectstatic")
        self.manage("migrate", "--noinput", "-v", "0" if quiet else "1", quiet=quiet)
        self.manage("createcachetable", quiet=quiet)
        self.manage("collectstatic", "--noinput", "-v", "0", quiet=quiet)

    def _output(self, name: str) -> Path | None:
        return self.log_dir / f"{name}.log" if self.log_dir else None

    def start_worker(self) -> None:
        self.worker = Child(
            "qcluster",
            [PYTHON, "manage.py", "qcluster"],
            self.environment(),
            output=self._output("qcluster"),
            stop_timeout=40,
        ).start()

    def start_web(self, timeout: float = 120) -> None:
        self.web = Child(
            "gunicorn",
            [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "cms.wsgi"],
            self.environment(),
            output=self._output("gunicorn"),
            stop_timeout=40,
        ).start()
        host, port = self.host_port
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.web.alive():
                raise ServeError("gunicorn exited while starting (see its log above)")
            with contextlib.suppress(OSError):
                http_get(host, port, "/", timeout=30)
                return
            time.sleep(0.3)
        raise ServeError(f"gunicorn did not answer on {self.bind} in {timeout:.0f} s")

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.bind.rpartition(":")
        return host or "127.0.0.1", int(port)

    @property
    def base_url(self) -> str:
        host, port = self.host_port
        return f"http://{host}:{port}"

    def children(self) -> list[Child]:
        return [c for c in (self.web, self.worker, self.redis) if c is not None]

    # -- stop -----------------------------------------------------------------
    def stop(self) -> None:
        """Web server, then worker, Redis, OpenSearch and PostgreSQL, in that order."""
        for name, step in (
            ("gunicorn", lambda: self.web and self.web.stop()),
            ("qcluster", lambda: self.worker and self.worker.stop()),
            ("redis-server", lambda: self.redis and self.redis.stop()),
            ("OpenSearch", self._stop_node),
            ("PostgreSQL", lambda: self.postgres and self.postgres.stop()),
        ):
            try:
                step()
            except Exception as error:  # noqa: BLE001 - stop the others anyway
                log(f"stopping {name} failed: {error}")
        if not self.keep:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def _stop_node(self) -> None:
        if self.node is not None:
            if self.keep:
                self.node.stop()
            else:
                self.node.cleanup()

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# ------------------------------------------------------------------------ CLI


def install_signal_handlers() -> None:
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    # SIGINT too: a shell starting us in the background leaves it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


WORKER_CHECK = """
from django_q.tasks import async_task, result
task_id = async_task("math.hypot", 3, 4)
print(result(task_id, wait=60000))
"""


def smoke_check(stack: Stack) -> bool:
    """The production stack really serves pages, static files, the API, and
    the worker really runs a task. Prints one line per check."""
    import json
    import re

    host, port = stack.host_port
    passed = True

    def report(ok: bool, what: str) -> None:
        nonlocal passed
        passed = passed and ok
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)

    status, _headers, body = http_get(host, port, "/")
    report(status == 200, f"GET / -> {status}")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body)
    if stylesheet:
        path = stylesheet.group(1).decode()
        status, headers, _body = http_get(host, port, path)
        cache = headers.get("Cache-Control", "")
        report(
            status == 200 and "immutable" in cache, f"GET {path} -> {status}, {cache}"
        )
    else:
        report(False, "no stylesheet linked from the home page")
    for path in ("/inventory/", "/inventory/?action_line=C5&status=ongoing&q=digital"):
        status, _headers, body = http_get(host, port, path)
        report(status == 200, f"GET {path} -> {status}")
    status, _headers, body = http_get(host, port, "/api/inventory/?region=africa")
    data = json.loads(body) if status == 200 else {}
    report(
        status == 200 and not data.get("engine_degraded", True),
        f"GET /api/inventory/?region=africa -> {status}, count {data.get('count')}, "
        f"engine_degraded {data.get('engine_degraded')}",
    )
    try:
        output = stack.manage("shell", "-c", WORKER_CHECK, quiet=True)
        value = output.strip().splitlines()[-1] if output.strip() else output
    except ServeError as error:
        value = str(error)
    report(value == "5.0", f"qcluster ran async_task('math.hypot', 3, 4) -> {value}")
    return passed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Serve the platform the production way (see docs/production.md)."
    )
    parser.add_argument(
        "--bind",
        default=os.environ.get("GUNICORN_BIND", "127.0.0.1:8000"),
        help="gunicorn's address (default: 127.0.0.1:8000, or GUNICORN_BIND)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load the demo content (seed_demo) even if it was loaded before, "
        "or into the DATABASE_URL given",
    )
    parser.add_argument(
        "--no-demo",
        action="store_true",
        help="never load the demo content (by default it is loaded on the first "
        "start of the local database)",
    )
    parser.add_argument(
        "--entries", type=int, default=200, help="demo inventory entries (default 200)"
    )
    parser.add_argument("--heap", default="512m", help="OpenSearch heap (default 512m)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="start, check that pages, static files, the API and the worker "
        "answer, then stop (exit status 1 if a check fails)",
    )
    args = parser.parse_args(argv)

    install_signal_handlers()
    stack = Stack(STATE_DIR, bind=args.bind, heap=args.heap)
    marker = STATE_DIR / "demo-loaded"
    try:
        stack.start_services()
        stack.prepare()
        local_db = stack.postgres is not None
        if args.demo or (local_db and not marker.exists() and not args.no_demo):
            log(f"loading the demo content ({args.entries} inventory entries)")
            stack.manage("seed_demo", "--entries", str(args.entries))
            if local_db:
                marker.touch()
            stack.manage("reset_demo_logins", "--url", f"{stack.base_url}/admin/")
        log("starting the django-q2 worker (qcluster) and gunicorn")
        stack.start_worker()
        stack.start_web()
        if args.check:
            log(f"checking {stack.base_url}/")
            return 0 if smoke_check(stack) else 1
        log(
            f"serving {stack.base_url}/ with cms.settings.production "
            "(Ctrl-C stops everything)"
        )
        while True:
            time.sleep(1)
            for child in stack.children():
                if not child.alive():
                    raise ServeError(
                        f"{child.name} exited (code {child.proc.returncode}); stopping"
                    )
    except KeyboardInterrupt:
        log("stopping (web server, worker, Redis, OpenSearch, PostgreSQL)")
        return 0
    except (ServeError, PostgresError, opensearch_node.OpenSearchNodeError) as error:
        log(f"error: {error}")
        return 1
    finally:
        # A second Ctrl-C must not cut the clean stop short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        log("stopped")


if __name__ == "__main__":
    sys.exit(main())
