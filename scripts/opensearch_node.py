#!/usr/bin/env python3
"""Assemble and run a real, throw-away OpenSearch node on loopback (no Docker).

Version choice: OpenSearch 3.8.0, run on Java 21+ (Temurin 25 here).
  * 3.8.0 is the newest ``org.opensearch.distribution.integ-test-zip:opensearch``
    that Maven Central serves (3.9.0 does not resolve there).  Its integ-test zip
    already ships every module we need (analysis-common, lang-painless,
    transport-netty4, mapper-extras, ...), each with its plugin descriptor, so no
    module has to be fetched or laid out by hand.
  * 3.x needs Java 21+; it starts on Temurin 25 in ~10 s.  2.19.6 (Java 17)
    would need its modules assembled from bare jars; it is not needed.

Stdlib only (Python 3.11).  Library use::

    from scripts import opensearch_node as osn
    osn.ensure_installed()
    node = osn.start()                 # free loopback port, throw-away data dir
    node.url                           # "http://127.0.0.1:PORT"
    node.restart()                     # same port, same data dir
    node.stop(); node.cleanup()        # or: with osn.start() as node: ...
    cluster = osn.start_cluster(3)     # three nodes, parallel start, green

CLI::

    python -m scripts.opensearch_node install
    python -m scripts.opensearch_node up [--nodes N] [--port P] [--heap 512m] [--fresh]
    python -m scripts.opensearch_node down | status | version | backend

Gotchas handled here:
  * OpenSearch refuses to run as root and has no switch to allow it.  When euid
    is 0 the JVM gets ``-Djna.noclasspath=true``: JNA then cannot load its
    native stub, so the "running as root" check (and mlockall / seccomp, which
    a loopback test node does not need) is skipped with a warning.
  * The stock jvm.options writes gc logs, heap dumps and hs_err files relative
    to OPENSEARCH_HOME; each run gets its own config dir (OPENSEARCH_PATH_CONF)
    with those paths redirected into the run's log dir, so the install is never
    written to and runs may be concurrent.
  * HTTP calls bypass any http(s)_proxy environment variables.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

OPENSEARCH_VERSION = "3.8.0"
OPENSEARCH_MAJOR = int(OPENSEARCH_VERSION.split(".")[0])
WAGTAIL_BACKEND = f"opensearch{OPENSEARCH_MAJOR}"
MIN_JAVA = 21 if OPENSEARCH_MAJOR >= 3 else 11

DIST_ARTIFACT = (
    f"org.opensearch.distribution.integ-test-zip:opensearch:{OPENSEARCH_VERSION}:zip"
)
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
REQUIRED_MODULES = (
    "analysis-common",
    "lang-painless",
    "transport-netty4",
    "mapper-extras",
)

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / ".cache"
INSTALL_DIR = CACHE_DIR / f"opensearch-{OPENSEARCH_VERSION}"
CLI_NODE_DIR = CACHE_DIR / "search-node"
MARKER = ".opensearch-node-assembled.json"

DEFAULT_CLUSTER_NAME = "opensearch-node"
DEFAULT_TIMEOUT = 120.0
JAVA_CANDIDATE_DIRS = ("/usr/lib/jvm", "/usr/local/lib/jvm", "/opt/java", "/opt")


class OpenSearchNodeError(RuntimeError):
    """Anything that prevents installing or running the node."""


def _log(msg: str) -> None:
    print(f"[opensearch_node] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- java


def _java_version(java_home: Path) -> int | None:
    """Major version of the JDK/JRE at java_home, or None if it is not one."""
    java = java_home / "bin" / "java"
    if not (java.is_file() and os.access(java, os.X_OK)):
        return None
    release = java_home / "release"
    if release.is_file():
        m = re.search(
            r'^JAVA_VERSION="?(\d+)(?:\.(\d+))?',
            release.read_text(errors="replace"),
            re.M,
        )
        if m:
            major = int(m.group(1))
            return int(m.group(2) or 0) if major == 1 else major
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_java_home() -> Path:
    """Return a Java home able to run OPENSEARCH_VERSION.

    OPENSEARCH_JAVA_HOME wins if set (and must be new enough); otherwise the
    newest suitable JDK among JAVA_HOME, `java` on PATH and /usr/lib/jvm/*,
    preferring versions OpenSearch is tested on (<= 25).
    """
    explicit = os.environ.get("OPENSEARCH_JAVA_HOME")
    if explicit:
        v = _java_version(Path(explicit))
        if v is None or v < MIN_JAVA:
            raise OpenSearchNodeError(
                f"OPENSEARCH_JAVA_HOME={explicit} is not a Java {MIN_JAVA}+ home "
                f"(found {v}); "
                f"OpenSearch {OPENSEARCH_VERSION} needs Java {MIN_JAVA}+"
            )
        return Path(explicit)
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    java_on_path = shutil.which("java")
    if java_on_path:
        candidates.append(Path(os.path.realpath(java_on_path)).parent.parent)
    for base in JAVA_CANDIDATE_DIRS:
        p = Path(base)
        if p.is_dir():
            candidates.extend(
                sorted(c for c in p.iterdir() if c.is_dir() and not c.is_symlink())
            )
    found: dict[Path, int] = {}
    for c in candidates:
        c = c.resolve()
        if c in found:
            continue
        v = _java_version(c)
        if v is not None and v >= MIN_JAVA:
            found[c] = v
    if not found:
        raise OpenSearchNodeError(
            f"OpenSearch {OPENSEARCH_VERSION} needs Java {MIN_JAVA}+ and none was "
            f"found (looked at JAVA_HOME, PATH and "
            f"{', '.join(JAVA_CANDIDATE_DIRS)}). Install a JDK {MIN_JAVA}+ "
            "(e.g. Temurin 21 or 25 under /usr/lib/jvm) or set "
            "OPENSEARCH_JAVA_HOME to one."
        )
    # Prefer the newest tested version (<= 25), then anything newer; ties by path.
    return sorted(found.items(), key=lambda kv: (kv[1] <= 25, kv[1], str(kv[0])))[-1][0]


# ------------------------------------------------------------------------ install


def _install_valid(path: Path) -> bool:
    try:
        info = json.loads((path / MARKER).read_text())
    except (OSError, ValueError):
        return False
    if info.get("version") != OPENSEARCH_VERSION:
        return False
    needed = [
        path / "bin" / "opensearch",
        path / "lib" / f"opensearch-{OPENSEARCH_VERSION}.jar",
        path / "config" / "jvm.options",
        path / "config" / "log4j2.properties",
    ] + [
        path / "modules" / m / "plugin-descriptor.properties" for m in REQUIRED_MODULES
    ]
    return all(p.is_file() for p in needed)


def _extract_zip(zip_path: Path, dest: Path) -> None:
    """Extract keeping unix permission bits (zipfile drops them)."""
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            mode = info.external_attr >> 16
            target = dest / info.filename
            if not str(target.resolve()).startswith(str(dest.resolve())):
                raise OpenSearchNodeError(f"unsafe path in {zip_path}: {info.filename}")
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if stat.S_ISLNK(mode):
                os.symlink(zf.read(info).decode(), target)
                continue
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            if mode & 0o777:
                os.chmod(target, mode & 0o777)


def _mvn_fetch(artifact: str, out_dir: Path) -> Path:
    mvn = shutil.which("mvn")
    if not mvn:
        raise OpenSearchNodeError(
            "Maven ('mvn') is needed to fetch OpenSearch from Maven Central: "
            "apt-get install -y maven"
        )
    cmd = [
        mvn,
        "-q",
        "-B",
        f"{DEPENDENCY_PLUGIN}:copy",
        f"-Dartifact={artifact}",
        f"-DoutputDirectory={out_dir}",
        "-Dmdep.overWriteReleases=true",
    ]
    _log(f"fetching {artifact} via Maven (cached in the local Maven repository)")
    res = subprocess.run(
        cmd, capture_output=True, text=True, cwd=out_dir, stdin=subprocess.DEVNULL
    )
    files = sorted(out_dir.glob("*.zip"))
    if res.returncode != 0 or not files:
        tail = "\n".join((res.stdout + res.stderr).strip().splitlines()[-25:])
        raise OpenSearchNodeError(
            f"mvn could not fetch {artifact} (exit {res.returncode}):\n{tail}"
        )
    return files[0]


class _FileLock:
    def __init__(self, path: Path):
        self.path = path
        self.fd = None

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def ensure_installed(force: bool = False) -> Path:
    """Fetch (via mvn, cached in ~/.m2) and unpack OpenSearch under .cache/.

    Idempotent and safe to call from concurrent processes; returns the
    OPENSEARCH_HOME.  The node is unpacked into a temp dir next to the target
    and renamed into place, so a half-assembled tree is never used.
    """
    if not force and _install_valid(INSTALL_DIR):
        return INSTALL_DIR
    with _FileLock(CACHE_DIR / f".opensearch-{OPENSEARCH_VERSION}.lock"):
        if not force and _install_valid(INSTALL_DIR):
            return INSTALL_DIR
        t0 = time.monotonic()
        staging = Path(
            tempfile.mkdtemp(
                prefix=f".opensearch-{OPENSEARCH_VERSION}.tmp-", dir=CACHE_DIR
            )
        )
        try:
            dl = staging / "download"
            dl.mkdir()
            zip_path = _mvn_fetch(DIST_ARTIFACT, dl)
            unpack = staging / "unpack"
            unpack.mkdir()
            _extract_zip(zip_path, unpack)
            zip_path.unlink()
            tops = [p for p in unpack.iterdir() if p.is_dir()]
            if len(tops) != 1:
                raise OpenSearchNodeError(
                    f"unexpected layout in {DIST_ARTIFACT}: {[p.name for p in tops]}"
                )
            home = tops[0]
            missing = [
                m
                for m in REQUIRED_MODULES
                if not (home / "modules" / m / "plugin-descriptor.properties").is_file()
            ]
            if missing:
                raise OpenSearchNodeError(
                    f"{DIST_ARTIFACT} lacks required modules: {missing}"
                )
            for d in ("plugins", "logs"):
                (home / d).mkdir(exist_ok=True)
            (home / MARKER).write_text(
                json.dumps({"version": OPENSEARCH_VERSION, "artifact": DIST_ARTIFACT})
            )
            if not _install_valid(home):
                raise OpenSearchNodeError(f"assembled tree at {home} failed validation")
            if INSTALL_DIR.exists() or INSTALL_DIR.is_symlink():
                old = INSTALL_DIR.with_name(f"{INSTALL_DIR.name}.old-{os.getpid()}")
                os.rename(INSTALL_DIR, old)
                shutil.rmtree(old, ignore_errors=True)
            os.rename(home, INSTALL_DIR)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _log(
            f"OpenSearch {OPENSEARCH_VERSION} assembled at {INSTALL_DIR} "
            f"in {time.monotonic() - t0:.1f}s"
        )
        return INSTALL_DIR


# --------------------------------------------------------------------------- node


def _free_port(exclude: set[int] = frozenset()) -> int:
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in exclude:
            return port
    raise OpenSearchNodeError("could not find a free loopback port")


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_json(method: str, url: str, body=None, timeout: float = 30.0):
    """Tiny JSON-over-HTTP helper (bypasses proxies).

    Returns (status, parsed_json_or_text).
    """
    data = None
    headers = {"Accept": "application/json"}
    if body is not None:
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        headers["Content-Type"] = (
            "application/x-ndjson" if isinstance(body, str) else "application/json"
        )
    req = urllib.request.Request(  # noqa: S310 - only http:// loopback URLs from here
        url, data=data, method=method, headers=headers
    )
    try:
        with _NO_PROXY_OPENER.open(req, timeout=timeout) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def _pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _pid_is_our_node(pid: int, conf_dir: Path) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return _pid_alive(pid)
    if b"org.opensearch.bootstrap.OpenSearch" not in cmdline:
        return False
    prefix = b"-Dopensearch.path.conf="
    return any(
        arg.startswith(prefix)
        and os.path.realpath(arg[len(prefix) :].decode(errors="replace"))
        == os.path.realpath(conf_dir)
        for arg in cmdline
    )


def _tail(path: Path, lines: int = 60) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(0, f.tell() - 64 * 1024))
            text = f.read().decode(errors="replace")
    except OSError:
        return f"(no log at {path})"
    # Java stack frames drown the one line that matters; keep the messages.
    kept = [
        ln for ln in text.splitlines() if not re.match(r"\s+(at |\.\.\. \d+ more)", ln)
    ]
    return "\n".join(kept[-lines:])


def _yaml_scalar(v) -> str:
    if isinstance(v, (list, tuple)):
        return json.dumps([str(item) for item in v])  # a YAML flow sequence
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    return json.dumps(str(v))  # JSON strings are valid YAML scalars


_LIVE_NODES: set[Node] = set()


@atexit.register
def _stop_live_nodes() -> None:
    for node in list(_LIVE_NODES):
        # Best effort at interpreter exit.
        with contextlib.suppress(Exception):
            node.cleanup()


class _RunDirectory:
    """What a node and a cluster share: a run directory, made here if not given.

    ``cleanup()`` stops the processes and deletes only the directories this
    object made, never a caller's; ``state()`` describes them for `make
    search-up` and the tests.
    """

    _owned: list[Path]

    def _own_run_dir(self, run_dir, prefix: str, parent: Path | None = None) -> Path:
        self._owned = []
        if run_dir is None:
            if parent is not None:
                parent.mkdir(parents=True, exist_ok=True)
            run_dir = tempfile.mkdtemp(prefix=prefix, dir=parent)
            self._owned.append(Path(run_dir))
        return Path(run_dir).resolve()

    def stop(self, timeout: float = 30) -> None:
        raise NotImplementedError

    def cleanup(self) -> None:
        """Stop, and delete the directories this object made."""
        self.stop()
        for p in self._owned:
            shutil.rmtree(p, ignore_errors=True)
        self._owned = []

    def state(self) -> dict:
        return {"version": OPENSEARCH_VERSION, "backend": WAGTAIL_BACKEND}


class Node(_RunDirectory):
    """One OpenSearch node process.  Create with :func:`start`."""

    def __init__(
        self,
        *,
        port: int | None = None,
        data_dir: str | os.PathLike | None = None,
        log_dir: str | os.PathLike | None = None,
        run_dir: str | os.PathLike | None = None,
        heap: str = "512m",
        cluster_name: str = DEFAULT_CLUSTER_NAME,
        node_name: str = "node-1",
        transport_port: int | None = None,
        detach: bool = False,
        die_with_parent: bool = True,
        extra_settings: dict | None = None,
    ):
        if not re.fullmatch(r"\d+[kKmMgG]?", str(heap)):
            raise OpenSearchNodeError(f"heap must look like 512m or 1g, got {heap!r}")
        self.java_home = find_java_home()
        self.home = ensure_installed()
        self.run_dir = self._own_run_dir(run_dir, "opensearch-node-")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = Path(data_dir).resolve() if data_dir else self.run_dir / "data"
        self.log_dir = Path(log_dir).resolve() if log_dir else self.run_dir / "logs"
        self.conf_dir = self.run_dir / "config"
        self.tmp_dir = self.run_dir / "tmp"
        self.console_log = self.run_dir / "console.log"
        self._port_fixed = port is not None
        self.port = port
        # A cluster's nodes find each other by their transport ports: fixed.
        self._transport_fixed = transport_port is not None
        self.transport_port: int | None = transport_port
        self.heap = heap
        self.cluster_name = cluster_name
        self.node_name = node_name
        self.detach = detach
        self.die_with_parent = die_with_parent and not detach
        self.extra_settings = dict(extra_settings or {})
        self.pid: int | None = None
        self._proc: subprocess.Popen | None = None

    # -- public ---------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __repr__(self) -> str:
        return (
            f"<opensearch_node.Node {OPENSEARCH_VERSION} {self.url} "
            f"pid={self.pid} data={self.data_dir}>"
        )

    def __enter__(self) -> Node:
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()

    def is_running(self) -> bool:
        if self.pid is None:
            return False
        if self._proc is not None:
            return self._proc.poll() is None
        return _pid_alive(self.pid)

    def start(self, timeout: float = DEFAULT_TIMEOUT) -> Node:
        """Start the process and wait for yellow health.  No-op if running."""
        if self.is_running():
            return self
        attempts = 1 if self._port_fixed else 3
        for attempt in range(1, attempts + 1):
            self._pick_ports()
            self._write_config()
            self._launch()
            try:
                self.wait_until_healthy(timeout)
                return self
            except OpenSearchNodeError as exc:
                bind_clash = "Address already in use" in _tail(self.console_log, 400)
                self._kill()
                if attempt < attempts and bind_clash:
                    _log(
                        f"port clash on {self.port}/{self.transport_port}; "
                        "retrying with new ports"
                    )
                    self.port = None
                    continue
                raise exc
        raise AssertionError("unreachable")

    def wait_until_healthy(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if not self.is_running():
                raise OpenSearchNodeError(
                    f"OpenSearch exited before becoming healthy (exit code "
                    f"{self._proc.returncode if self._proc else '?'})."
                    f"\n--- tail of {self.console_log} ---\n" + _tail(self.console_log)
                )
            try:
                status, body = http_json(
                    "GET",
                    f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=2s",
                    timeout=10,
                )
                if (
                    status == 200
                    and isinstance(body, dict)
                    and body.get("status") in ("yellow", "green")
                ):
                    return
                last = f"HTTP {status}: {body}"
            except (OSError, urllib.error.URLError) as e:
                last = repr(e)
            time.sleep(0.25)
        raise OpenSearchNodeError(
            f"OpenSearch at {self.url} not healthy after {timeout:.0f}s "
            f"(last: {last}). "
            f"\n--- tail of {self.console_log} ---\n" + _tail(self.console_log)
        )

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the node's process group, wait, SIGKILL if it lingers.

        Keeps all files.
        """
        if self.pid is None:
            return
        if self.is_running():
            self._signal(signal.SIGTERM)
            if not self._wait_exit(timeout):
                _log(
                    f"node pid {self.pid} ignored SIGTERM for {timeout:.0f}s; "
                    "sending SIGKILL"
                )
                self._signal(signal.SIGKILL)
                self._wait_exit(10)
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=1)
        self.pid = None
        self._proc = None
        _LIVE_NODES.discard(self)

    def restart(self, timeout: float = DEFAULT_TIMEOUT) -> Node:
        """stop() then start() on the same HTTP port, data dir and config."""
        self.stop()
        self._port_fixed = True  # the HTTP port must not change across restarts
        return self.start(timeout)

    def state(self) -> dict:
        return {
            **super().state(),
            "url": self.url,
            "port": self.port,
            "transport_port": self.transport_port,
            "pid": self.pid,
            "run_dir": str(self.run_dir),
            "conf_dir": str(self.conf_dir),
            "data_dir": str(self.data_dir),
            "log_dir": str(self.log_dir),
        }

    # -- internals ------------------------------------------------------------
    def _pick_ports(self) -> None:
        if self.port is None:
            self.port = _free_port()
        elif not _port_free(self.port):
            raise OpenSearchNodeError(
                f"port {self.port} on 127.0.0.1 is already in use"
            )
        if self._transport_fixed:
            if not _port_free(self.transport_port):
                raise OpenSearchNodeError(
                    f"transport port {self.transport_port} on 127.0.0.1 is already "
                    "in use"
                )
        elif (
            self.transport_port is None
            or self.transport_port == self.port
            or not _port_free(self.transport_port)
        ):
            self.transport_port = _free_port({self.port})

    def _write_config(self) -> None:
        src = self.home / "config"
        if not self.conf_dir.is_dir():
            shutil.copytree(src, self.conf_dir)
        for d in (self.data_dir, self.log_dir, self.tmp_dir):
            d.mkdir(parents=True, exist_ok=True)
        settings = {
            "cluster.name": self.cluster_name,
            "node.name": self.node_name,
            "network.host": "127.0.0.1",
            "http.port": self.port,
            "transport.port": self.transport_port,
            "discovery.type": "single-node",
            "path.data": str(self.data_dir),
            "path.logs": str(self.log_dir),
            "cluster.routing.allocation.disk.threshold_enabled": False,
            "action.auto_create_index": True,
            "bootstrap.memory_lock": False,
            # Small heap: judge the parent circuit breaker on accounted memory,
            # not on live heap usage, which G1 lets float near the limit and
            # trips spuriously under bulk.
            "indices.breaker.total.use_real_memory": False,
            # Single node: new indices get no replicas, so they go green, not yellow.
            "cluster.default_number_of_replicas": 0,
        }
        if (self.home / "plugins" / "opensearch-security").exists():
            settings["plugins.security.disabled"] = True
        if "discovery.seed_hosts" in self.extra_settings:
            # One node of several: it finds the others through the seed hosts,
            # and new indices keep the engine's default of one replica.
            del settings["discovery.type"]
            del settings["cluster.default_number_of_replicas"]
        settings.update(self.extra_settings)
        (self.conf_dir / "opensearch.yml").write_text(
            "# written by scripts/opensearch_node.py\n"
            + "".join(f"{k}: {_yaml_scalar(v)}\n" for k, v in settings.items())
        )
        (self.conf_dir / "jvm.options").write_text(
            self._jvm_options(src / "jvm.options")
        )

    def _jvm_options(self, stock: Path) -> str:
        """Return the distribution's jvm.options, adapted for this run.

        Heap is replaced and file paths are moved out of the install.
        """
        logs = str(self.log_dir)
        out = []
        for line in stock.read_text().splitlines():
            s = line.strip()
            body = s.split(":", 1)[1] if re.match(r"^\d+(-\d*)?:", s) else s
            if body.startswith(
                ("-Xms", "-Xmx", "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath")
            ):
                continue
            line = line.replace("file=logs/", f"file={logs}/").replace(
                "-XX:ErrorFile=logs/", f"-XX:ErrorFile={logs}/"
            )
            line = line.replace("filecount=32,filesize=64m", "filecount=2,filesize=16m")
            line = line.replace("-javaagent:agent/", f"-javaagent:{self.home}/agent/")
            out.append(line)
        out += [
            "## added by scripts/opensearch_node.py",
            f"-Xms{self.heap}",
            f"-Xmx{self.heap}",
            # small test node on a 2-core box: don't touch every heap page up front
            "-XX:-AlwaysPreTouch",
            "22-:--enable-native-access=ALL-UNNAMED",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # OpenSearch refuses to start as root; its check needs JNA.  Without
            # JNA's native stub it logs a warning and carries on (also skips
            # mlockall/seccomp: fine here).
            out.append("-Djna.noclasspath=true")
        return "\n".join(out) + "\n"

    def _launch(self) -> None:
        env = dict(os.environ)
        env.update(
            OPENSEARCH_JAVA_HOME=str(self.java_home),
            JAVA_HOME=str(self.java_home),
            OPENSEARCH_PATH_CONF=str(self.conf_dir),
            OPENSEARCH_TMPDIR=str(self.tmp_dir),
            OPENSEARCH_JAVA_OPTS="",
        )
        for k in (
            "JAVA_TOOL_OPTIONS",
            "_JAVA_OPTIONS",
            "JDK_JAVA_OPTIONS",
            "OPENSEARCH_HOME",
        ):
            env.pop(k, None)
        cmd = [str(self.home / "bin" / "opensearch")]
        if (
            self.die_with_parent
            and threading.current_thread() is threading.main_thread()
            and shutil.which("setpriv")
        ):
            # If the Python process dies (even by SIGKILL), the node gets
            # SIGTERM instead of leaking.
            cmd = [shutil.which("setpriv"), "--pdeathsig", "TERM", "--"] + cmd
        with open(self.console_log, "ab") as out:
            out.write(
                (
                    f"\n==== {time.strftime('%Y-%m-%dT%H:%M:%S')} "
                    f"starting {' '.join(cmd)}\n"
                ).encode()
            )
            out.flush()
            self._proc = subprocess.Popen(
                cmd,
                cwd=str(self.home),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                # Own process group; survives the CLI when detached.
                start_new_session=True,
                close_fds=True,
            )
        self.pid = self._proc.pid
        if not self.detach:
            _LIVE_NODES.add(self)

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.pid, sig)
        except ProcessLookupError:
            pass
        except PermissionError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def _wait_exit(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.is_running():
                return True
            time.sleep(0.1)
        return not self.is_running()

    def kill(self) -> None:
        """SIGKILL the node, as a crash would; keeps its files (start() again)."""
        self._kill()

    def _kill(self) -> None:
        if self.pid is not None and self.is_running():
            self._signal(signal.SIGKILL)
            self._wait_exit(10)
        self.stop()


def start(
    port: int | None = None,
    data_dir: str | os.PathLike | None = None,
    log_dir: str | os.PathLike | None = None,
    heap: str = "512m",
    *,
    run_dir: str | os.PathLike | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cluster_name: str = DEFAULT_CLUSTER_NAME,
    detach: bool = False,
    extra_settings: dict | None = None,
) -> Node:
    """Install if needed, start a node on 127.0.0.1 and wait for yellow health.

    port: HTTP port (a free one if None).  data_dir: kept as given (a temp dir
    under run_dir if None).  run_dir: per-run config/tmp/console log (temp dir,
    removed by Node.cleanup(), if None).  detach=True: the node outlives this
    Python process (no atexit stop, no parent-death signal).
    """
    node = Node(
        port=port,
        data_dir=data_dir,
        log_dir=log_dir,
        run_dir=run_dir,
        heap=heap,
        cluster_name=cluster_name,
        detach=detach,
        extra_settings=extra_settings,
    )
    try:
        return node.start(timeout)
    except BaseException:
        node.cleanup()
        raise


class Cluster(_RunDirectory):
    """Several OpenSearch nodes on loopback forming one cluster.

    Create with :func:`start_cluster`.  Each node has its own run directory
    (``node-1``, ``node-2``… under ``run_dir``: config, data, logs) and its own
    HTTP and transport ports; they find each other through the list of every
    node's transport address, and the first start elects a cluster manager
    among all of them.
    """

    def __init__(
        self,
        size: int = 3,
        *,
        heap: str = "384m",
        run_dir: str | os.PathLike | None = None,
        cluster_name: str = "opensearch-cluster",
        detach: bool = False,
        http_ports: list[int] | None = None,
        transport_ports: list[int] | None = None,
    ):
        if size < 1:
            raise OpenSearchNodeError(f"a cluster needs 1 node or more, not {size}")
        for ports in (http_ports, transport_ports):
            if ports is not None and len(ports) != size:
                raise OpenSearchNodeError(f"give {size} ports, not {ports}")
        self.run_dir = self._own_run_dir(run_dir, "opensearch-cluster-", CACHE_DIR)
        self.size = size
        self.heap = heap
        self.cluster_name = cluster_name
        self.detach = detach
        self._ports_fixed = http_ports is not None and transport_ports is not None
        self._http_ports = http_ports
        self._transport_ports = transport_ports
        self.nodes: list[Node] = []

    # -- public ---------------------------------------------------------------
    @property
    def urls(self) -> list[str]:
        return [node.url for node in self.nodes]

    @property
    def url(self) -> str:
        """Every node's address, comma-separated (the form ELASTICSEARCH_URL takes)."""
        return ",".join(self.urls)

    @property
    def pids(self) -> list[int | None]:
        return [node.pid for node in self.nodes]

    def __repr__(self) -> str:
        return f"<opensearch_node.Cluster {OPENSEARCH_VERSION} {self.url}>"

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()

    def start(self, timeout: float = 2 * DEFAULT_TIMEOUT) -> Cluster:
        """Launch every node that does not run, then wait for the cluster's health.

        Launch every node that does not run, all at once, then wait for them and
        for the cluster's health: green (yellow for a single node).
        """
        deadline = time.monotonic() + timeout
        attempts = 1 if self._ports_fixed else 3
        for attempt in range(1, attempts + 1):
            if not self.nodes or attempt > 1:
                self._make_nodes()
            starting = [node for node in self.nodes if not node.is_running()]
            try:
                for node in starting:
                    node._pick_ports()
                    node._write_config()
                    node._launch()
                for node in starting:
                    node.wait_until_healthy(max(1.0, deadline - time.monotonic()))
                self.wait_for_status(timeout=max(1.0, deadline - time.monotonic()))
                return self
            except OpenSearchNodeError as exc:
                bind_clash = "already in use" in str(exc) or any(
                    "Address already in use" in _tail(node.console_log, 400)
                    for node in starting
                )
                for node in starting:
                    node._kill()
                if attempt < attempts and bind_clash:
                    _log("port clash; retrying the cluster with new ports")
                    self._http_ports = self._transport_ports = None
                    continue
                raise
        raise AssertionError("unreachable")

    def wait_for_status(
        self,
        status: str | None = None,
        nodes: int | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> dict:
        """Wait until ``nodes`` nodes have joined and the health is ``status``.

        Wait until ``nodes`` nodes (default: all) have joined and the health is
        ``status`` or better (default: green; yellow for a single node).  Asks
        whichever node runs; returns the health.
        """
        status = status or ("green" if self.size > 1 else "yellow")
        nodes = self.size if nodes is None else nodes
        wanted = ("green",) if status == "green" else ("yellow", "green")
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            for node in self.nodes:
                if not node.is_running():
                    continue
                try:
                    code, body = http_json(
                        "GET",
                        f"{node.url}/_cluster/health?wait_for_status={status}"
                        f"&wait_for_nodes={nodes}&timeout=2s",
                        timeout=10,
                    )
                except (OSError, urllib.error.URLError) as e:
                    last = f"{node.url}: {e!r}"
                    continue
                if (
                    code == 200
                    and isinstance(body, dict)
                    and body.get("status") in wanted
                    and body.get("number_of_nodes") == nodes
                ):
                    return body
                last = f"{node.url}: HTTP {code}: {body}"
                break
            time.sleep(0.5)
        raise OpenSearchNodeError(
            f"cluster {self.cluster_name} not {status} with {nodes} nodes after "
            f"{timeout:.0f}s (last: {last})"
        )

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM every node at once, then wait for each (SIGKILL if it lingers).

        Keeps all files.
        """
        for node in self.nodes:
            if node.is_running():
                node._signal(signal.SIGTERM)
        for node in self.nodes:
            node.stop(timeout)

    def cleanup(self) -> None:
        """Stop every node, and delete the directories this object made."""
        for node in self.nodes:
            node.cleanup()
        super().cleanup()

    def state(self) -> dict:
        return {
            **super().state(),
            "cluster_name": self.cluster_name,
            "url": self.url,
            "pids": self.pids,
            "run_dir": str(self.run_dir),
            "nodes": [node.state() for node in self.nodes],
        }

    # -- internals ------------------------------------------------------------
    def _make_nodes(self) -> None:
        if self._http_ports is None or self._transport_ports is None:
            taken: set[int] = set()
            for _ in range(2 * self.size):
                taken.add(_free_port(taken))
            ports = sorted(taken)
            self._http_ports = ports[: self.size]
            self._transport_ports = ports[self.size :]
        names = [f"node-{i}" for i in range(1, self.size + 1)]
        discovery = {}
        if self.size > 1:
            discovery = {
                "discovery.seed_hosts": [
                    f"127.0.0.1:{port}" for port in self._transport_ports
                ],
                # Read only when the cluster first forms (empty data dirs).
                "cluster.initial_cluster_manager_nodes": names,
            }
        self.nodes = [
            Node(
                port=http_port,
                transport_port=transport_port,
                run_dir=self.run_dir / name,
                heap=self.heap,
                cluster_name=self.cluster_name,
                node_name=name,
                detach=self.detach,
                extra_settings=discovery,
            )
            for name, http_port, transport_port in zip(
                names, self._http_ports, self._transport_ports, strict=True
            )
        ]


def start_cluster(
    nodes: int = 3,
    heap: str = "384m",
    *,
    run_dir: str | os.PathLike | None = None,
    timeout: float = 2 * DEFAULT_TIMEOUT,
    cluster_name: str = "opensearch-cluster",
    detach: bool = False,
    http_ports: list[int] | None = None,
    transport_ports: list[int] | None = None,
) -> Cluster:
    """Install if needed, start ``nodes`` nodes and wait for a green cluster.

    Install if needed, start ``nodes`` nodes on 127.0.0.1 in parallel and wait until
    they form a green cluster.

    run_dir: one sub-directory per node (a temp dir under .cache/, removed by
    Cluster.cleanup(), if None).  Ports: free ones unless both lists are given.
    Library use::

        cluster = osn.start_cluster(3, heap="256m")
        cluster.url                        # "http://127.0.0.1:P1,...:P2,...:P3"
        cluster.nodes[0].kill()            # a crash; .start() brings it back
        cluster.wait_for_status("green")
        cluster.cleanup()
    """
    cluster = Cluster(
        nodes,
        heap=heap,
        run_dir=run_dir,
        cluster_name=cluster_name,
        detach=detach,
        http_ports=http_ports,
        transport_ports=transport_ports,
    )
    try:
        return cluster.start(timeout)
    except BaseException:
        cluster.cleanup()
        raise


# ---------------------------------------------------------------------------- CLI

_STATE_FILE = CLI_NODE_DIR / "node.json"
_PID_FILE = CLI_NODE_DIR / "node.pid"
# `up --nodes N` with N > 1: one directory per node under it, and the state.
_CLUSTER_DIR = CACHE_DIR / "search-cluster"
_CLUSTER_STATE_FILE = _CLUSTER_DIR / "cluster.json"


def _cli_running_state() -> dict | None:
    try:
        state = json.loads(_STATE_FILE.read_text())
        pid = int(_PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None
    if state.get("pid") != pid or not _pid_is_our_node(pid, Path(state["conf_dir"])):
        return None
    return state


def _cli_cluster_state() -> tuple[dict | None, list[bool]]:
    """Return the state 'up --nodes N' recorded, and which of its nodes still run."""
    try:
        state = json.loads(_CLUSTER_STATE_FILE.read_text())
        nodes = state["nodes"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, []
    running = [
        isinstance(node.get("pid"), int)
        and _pid_is_our_node(node["pid"], Path(node["conf_dir"]))
        for node in nodes
    ]
    return state, running


def _print_exports(url: str, backend: str, pids: list) -> None:
    print(f"export ELASTICSEARCH_URL={url}")
    print(f"export SEARCH_BACKEND={backend}")
    print(f"export SEARCH_NODE_PIDS={','.join(str(pid) for pid in pids)}")


def _stop_pids(pids: list[int], timeout: float) -> None:
    """SIGTERM the nodes' process groups at once; SIGKILL those that linger."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
        alive = [pid for pid in pids if _pid_alive(pid)]
        if not alive:
            break
        if sig == signal.SIGKILL:
            _log(f"pid(s) {alive} still alive after SIGTERM; sending SIGKILL")
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and any(_pid_alive(pid) for pid in alive):
            time.sleep(0.1)
    _log(f"stopped node pid(s) {', '.join(str(pid) for pid in pids)}")


def _cmd_up(args) -> int:
    if args.nodes < 1:
        raise OpenSearchNodeError(f"--nodes must be 1 or more, not {args.nodes}")
    heap = args.heap or ("512m" if args.nodes == 1 else "384m")
    timeout = args.timeout or (
        DEFAULT_TIMEOUT if args.nodes == 1 else 2 * DEFAULT_TIMEOUT
    )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with _FileLock(CACHE_DIR / ".search-node.lock"):
        single = _cli_running_state()
        cluster_state, running = _cli_cluster_state()
        if args.nodes == 1 and any(running):
            raise OpenSearchNodeError(
                f"a cluster of {len(running)} nodes is up at {cluster_state['url']}; "
                "run 'down' first"
            )
        if args.nodes > 1 and single:
            raise OpenSearchNodeError(
                f"a single node is up at {single['url']} (pid {single['pid']}); "
                "run 'down' first"
            )
        if args.nodes == 1:
            return _up_single(args, heap, timeout, single)
        return _up_cluster(args, heap, timeout, cluster_state, running)


def _up_single(args, heap: str, timeout: float, state: dict | None) -> int:
    CLI_NODE_DIR.mkdir(parents=True, exist_ok=True)
    if state:
        if args.port and args.port != state["port"]:
            raise OpenSearchNodeError(
                f"a node is already up at {state['url']} (pid {state['pid']}); "
                "run 'down' first"
            )
        status, body = http_json(
            "GET",
            f"{state['url']}/_cluster/health?wait_for_status=yellow&timeout=60s",
            timeout=70,
        )
        if status != 200:
            raise OpenSearchNodeError(
                f"node pid {state['pid']} at {state['url']} is up but unhealthy: {body}"
            )
        _log(f"already running: pid {state['pid']}")
        _print_exports(state["url"], state["backend"], [state["pid"]])
        return 0
    _PID_FILE.unlink(missing_ok=True)
    _STATE_FILE.unlink(missing_ok=True)
    if args.fresh:
        shutil.rmtree(CLI_NODE_DIR / "data", ignore_errors=True)
    shutil.rmtree(CLI_NODE_DIR / "config", ignore_errors=True)  # regenerated each time
    t0 = time.monotonic()
    node = start(
        port=args.port,
        heap=heap,
        run_dir=CLI_NODE_DIR,
        data_dir=CLI_NODE_DIR / "data",
        log_dir=CLI_NODE_DIR / "logs",
        timeout=timeout,
        detach=True,
    )
    state = node.state()
    _STATE_FILE.write_text(json.dumps(state, indent=2) + "\n")
    _PID_FILE.write_text(f"{node.pid}\n")
    _log(
        f"OpenSearch {OPENSEARCH_VERSION} up at {node.url} (pid {node.pid}) "
        f"in {time.monotonic() - t0:.1f}s; logs in {CLI_NODE_DIR}"
    )
    _print_exports(state["url"], state["backend"], [node.pid])
    return 0


def _up_cluster(
    args, heap: str, timeout: float, state: dict | None, running: list[bool]
) -> int:
    if args.port:
        raise OpenSearchNodeError("--port is for one node; a cluster takes free ports")
    if state and all(running) and len(running) == args.nodes and not args.fresh:
        status, body = http_json(
            "GET",
            f"{state['nodes'][0]['url']}/_cluster/health?wait_for_status=green"
            f"&wait_for_nodes={args.nodes}&timeout=60s",
            timeout=70,
        )
        if status != 200:
            raise OpenSearchNodeError(
                f"the cluster at {state['url']} is up but: {body}"
            )
        _log(f"already running: pids {state['pids']}")
        _print_exports(state["url"], state["backend"], state["pids"])
        return 0
    same = bool(state) and len(state["nodes"]) == args.nodes and not args.fresh
    if state and any(running) and not same:
        # A cluster of another size (or --fresh): stopped, and started anew.
        _stop_pids(
            [
                node["pid"]
                for node, alive in zip(state["nodes"], running, strict=True)
                if alive
            ],
            30.0,
        )
        running = [False] * len(running)
    http_ports = transport_ports = None
    if same:
        # The same ports as last time: an exported ELASTICSEARCH_URL stays
        # valid, and the nodes that stopped rejoin those that still run.
        http_ports = [node["port"] for node in state["nodes"]]
        transport_ports = [node["transport_port"] for node in state["nodes"]]
        if not any(running) and not all(
            _port_free(port) for port in http_ports + transport_ports
        ):
            http_ports = transport_ports = None
    if args.fresh:
        shutil.rmtree(_CLUSTER_DIR, ignore_errors=True)
    _CLUSTER_DIR.mkdir(parents=True, exist_ok=True)
    for number in range(1, args.nodes + 1):
        if not (same and running[number - 1]):
            # Regenerated on start.
            shutil.rmtree(
                _CLUSTER_DIR / f"node-{number}" / "config", ignore_errors=True
            )
    t0 = time.monotonic()
    cluster = Cluster(
        args.nodes,
        heap=heap,
        run_dir=_CLUSTER_DIR,
        detach=True,
        http_ports=http_ports,
        transport_ports=transport_ports,
    )
    if same and any(running):
        cluster._make_nodes()
        for node, info, alive in zip(
            cluster.nodes, state["nodes"], running, strict=True
        ):
            if alive:
                node.pid = info["pid"]
        _log("starting the nodes that stopped; the others run")
    cluster.start(timeout)
    state = cluster.state()
    _CLUSTER_STATE_FILE.write_text(json.dumps(state, indent=2) + "\n")
    _log(
        f"OpenSearch {OPENSEARCH_VERSION}: a cluster of {args.nodes} nodes, green, "
        f"at {cluster.url} (pids {cluster.pids}) in {time.monotonic() - t0:.1f}s; "
        f"logs in {_CLUSTER_DIR}"
    )
    _print_exports(cluster.url, state["backend"], cluster.pids)
    return 0


def _cmd_down(args) -> int:
    """Stop whatever 'up' started: the single node and every node of a cluster."""
    pids = []
    state = _cli_running_state()
    if state:
        pids.append(state["pid"])
    _PID_FILE.unlink(missing_ok=True)
    cluster_state, running = _cli_cluster_state()
    if cluster_state:
        pids += [
            node["pid"]
            for node, alive in zip(cluster_state["nodes"], running, strict=True)
            if alive
        ]
    if not pids:
        _log("no node running")
        return 0
    _stop_pids(pids, args.timeout)
    return 0


def _health(url: str) -> str:
    try:
        status, body = http_json("GET", f"{url}/_cluster/health", timeout=5)
        return body.get("status") if isinstance(body, dict) else f"HTTP {status}"
    except (OSError, urllib.error.URLError) as e:
        return f"unreachable ({e})"


def _cmd_status(args) -> int:
    state = _cli_running_state()
    if state:
        print(
            f"running pid={state['pid']} url={state['url']} "
            f"health={_health(state['url'])} version={OPENSEARCH_VERSION} "
            f"data_dir={state['data_dir']}"
        )
        return 0
    cluster_state, running = _cli_cluster_state()
    if any(running):
        nodes = cluster_state["nodes"]
        alive = [node for node, up in zip(nodes, running, strict=True) if up]
        pids = ",".join(
            str(node["pid"]) if up else "-"
            for node, up in zip(nodes, running, strict=True)
        )
        print(
            f"running nodes={len(alive)}/{len(nodes)} pids={pids} "
            f"url={cluster_state['url']} health={_health(alive[0]['url'])} "
            f"version={OPENSEARCH_VERSION} run_dir={cluster_state['run_dir']}"
        )
        return 0
    print("not running")
    return 1


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help="fetch + assemble OpenSearch under .cache/")
    up = sub.add_parser(
        "up",
        help="start a detached node under .cache/search-node/ (with --nodes N, a "
        "cluster under .cache/search-cluster/) and print export lines",
    )
    up.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="nodes of the cluster, each with its own ports and data (default 1)",
    )
    up.add_argument("--port", type=int, default=None, help="one node only")
    up.add_argument(
        "--heap", default=None, help="per node; default 512m, 384m with --nodes"
    )
    up.add_argument(
        "--timeout",
        type=float,
        default=None,
        help=f"seconds (default {DEFAULT_TIMEOUT:.0f}, twice that with --nodes)",
    )
    up.add_argument(
        "--fresh", action="store_true", help="wipe the data directories first"
    )
    down = sub.add_parser("down", help="stop the node or every node 'up' started")
    down.add_argument("--timeout", type=float, default=30.0)
    sub.add_parser(
        "status", help="exit 0 and describe what 'up' started if it runs, else exit 1"
    )
    sub.add_parser("version", help="print the OpenSearch version")
    sub.add_parser("backend", help="print the Wagtail search backend name")
    args = p.parse_args(argv)
    try:
        if args.cmd == "install":
            java = find_java_home()
            home = ensure_installed()
            print(f"OpenSearch {OPENSEARCH_VERSION} at {home} (java: {java})")
            return 0
        if args.cmd == "up":
            return _cmd_up(args)
        if args.cmd == "down":
            return _cmd_down(args)
        if args.cmd == "status":
            return _cmd_status(args)
        if args.cmd == "version":
            print(OPENSEARCH_VERSION)
            return 0
        if args.cmd == "backend":
            print(WAGTAIL_BACKEND)
            return 0
    except OpenSearchNodeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
