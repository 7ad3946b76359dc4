"""`oniondex quality clusters` on the sample darknet: the done-when targets, and `oniondex clusters` on
the store that measurement leaves behind."""

from __future__ import annotations

import json

import pytest

from oniondex.cli import main
from oniondex.clusters.quality import measure
from sample_darknet import build_world


@pytest.fixture(scope="module")
def world():
    return build_world()


@pytest.fixture(scope="module")
def measured(world, tmp_path_factory):
    path = tmp_path_factory.mktemp("clusters") / "clusters.db"
    return measure(world, path), path


def test_targets_met(measured):
    quality, _ = measured
    assert quality.pairs.precision >= 0.95, quality.errors
    assert quality.pairs.recall >= 0.95, quality.errors
    assert quality.clones.fn == 0
    assert quality.clones.tp >= 2
    assert quality.mirrors_flagged == []
    assert quality.evidence_missing == []
    assert quality.wrong_original == []
    assert quality.passes


def test_clone_evidence_names_the_swapped_identifiers(measured, world):
    quality, _ = measured
    clone = world.by_id("clone-candyman")
    [flag] = [f for c in quality.clusters for f in c.clones if f.site == clone.onion]
    assert flag.original in (world.by_id("shop-candyman").onion, world.by_id("mirror-candyman").onion)
    assert {(s.kind, v) for s in flag.swaps for v in s.clone_values} == {
        ("pgp", clone.clone["swapped"][0]["clone"]),
        ("contact", "telegram:candyman_de_official"),
    }


def test_clusters_cli(measured, world, capsys):
    _, path = measured
    bullets = world.by_id("clone-bullets").onion
    assert main(["clusters", "--db", str(path), "--site", f"http://{bullets}/", "--json"]) == 0
    [cluster] = json.loads(capsys.readouterr().out)
    assert cluster["id"] == world.by_id("market-bullets").onion
    assert {c["site"] for c in cluster["clones"]} == {bullets}
    assert main(["clusters", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "PROBABLE PHISHING CLONE" in out
    assert "instead of" in out
    assert main(["clusters", "--db", str(path), "--site", world.by_id("ordinary-en-hockey").onion]) == 1
    assert main(["clusters", "--db", str(path), "--site", "example.com"]) == 2
    assert main(["clusters", "--db", str(path.parent / "missing.db")]) == 2
