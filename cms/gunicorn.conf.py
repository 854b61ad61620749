"""gunicorn configuration: `gunicorn -c cms/gunicorn.conf.py cms.wsgi`.

Every value can be changed from the environment (docs/production.md):

    GUNICORN_BIND           address to listen on          127.0.0.1:8000
    GUNICORN_WORKERS        worker processes              2 × CPUs + 1, at most 8
                            (WEB_CONCURRENCY is read too)
    GUNICORN_THREADS        threads per worker (gthread)  2
    GUNICORN_TIMEOUT        seconds before a stuck worker is killed and replaced  30
    GUNICORN_GRACEFUL_TIMEOUT  seconds a stopping worker may finish its requests  30
    GUNICORN_KEEPALIVE      seconds an idle keep-alive connection stays open  5
    GUNICORN_MAX_REQUESTS   requests before a worker is recycled (0: never)  5000
    GUNICORN_ACCESS_LOG     file, "-" for stdout, "" for none  -
    GUNICORN_ERROR_LOG      file or "-" for stderr          -
    GUNICORN_LOG_LEVEL      debug, info, warning, error     info
    PROMETHEUS_MULTIPROC_DIR  a directory of this server's own: the workers'
                            metrics are added up there (emptied at start-up)

Static files are served by whitenoise inside Django (no separate static server).
"""

import multiprocessing
import os
import shutil
from pathlib import Path


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Django is mostly CPU-bound here; threads overlap the waits on PostgreSQL and the
# search engine. Each thread holds its own database connection (CONN_MAX_AGE).
workers = _int(
    "GUNICORN_WORKERS",
    _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 8)),
)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max(max_requests // 10, 0)

# Requests larger than these are refused before they reach Django.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Heartbeat files on tmpfs: a slow disk must not make the arbiter kill workers.
if os.path.isdir("/dev/shm"):  # noqa: S108 - gunicorn's documented advice
    worker_tmp_dir = "/dev/shm"  # noqa: S108

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The usual combined format, plus the time taken in milliseconds and the
# request's id (the balancer's, or the one the app made: ops/request_id.py).
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
    "%({x-request-id}o)s"
)
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "wsis"

# Only a proxy on this machine may say the request came over HTTPS
# (X-Forwarded-Proto, SECURE_PROXY_SSL_HEADER in cms/settings/production.py).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn's control socket (`gunicornc`) lives at one fixed path per user by
# default, so two servers on one machine would clash: off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket
if not control_socket:
    del control_socket

# prometheus_client's multiprocess mode (ops/metrics.py): each worker writes its
# metrics to files in this directory, and /metrics adds them up. The files of an
# earlier run must go before the first worker starts; a worker that exits
# (recycled, killed) leaves its counters, not its live gauges.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if _metrics_dir:
        directory = Path(_metrics_dir)
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    if _metrics_dir:
        from prometheus_client import multiprocess  # noqa: PLC0415 - only when workers share metrics

        multiprocess.mark_process_dead(worker.pid)
