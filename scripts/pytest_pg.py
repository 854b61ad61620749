#!/usr/bin/env python3
"""Runs pytest on a throw-away PostgreSQL server (for a few tests, while working).

.venv/bin/python -m scripts.pytest_pg tests/inventory/test_api.py -x
"""

import os
import subprocess
import sys
from pathlib import Path

from scripts.postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parent.parent


def main(args):
    with PostgresServer() as server:
        environ = {**os.environ, "DATABASE_URL": server.url}
        return subprocess.call([sys.executable, "-m", "pytest", *args], env=environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
