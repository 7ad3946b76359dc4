"""The analyst's channel page: info, post history and entities, behind the login; posts open in the page view."""

from fastapi.testclient import TestClient

from oniondex.index import open_index
from oniondex.index.documents import record_document
from tests.telegram.test_post_documents import sample_records
from web import create_app
from web.accounts import AccountStore

USER, PASSWORD = "analyst", "correct horse battery staple"


def test_channel_page_lists_posts_and_entities(tmp_path):
    index = open_index(tmp_path / "index")
    records = list(sample_records())
    index.add_pages([record_document(r) for r in records])
    index.commit()
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as client:
        assert client.get("/channel/seoul_supply_ch", follow_redirects=False).status_code == 303  # login first
        client.get("/login")
        csrf = client.cookies.get("oniondex_csrf", "")
        client.post("/login", data={"user": USER, "password": PASSWORD, "csrf": csrf}, follow_redirects=False)
        page = client.get("/channel/seoul_supply_ch")
        assert page.status_code == 200
        assert f'<dd id="channel-posts">{len(records)}</dd>' in page.text
        assert records[-1].url in page.text
        assert '<a href="/entity/seoul_supply">' in page.text  # the handle its posts show, as a pivot
        assert client.get("/channel/bad").status_code == 404
        view = client.get("/page", params={"url": records[-1].url})
        assert view.status_code == 200
        assert records[-1].url in view.text
    audit = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert '"view_channel"' in audit
