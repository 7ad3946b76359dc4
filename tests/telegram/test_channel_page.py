"""The analyst's channel page: info, post history and entities, behind the login; posts open in the page view."""

import html
from dataclasses import replace

from fastapi.testclient import TestClient

from oniondex.index import open_index
from oniondex.index.documents import record_document
from oniondex.telegram.history import deleted_record
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


def logged_in(client):
    client.get("/login")
    csrf = client.cookies.get("oniondex_csrf", "")
    client.post("/login", data={"user": USER, "password": PASSWORD, "csrf": csrf}, follow_redirects=False)


def test_deleted_posts_keep_their_capture_and_edits_show_every_version(tmp_path):
    index = open_index(tmp_path / "index")
    records = list(sample_records())
    index.add_pages([record_document(r) for r in records])
    index.commit()
    edited, gone = records[-1], records[-2]
    later = replace(edited, fetched_at="2026-12-02T00:00:00+00:00", edited=True, content_sha256="changed")
    later.extraction = replace(edited.extraction, text=edited.text + "\n가격 인상 (edited)")
    index.add_pages([record_document(later)])
    index.add_pages([record_document(deleted_record(gone.channel, gone.post_id, "2026-12-02T00:00:00+00:00"))])
    index.commit()
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as client:
        logged_in(client)
        page = client.get("/channel/seoul_supply_ch").text
        gone_article = page.split(f'id="post-{gone.post_id}"', 1)[1].split("</article>", 1)[0]
        assert '<strong class="post-deleted">deleted</strong>' in gone_article
        assert gone.text.split("\n")[0][:20] in html.unescape(gone_article)  # the earlier capture, still shown
        assert f'href="/channel/seoul_supply_ch/{edited.post_id}">2 versions' in page
        view = client.get(f"/channel/seoul_supply_ch/{edited.post_id}")
        assert view.status_code == 200
        assert '<dd id="post-version-count">2</dd>' in view.text
        texts = html.unescape(view.text)
        assert edited.text.split("\n")[0][:20] in texts
        assert "가격 인상 (edited)" in texts
        removed = client.get(f"/channel/seoul_supply_ch/{gone.post_id}").text
        assert "deleted (gone at 2026-12-02" in removed
        assert client.get("/channel/seoul_supply_ch/999999").status_code == 404


def test_korean_queries_find_posts_in_the_web_ui(tmp_path):
    index = open_index(tmp_path / "index")
    records = list(sample_records())
    index.add_pages([record_document(r) for r in records])
    index.commit()
    with_word = [r.url for r in records if "던지기" in r.text]
    assert with_word
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as client:
        logged_in(client)
        found = client.get("/search", params={"q": "던지기"})
        assert found.status_code == 200
        assert any(url in found.text for url in with_word)
        assert "t.me/seoul_supply_ch" in found.text
        assert "https://t.me/" not in client.get("/search", params={"q": "존재하지않는단어"}).text
