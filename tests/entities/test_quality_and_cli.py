"""The extract command, and entity quality on the sample darknet (the issue's precision/recall targets)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from oniondex.cli import extract
from oniondex.quality.entities import EntityQuality, measure


def test_extract_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "ad.html"
    ad = "아이스 1g 15만원 전국 안전 배송 텔레그램 @IceKing_KR 문의"
    saved.write_text(f"<p>{ad} bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4</p>")
    parser = argparse.ArgumentParser()
    extract.register(parser.add_subparsers())
    args = parser.parse_args(["extract", str(saved), "--url", "http://example.onion/ad"])
    assert args.func(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {"url", "language", "tags", "tag_evidence", "entities", "listings", "vendors"}
    assert (report["url"], report["language"], report["tags"]) == ("http://example.onion/ad", "ko", ["methamphetamine"])
    assert {(e["type"], e["value"]) for e in report["entities"]} == {
        ("telegram", "iceking_kr"),
        ("BTC", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
    }
    assert report["entities"][0]["site"] == "example.onion"
    assert (report["listings"], report["vendors"]) == ([], [])


def test_quality_arithmetic() -> None:
    quality = EntityQuality()
    quality.add_page("u", truth={("BTC", "a"), ("BTC", "b")}, predicted={("BTC", "a"), ("BTC", "c"), ("session", "x")})
    score = quality.scores["BTC"]
    assert (score.true_positives, score.false_positives, score.false_negatives) == (1, 1, 1)
    assert quality.unscored == {"session": 1}
    assert not quality.passes


def test_sample_darknet_meets_the_targets_for_every_type() -> None:
    world_module = pytest.importorskip("sample_darknet.world")
    quality = measure(world_module.build_world())
    failing = {name: (s.precision, s.recall) for name, s in quality.scores.items() if not s.passes}
    assert failing == {}, quality.errors[:20]
