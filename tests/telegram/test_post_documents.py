"""Post documents fit their strict mapping, and a deleted post keeps what was indexed before."""

import json

from oniondex.extraction import extract_page
from oniondex.index import SearchQuery, open_index
from oniondex.index.documents import actions_for, record_document
from oniondex.index.mappings import MAPPINGS_DIR
from oniondex.quality.telegram import parsed_posts
from oniondex.telegram.history import deleted_record, post_record
from oniondex.telegram.records import ChannelInfo
from sample_telegram.world import build_world


def sample_records():
    channel = build_world().channels["seoul_supply_ch"]
    info = ChannelInfo(channel.username, channel.title)
    for _sample, post in list(parsed_posts(channel))[-30:]:
        record = post_record(post, info, "2026-12-01T00:00:00+00:00")
        record.extraction = extract_page(record.page, record.fetched_at)
        yield record


def mapped(kind):
    return set(json.loads((MAPPINGS_DIR / f"{kind}.json").read_text(encoding="utf-8"))["mappings"]["properties"])


def test_every_field_written_is_in_the_strict_mapping():
    kinds = set()
    for record in sample_records():
        for action in actions_for(record_document(record)):
            kinds.add(action.kind)
            assert set(action.doc) | set(action.on_insert) <= mapped(action.kind), action.kind
    assert {"posts", "versions", "entities", "sites"} <= kinds
    assert "pages" not in kinds


def test_posts_are_searched_with_pages_and_deletion_keeps_the_text(tmp_path):
    index = open_index(tmp_path / "index")
    records = list(sample_records())
    index.add_pages([record_document(r) for r in records])
    index.commit()
    assert index.count("posts") == len(records)
    assert index.count("pages") == 0
    hits = index.search(SearchQuery(text="던지기", limit=100)).hits
    assert hits
    assert all(hit.url.startswith("https://t.me/seoul_supply_ch/") for hit in hits)
    gone = records[-3]
    index.add_pages([record_document(deleted_record("seoul_supply_ch", gone.post_id, "2026-12-02T00:00:00+00:00"))])
    index.commit()
    assert index.get(gone.url)["text"] == gone.text
    assert [v.get("deleted", False) for v in index.versions(gone.url)] == [False, True]
