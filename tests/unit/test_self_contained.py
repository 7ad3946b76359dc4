"""Issue 14 finding 8: the project carries its own test data, a plain install finds its bundled data, and
the runtime entry points do not pull in the test harnesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

HARNESSES = ("sample_darknet", "oniondex.tornet", "oniondex.quality")


def test_address_vectors_are_in_the_repository():
    from tests.entities import test_address_vectors

    path = test_address_vectors.VECTORS_FILE.resolve()
    assert path.is_relative_to(ROOT.resolve()), path
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 329
    assert "source" in (path.parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check", "-w", str(out),
         str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=out,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    (built,) = out.glob("oniondex-*.whl")
    unpacked = out / "unpacked"
    zipfile.ZipFile(built).extractall(unpacked)
    return unpacked


READERS = """
import oniondex, sys
from pathlib import Path
assert Path(oniondex.__file__).resolve().is_relative_to(Path(sys.argv[1]).resolve()), oniondex.__file__
from oniondex.listings.profiles import load_profiles
from oniondex.index.mappings import MAPPINGS_DIR
from oniondex.cli.demo import SAMPLE_SEEDS
print(len(load_profiles()), len(list(MAPPINGS_DIR.glob("*.json"))), SAMPLE_SEEDS.is_file())
"""


def test_a_plain_install_finds_profiles_mappings_and_seeds(wheel, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(wheel)}
    env.pop("ONIONDEX_PROFILE_DIR", None)
    run = subprocess.run(
        [sys.executable, "-c", READERS, str(wheel)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    profiles, mappings, seeds = run.stdout.split()
    assert int(profiles) >= 6
    assert int(mappings) >= 6
    assert seeds == "True"


IMPORTS = f"""
HARNESSES = {HARNESSES!r}
import importlib, sys
from crawler import settings
from oniondex.cli import build_parser
from web import create_app
build_parser()
for table in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES", "DOWNLOAD_HANDLERS"):
    for path in (getattr(settings, table, None) or {{}}):
        if isinstance(path, str) and path.split(".")[0] in ("crawler", "pipelines", "oniondex"):
            module, _, name = path.rpartition(".")
            getattr(importlib.import_module(module), name)
importlib.import_module("crawler.spiders.onion")
print(" ".join(sorted(n for n in sys.modules if n.startswith(HARNESSES))))
"""


def test_runtime_entry_points_do_not_import_the_test_harnesses():
    run = subprocess.run([sys.executable, "-c", IMPORTS], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == [], f"runtime imports pull in {run.stdout.strip()}"
