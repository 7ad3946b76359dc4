"""`make fuzz FUZZ_SECONDS=N`: the hostile-input strategies against the extraction and the query parser for
N seconds (default 60), round after round of fresh examples. Each crash is saved under tests/fuzz/regressions/
(replayed by the test suite from then on) and the run ends with exit code 1; the slowest input per target is
reported, since bounded time matters as much as not crashing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from oniondex.index import open_index
from tests.fuzz.cases import save
from tests.fuzz.hostile import hostile_page, hostile_query
from tests.fuzz.targets import QueryTarget, extract_page, small_index

ROUND = settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))


class Tracked:
    """A target that remembers its last input (the shrunk one when Hypothesis reports a failure) and its slowest."""

    def __init__(self, name: str, target: Callable[..., None]) -> None:
        self.name, self.target = name, target
        self.last: dict[str, Any] = {}
        self.examples = 0
        self.slowest = (0.0, "")
        self.crashes: list[Path] = []

    def __call__(self, **inputs: Any) -> None:
        self.last = inputs
        self.examples += 1
        start = time.perf_counter()
        self.target(**inputs)
        took = time.perf_counter() - start
        if took > self.slowest[0]:
            self.slowest = (took, ", ".join(f"{k}: {len(v)} {'bytes' if isinstance(v, bytes) else 'chars'}"
                                            for k, v in inputs.items() if isinstance(v, bytes | str)))  # fmt: skip


def rounds(query_target: QueryTarget) -> list[tuple[Tracked, Callable[[], None]]]:
    pages = Tracked("extract", lambda body, content_type: extract_page(body, content_type))
    queries = Tracked("query", lambda text: query_target(text))

    @ROUND
    @given(hostile_page())
    def page_round(page: tuple[bytes, str]) -> None:
        pages(body=page[0], content_type=page[1])

    @ROUND
    @given(hostile_query())
    def query_round(text: str) -> None:
        queries(text=text)

    return [(pages, page_round), (queries, query_round)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="oniondex-fuzz-") as tmp:
        targets = rounds(QueryTarget(small_index(open_index(Path(tmp) / "index"))))
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        while time.monotonic() < deadline and any(not t.crashes for t, _ in targets):
            for tracked, round_ in targets:
                if tracked.crashes or time.monotonic() >= deadline:
                    continue
                try:
                    round_()
                except Exception as exc:  # a crash: keep the (shrunk) input for good
                    path = save(tracked.name, f"{type(exc).__name__}: {exc}"[:500], **tracked.last)
                    tracked.crashes.append(path)
                    why = f"{type(exc).__name__}: {str(exc)[:200]}"
                    print(f"CRASH in {tracked.name}: {why}\n  saved {path}", flush=True)
        elapsed = time.monotonic() - started
    print(f"fuzzed for {elapsed:.0f} s")
    for tracked, _ in targets:
        took, what = tracked.slowest
        found = f"{tracked.examples} inputs, {len(tracked.crashes)} crash(es)"
        print(f"  {tracked.name}: {found}, slowest {took:.2f} s ({what})")
    return 1 if any(t.crashes for t, _ in targets) else 0


if __name__ == "__main__":
    sys.exit(main())
