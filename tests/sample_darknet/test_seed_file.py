from __future__ import annotations

import json
from pathlib import Path

import pytest

from oniondex.seeds import load_seeds
from sample_darknet import World
from sample_darknet.__main__ import main
from sample_darknet.seeds import seed_lines

COMMITTED = Path(__file__).resolve().parents[2] / "seeds" / "sample-darknet.txt"


def test_committed_seed_file_is_the_generator_output(world: World) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == seed_lines(world), (
        "regenerate with: python -m sample_darknet seeds > seeds/sample-darknet.txt"
    )


def test_seed_file_parses_and_lists_every_site(world: World) -> None:
    seeds = load_seeds(COMMITTED)
    assert seeds.problems == []
    assert {seed.site for seed in seeds.seeds} == set(world.sites)
    assert all(seed.case == "DEMO-1" and seed.tags for seed in seeds.seeds)


def test_cli_prints_truth_and_seeds(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["truth"]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(world.truth()))
    assert main(["seeds"]) == 0
    assert capsys.readouterr().out == seed_lines(world)
