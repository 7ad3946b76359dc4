"""Every saved fuzz crash (tests/fuzz/regressions/*.json), replayed: each must stay fixed."""

from __future__ import annotations

import pytest

from tests.fuzz.cases import REGRESSIONS, replay
from tests.fuzz.targets import extract_page

CASES = sorted(REGRESSIONS.glob("*.json"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_saved_crash_stays_fixed(case, query_target):
    replay(case, {"extract": extract_page, "query": query_target})
