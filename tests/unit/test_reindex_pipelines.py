"""A reindex with a pipeline turned off by its settings runs without it, as a crawl does."""

from __future__ import annotations

from pathlib import Path

from oniondex import config
from oniondex.evidence.reindex import offline_settings, reindex


def test_a_pipeline_turned_off_is_skipped_not_fatal(tmp_path: Path) -> None:
    overrides = config.layout(data_dir=tmp_path, index_url=str(tmp_path / "index")).as_settings()
    overrides["ONIONDEX_LISTINGS_ENABLED"] = False  # the vendor store raises NotConfigured then
    result = reindex(tmp_path, offline_settings(overrides), files=[])
    assert result.pages == 0
    assert result.missing == []
