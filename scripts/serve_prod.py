#!/usr/bin/env python3
"""Run the platform locally the production way (`make serve-prod`).

``cms.settings.production`` on PostgreSQL (also django-q2's queue), the
OpenSearch node and Redis (the shared cache and sessions), then ``migrate``,
``createcachetable``, ``collectstatic``, a ``qcluster`` worker and gunicorn
(``cms/gunicorn.conf.py``, static files through whitenoise). Ctrl-C stops
everything, web server first.

``--app-servers 2`` (``make serve-prod APP_SERVERS=2 WORKERS=2``) runs it as
several hosts would, on loopback: two gunicorn servers on 127.0.0.2 and
127.0.0.3, HAProxy in front of them on ``--bind`` (health checks on
``/readyz``), two qclusters, a three-node OpenSearch cluster with a replica of
every shard, Redis, PostgreSQL, and one media directory all of them share; its
data is kept apart, in .cache/serve-prod-scaled.

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
import json
import os
import re
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
    """Run a long-running child in its own session.

    A long-running child in its own session (Ctrl-C reaches only us), stopped by a
    signal to its main process, then SIGKILL to its group if it lingers. With
    setpriv it also gets SIGTERM if this script dies without cleaning up.
    """

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
    """(status, headers, body) of a GET on loopback, without any proxy.

    The headers are looked up in any case (HAProxy writes their names in lower
    case).
    """
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def secret_key(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50) + "\n")
    return path.read_text().strip()


# -------------------------------------------------------------------- HAProxy


def haproxy_binary() -> str:
    binary = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if binary is None:
        raise ServeError(
            "haproxy not found: install it with `apt-get install -y haproxy` "
            "(`make prerequisites` does)."
        )
    return binary


# The balancer in front of the app servers. Each server is asked /readyz every
# second (every half second once a check failed) and leaves the rotation after
# two failed checks, comes back after two good ones. A request whose connection
# to a server fails is sent to another; a GET or HEAD whose server closed the
# connection without answering (killed mid-request) too, but never a POST,
# which may have done its work. Every request gets an id, passed to the app in
# X-Request-ID and written in the balancer's log line; /metrics is not
# reachable through it.
HAPROXY_CONFIG = """\
global
    log stdout format raw local0 info
    stats socket {socket} mode 600 level admin
    maxconn 2000

defaults
    mode http
    log global
    option forwardfor
    option redispatch 1
    retries 2
    retry-on conn-failure empty-response
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout queue 30s
    timeout check 2s

