"""The page view says why a page carries its drug-trade tags: each tag's score and the evidence that fired."""

from __future__ import annotations

import pytest

from oniondex.index import open_index
from oniondex.tagging import tag_text
from tests.ui.conftest import PASSWORD, USER, form_login
from web import create_app
from web.accounts import AccountStore

SITE = "e" * 56 + ".onion"
AD = "아○○ 1g 20만 텔레그램 @frost_k 좌표 전송 <script>"


@pytest.fixture
def desk(tmp_path):
    from fastapi.testclient import TestClient

    index = open_index(tmp_path / "index")
    url = f"http://{SITE}/ad"
    tags = tag_text(f"광고\n{AD}")
    assert "methamphetamine" in tags
    index.add_pages([{"id": url, "url": url, "site": SITE, "title": "광고", "text": AD, "language": "ko",
                      "fetched_at": "2026-11-21T10:00:00Z", "sha256": "e" * 64, "tags": tags}])  # fmt: skip
    index.commit()
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as client:
        assert form_login(client).status_code == 303
        yield client


def test_the_page_view_shows_each_tags_evidence_escaped(desk):
    html = desk.get(f"/page?url=http://{SITE}/ad").text
    section = html.split('id="tag-evidence"', 1)[1].split("</section>", 1)[0]
    assert "<strong>methamphetamine</strong> score" in section
    assert "<q>아○○</q>" in section  # the disguised term, as written
    assert "messenger <q>텔레그램</q> +2" in section  # the contact counted, with its weight
    assert "<script>" not in html.split('id="text"', 1)[1]  # crawled text stays text
