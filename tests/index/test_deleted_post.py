"""`Index.get` of a Telegram post seen deleted says so, and still holds the text captured before
(the same assertions run on Elasticsearch in tests/es/test_telegram_posts_es.py)."""

from oniondex.index import open_index
from oniondex.index.documents import record_document
from oniondex.telegram.history import deleted_record
from tests.telegram.test_post_documents import sample_records


def test_get_of_a_deleted_post_reports_it_deleted_with_its_text(tmp_path):
    index = open_index(tmp_path / "index")
    records = list(sample_records())[-5:]
    index.add_pages([record_document(r) for r in records])
    index.commit()
    gone, kept = records[-2], records[-1]
    assert index.get(gone.url)["deleted"] is False
    index.add_pages([record_document(deleted_record(gone.channel, gone.post_id, "2026-12-02T00:00:00+00:00"))])
    index.commit()
    found = index.get(gone.url)
    assert found["deleted"] is True
    assert found["deleted_seen_at"] == "2026-12-02T00:00:00+00:00"
    assert found["text"] == gone.text
    assert index.get(kept.url)["deleted"] is False
    index.close()
