"""The web UI's search page folds mirror copies on request and says "and N mirrors"; a clone stays."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from oniondex.index import open_index
from tests.clusters.test_collapse_and_vendors import CLONE, MIRROR_1, MIRROR_2, ORIGINAL, build
from web import create_app
from web.accounts import AccountStore

USER, PASSWORD = "analyst", "correct horse battery staple"


def test_search_page_folds_mirrors(tmp_path):
    build(tmp_path).close()  # DATA/clusters.db: the original, two mirrors and a clone
    index = open_index(tmp_path / "index")
    docs = []
    for site in (ORIGINAL, MIRROR_1, MIRROR_2, CLONE):
        url = f"http://{site}/p/0"
        docs.append({"id": url, "url": url, "site": site, "title": "Acme <b>shop</b>", "language": "en",
                     "text": "stealth escrow", "fetched_at": "2026-11-01T00:00:00Z", "sha256": site})  # fmt: skip
    index.add_pages(docs)
    index.commit()
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as client:
        client.get("/login")
        login = {"user": USER, "password": PASSWORD, "csrf": client.cookies.get("oniondex_csrf", "")}
        assert client.post("/login", data=login, follow_redirects=False).status_code == 303
        plain = client.get("/search", params={"q": "escrow"}).text
        folded = client.get("/search", params={"q": "escrow", "collapse": "1"}).text
    assert plain.count('class="hit"') == 4
    assert "fold mirrors" in plain
    assert folded.count('class="hit"') == 2  # the original with its two mirrors, and the clone alone
    assert re.search(r'<span class="mirrors"[^>]*>and 2 mirrors</span>', folded)
    assert "show every copy" in folded
