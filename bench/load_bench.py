"""Load benchmark of the production stack under locust, on 127.0.0.1.

gunicorn + PostgreSQL + OpenSearch + Redis + a qcluster worker, exactly as
`make serve-prod` runs them (scripts/serve_prod.py); the load is
bench/locustfile.py.

    .venv/bin/python -m bench.load_bench [--entries 100000] [--duration 60]
        [--users 20] [--stop-engine-at SECONDS]

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
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from scripts.opensearch_node import OpenSearchNodeError
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


def redis_command(url, *words):
    """One Redis command over a raw socket (the bench needs only LLEN)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    payload = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection((parts.hostname, parts.port or 6379), 5) as sock:
        sock.sendall(payload.encode())
        return sock.recv(256).decode().strip()


def wait_for_idle_worker(stack, timeout=900):
    """Waits until the django-q2 queue in Redis is empty (the seeding queues tasks)."""
    started = time.monotonic()
    key = "django_q:wsis:q"
    while time.monotonic() - started < timeout:
        answer = redis_command(stack.urls["REDIS_URL"], "LLEN", key)
        if answer == ":0":
            time.sleep(3)  # the tasks already taken by the workers
            if redis_command(stack.urls["REDIS_URL"], "LLEN", key) == ":0":
                return time.monotonic() - started
        time.sleep(1)
    raise ServeError(f"the worker did not drain its queue in {timeout} s")


def load_data(path):
    """Entry ids, years, countries and action-line paths for the locustfile."""
    from django.db import connections

    from action_lines.models import ActionLinePage
    from inventory.models import EntryFacetValue, InventoryEntry

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
    """A few requests of each kind, so that every gunicorn worker has loaded."""
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
    r'\S+ "[^"]*" "[^"]*" (?P<ms>\d+)ms$'
)


def request_type(method, path):
    """The locustfile's request name of a line of the access log."""
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


def server_samples(access_log, start, end):
    """(type, start, ms, error) from gunicorn's access log: the time spent inside
    gunicorn, without the wait in the listen queue or the load generator's own."""
    samples = []
    for line in Path(access_log).read_text().splitlines():
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
    from django.db import connections

    from django_q.models import Task

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
    """Prints the table: requests, errors, throughput and p50/p95/p99 per type."""
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
        "--workers", type=int, default=None, help="gunicorn workers (default: conf)"
    )
    parser.add_argument("--heap", default="1g", help="OpenSearch heap (default 1g)")
    args = parser.parse_args(argv)

    for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL", "SECRET_KEY"):
        os.environ.pop(name, None)
    workdir = Path(tempfile.mkdtemp(prefix="wsis-load-bench-"))
    workdir.chmod(0o755)  # PostgreSQL runs as `postgres` under it when we are root
    logs = workdir / "logs"
    extra_env = dict(BENCH_ENV, GUNICORN_ACCESS_LOG=str(logs / "access.log"))
    if args.workers:
        extra_env["GUNICORN_WORKERS"] = str(args.workers)
    stack = Stack(
        workdir / "stack",
        keep=False,
        bind=f"127.0.0.1:{free_port()}",
        heap=args.heap,
        extra_env=extra_env,
        log_dir=logs,
    )
    failed = False
    try:
        stack.start_services()
        stack.prepare(quiet=True)
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
        drained = wait_for_idle_worker(stack)
        log(f"worker queue drained in {drained:.0f} s")

        os.environ.update(stack.environment())
        import django

        django.setup()
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
    """Runs locust, prints the figures and the checks; True if anything failed."""
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
    print(
        f"\nload: {args.users} users ({args.users - 1} visitors, 1 submitter at "
        f"1/s) for {args.duration} s against {stack.base_url}, gunicorn "
        f"{stack.environment().get('GUNICORN_WORKERS', 'default')} workers, "
        f"{len(data['entries'])} sampled entry ids",
        flush=True,
    )
    with open(workdir / "logs" / "locust.log", "wb") as output:
        locust = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        stopped_at = None
        if args.stop_engine_at is not None:
            deadline = time.monotonic() + 60
            while not started_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            load_start = float(started_file.read_text() or time.time())
            time.sleep(max(load_start + args.stop_engine_at - time.time(), 0))
            stopped_at = time.time()
            log(f"stopping the OpenSearch node {stopped_at - load_start:.1f} s in")
            stack.stop_search()
            log(f"OpenSearch node stopped in {time.time() - stopped_at:.1f} s")
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
    inside = server_samples(workdir / "logs" / "access.log", run_start, run_end)
    summarise(inside, "the same requests inside gunicorn (access log)")
    errors = [s for s in samples if s[3]]
    print(f"\nerrors: {len(errors)} (target 0)")
    for message, count in Counter(f"{s[0]}: {s[3]}" for s in errors).most_common(8):
        print(f"  {count} × {message}")
    failed = bool(errors)
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
    failed = check_submissions(stack, outcome["references"]) or failed
    return failed


def check_submissions(stack, references):
    """Drains the index outbox and counts the run's submissions in the database."""
    from django.db import connections

    from inventory.models import InventoryEntry
    from search.models import PendingIndexUpdate

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
