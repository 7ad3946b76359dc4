"""Backends the index contract runs against here: the embedded one, always. The same contract runs
against Elasticsearch in tests/es/ (make test-es)."""

import pytest

from oniondex.index.embedded import EmbeddedIndex


@pytest.fixture(params=["embedded"])
def index(request, tmp_path):
    backend = EmbeddedIndex(tmp_path / "index")
    yield backend
    backend.close()
