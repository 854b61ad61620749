"""Load benchmark of the production stack under locust, on 127.0.0.1.

gunicorn + PostgreSQL + OpenSearch + Redis + a qcluster worker, exactly as
`make serve-prod` runs them (scripts/serve_prod.py); the load is
bench/locustfile.py.

    .venv/bin/python -m bench.load_bench [--entries 100000] [--duration 60]
        [--users 20] [--stop-engine-at SECONDS]
        [--app-servers 2 [--workers 2] [--faults]]

Loads N synthetic entries (`seed_demo --entries N --no-index`, then `update_index`),
waits until the worker has drained the tasks the seeding queued, then runs locust
headless: public inventory searches (filters, text, later pages), entry pages,
action-line pages, API calls, and exactly one submission per second. Prints the
throughput, p50/p95/p99 per request type and overall, and the errors.

--stop-engine-at S stops the OpenSearch node S seconds into the run: searches must
keep answering from the database (the API says `engine_degraded`) with no error.
After the run the node is started again, the index outbox is drained
(`manage.py sync_search_index`), and every entry submitted during the run is
counted in the database.

--app-servers 2 runs the stack of several hosts (`make serve-prod APP_SERVERS=2`):
two gunicorn servers behind HAProxy, two qclusters, a three-node search cluster
with a replica of each shard. --faults then, during the load, kills one gunicorn
server (at 25 % of the run), the elected manager of the search cluster (at
45 %) and one qcluster (at 65 %, right after queueing numbered probe tasks),
each with SIGKILL, and checks: HAProxy stops sending to the dead server (errors
before its health check notices are counted, none after); no request fails and
no search is answered from the database while a node is away, the cluster is
green again once it is back, and no submission is lost; every probe task
finishes exactly once. It prints each phase's throughput, percentiles and
errors, and the time to recover from each fault.

The services are always the bench's own (throw-away, on free loopback ports):
DATABASE_URL, ELASTICSEARCH_URL and REDIS_URL in the environment are ignored. The
rate limits are raised, since every simulated user comes from 127.0.0.1.
"""

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from scripts.opensearch_node import OpenSearchNodeError, http_json
from scripts.postgres_server import PostgresError, free_port
from scripts.serve_prod import ServeError, Stack, http_get, log

ROOT = Path(__file__).resolve().parent.parent

UNLIMITED = "100000000"
BENCH_ENV = {
    # Every simulated user is 127.0.0.1: the per-address limits would refuse them.
    "INVENTORY_SUBMIT_RATE_LIMIT": UNLIMITED,
    "PUBLIC_FORM_RATE_LIMIT": UNLIMITED,
    "INVENTORY_API_RATE_LIMIT": UNLIMITED,
    "INVENTORY_EXPORT_RATE_LIMIT": UNLIMITED,
    "INVENTORY_SEARCH_RATE_LIMIT": UNLIMITED,
    "SITE_SEARCH_RATE_LIMIT": UNLIMITED,
}
TYPES = [
    "search (filters)",
    "search (text)",
    "entry page",
    "action line page",
    "api",
    "submit",
    "submit form",
]


def wait_for_idle_worker(timeout=900):
    """Wait until django-q2's queue is empty (the seeding queues tasks)."""
    from django.db import connections  # noqa: PLC0415 - once Django is set up

    from django_q.models import OrmQ  # noqa: PLC0415 - once Django is set up

    started = time.monotonic()
    try:
        while time.monotonic() - started < timeout:
            if not OrmQ.objects.exists():
                return time.monotonic() - started
            time.sleep(1)
    finally:
        connections.close_all()
    raise ServeError(f"the workers did not drain their queue in {timeout} s")