frontend web
    bind {bind}
    unique-id-format %{{+X}}o%ci:%cp_%fi:%fp_%Ts_%rt:%pid
    http-request set-header X-Request-ID %[unique-id]
    http-request disable-l7-retry if !METH_GET !METH_HEAD
    http-request deny deny_status 404 if {{ path_beg /metrics }}
    log-format "%ci:%cp [%tr] %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %tsc %{{+Q}}r %ID"
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 2
{servers}
"""


def haproxy_config(bind: str, servers: list[str], socket_path: Path) -> str:
    lines = "\n".join(
        f"    server app{number} {address} check"
        for number, address in enumerate(servers, start=1)
    )
    return HAPROXY_CONFIG.format(bind=bind, servers=lines, socket=socket_path)


def haproxy_command(socket_path: Path, command: str) -> str:
    """One command on HAProxy's stats socket (``show stat``, ``show servers state``)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(5)
        sock.connect(str(socket_path))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def haproxy_servers(socket_path: Path) -> dict[str, dict]:
    """Return the app servers as HAProxy sees them.

    Status (UP, DOWN…), total requests sent (stot), 5xx answers, failed checks…, by
    server name.
    """
    text = haproxy_command(socket_path, "show stat")
    lines = [line for line in text.splitlines() if line.strip()]
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:]]
    return {
        row["svname"]: row
        for row in rows
        if row.get("pxname") == "app" and row["svname"] not in ("BACKEND",)
    }


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port_on(host: str, preferred: int | None = None) -> int:
    if preferred and port_free(host, preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------------- stack


class Stack:
    """The production stack: services, Django set-up, workers and web servers.

    ``state_dir`` keeps every service's data; ``keep=False`` makes it throw-away
    (benchmarks). Services whose URL is in the environment are not started.

    With ``app_servers`` above 1 it is the stack of several hosts, on
    loopback: each gunicorn server on an address of its own (127.0.0.2,
    127.0.0.3…, as two hosts would be) behind HAProxy on ``bind``, ``qclusters``
    django-q2 clusters, a search cluster of ``search_nodes`` nodes (each shard
    with a replica), Redis, PostgreSQL, and the uploaded files in one directory
    all of them share.
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
        app_servers: int = 1,
        web_workers: int | None = None,
        qclusters: int = 1,
        search_nodes: int = 1,
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
        self.app_servers = max(app_servers, 1)
        self.web_workers = web_workers
        self.qclusters = max(qclusters, 1)
        self.search_nodes = max(search_nodes, 1)
        self.postgres: LocalPostgres | None = None
        self.node = None  # one OpenSearch node
        self.search_cluster = None  # or several
        self.redis: Child | None = None
        self.workers: list[Child] = []
        self.webs: list[Child] = []
        self.haproxy: Child | None = None
        self.urls: dict[str, str] = {}
        self.addresses = self._app_addresses()

    @property
    def scaled(self) -> bool:
        return self.app_servers > 1

    def _app_addresses(self) -> list[str]:
        """Where each gunicorn server listens: ``bind`` itself for one server.

        Behind the balancer, 127.0.0.2, 127.0.0.3…, on the balancer's port when
        it is free there.
        """
        if not self.scaled:
            return [self.bind]
        _host, port = self.host_port
        hosts = [f"127.0.0.{number + 2}" for number in range(self.app_servers)]
        return [f"{host}:{free_port_on(host, port)}" for host in hosts]

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
            self.urls["SEARCH_BACKEND"] = opensearch_node.WAGTAIL_BACKEND
            if self.search_cluster is not None:
                self.urls["ELASTICSEARCH_URL"] = self.search_cluster.url
                # Every shard on two nodes: losing one loses no entry.
                self.urls["SEARCH_REPLICAS"] = given.get("SEARCH_REPLICAS", "1")
            else:
                self.urls["ELASTICSEARCH_URL"] = self.node.url
        if given.get("REDIS_URL"):
            self.urls["REDIS_URL"] = given["REDIS_URL"]
            log("Redis: REDIS_URL from the environment")
        else:
            self.start_redis()

    def start_search(self) -> None:
        """Start the OpenSearch node (or cluster), or start it again."""
        if self.search_cluster is not None:
            self.search_cluster.start()
            log(f"OpenSearch cluster started again at {self.search_cluster.url}")
            return
        if self.node is not None:
            self.node.start(timeout=180)
            log(f"OpenSearch started again at {self.node.url}")
            return
        version = opensearch_node.OPENSEARCH_VERSION
        if self.search_nodes > 1:
            log(
                f"starting an OpenSearch {version} cluster of {self.search_nodes} nodes"
            )
            self.search_cluster = opensearch_node.start_cluster(
                self.search_nodes,
                heap=self.heap,
                run_dir=self.state_dir / "search-cluster",
                timeout=600,
            )
            log(f"OpenSearch cluster at {self.search_cluster.url}")
            return
        root = self.state_dir / "opensearch"
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
        if self.search_cluster is not None:
            self.search_cluster.stop()
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
            # The cache and the sessions survive a restart of serve-prod.
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
        if self.scaled:
            # The client's address is the one HAProxy adds to X-Forwarded-For.
            env.setdefault("PROXY_COUNT", "1")
            if not env.get("MEDIA_S3_BUCKET"):
                # One directory every server reads and writes, as a bucket would be.
                env.setdefault("MEDIA_ROOT", str(self.state_dir / "media"))
        if self.web_workers:
            env["GUNICORN_WORKERS"] = str(self.web_workers)
        env.update(self.extra_env)
        return env

    def manage(self, *args: str, quiet: bool = False) -> str:
        """Run a management command with the stack's environment; return stdout."""
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

    def _name(self, kind: str, number: int, count: int) -> str:
        return f"{kind}-{number}" if count > 1 else kind

    def start_worker(self) -> None:
        """Start every django-q2 cluster (one, or ``qclusters``)."""
        for number in range(1, self.qclusters + 1):
            self.start_qcluster(number)

    def start_qcluster(self, number: int) -> Child:
        name = self._name("qcluster", number, self.qclusters)
        child = Child(
            name,
            [PYTHON, "manage.py", "qcluster"],
            self.environment(),
            output=self._output(name),
            stop_timeout=40,
        ).start()
        if number <= len(self.workers):
            self.workers[number - 1] = child
        else:
            self.workers.append(child)
        return child

    def start_web(self, timeout: float = 120) -> None:
        """Start every gunicorn server, then the balancer in front of them."""
        for number in range(1, self.app_servers + 1):
            self.start_app_server(number, timeout=timeout)
        if self.scaled:
            self.start_haproxy(timeout=timeout)

    def start_app_server(self, number: int, timeout: float = 120) -> Child:
        name = self._name("gunicorn", number, self.app_servers)
        address = self.addresses[number - 1]
        env = self.environment()
        env["GUNICORN_BIND"] = address
        metrics = self.state_dir / "metrics" / name
        env.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metrics))
        if self.scaled:
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics)
        if self.log_dir and "GUNICORN_ACCESS_LOG" not in self.extra_env:
            env["GUNICORN_ACCESS_LOG"] = (
                str(self.log_dir / name.replace("gunicorn", "access")) + ".log"
            )
        child = Child(
            name,
            [PYTHON, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "cms.wsgi"],
            env,
            output=self._output(name),
            stop_timeout=40,
        ).start()
        if number <= len(self.webs):
            self.webs[number - 1] = child
        else:
            self.webs.append(child)
        host, _, port = address.rpartition(":")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not child.alive():
                raise ServeError(f"{name} exited while starting (see its log above)")
            with contextlib.suppress(OSError):
                http_get(host, int(port), "/healthz", timeout=30)
                return child
            time.sleep(0.3)
        raise ServeError(f"{name} did not answer on {address} in {timeout:.0f} s")

    @property
    def haproxy_socket(self) -> Path:
        return self.state_dir / "haproxy.sock"

    def start_haproxy(self, timeout: float = 60) -> None:
        config = self.state_dir / "haproxy.cfg"
        config.write_text(
            haproxy_config(self.bind, self.addresses, self.haproxy_socket)
        )
        check = subprocess.run(
            [haproxy_binary(), "-c", "-q", "-f", str(config)],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0:
            raise ServeError(f"HAProxy refused {config}:\n{check.stderr}")
        self.haproxy = Child(
            "haproxy",
            [haproxy_binary(), "-db", "-f", str(config)],
            os.environ.copy(),
            output=self._output("haproxy"),
            stop_timeout=15,
        ).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.haproxy.alive():
                raise ServeError("HAProxy exited while starting (see its log)")
            with contextlib.suppress(OSError, IndexError):
                servers = haproxy_servers(self.haproxy_socket)
                if servers and all(s["status"] == "UP" for s in servers.values()):
                    log(
                        f"HAProxy on {self.bind} in front of "
                        f"{', '.join(self.addresses)} (all UP)"
                    )
                    return
            time.sleep(0.3)
        raise ServeError(f"HAProxy did not see every server UP in {timeout:.0f} s")

    def servers_state(self) -> dict[str, dict]:
        return haproxy_servers(self.haproxy_socket) if self.haproxy else {}

    @property
    def host_port(self) -> tuple[str, int]:
        host, _, port = self.bind.rpartition(":")
        return host or "127.0.0.1", int(port)

    @property
    def base_url(self) -> str:
        host, port = self.host_port
        return f"http://{host}:{port}"

    def children(self) -> list[Child]:
        return [c for c in (self.haproxy, *self.webs, *self.workers, self.redis) if c]

    # -- stop -----------------------------------------------------------------
    def stop(self) -> None:
        """Stop the balancer, web servers, workers, Redis, OpenSearch and PostgreSQL.

        Balancer and web servers, then workers, Redis, OpenSearch and
        PostgreSQL, in that order.
        """
        steps = [("haproxy", lambda: self.haproxy and self.haproxy.stop())]
        steps += [(web.name, web.stop) for web in self.webs]
        steps += [(worker.name, worker.stop) for worker in self.workers]
        steps += [
            ("redis-server", lambda: self.redis and self.redis.stop()),
            ("OpenSearch", self._stop_node),
            ("PostgreSQL", lambda: self.postgres and self.postgres.stop()),
        ]
        for name, step in steps:
            try:
                step()
            except Exception as error:  # noqa: BLE001 - stop the others anyway
                log(f"stopping {name} failed: {error}")
        if not self.keep:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def _stop_node(self) -> None:
        for search in (self.node, self.search_cluster):
            if search is not None:
                if self.keep:
                    search.stop()
                else:
                    search.cleanup()

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
    """Check that the production stack really serves and runs tasks.

    The production stack really serves pages, static files, the API, and the worker
    really runs a task; with several app servers, each of them answers through
    HAProxy. Prints one line per check.
    """
    host, port = stack.host_port
    passed = True

    def report(ok: bool, what: str) -> None:
        nonlocal passed
        passed = passed and ok
        print(f"  {'ok  ' if ok else 'FAIL'} {what}", flush=True)

    status, headers, body = http_get(host, port, "/")
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
    if stack.scaled:
        passed = scaled_check(stack, report) and passed
    return passed


def scaled_check(stack: Stack, report) -> bool:
    """Every app server is ready and takes its share through HAProxy.

    The request id goes through; /metrics answers on each server, not through the
    balancer; every qcluster runs.
    """
    host, port = stack.host_port
    for address in stack.addresses:
        server_host, _, server_port = address.rpartition(":")
        status, _headers, body = http_get(server_host, int(server_port), "/readyz")
        answer = json.loads(body) if body.startswith(b"{") else {}
        search = answer.get("checks", {}).get("search", {})
        report(
            status == 200 and answer.get("status") == "ready",
            f"GET {address}/readyz -> {status}, {answer.get('status')}, search "
            f"cluster {search.get('cluster_status')} with {search.get('nodes')} nodes",
        )
        status, _headers, body = http_get(server_host, int(server_port), "/metrics")
        report(
            status == 200 and b"wsis_index_outbox_backlog" in body,
            f"GET {address}/metrics (from loopback) -> {status}",
        )
    before = stack.servers_state()
    rounds = 4 * len(stack.addresses)
    ids = set()
    for _ in range(rounds):
        status, headers, _body = http_get(host, port, "/inventory/?status=ongoing")
        ids.add(headers.get("X-Request-ID", ""))
    after = stack.servers_state()
    for name, row in sorted(after.items()):
        served = int(row["stot"]) - int(before.get(name, {}).get("stot", 0))
        report(
            row["status"] == "UP" and served > 0,
            f"HAProxy {name} ({row['status']}) answered {served} of {rounds} requests",
        )
    report(
        len(ids) == rounds and all(":" in request_id for request_id in ids),
        f"each request came back with HAProxy's X-Request-ID ({len(ids)} distinct)",
    )
    status, _headers, _body = http_get(host, port, "/metrics")
    report(status == 404, f"GET /metrics through HAProxy -> {status}")
    alive = [worker.name for worker in stack.workers if worker.alive()]
    report(
        len(alive) == stack.qclusters,
        f"{len(alive)} of {stack.qclusters} qclusters running",
    )
    return True


def env_int(name: str, default: int | None) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Serve the platform the production way (see docs/production.md)."
    )
    parser.add_argument(
        "--bind",
        default=os.environ.get("GUNICORN_BIND", "127.0.0.1:8000"),
        help="the site's address: gunicorn's, or HAProxy's with several app "
        "servers (default: 127.0.0.1:8000, or GUNICORN_BIND)",
    )
    parser.add_argument(
        "--app-servers",
        type=int,
        default=env_int("APP_SERVERS", 1),
        help="gunicorn servers (default 1, or APP_SERVERS); more than one: each "
        "on its own loopback address behind HAProxy, with two qclusters and a "
        "three-node search cluster",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_int("WORKERS", None),
        help="gunicorn workers per server (default: cms/gunicorn.conf.py's, or "
        "WORKERS)",
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
    parser.add_argument(
        "--heap",
        default=None,
        help="OpenSearch heap per node (default 512m; 384m in a cluster)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="start, check that pages, static files, the API and the worker "
        "answer (and, with several app servers, that each answers through "
        "HAProxy), then stop (exit status 1 if a check fails)",
    )
    args = parser.parse_args(argv)

    install_signal_handlers()
    scaled = args.app_servers > 1
    # A scaled stack keeps its data apart: another database, another index.
    state_dir = STATE_DIR.with_name("serve-prod-scaled") if scaled else STATE_DIR
    stack = Stack(
        state_dir,
        bind=args.bind,
        heap=args.heap or ("384m" if scaled else "512m"),
        app_servers=args.app_servers,
        web_workers=args.workers,
        qclusters=2 if scaled else 1,
        search_nodes=3 if scaled else 1,
    )
    marker = state_dir / "demo-loaded"
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
        what = (
            f"{stack.qclusters} django-q2 clusters, {stack.app_servers} gunicorn "
            "servers and HAProxy"
            if scaled
            else "the django-q2 worker (qcluster) and gunicorn"
        )
        log(f"starting {what}")
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
        log("stopping (balancer, web servers, workers, Redis, OpenSearch, PostgreSQL)")
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
