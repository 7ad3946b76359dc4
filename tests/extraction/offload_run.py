"""Drives an `Offload` under a real reactor, as a child process of test_pipelines.py (one reactor per process).

    python tests/extraction/offload_run.py
Prints one JSON line: the order the calls of each key ran in, the most calls that ran at once, and the
results in submission order.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from twisted.internet import defer, task

from pipelines.offload import Offload

THREADS, LIMIT, CALLS = 4, 6, 60
lock = threading.Lock()
seen = {"order": {"a": [], "b": [], "none": []}, "running": 0, "most_running": 0}


def work(key: str, number: int, pause: float) -> int:
    with lock:
        seen["running"] += 1
        seen["most_running"] = max(seen["most_running"], seen["running"])
    time.sleep(pause)
    with lock:
        seen["order"][key].append(number)
        seen["running"] -= 1
    return number


async def main(reactor: object) -> None:
    offload = Offload("test", THREADS, LIMIT)
    offload.start()
    rng = random.Random(5)
    results = []
    for number in range(CALLS):
        key = ("a", "b", None)[number % 3]
        results.append(offload.submit(work, key or "none", number, rng.uniform(0, 0.02), key=key))
    await offload.drain()
    values = await defer.gatherResults(results)
    offload.stop()
    print(json.dumps({**seen, "results": values, "limit": LIMIT, "threads": THREADS}))


if __name__ == "__main__":
    task.react(lambda reactor: defer.ensureDeferred(main(reactor)))
