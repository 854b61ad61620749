"""A background task for the load benchmark's qcluster fault.

It notes its start and its end, so that a run cut short by a killed cluster shows.
"""

import os
import time
from pathlib import Path


def probe(path, number, seconds):
    journal = Path(path)
    with journal.open("a") as file:
        file.write(f"started {number} {os.getpid()}\n")
    time.sleep(seconds)
    with journal.open("a") as file:
        file.write(f"finished {number} {os.getpid()} {time.time()}\n")
    return number