def load_data(path):
    """Entry ids, years, countries and action-line paths for the locustfile."""
    from django.db import connections  # noqa: PLC0415 - once Django is set up

    from action_lines.models import ActionLinePage  # noqa: PLC0415 - once Django is set up
    from inventory.models import EntryFacetValue, InventoryEntry  # noqa: PLC0415 - once Django is set up

    ids = list(InventoryEntry.objects.filter(live=True).values_list("pk", flat=True))
    data = {
        "entries": random.Random(1).sample(ids, min(len(ids), 20000)),
        "years": sorted(
            InventoryEntry.objects.filter(live=True)
            .values_list("reporting_year", flat=True)
            .distinct()
        ),
        "countries": sorted(
            EntryFacetValue.objects.filter(facet="country")
            .values_list("value", flat=True)
            .distinct()
        ),
        "action_lines": [page.get_url() for page in ActionLinePage.objects.live()],
    }
    connections.close_all()
    Path(path).write_text(json.dumps(data))
    return data


def warm_up(stack, data):
    """Send a few requests of each kind, so that every gunicorn worker has loaded."""
    host, port = stack.host_port
    paths = (
        [
            "/",
            "/inventory/",
            "/inventory/?q=broadband",
            "/api/inventory/?status=ongoing",
        ]
        + [f"/inventory/entries/{pk}/" for pk in data["entries"][:10]]
        + data["action_lines"][:5]
    ) * 3
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda path: http_get(host, port, path, timeout=60), paths))


ACCESS_LINE = re.compile(
    r'\[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) '
    r'\S+ "[^"]*" "[^"]*" (?P<ms>\d+)ms( \S+)?$'
)


def request_type(method, path):
    """Return the locustfile's request name of a line of the access log."""
    if path.startswith("/inventory/submit/"):
        return "submit" if method == "POST" else "submit form"
    if path.startswith("/inventory/entries/"):
        return "entry page"
    if path.startswith("/api/inventory/"):
        return "api"
    if path == "/inventory/" or path.startswith("/inventory/?"):
        return "search (text)" if re.search(r"[?&]q=", path) else "search (filters)"
    if path.startswith("/action-lines/"):
        return "action line page"
    return "other"


def server_samples(log_dir, start, end):
    """(type, start, ms, error) from the gunicorn servers' access logs.

    The time spent inside gunicorn, without the wait in the listen queue or the load
    generator's own.
    """
    samples = []
    lines = [
        line
        for access_log in sorted(Path(log_dir).glob("access*.log"))
        for line in access_log.read_text().splitlines()
    ]
    for line in lines:
        match = ACCESS_LINE.search(line)
        if not match:
            continue
        when = datetime.datetime.strptime(
            match["time"], "%d/%b/%Y:%H:%M:%S %z"
        ).timestamp()
        if start - 1 <= when <= end + 1:
            samples.append(
                (
                    request_type(match["method"], match["path"]),
                    when,
                    int(match["ms"]),
                    "" if int(match["status"]) < 400 else match["status"],
                )
            )
    return samples


def failed_tasks(since):
    """django-q2 tasks that failed since ``since`` (a timestamp), by task name."""
    from django.db import connections  # noqa: PLC0415 - once Django is set up

    from django_q.models import Task  # noqa: PLC0415 - once Django is set up

    names = Task.objects.filter(
        success=False,
        started__gte=datetime.datetime.fromtimestamp(since, tz=datetime.UTC),
    ).values_list("name", "result")
    counts = Counter(
        (
            re.sub(r"-[A-Za-z0-9]+$", "", name),
            str(result).strip().splitlines()[-1][:120],
        )
        for name, result in names
    )
    connections.close_all()
    return counts


