"""The watches and alerts pages: login required, CSRF on every form, hostile values escaped, all audited."""

from __future__ import annotations

import pytest

from sample_darknet import build_world
from tests.ui.conftest import client, form_login, logged_in  # noqa: F401 - fixtures and helper of the UI tests
from tests.watch.watch_support import page_document

ONION = build_world().by_id("shop-iceking").onion
ADDRESS = "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo"
HOSTILE = "<script>alert(1)</script>"
PAGE = f"http://{ONION}/hostile"


@pytest.fixture
def desk(logged_in):  # noqa: F811
    """Logged in, on an index holding a page that carries the address next to crawled markup."""
    index = logged_in.app.state.desk.index
    index.add_pages([page_document(PAGE, f"<p>Pay to {ADDRESS} &lt;script&gt;alert(1)&lt;/script&gt;</p>")])
    index.commit()
    return logged_in


def csrf(client_) -> str:
    return client_.cookies.get("oniondex_csrf", "")


def add(client_, kind: str, value: str, token: str | None = None, **headers: str):
    data = {"kind": kind, "value": value, "csrf": csrf(client_) if token is None else token}
    return client_.post("/watches", data=data, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("path", ["/watches", "/alerts"])
def test_pages_need_a_login(client, path):  # noqa: F811
    answer = client.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


def test_adding_a_watch_retro_hunts_and_the_alert_shows_escaped_evidence(desk):
    answer = add(desk, "btc", ADDRESS)
    assert answer.status_code == 200
    assert "1 past sighting(s)" in answer.text
    alerts = desk.get("/alerts")
    assert PAGE in alerts.text
    assert "retro" in alerts.text
    assert HOSTILE not in alerts.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in alerts.text
    assert 'id="unread-count">1<' in alerts.text


def test_forms_without_the_csrf_token_or_from_another_site_are_refused(desk):
    assert add(desk, "btc", ADDRESS, token="forged").status_code == 403
    assert add(desk, "btc", ADDRESS, origin="http://evil.example").status_code == 403
    assert desk.post("/alerts/read", data={"csrf": "forged"}).status_code == 403
    assert desk.post("/watches/1/remove", data={"csrf": ""}).status_code == 403
    assert "No watches yet" in desk.get("/watches").text
    actions = [e["action"] for e in _audit(desk)]
    assert "watch_add_refused" in actions
    assert "alerts_read_refused" in actions


def test_a_hostile_value_is_refused_or_shown_as_text(desk):
    refused = add(desk, "btc", HOSTILE)
    assert refused.status_code == 400
    assert HOSTILE not in refused.text
    assert "&lt;script&gt;" in refused.text
    shown = add(desk, "query", f'"{HOSTILE}"')
    assert shown.status_code == 200
    assert HOSTILE not in desk.get("/watches").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in desk.get("/watches").text


def test_mark_read_and_remove_are_audited(desk):
    add(desk, "btc", ADDRESS)
    assert desk.post("/alerts/read", data={"csrf": csrf(desk)}, follow_redirects=False).status_code == 303
    assert 'id="unread-count">0<' in desk.get("/alerts").text
    store_watch = desk.get("/watches").text
    assert ADDRESS in store_watch
    assert desk.post("/watches/1/remove", data={"csrf": csrf(desk)}, follow_redirects=False).status_code == 303
    assert "No watches yet" in desk.get("/watches").text
    actions = [e["action"] for e in _audit(desk)]
    for action in ("watch_add", "alert", "view_alerts", "alerts_read", "watch_remove"):
        assert action in actions


def test_another_analysts_alerts_and_watches_are_not_shown(desk, tmp_path):
    from web.accounts import AccountStore

    add(desk, "btc", ADDRESS)
    AccountStore(desk.data_dir / "accounts.db").add("lee", "another long password")
    desk.cookies.clear()
    assert form_login(desk, user="lee", password="another long password").status_code == 303
    assert ADDRESS not in desk.get("/alerts").text
    assert "No watches yet" in desk.get("/watches").text


def _audit(client_) -> list[dict]:
    return client_.app.state.desk.audit.entries()
