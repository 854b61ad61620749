#!/usr/bin/env python3
"""One indexing job in a process of its own, which then prints its peak memory.

search_bench.py runs it (with the environment it set up) so that what the bench
process itself holds does not count:

    python -m bench.rebuild_process rebuild [--collector-running]
        ``manage.py update_index``: the full rebuild, as in production;
        ``--collector-running`` leaves the garbage collector on while the
        inventory's documents are built (inventory.bulk_index pauses it).
    python -m bench.rebuild_process seed N
        ``manage.py seed_demo --entries N --no-index``: the demo and N entries.
    python -m bench.rebuild_process raw FILE
        the raw bulk load: the pre-serialised bulk bodies of FILE (as
        ``write_bodies`` writes them), sent one after the other to a new index.

It prints one JSON line: the resident memory after Django's set-up and at the
peak, in MB, and the job's duration. The peak is the process's own high-water
mark (VmHWM): getrusage's ru_maxrss of a process started by exec also counts
the parent's peak, which the bench's pre-serialised documents inflate.
"""

import json
import os
import resource
import struct
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from bench.common import patient_engine

ROOT = Path(__file__).resolve().parent.parent

LENGTH = struct.Struct("<Q")


def memory_mb(field):
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_bodies(path, bodies):
    with open(path, "wb") as out:
        for body in bodies:
            out.write(LENGTH.pack(len(body)))
            out.write(body)


def read_bodies(path):
    with open(path, "rb") as source:
        while header := source.read(LENGTH.size):
            yield source.read(LENGTH.unpack(header)[0])


def rebuild(collector_running):
    from django.core.management import call_command  # noqa: PLC0415 - once Django is set up

    from inventory import bulk_index  # noqa: PLC0415 - once Django is set up

    if collector_running:
        bulk_index.collector_paused = nullcontext
    call_command("update_index", verbosity=0)


def raw(path):
    from inventory.models import InventoryEntry  # noqa: PLC0415 - once Django is set up
    from search.backends import default_backend, raw_bulk  # noqa: PLC0415 - once Django is set up

    backend = default_backend()
    index_name = backend.get_index_for_model(InventoryEntry).name + "_raw"
    mapping = backend.mapping_class(InventoryEntry)
    backend.es.indices.delete(index=index_name, ignore_unavailable=True)
    backend.es.indices.create(
        index=index_name, body={**backend.settings, "mappings": mapping.get_mapping()}
    )
    for body in read_bodies(path):
        raw_bulk(backend, body)
    backend.es.indices.refresh(index=index_name)
    backend.es.indices.delete(index=index_name)


def main():
    import django  # noqa: PLC0415 - once Django is set up

    django.setup()
    from django.conf import settings  # noqa: PLC0415 - once Django is set up

    settings.DEBUG = False
    patient_engine(settings)
    job = sys.argv[1]
    after_setup = memory_mb("VmRSS")
    started = time.perf_counter()
    if job == "seed":
        from django.core.management import call_command  # noqa: PLC0415 - once Django is set up

        call_command("seed_demo", entries=int(sys.argv[2]), no_index=True, verbosity=0)
    elif job == "rebuild":
        rebuild("--collector-running" in sys.argv[2:])
    elif job == "raw":
        raw(sys.argv[2])
    else:
        raise SystemExit(f"unknown job {job!r}")
    print(
        json.dumps(
            {
                "job": job,
                "seconds": time.perf_counter() - started,
                "after_setup_mb": after_setup,
                "peak_mb": memory_mb("VmHWM"),
            }
        )
    )


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
