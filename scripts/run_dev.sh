#!/usr/bin/env bash
# `make run`: the django-q2 worker beside the development server, stopped with it.
#
# Usage: scripts/run_dev.sh PYTHON HOST PORT
#
# The worker runs in a process group of its own. However the server ends
# (Ctrl-C, an error, a closed terminal), the worker's main process is asked to
# stop, which stops its workers; whatever of its group is still there after
# STOP_TIMEOUT seconds is killed, and the script returns only once the whole
# group is gone. Signalling the group at once is what left a worker behind:
# its main process then waits forever for children that died first.
set -u
python=$1 host=$2 port=$3
STOP_TIMEOUT=${STOP_TIMEOUT:-20}

stop_worker() {
    trap - EXIT INT TERM HUP
    kill -TERM "$worker" 2>/dev/null
    for _ in $(seq $((STOP_TIMEOUT * 5))); do
        kill -0 "$worker" 2>/dev/null || break
        sleep 0.2
    done
    kill -KILL -- "-$worker" 2>/dev/null
    wait
}

set -m  # the next background job gets its own process group
"$python" manage.py qcluster &
worker=$!
set +m
trap stop_worker EXIT INT TERM HUP
"$python" manage.py runserver "$host:$port"
