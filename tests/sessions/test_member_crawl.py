"""Crawls of the member-only sample sites: without a session, with Tor Browser cookies, with credentials and
a login profile, with a session that expires mid-crawl, with a banned account; and what the server saw."""

from __future__ import annotations

import json
import sqlite3

import pytest

from sample_darknet import build_world
from sample_darknet.members import ACCOUNTS, DANGEROUS
from tests.sessions.conftest import (
    AGORA,
    LANTERN,
    MEMBER_SITES,
    VAULT,
    cookies_txt,
    crawl,
    indexed_urls,
    oniondex,
    seed_file,
)

OTHER_SITE = "shop-iceking"  # an ordinary site crawled beside them: it must never see a cookie


def _seed(truth: dict, site_id: str, session: str = "") -> str:
    return f"http://{truth[site_id]['onion']}/  tags=members" + (f"  session={session}" if session else "")


def _add_cookie_session(data_dir, tmp_path, name: str, host: str, cookies: dict[str, str]) -> None:
    path = cookies_txt(tmp_path / f"{name}.txt", host, cookies)
    done = oniondex(data_dir, "session", "add", name, "--site", host, "--cookies", str(path))
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def other_onion() -> str:
    return build_world().by_id(OTHER_SITE).onion


@pytest.fixture(scope="module")
def no_session(members, member_socks, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("no-session")
    seeds = seed_file(tmp / "seeds.txt", [_seed(members, s) for s in MEMBER_SITES])
    return crawl(tmp / "data", seeds, member_socks)


@pytest.fixture(scope="module")
def with_cookies(members, member_socks, other_onion, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cookies")
    for site_id in MEMBER_SITES:
        _add_cookie_session(tmp / "data", tmp, site_id, members[site_id]["onion"], members[site_id]["browser_cookies"])
    lines = [_seed(members, s, s) for s in MEMBER_SITES] + [f"http://{other_onion}/"]
    return crawl(tmp / "data", seed_file(tmp / "seeds.txt", lines), member_socks)


@pytest.fixture(scope="module")
def with_credentials(members, member_socks, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("credentials")
    account = ACCOUNTS[0]
    for site_id in (VAULT, AGORA):
        args = ["session", "add", site_id, "--site", members[site_id]["onion"], "--username", account.username]
        args += ["--password-stdin", "--form", "form#login", "--success", "a[href='/logout']"]
        done = oniondex(tmp / "data", *args, stdin=account.password + "\n")
        assert done.returncode == 0, done.stderr
    seeds = seed_file(tmp / "seeds.txt", [_seed(members, s, s) for s in (VAULT, AGORA)])
    return crawl(tmp / "data", seeds, member_socks)


@pytest.fixture(scope="module")
def expiring_and_banned(members, member_socks, tmp_path_factory):
    """Agora with a session the server expires after 4 pages; the vault with a banned account's cookies."""
    tmp = tmp_path_factory.mktemp("expiring")
    _add_cookie_session(tmp / "data", tmp, "short", members[AGORA]["onion"], members[AGORA]["short_cookies"])
    _add_cookie_session(tmp / "data", tmp, "exiled", members[VAULT]["onion"], members[VAULT]["banned_cookies"])
    seeds = seed_file(tmp / "seeds.txt", [_seed(members, AGORA, "short"), _seed(members, VAULT, "exiled")])
    return crawl(tmp / "data", seeds, member_socks)


def test_without_a_session_the_sites_need_an_investigator(members, no_session):
    summary = no_session.summary
    expected = {members[s]["onion"]: members[s]["wall_state"] for s in MEMBER_SITES}
    assert summary["needs_investigator"] == expected
    assert members[AGORA]["wall_state"] == "needs_login"
    assert {summary["per_site"][h]["state"] for h in expected} == {"needs_login", "walled"}
    assert summary["pages"] == 0
    assert indexed_urls(no_session.data_dir) == {}
    assert "needs_login" in no_session.output
    db = sqlite3.connect(no_session.data_dir / "sites.db")
    assert dict(db.execute("SELECT site, state FROM sites")) == expected


def test_a_reindex_of_the_captures_indexes_no_wall_page(no_session):
    # The wall answers are kept in the WARC files as evidence, but the spider made no page record of them,
    # so the replay (which reads page records) has nothing to index.
    with sqlite3.connect(no_session.data_dir / "warc" / "history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM records WHERE type = 'response'").fetchone()[0] > 0
    done = oniondex(no_session.data_dir, "reindex", "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "reindexed 0 pages" in done.stdout
    assert indexed_urls(no_session.data_dir) == {}


def test_with_tor_browser_cookies_the_member_area_is_crawled(members, with_cookies, other_onion):
    indexed = indexed_urls(with_cookies.data_dir)
    for site_id in MEMBER_SITES:
        onion = members[site_id]["onion"]
        assert {u for u, site in indexed.items() if site == onion} == set(members[site_id]["member_pages"])
        assert with_cookies.summary["per_site"][onion]["state"] == "up"
    assert any(site == other_onion for site in indexed.values())
    assert with_cookies.summary["needs_investigator"] == {}


def test_with_credentials_and_a_login_profile_the_member_area_is_crawled(members, with_credentials):
    indexed = indexed_urls(with_credentials.data_dir)
    for site_id in (VAULT, AGORA):
        onion = members[site_id]["onion"]
        assert {u for u, site in indexed.items() if site == onion} == set(members[site_id]["member_pages"])
    stats = json.loads(json.dumps(with_credentials.summary))
    assert stats["needs_investigator"] == {}
    assert "logged in with session" in with_credentials.output


def test_a_session_expiring_mid_crawl_pauses_the_site(members, expiring_and_banned, member_darknet):
    summary = expiring_and_banned.summary
    agora, vault = members[AGORA]["onion"], members[VAULT]["onion"]
    assert summary["needs_investigator"] == {agora: "needs_login", vault: "banned"}
    assert "session_expired" in summary["per_site"][agora]["last_error"]
    indexed = indexed_urls(expiring_and_banned.data_dir)
    agora_pages = {u for u, site in indexed.items() if site == agora}
    lifetime = next(a.lifetime for a in ACCOUNTS if a.username == "shortlived")
    assert 0 < len(agora_pages) <= lifetime
    assert agora_pages <= set(members[AGORA]["member_pages"])  # the expired page itself is not indexed
    assert not any(site == vault for site in indexed.values())
    # Detected at the next page: one expired page was fetched, the site's other requests were held, never sent.
    assert "'oniondex/walls/session_expired': 1," in expiring_and_banned.output
    assert "oniondex/walls/held/needs_login" in expiring_and_banned.output
    agora_log = [e for e in member_darknet.log() if e["host"] == agora and e["time"] >= expiring_and_banned.started]
    assert len(agora_log) == len(agora_pages) + 1


def test_the_server_saw_a_careful_member(
    members, member_darknet, no_session, with_cookies, with_credentials, expiring_and_banned, other_onion
):
    log = member_darknet.log()
    member_hosts = {members[s]["onion"] for s in MEMBER_SITES}
    seen = [entry for entry in log if entry["host"] in member_hosts]
    assert len(seen) > 40
    for entry in seen:
        path = entry["path"].split("?")[0]
        assert not any(path.startswith(d) or path.endswith(d) for d in DANGEROUS), entry
        assert entry["method"] in ("GET", "HEAD") or (entry["method"], path) == ("POST", "/login"), entry
    assert any(e["method"] == "POST" for e in seen), "the credentials crawl logged in"
    # Cookies go to their own site only: each member site saw only its own cookie names, the other none.
    own = {members[s]["onion"]: set(members[s]["browser_cookies"]) | {"vault_pre"} for s in MEMBER_SITES}
    for entry in seen:
        assert set(entry["cookies"]) <= own[entry["host"]], entry
    assert all(e["cookies"] == [] for e in log if e["host"] == other_onion)
    assert any(e["host"] == other_onion for e in log)
    assert any(e["cookies"] for e in log if e["host"] == members[LANTERN]["onion"])
