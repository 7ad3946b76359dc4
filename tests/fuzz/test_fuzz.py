"""The short fuzz pass of `make test`: a few dozen hostile pages and queries per run (FUZZ_EXAMPLES), new
ones each time. `make fuzz FUZZ_SECONDS=N` runs the same strategies for as long as asked (tests/fuzz/run.py)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from tests.fuzz.hostile import hostile_page, hostile_query
from tests.fuzz.targets import extract_page

SHORT = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=None,  # the machine is shared: time is measured by `make fuzz`, never asserted
    database=None,
    # The same examples every run, so CI is reproducible; `make fuzz` (tests/fuzz/run.py) explores anew.
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@SHORT
@given(hostile_page())
def test_hostile_pages_do_not_break_extraction(page: tuple[bytes, str]) -> None:
    extract_page(*page)


@SHORT
@given(text=hostile_query())
def test_hostile_queries_do_not_break_parser_or_index(query_target, text: str) -> None:
    query_target(text)
