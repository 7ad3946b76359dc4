"""The embedded index refuses an index of another layout with a clear message, and marks a new one before
tantivy creates it (so a second opener at the same moment never mistakes it for an old one)."""

import pytest

from oniondex.index import IndexError_
from oniondex.index.embedded import SCHEMA_VERSION, EmbeddedIndex


def test_a_new_index_is_marked_and_reopens(tmp_path):
    EmbeddedIndex(tmp_path / "index").close()
    assert (tmp_path / "index" / "oniondex-schema").read_text() == SCHEMA_VERSION
    EmbeddedIndex(tmp_path / "index").close()


def test_an_index_of_another_layout_is_refused(tmp_path):
    EmbeddedIndex(tmp_path / "index").close()
    (tmp_path / "index" / "oniondex-schema").write_text("2")
    with pytest.raises(IndexError_, match="older layout"):
        EmbeddedIndex(tmp_path / "index")
    (tmp_path / "index" / "oniondex-schema").unlink()
    with pytest.raises(IndexError_, match="older layout"):
        EmbeddedIndex(tmp_path / "index")
