"""Investigator sessions through a real Tor client: the member sites' cookies never leave their site's
circuit (the control port's STREAM events name each stream's circuit and SOCKS username; the sample
server's log names each request's cookies)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from crawler.middlewares.tor_proxy import circuit_username
from sample_darknet import build_world
from tests.sessions.conftest import MEMBER_SITES, cookies_txt, indexed_urls, members, oniondex, seed_file
from tests.tor.test_crawl_through_tor import PROXY_ENV

pytestmark = pytest.mark.tor
__all__ = ["members"]  # the member sites' truth, a fixture of tests/sessions


@pytest.fixture(scope="module")
def session_crawl(tornet, darknet, members, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tor-sessions")
    data = tmp / "data"
    for site_id in MEMBER_SITES:
        host = members[site_id]["onion"]
        path = cookies_txt(tmp / f"{site_id}.txt", host, members[site_id]["browser_cookies"])
        assert oniondex(data, "session", "add", site_id, "--site", host, "--cookies", str(path)).returncode == 0
    other = build_world().by_id("shop-iceking").onion
    lines = [f"http://{members[s]['onion']}/  session={s}" for s in MEMBER_SITES] + [f"http://{other}/"]
    seeds = seed_file(tmp / "seeds.txt", lines)
    before = len(darknet.log())
    with tornet.controller() as control, pytest.MonkeyPatch.context() as patch:
        control.set_events("STREAM")
        for name in PROXY_ENV:
            patch.delenv(name, raising=False)
        args = ["crawl", str(seeds), "--proxy", tornet.socks_url, "-s", "ONIONDEX_SESSION_DELAY=0.05"]
        done = oniondex(data, *args)
        events = control.drain_events()
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return data, events, darknet.log()[before:], other


def test_member_areas_crawled_through_tor(members, session_crawl):
    data, *_ = session_crawl
    indexed = set(indexed_urls(data))
    for site_id in MEMBER_SITES:
        assert set(members[site_id]["member_pages"]) <= indexed


def test_cookies_never_leave_their_sites_circuit(members, session_crawl):
    _, events, log, other = session_crawl
    sites_by_circuit: dict[str, set[str]] = defaultdict(set)
    usernames: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.type == "STREAM" and event.args[1] == "SUCCEEDED":
            site = event.args[3].rsplit(":", 1)[0]
            sites_by_circuit[event.args[2]].add(site)
            usernames[site].add(event.keywords().get("SOCKS_USERNAME", ""))
    assert all(len(sites) == 1 for sites in sites_by_circuit.values()), sites_by_circuit
    for site_id in MEMBER_SITES:
        host = members[site_id]["onion"]
        assert usernames[host] == {circuit_username(host)}
    # Each request's cookies: the site's own, and none at all for the site without a session.
    own = {members[s]["onion"]: set(members[s]["browser_cookies"]) for s in MEMBER_SITES}
    cookied = [entry for entry in log if entry["cookies"]]
    assert cookied
    assert all(set(entry["cookies"]) <= own.get(entry["host"], set()) for entry in cookied)
    assert any(entry["host"] == other for entry in log)
