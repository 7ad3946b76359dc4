"""The pace log's reactor lag (crawler/extensions/progress.py): how late a periodic timer ran."""

from __future__ import annotations

import pytest

from crawler.extensions import progress
from crawler.extensions.progress import LAG_PROBE_EVERY, ReactorLag


def test_lag_is_the_delay_past_each_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([10.0, 10.0 + LAG_PROBE_EVERY, 10.0 + 2 * LAG_PROBE_EVERY + 0.5])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    lag = ReactorLag()
    for _ in range(3):
        lag.tick()
    assert lag.take() == {"reactor_lag_ms": 250.0, "reactor_lag_max_ms": 500.0}
    assert lag.take() == {"reactor_lag_ms": 0.0, "reactor_lag_max_ms": 0.0}  # taken: a new interval
