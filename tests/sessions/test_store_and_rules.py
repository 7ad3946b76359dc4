"""The session store is encrypted at rest; cookie files are read for their own site only; the wall detectors
and the careful-member rules, as pure functions, on the sample world and on the member sites' pages."""

from __future__ import annotations

import json

import pytest

from oniondex.page import Page
from oniondex.sessions.cookies import read_cookie_file
from oniondex.sessions.member_rules import load_member_rules
from oniondex.sessions.model import Session, StoredCookie
from oniondex.sessions.store import SessionStore, SessionStoreError
from oniondex.sessions.walls import classify_wall, load_wall_rules
from sample_darknet import build_world
from sample_darknet import members as member_sites
from sample_darknet.members import DANGEROUS, MemberSites, vault_pages
from tests.sessions.conftest import KEY, LANTERN, VAULT, cookies_txt, oniondex


def test_the_store_file_holds_no_cookie_value_in_clear(members, tmp_path):
    host, cookies = members[VAULT]["onion"], members[VAULT]["browser_cookies"]
    path = cookies_txt(tmp_path / "cookies.txt", host, cookies)
    done = oniondex(tmp_path / "data", "session", "add", "vault", "--site", host, "--cookies", str(path))
    assert done.returncode == 0, done.stderr
    raw = (tmp_path / "data" / "sessions.enc").read_bytes()
    for secret in [*cookies.values(), *cookies, host]:
        assert secret.encode() not in raw
    assert (tmp_path / "data" / "sessions.enc").stat().st_mode & 0o077 == 0
    listed = oniondex(tmp_path / "data", "session", "list")
    assert "vault" in listed.stdout
    assert "2 cookies" in listed.stdout
    assert not any(value in listed.stdout for value in cookies.values())
    assert SessionStore(tmp_path / "data" / "sessions.enc", KEY).get("vault").cookies[0].value in cookies.values()


def test_a_wrong_key_opens_nothing(tmp_path):
    store = SessionStore(tmp_path / "s.enc", "right")
    store.put(Session("x", "a.onion", (StoredCookie("sid", "secret", "a.onion"),)))
    with pytest.raises(SessionStoreError, match="wrong session key"):
        SessionStore(tmp_path / "s.enc", "wrong")
    with pytest.raises(SessionStoreError, match="no session 'y'"):
        SessionStore(tmp_path / "s.enc", "right").get("y")


def test_remove_forgets_a_session(members, tmp_path):
    host = members[LANTERN]["onion"]
    path = cookies_txt(tmp_path / "c.txt", host, members[LANTERN]["browser_cookies"])
    assert oniondex(tmp_path, "session", "add", "l", "--site", host, "--cookies", str(path)).returncode == 0
    assert oniondex(tmp_path, "session", "remove", "l").returncode == 0
    assert "l\t" not in oniondex(tmp_path, "session", "list").stdout


def test_cookie_files_keep_their_own_sites_cookies_only(tmp_path):
    mine, other = "a" * 56 + ".onion", "b" * 56 + ".onion"
    netscape = tmp_path / "c.txt"
    netscape.write_text(
        f"{mine}\tFALSE\t/\tFALSE\t0\tsid\tv1\n.{other}\tTRUE\t/\tFALSE\t0\tsid\tv2\n", encoding="utf-8"
    )
    cookies, left_out = read_cookie_file(netscape, mine)
    assert [(c.name, c.value, c.expires) for c in cookies] == [("sid", "v1", None)]
    assert left_out == 1
    as_json = tmp_path / "c.json"
    rows = [{"name": "sid", "value": "j1", "domain": mine}, {"name": "t", "value": "j2", "domain": other}]
    as_json.write_text(json.dumps(rows), encoding="utf-8")
    assert [(c.name, c.value) for c in read_cookie_file(as_json, mine)[0]] == [("sid", "j1")]


def test_no_page_of_the_sample_world_is_a_wall():
    rules = load_wall_rules()
    pages = [
        (site, page)
        for site in build_world().sites.values()
        for page in site.pages.values()
        if page.stream is None and not page.media
    ]
    assert len(pages) > 2000
    walls = [
        (site.site_id, page.path)
        for site, page in pages
        if classify_wall(Page(site.base + page.path, page.body, page.content_type, page.status), rules)
    ]
    assert walls == []


def _answer(state: MemberSites, site_id: str, cookies: dict[str, str], path: str = "/") -> Page:
    """What the server answers a GET with these cookies (its handlers, without the HTTP around them)."""
    if site_id == LANTERN:
        answer = member_sites._lantern(state, "GET", path, cookies, {})
    else:
        answer = member_sites._vault(state, site_id, "GET", path, cookies, {})
    return Page("http://x.onion" + path, answer.body, answer.content_type, answer.status)


def test_every_wall_of_the_member_sites_is_classified(members):
    world, rules = build_world(), load_wall_rules()
    state = MemberSites(world)
    vault = members[VAULT]
    queue_pass = {"vault_q": vault["browser_cookies"]["vault_q"]}
    expected = {
        "queue": _answer(state, VAULT, {}),
        "login": _answer(state, VAULT, queue_pass),
        "banned": _answer(state, VAULT, vault["banned_cookies"]),
        "captcha": _answer(state, LANTERN, {}),
    }
    for kind, page in expected.items():
        wall = classify_wall(page, rules)
        assert wall is not None, kind
        assert wall.kind == kind, (kind, page.text[:200])
    short = vault["short_cookies"]
    for _ in range(10):
        last = _answer(state, VAULT, short)
    assert classify_wall(last, rules).state == "needs_login"
    member = _answer(state, VAULT, vault["browser_cookies"])
    assert classify_wall(member, rules) is None


def test_member_rules_deny_every_dangerous_link_and_allow_the_member_area():
    rules = load_member_rules()
    links = {link for page in vault_pages("Velvet Vault").values() for link in page.links}
    denied = {link for link in links if rules.refusal("GET", "http://x.onion" + link)}
    assert denied == {link for link in links if any(d in link for d in DANGEROUS)}
    assert {"/", "/listing/1", "/vendor/nightowl"} <= links - denied
    assert rules.refusal("POST", "http://x.onion/listing/1")
    assert rules.refusal("GET", "http://x.onion/index.php?action=logout")
