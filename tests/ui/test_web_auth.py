"""Access: no data without a login, Argon2id hashes, sessions, and the append-only audit log."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.ui.conftest import PASSWORD, USER, form_login
from web.accounts import AccountError, AccountStore
from web.audit import AuditLog

DATA_ROUTES = [
    "/search?q=escrow",
    "/entity/bc1qexampleaddress",
    "/vendor/evil",
    "/site/" + "a" * 56 + ".onion",
    "/page?url=http://" + "a" * 56 + ".onion/p1",
]
API_ROUTES = [
    "/api/search?q=escrow",
    "/api/entity/bc1qexampleaddress",
    "/api/vendor/evil",
    "/api/site/" + "a" * 56 + ".onion",
    "/api/page?url=http://" + "a" * 56 + ".onion/p1",
    "/api/openapi.json",
    "/export/search.csv?q=escrow",
    "/export/entity.json?value=bc1qexampleaddress",
]


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_pages_redirect_to_login_without_data(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert "bc1q" not in response.text
    assert "escrow" not in response.text.lower()


@pytest.mark.parametrize("path", API_ROUTES)
def test_api_and_exports_answer_401_without_data(client, path):
    response = client.get(path, follow_redirects=False)
    if path.startswith("/export/"):
        assert response.status_code == 303
    else:
        assert response.status_code == 401
        assert response.json() == {"detail": "login required"}


def test_forged_or_closed_sessions_get_nothing(logged_in):
    logged_in.cookies.set("oniondex_session", "forged")
    assert logged_in.get("/api/search?q=escrow").status_code == 401
    token = logged_in.post("/api/login", json={"user": USER, "password": PASSWORD}).json()["token"]
    headers = {"authorization": f"Bearer {token}"}
    assert logged_in.get("/api/search?q=escrow", headers=headers).status_code == 200
    assert logged_in.post("/api/logout", headers=headers).status_code == 204
    assert logged_in.get("/api/search?q=escrow", headers=headers).status_code == 401


def test_wrong_password_is_refused_and_audited(client):
    response = form_login(client, password="wrong password!")
    assert response.status_code == 401
    assert "oniondex_session" not in response.headers.get("set-cookie", "")
    assert client.post("/api/login", json={"user": "nobody", "password": "x" * 12}).status_code == 401
    actions = [(e["user"], e["action"]) for e in AuditLog(client.data_dir / "audit.jsonl").entries()]
    assert actions == [(USER, "login_failed"), ("nobody", "login_failed")]


def test_login_redirect_stays_on_oniondex(client):
    for target in ("//evil.example/x", "http://evil.example/", "/\\evil.example"):
        response = form_login(client, next=target)
        assert response.headers["location"] == "/search"


def test_session_cookie_is_httponly_and_strict(client):
    response = form_login(client)
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie


def test_passwords_are_argon2id_hashes(tmp_path):
    store = AccountStore(tmp_path / "accounts.db")
    store.add("kim", "a long passphrase")
    import sqlite3

    (stored,) = sqlite3.connect(tmp_path / "accounts.db").execute("SELECT hash FROM users").fetchone()
    assert stored.startswith("$argon2id$")
    assert "a long passphrase" not in stored
    assert store.verify("kim", "a long passphrase")
    assert not store.verify("kim", "a long passphrase!")
    with pytest.raises(AccountError, match="already exists"):
        store.add("kim", "another passphrase")
    with pytest.raises(AccountError, match="at least 10"):
        store.add("lee", "short")


def test_every_search_view_and_export_is_audited(logged_in):
    logged_in.get("/search?q=escrow")
    logged_in.get("/api/search?q=아이스")
    logged_in.get("/page", params={"url": f"http://{logged_in.site}/p1"})
    logged_in.get("/entity/bc1qexampleaddress")
    logged_in.get("/export/search.csv?q=escrow")
    entries = AuditLog(logged_in.data_dir / "audit.jsonl").entries()
    assert [e["action"] for e in entries] == ["login", "search", "search", "view_page", "view_entity", "export"]
    assert {e["user"] for e in entries} == {USER}
    assert [e.get("query") for e in entries[1:3]] == ["escrow", "아이스"]
    assert entries[-1] | {"time": "t"} == {
        "time": "t",
        "user": USER,
        "action": "export",
        "kind": "search",
        "format": "csv",
        "q": "escrow",
        "rows": 1,
    }


def test_audit_log_only_appends(tmp_path):
    path = tmp_path / "audit.jsonl"
    path.write_text('{"earlier": "entry"}\n')
    log = AuditLog(path)
    log.write("kim", "search", query="x")
    log.write("lee", "export", kind="search")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0] == {"earlier": "entry"}
    assert [(e["user"], e["action"]) for e in lines[1:]] == [("kim", "search"), ("lee", "export")]
    AuditLog(tmp_path / "new.jsonl").write("kim", "login")
    assert stat.S_IMODE(os.stat(tmp_path / "new.jsonl").st_mode) == 0o600
