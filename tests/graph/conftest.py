from __future__ import annotations

from pathlib import Path

import pytest

from oniondex.graph import Sources
from oniondex.index import open_index
from tests.graph import world


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return world.build(tmp_path / "data")


@pytest.fixture
def sources(data_dir: Path):
    index = open_index(data_dir / "index")
    yield Sources(index, data_dir / "vendors.db")
    index.close()
