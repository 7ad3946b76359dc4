"""Issue 14's web findings: login throttling, login CSRF, impossible dates, headers on errors, audit abuse,
422 echoes. Each test here failed on the code before the fix."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.ui.conftest import PASSWORD, USER, form_login
from web.audit import MAX_LINE_BYTES, AuditLog
from web.security import HEADERS
from web.throttle import FREE_FAILURES, LOCK_FAILURES, LOCK_SECONDS, LoginThrottle

SECRET = "hunter2-very-secret"


def audit_of(client) -> list[dict]:
    return AuditLog(client.data_dir / "audit.jsonl").entries()


def count_verifies(client, monkeypatch) -> list[str]:
    calls: list[str] = []
    accounts = client.app.state.desk.accounts
    real = accounts.verify
    monkeypatch.setattr(accounts, "verify", lambda user, password: calls.append(user) or real(user, password))
    return calls


# --- 2: brute force ---------------------------------------------------------------------------------


def test_api_login_is_throttled_before_argon2(client, monkeypatch):
    calls = count_verifies(client, monkeypatch)
    wrong = {"user": USER, "password": "wrong password!"}
    for _ in range(FREE_FAILURES):
        assert client.post("/api/login", json=wrong).status_code == 401
    throttled = client.post("/api/login", json={"user": USER, "password": PASSWORD})
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) >= 1
    assert len(calls) == FREE_FAILURES  # the throttled try never reached the password hash


def test_form_login_is_throttled_per_client_address_across_accounts(client, monkeypatch):
    calls = count_verifies(client, monkeypatch)
    for n in range(FREE_FAILURES):
        assert form_login(client, user=f"guess{n}", password="wrong password!").status_code == 401
    response = form_login(client, user="yet-another-name", password="wrong password!")
    assert response.status_code == 429
    assert "retry-after" in response.headers
    assert len(calls) == FREE_FAILURES


def test_delay_doubles_then_locks():
    now = [0.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    keys = throttle.keys("kim", "10.0.0.1")
    waits = []
    for _ in range(LOCK_FAILURES):
        throttle.failed(keys)
        waits.append(throttle.retry_after(keys))
    assert waits[: FREE_FAILURES - 1] == [0] * (FREE_FAILURES - 1)
    assert waits[FREE_FAILURES - 1 : FREE_FAILURES + 2] == [1, 2, 4]
    assert waits[-1] == LOCK_SECONDS
    now[0] += LOCK_SECONDS + 1
    assert throttle.retry_after(keys) == 0
    throttle.succeeded(keys)
    assert throttle.retry_after(keys) == 0


# --- 4: login CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{}, {"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}],
    ids=["no-token", "foreign-origin", "cross-site"],
)
def test_cross_site_login_is_refused(client, headers):
    data = {"user": USER, "password": PASSWORD}
    if headers:  # with a valid token but sent from another site
        client.get("/login")
        data["csrf"] = client.cookies.get("oniondex_csrf", "")
    response = client.post("/login", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert "oniondex_session" not in response.headers.get("set-cookie", "")


def test_login_page_carries_the_token_and_logout_needs_it(logged_in):
    page = logged_in.get("/search?q=escrow").text
    token = logged_in.cookies.get("oniondex_csrf")
    assert token
    assert f'name="csrf" value="{token}"' in page
    assert logged_in.post("/logout", follow_redirects=False).status_code == 403
    assert logged_in.get("/api/search?q=escrow").status_code == 200  # still logged in
    assert logged_in.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303


# --- 3: impossible dates, headers on errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ("/search?q=escrow after:2026-13-45", "2026-13-45"),
        ("/search?q=before:2026-02-30", "2026-02-30"),
        ("/search?q=escrow&after=2026-02-30", "2026-02-30"),
        ("/search?before=2026-13-45", "2026-13-45"),
        ("/api/search?q=after:2026-13-45", "2026-13-45"),
        ("/api/search?q=after:9999-12-31", "9999-12-31"),  # found by make fuzz: a 500 from the index
        ("/export/search.csv?q=after:2026-02-30", "2026-02-30"),
        ("/export/search.json?q=before:2026-13-45", "2026-13-45"),
    ],
)
def test_impossible_dates_are_a_clear_400_with_headers_and_audited(logged_in, path, bad):
    response = logged_in.get(path)
    assert response.status_code == 400
    assert bad in response.text
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value
    failed = audit_of(logged_in)[-1]
    assert failed["action"] == ("export_failed" if path.startswith("/export/") else "search_failed")
    assert failed["user"] == USER
    assert failed["status"] == 400


def test_every_error_carries_the_security_headers(logged_in, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(logged_in.app.state.desk.index, "search", broken)
    with TestClient(logged_in.app, raise_server_exceptions=False) as other:
        other.cookies.update(logged_in.cookies)
        answers = {
            404: other.get("/page?url=http://nowhere.onion/"),
            422: other.get("/api/search?page=0"),
            500: other.get("/api/search?q=escrow"),
        }
    for status, response in answers.items():
        assert response.status_code == status
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, (status, name)
    assert "exploded" not in answers[500].text
    assert "request_failed" in [e["action"] for e in audit_of(logged_in)]
    assert [e["status"] for e in audit_of(logged_in) if e["action"] == "search_failed"] == [422, 500]


# --- 7: 422 never echoes the body -------------------------------------------------------------------


def test_422_does_not_echo_the_password(client):
    api = client.post("/api/login", json={"password": SECRET})
    form = client.post("/login", data={"password": SECRET})
    for response in (api, form):
        assert response.status_code == 422
        assert SECRET not in response.text
    assert {tuple(e["loc"]) for e in api.json()["detail"]} == {("body", "user")}


# --- 5: the audit log -------------------------------------------------------------------------------


def test_audit_lines_are_bounded_and_inert(client):
    name = 'kim\u2028{"action": "login"}\u0085\u202eevil\x1b[2J\u200b' + "x" * 1_000_000
    assert client.post("/api/login", json={"user": name, "password": "wrong password!"}).status_code == 401
    raw = (client.data_dir / "audit.jsonl").read_bytes()
    assert raw.count(b"\n") == 1
    assert len(raw) <= MAX_LINE_BYTES
    for char in ("\u2028", "\u0085", "\u202e", "\x1b", "\u200b"):
        assert char.encode() not in raw
    (entry,) = audit_of(client)
    assert entry["action"] == "login_failed"
    assert entry["user"].startswith("kim\u2028")  # the escapes read back as what was typed


def test_failed_login_flood_adds_a_bounded_number_of_lines(client):
    client.app.state.desk.throttle = LoginThrottle(clock=lambda: 0.0)  # the flood comes all at once
    for n in range(60):
        client.post("/api/login", json={"user": f"guess{n}", "password": "wrong password!"})
    actions = [e["action"] for e in audit_of(client)]
    assert len(actions) <= LOCK_FAILURES + 1
    assert actions.count("login_failed") == FREE_FAILURES
