"""A small embedded index for the query target."""

from __future__ import annotations

import pytest

from oniondex.index import open_index
from tests.fuzz.targets import QueryTarget, small_index


@pytest.fixture(scope="session")
def query_target(tmp_path_factory: pytest.TempPathFactory) -> QueryTarget:
    return QueryTarget(small_index(open_index(tmp_path_factory.mktemp("fuzz-index") / "index")))