def percentile(sorted_values, p):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(math.ceil(p / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def summarise(samples, label=""):
    """Print the table: requests, errors, throughput and p50/p95/p99 per type."""
    if not samples:
        print(f"{label}: no requests")
        return
    start = min(s[1] for s in samples)
    end = max(s[1] + s[2] / 1000 for s in samples)
    span = max(end - start, 1e-9)
    by_type = defaultdict(list)
    for sample in samples:
        by_type[sample[0]].append(sample)
    names = [n for n in TYPES if n in by_type] + sorted(set(by_type) - set(TYPES))
    if label:
        print(f"\n{label}")
    print(
        f"{'request type':<20}{'requests':>9}{'errors':>8}{'req/s':>8}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    )
    for name in [*names, "overall"]:
        group = samples if name == "overall" else by_type[name]
        times = sorted(s[2] for s in group)
        errors = sum(1 for s in group if s[3])
        print(
            f"{name:<20}{len(group):>9}{errors:>8}{len(group) / span:>8.1f}"
            f"{percentile(times, 50):>9.0f}{percentile(times, 95):>9.0f}"
            f"{percentile(times, 99):>9.0f}"
        )


# Workers answer from the database for SEARCH_ENGINE_RETRY_AFTER (30 s) after
# the engine failed them; give them that and some margin to come back.
ENGINE_BACK_WITHIN = 45
ENGINE_BACK_ANSWERS = 10  # in a row, so that every worker has come back


def engine_back_after(host, port):
    """Seconds until the API answers from the engine again, or None."""
    started = time.monotonic()
    in_a_row = 0
    while time.monotonic() - started < ENGINE_BACK_WITHIN:
        status, _headers, body = http_get(host, port, "/api/inventory/?q=broadband")
        if status == 200 and json.loads(body).get("engine_degraded") is False:
            in_a_row += 1
            if in_a_row >= ENGINE_BACK_ANSWERS:
                return time.monotonic() - started
        else:
            in_a_row = 0
            time.sleep(0.5)
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument(
        "--users", type=int, default=20, help="simulated users (one is the submitter)"
    )
    parser.add_argument(
        "--stop-engine-at",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop the OpenSearch node this many seconds into the run",
    )
    parser.add_argument(
        "--app-servers",
        type=int,
        default=1,
        help="gunicorn servers; more than one: behind HAProxy, with two "
        "qclusters and a three-node search cluster",
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="with several app servers: kill a gunicorn server, a search node and "
        "a qcluster during the run",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers per server (default: conf)",
    )
    parser.add_argument(
        "--heap", default=None, help="OpenSearch heap (default 1g; 384m per node)"
    )
    args = parser.parse_args(argv)
    scaled = args.app_servers > 1
    if args.faults and not scaled:
        parser.error("--faults needs --app-servers 2 or more")
    if args.stop_engine_at is not None and scaled:
        parser.error("--stop-engine-at is for one search node; --faults kills one")

    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL", "SECRET_KEY"):
        os.environ.pop(name, None)
    workdir = Path(tempfile.mkdtemp(prefix="wsis-load-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as `postgres` under it when we are root
    logs = workdir / "logs"
    extra_env = dict(BENCH_ENV)
    if args.faults:
        extra_env.update(FAULT_ENV)
    stack = Stack(
        workdir / "stack",
        keep=False,
        bind=f"127.0.0.1:{free_port()}",
        heap=args.heap or ("384m" if scaled else "1g"),
        extra_env=extra_env,
        log_dir=logs,
        app_servers=args.app_servers,
        web_workers=args.workers,
        qclusters=2 if scaled else 1,
        search_nodes=3 if scaled else 1,
    )
    failed = False
    try:
        stack.start_services()
        stack.prepare(quiet=True)
        os.environ.update(stack.environment())
        import django  # noqa: PLC0415 - once Django is set up

        django.setup()
        started = time.perf_counter()
        stack.manage(
            "seed_demo", "--entries", str(args.entries), "--no-index", "-v", "0",
            quiet=True,
        )  # fmt: skip
        seeded = time.perf_counter()
        stack.manage("update_index", "-v", "0", quiet=True)
        indexed = time.perf_counter()
        log(
            f"{args.entries} entries: seed {seeded - started:.0f} s, "
            f"update_index {indexed - seeded:.0f} s"
        )
        stack.start_worker()
        stack.start_web()
        drained = wait_for_idle_worker()
        log(f"worker queue drained in {drained:.0f} s")

        data = load_data(workdir / "data.json")
        warm_up(stack, data)
        failed = run_load(stack, args, workdir, data)
    except (ServeError, PostgresError, OpenSearchNodeError) as error:
        log(f"error: {error}")
        failed = True
    finally:
        stack.stop()
        print(f"\nlogs: {logs}")
        shutil.rmtree(workdir / "stack", ignore_errors=True)
    return 1 if failed else 0


def run_load(stack, args, workdir, data):
    """Run locust, print the figures and the checks; True if anything failed."""
    results = workdir / "results.json"
    started_file = workdir / "started"
    host, port = stack.host_port
    env = dict(
        os.environ,
        LOAD_BENCH_DATA=str(workdir / "data.json"),
        LOAD_BENCH_RESULTS=str(results),
        LOAD_BENCH_STARTED=str(started_file),
    )
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
        "--run-time", f"{args.duration}s", "--host", stack.base_url,
        "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING",
        "--exit-code-on-error", "0",
    ]  # fmt: skip
    layout = (
        f"{stack.app_servers} gunicorn servers behind HAProxy, "
        f"{stack.qclusters} qclusters, {stack.search_nodes} search nodes"
        if stack.scaled
        else "one gunicorn server, one qcluster, one search node"
    )
    print(
        f"\nload: {args.users} users ({args.users - 1} visitors, 1 submitter at "
        f"1/s) for {args.duration} s against {stack.base_url}: {layout}, "
        f"{stack.environment().get('GUNICORN_WORKERS', 'default')} gunicorn "
        f"workers each, {len(data['entries'])} sampled entry ids",
        flush=True,
    )
    faults = Faults(stack, workdir) if args.faults else None
    with open(workdir / "logs" / "locust.log", "wb") as output:
        locust = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        stopped_at = None
        if args.stop_engine_at is not None or faults:
            deadline = time.monotonic() + 60
            while not started_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            load_start = float(started_file.read_text() or time.time())
        if args.stop_engine_at is not None:
            time.sleep(max(load_start + args.stop_engine_at - time.time(), 0))
            stopped_at = time.time()
            log(f"stopping the OpenSearch node {stopped_at - load_start:.1f} s in")
            stack.stop_search()
            log(f"OpenSearch node stopped in {time.time() - stopped_at:.1f} s")
        if faults:
            faults.run(load_start, args.duration)
        code = locust.wait(args.duration + 120)
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine load average after the run (1/5/15 min): {load}", flush=True)
    if not results.exists():
        raise ServeError(f"locust exited ({code}) without results: see locust.log")
    outcome = json.loads(results.read_text())
    samples = [tuple(s) for s in outcome["samples"]]
    summarise(samples, "all requests (locust: as the client sees them)")
    run_start = min(s[1] for s in samples)
    run_end = max(s[1] + s[2] / 1000 for s in samples)
    inside = server_samples(workdir / "logs", run_start, run_end)
    summarise(inside, "the same requests inside gunicorn (access logs)")
    errors = [s for s in samples if s[3]]
    print(f"\nerrors: {len(errors)}")
    for message, count in Counter(f"{s[0]}: {s[3]}" for s in errors).most_common(8):
        print(f"  {count} × {message}")
    failed = bool(errors) and not faults
    tasks = failed_tasks(run_start - 5)
    # While the engine is down, index updates fail and wait in the outbox: expected.
    outage = {"index-entry"} if stopped_at is not None else set()
    unexpected = sum(n for (name, _e), n in tasks.items() if name not in outage)
    print(
        f"\nbackground tasks that failed during the run: {sum(tasks.values())}; "
        f"unexpected: {unexpected} (target 0)"
    )
    for (name, error), count in tasks.most_common(10):
        print(f"  {count} × {name}: {error}")
    failed = failed or bool(unexpected)

    if stopped_at is not None:
        before = [s for s in samples if s[1] < stopped_at]
        after = [s for s in samples if s[1] >= stopped_at]
        summarise(before, "before the node was stopped (locust)")
        summarise(after, "after the node was stopped: database engine (locust)")
        summarise(
            [s for s in inside if s[1] >= stopped_at],
            "after the node was stopped: database engine (inside gunicorn)",
        )
        degraded = outcome["degraded"]
        late = [flag for when, flag in degraded if when >= stopped_at + 2]
        print(
            f"\nAPI answers with engine_degraded true: "
            f"{sum(flag for _when, flag in degraded)} of {len(degraded)}; "
            f"from 2 s after the stop: {sum(late)} of {len(late)}"
        )
        if late and not all(late):
            failed = True
        log("starting the OpenSearch node again")
        stack.start_search()
        back_after = engine_back_after(host, port)
        if back_after is None:
            print(
                "API after the node is back: still answering from the database "
                f"{ENGINE_BACK_WITHIN} s later"
            )
            failed = True
        else:
            print(
                f"API after the node is back: on the engine again after "
                f"{back_after:.0f} s (each worker rests the engine for "
                "SEARCH_ENGINE_RETRY_AFTER, 30 s, after its last failure)"
            )
    if faults:
        failed = faults.report(samples, outcome["degraded"]) or failed
    failed = check_submissions(stack, outcome["references"]) or failed
    return failed


# --- faults on the stack of several hosts -----------------------------------

# Tasks of a killed qcluster are handed out again when their lease ends
# (Q_RETRY): short, so that the bench sees it happen. No task of the bench
# runs for long.
FAULT_ENV = {"Q_TIMEOUT": "20", "Q_RETRY": "30"}
FAULT_AT = {"gunicorn": 0.25, "search node": 0.45, "qcluster": 0.65}
PROBES = 24
PROBE_SECONDS = 0.5


def percentiles_line(label, samples, span):
    times = sorted(s[2] for s in samples)
    errors = sum(1 for s in samples if s[3])
    rate = len(samples) / span if span > 0 else float("nan")
    return (
        f"{label:<34}{len(samples):>8}{errors:>8}{rate:>8.1f}"
        f"{percentile(times, 50):>8.0f}{percentile(times, 95):>8.0f}"
        f"{percentile(times, 99):>8.0f}"
    )


class Faults:
    """Kill one server, the cluster's manager and one qcluster during the load.

    Kills one gunicorn server, the search cluster's elected manager and one qcluster
    during the load, watching HAProxy's view of the servers.
    """

    def __init__(self, stack, workdir):
        self.stack = stack
        self.journal = workdir / "probes.txt"
        self.times = {}  # what happened -> time.time()
        self.transitions = []  # (time, server, status) as HAProxy saw them
        self.killed_node = None
        self.fallbacks_before = None
        self._watching = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        last = {}
        while not self._watching.is_set():
            try:
                servers = self.stack.servers_state()
            except OSError:
                servers = {}
            now = time.time()
            for name, row in servers.items():
                status = row["status"].split()[0]
                if last.get(name) != status:
                    self.transitions.append((now, name, status))
                    last[name] = status
            time.sleep(0.05)

    def first(self, server, status, after):
        for when, name, seen in self.transitions:
            if name == server and seen.startswith(status) and when >= after:
                return when
        return None

    def run(self, load_start, duration):
        self._watcher.start()
        for fault in FAULT_AT:
            time.sleep(max(load_start + FAULT_AT[fault] * duration - time.time(), 0))
            getattr(self, "kill_" + fault.replace(" ", "_"))()
            log(f"killed one {fault} {time.time() - load_start:.1f} s into the run")

    def kill_gunicorn(self):
        self.times["gunicorn killed"] = time.time()
        os.killpg(self.stack.webs[0].proc.pid, signal.SIGKILL)

    def kill_search_node(self):
        cluster = self.stack.search_cluster
        self.fallbacks_before = fallback_answers(self.stack)
        name = elected_manager(cluster)
        node = next(n for n in cluster.nodes if n.node_name == name)
        self.killed_node = node
        self.times["search node killed"] = time.time()
        node.kill()

    def kill_qcluster(self):
        from django.db import connections  # noqa: PLC0415 - once Django is set up

        from django_q.tasks import async_task  # noqa: PLC0415 - once Django is set up

        for number in range(PROBES):
            async_task(
                "bench.tasks.probe",
                str(self.journal),
                number,
                PROBE_SECONDS,
                task_name=f"probe-{number}",
            )
        connections.close_all()
        # Until the doomed cluster has taken some of them.
        deadline = time.monotonic() + 10
        while not self.journal.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.times["qcluster killed"] = time.time()
        os.killpg(self.stack.workers[0].proc.pid, signal.SIGKILL)

    def report(self, samples, degraded):
        """Print each phase and each recovery; True if a check failed."""
        failed = False
        run_start = min(s[1] for s in samples)
        run_end = max(s[1] + s[2] / 1000 for s in samples)
        killed = self.times["gunicorn killed"]
        down = self.first("app1", "DOWN", killed)
        node_killed = self.times["search node killed"]
        q_killed = self.times["qcluster killed"]
        fallbacks = fallback_answers(self.stack)
        bounds = [
            ("before any fault", run_start, killed),
            ("gunicorn killed, not yet noticed", killed, down or killed),
            ("gunicorn out of the rotation", down or killed, node_killed),
            ("+ a search node killed", node_killed, q_killed),
            ("+ a qcluster killed", q_killed, run_end),
        ]
        print("\nphases (locust)")
        print(
            f"{'phase':<34}{'requests':>8}{'errors':>8}{'req/s':>8}"
            f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        )
        for label, start, end in bounds:
            inside = [s for s in samples if start <= s[1] < end]
            print(percentiles_line(label, inside, end - start))
        failed = any(s[3] for s in samples if s[1] < killed)

        print(
            "\nfault 1: one gunicorn server killed (SIGKILL to its master and workers)"
        )
        if down is None:
            print("  HAProxy never marked it DOWN")
            failed = True
        else:
            before = [s for s in samples if killed <= s[1] < down and s[3]]
            after = [s for s in samples if s[1] >= down + 0.5 and s[3]]
            print(
                f"  HAProxy marked it DOWN after {down - killed:.1f} s; errors "
                f"before that: {len(before)}, after: {len(after)} (target 0)"
            )
            for message, count in Counter(s[0] + ": " + s[3] for s in before).items():
                print(f"    {count} × {message}")
            failed = failed or bool(after)
        restarted = time.time()
        self.stack.start_app_server(1)
        up = None
        deadline = time.monotonic() + 60
        while up is None and time.monotonic() < deadline:
            up = self.first("app1", "UP", restarted)
            time.sleep(0.1)
        if up is None:
            print("  started again: HAProxy did not take it back within 60 s")
            failed = True
        else:
            print(
                f"  started again: back in the rotation {up - restarted:.1f} s after "
                "its start (gunicorn's boot, then two good checks)"
            )

        print(
            f"\nfault 2: the search cluster's elected manager "
            f"({self.killed_node.node_name}) killed"
        )
        node_errors = [s for s in samples if s[1] >= node_killed and s[3]]
        late_degraded = [flag for when, flag in degraded if when >= node_killed]
        added = {
            server: fallbacks.get(server, 0) - value
            for server, value in (self.fallbacks_before or {}).items()
            if server in fallbacks
        }
        print(
            f"  failed requests after the kill: {len(node_errors)} (target 0); API "
            f"answers from the database: {sum(late_degraded)} of {len(late_degraded)} "
            f"(target 0); searches answered from the database, from the servers' "
            f"/metrics: {sum(added.values()):.0f} (target 0)"
        )
        failed = failed or bool(node_errors) or any(late_degraded)
        failed = failed or any(value > 0 for value in added.values())
        restarted = time.time()
        self.killed_node.start(timeout=300)
        health = self.stack.search_cluster.wait_for_status("green", timeout=300)
        print(
            f"  started again: cluster {health['status']} with "
            f"{health['number_of_nodes']} nodes {time.time() - restarted:.0f} s "
            "after its start"
        )

        print(
            "\nfault 3: one qcluster killed (SIGKILL to the whole cluster) "
            f"with {PROBES} probe tasks queued"
        )
        finished, started = self.wait_for_probes(
            deadline=max(q_killed + 120, time.time() + 60)
        )
        counts = Counter(finished)
        once = sum(1 for number in range(PROBES) if counts[number] == 1)
        missing = [n for n in range(PROBES) if counts[n] == 0]
        twice = [n for n in range(PROBES) if counts[n] > 1]
        print(
            f"  finished exactly once: {once} of {PROBES}; never: {missing or 'none'}"
            f"; more than once: {twice or 'none'}; started again after the kill: "
            f"{len(started) - len(set(started))}"
        )
        if self.probes_done_at:
            print(
                f"  the last probe finished {self.probes_done_at - q_killed:.0f} s "
                "after the kill (the dead cluster's tasks wait for their lease, "
                f"Q_RETRY={FAULT_ENV['Q_RETRY']} s)"
            )
        failed = failed or once != PROBES
        return failed

    probes_done_at = None

    def wait_for_probes(self, deadline):
        """Wait until every probe has finished and the queue is empty.

        Waits until every probe has finished and nothing is left in the queue
        (the dead cluster's tasks included); returns the probes' finished and
        started numbers.
        """
        from django.db import connections  # noqa: PLC0415 - once Django is set up

        from django_q.models import OrmQ  # noqa: PLC0415 - once Django is set up

        finished, started = [], []
        while time.time() < deadline:
            lines = []
            if self.journal.exists():
                lines = self.journal.read_text().splitlines()
            ends = [x.split() for x in lines if x.startswith("finished")]
            finished = [int(end[1]) for end in ends]
            started = [int(x.split()[1]) for x in lines if x.startswith("started")]
            done = set(finished) >= set(range(PROBES))
            if done and not OrmQ.objects.exists():
                self.probes_done_at = max(float(end[3]) for end in ends)
                break
            time.sleep(0.5)
        connections.close_all()
        self._watching.set()
        return finished, started


def elected_manager(cluster):
    """Return the name of the node the cluster elected as its manager."""
    for node in cluster.nodes:
        try:
            status, body = http_json(
                "GET", f"{node.url}/_cat/cluster_manager?format=json", timeout=10
            )
        except OSError:
            continue
        if status == 200 and body:
            return body[0]["node"]
    raise ServeError("no node of the search cluster names its manager")


def fallback_answers(stack):
    """Search each live app server answered from the database, from its /metrics.

    {server address: count}.
    """
    counts = {}
    for address, web in zip(stack.addresses, stack.webs, strict=True):
        if not web.alive():
            continue
        host, _, port = address.rpartition(":")
        status, _headers, body = http_get(host, int(port), "/metrics")
        if status != 200:
            continue
        counts[address] = sum(
            float(line.rsplit(" ", 1)[1])
            for line in body.decode().splitlines()
            if line.startswith("wsis_search_fallback_answers_total{")
        )
    return counts


def check_submissions(stack, references):
    """Drains the index outbox and counts the run's submissions in the database."""
    from django.db import connections  # noqa: PLC0415 - once Django is set up

    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up
    from search.models import PendingIndexUpdate  # noqa: PLC0415 - once Django is set up

    waiting = PendingIndexUpdate.objects.count()
    output = stack.manage("sync_search_index", quiet=True)
    remaining = PendingIndexUpdate.objects.count()
    stored = InventoryEntry.objects.filter(reference__in=references).count()
    live = InventoryEntry.objects.filter(reference__in=references, live=True).count()
    connections.close_all()
    print("\nsubmissions and the index outbox")
    print(f"  accepted submissions (302 with a reference): {len(references)}")
    print(f"  of them in the database after the run: {stored} (public: {live})")
    print(
        f"  index updates waiting after the run: {waiting}; "
        f"after the drain: {remaining}"
    )
    for line in output.strip().splitlines():
        print(f"  sync_search_index: {line}")
    ok = 0 < stored == len(references) and remaining == 0 and live == 0
    print(f"  check: {'passed' if ok else 'FAILED'}")
    return not ok


if __name__ == "__main__":
    sys.exit(main())
