"""Fixtures for the web UI tests.

API tests (no browser) run on a small index built here through the `Index` interface. Browser tests
(`@pytest.mark.ui`) run on a real crawl of the sample darknet, served by `oniondex serve` in a child
process, and driven by Debian's chromium through Playwright. Set ONIONDEX_UI_TEST_DATA=DIR to serve a copy
of an existing data directory (e.g. the one `make demo` built) instead of crawling.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from oniondex.index import SearchQuery, open_index
from tests.conftest import ROOT, SAMPLE_SEEDS, run_crawl
from web import create_app
from web.accounts import AccountStore

USER, PASSWORD = "analyst", "correct horse battery staple"
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE_SITE = "hostile-markup"


def hostile_markup() -> str:
    """The sample darknet's hostile page, as the bytes it serves."""
    from sample_darknet import build_world

    spec = build_world().by_id(HOSTILE_SITE).lookup("/")
    assert spec is not None
    return spec.body.decode("utf-8")


def paste_of(markup: str, site: str, fetched_at: str) -> dict[str, Any]:
    """A text/plain paste whose text is hostile markup: what the index keeps verbatim for a plain-text page."""
    url = f"http://{site}/paste/hostile"
    return {
        "url": url,
        "id": url,
        "site": site,
        "fetched_at": fetched_at,
        "status": 200,
        "title": "<script>alert('title')</script>Paste of hostile markup",
        "text": markup,
        "language": "en",
        "content_type": "text/plain; charset=utf-8",
        "sha256": "0" * 64,
        "tags": [],
        "entities": [
            {"type": "email", "value": "x@example.com", "snippet": "<img src=x onerror=alert(1)>x@example.com"}
        ],
        "listings": [],
        "vendors": [{"name": "<b onmouseover=alert(3)>evil</b>"}],
    }


@pytest.fixture
def client(tmp_path: Path):
    """A TestClient on a small index holding the hostile paste and two ordinary pages; not logged in."""
    from fastapi.testclient import TestClient

    site = "a" * 56 + ".onion"
    index = open_index(tmp_path / "index")
    ordinary = [
        {
            **paste_of("", site, f"2026-01-0{n}T00:00:00Z"),
            "url": f"http://{site}/p{n}",
            "id": f"http://{site}/p{n}",
            "title": title,
            "text": text,
            "sha256": str(n) * 64,
            "vendors": [],
            "entities": [{"type": "BTC", "value": "bc1qexampleaddress", "snippet": "pay bc1qexampleaddress"}],
        }
        for n, title, text in (
            (1, "Escrow market", "full escrow =HYPERLINK(1) bc1qexampleaddress"),
            (2, "아이스 직거래", "부산 아이스 팝니다 bc1qexampleaddress"),
        )
    ]
    index.add_pages([paste_of(hostile_markup(), site, "2026-01-03T00:00:00Z"), *ordinary])
    index.commit()
    AccountStore(tmp_path / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(tmp_path, index=index)) as test_client:
        test_client.data_dir = tmp_path
        test_client.site = site
        yield test_client


def form_login(client, **data: str):
    """POST the login form as a browser does: with the CSRF token the login page handed out."""
    client.get("/login")
    data = {"user": USER, "password": PASSWORD, "csrf": client.cookies.get("oniondex_csrf", ""), **data}
    return client.post("/login", data=data, follow_redirects=False)


@pytest.fixture
def logged_in(client):
    response = form_login(client)
    assert response.status_code == 303
    return client


# --- browser tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def ui_data(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("ui-data")
    existing = os.environ.get("ONIONDEX_UI_TEST_DATA")
    if existing:
        shutil.copytree(existing, data_dir, dirs_exist_ok=True)
        for stale in ("accounts.db", "audit.jsonl"):
            (data_dir / stale).unlink(missing_ok=True)
    else:
        socks_front = request.getfixturevalue("socks_front")
        run = run_crawl(data_dir, SAMPLE_SEEDS, socks_front.url, "--depth", "3", "--max-pages", "60")
        assert run.returncode == 0, run.output[-3000:]
    index = open_index(data_dir / "index")
    hostile = index.search(SearchQuery(text='"Totally safe page"'))
    assert hostile.total, "the crawl did not index the sample darknet's hostile page"
    index.add_pages([paste_of(hostile_markup(), hostile.hits[0].site, hostile.hits[0].fetched_at)])
    index.commit()
    AccountStore(data_dir / "accounts.db").add(USER, PASSWORD)
    return data_dir


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """`oniondex serve` on `data_dir` in a child process, on a free loopback port: its base URL."""
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data_dir)}
    env.pop("ONIONDEX_INDEX_URL", None)
    command = [sys.executable, "-m", "oniondex", "serve", "--host", "127.0.0.1", "--port", "0"]
    with subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as child:
        try:
            line = ""
            while child.stdout and not line.startswith("serving on "):
                line = child.stdout.readline()
                assert line or child.poll() is None, f"oniondex serve exited: {child.returncode}"
            yield line.removeprefix("serving on ").strip()
        finally:
            child.terminate()
            child.wait(timeout=10)


@pytest.fixture(scope="session")
def ui_server(ui_data: Path) -> Iterator[str]:
    with served(ui_data) as base_url:
        yield base_url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Runs before any page script: counts what hostile content could do if it ever ran or loaded.
TRAPS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.blockedURI + ' ' + e.violatedDirective));
"""


class Watched:
    """One browser context whose every request is recorded; any request not to the UI's host is aborted."""

    def __init__(self, context: Any, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        context.route("**/*", self._route)
        context.add_init_script(TRAPS)
        context.on("page", lambda page: page.on("dialog", self._dialog))

    def _route(self, route: Any) -> None:
        url = route.request.url
        self.requests.append(url)
        if url.startswith(self.base_url + "/"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, chromium_sandbox=False, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def log_in(page: Any, target: str = "/search") -> None:
    """Log in through the login form, as an analyst does, and wait to land on `target`."""
    page.goto(f"/login?next={target}")
    page.fill("input[name=user]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{target}**")


@pytest.fixture(scope="module")
def watched(browser: Any, ui_server: str) -> Iterator[Watched]:
    """A fresh context (its own empty profile), not logged in."""
    context = browser.new_context(base_url=ui_server, accept_downloads=True, locale="ko-KR")
    context.set_default_timeout(15_000)
    try:
        yield Watched(context, ui_server)
    finally:
        context.close()
