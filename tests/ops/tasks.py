"""A background task for the fault tests: long enough to be killed half-way."""

import os
import time
from pathlib import Path


def slow_append(path, seconds):
    """Notes its start (with the worker's pid), works a while, notes its end."""
    journal = Path(path)
    with journal.open("a") as file:
        file.write(f"started {os.getpid()}\n")
    time.sleep(seconds)
    with journal.open("a") as file:
        file.write("finished\n")
    return "finished"


def numbered_task(path, number, seconds=0.0):
    """Notes its start and its end under its number, with the worker's pid."""
    journal = Path(path)
    with journal.open("a") as file:
        file.write(f"started {number} {os.getpid()}\n")
    time.sleep(seconds)
    with journal.open("a") as file:
        file.write(f"finished {number} {os.getpid()}\n")
    return number
