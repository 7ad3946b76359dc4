"""Backends the index contract runs against. The Elasticsearch issue adds its backend here."""

import pytest

from oniondex.index.embedded import EmbeddedIndex


@pytest.fixture(params=["embedded"])
def index(request, tmp_path):
    backend = EmbeddedIndex(tmp_path / "index")
    yield backend
    backend.close()
