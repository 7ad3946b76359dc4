"""The analyst's journey in a real headless Chromium against `oniondex serve` on the crawled sample darknet.

Tests run in file order and share one logged-in browser context; each starts from a URL or from what the
previous page shows, and asserts what the page shows. Every request the browser makes is recorded, and
any not to the UI is aborted (conftest.Watched): the last tests assert there were none.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.ui.conftest import ARTIFACTS, PASSWORD, USER

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def page(watched):
    tab = watched.context.new_page()
    yield tab
    tab.close()


def hits(page):
    return page.locator("li.hit")


def search_for(page, text):
    page.fill("header input[name=q]", text)
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    return int(page.text_content("#total"))


def test_no_login_no_data(page, watched, ui_server):
    page.goto("/search?q=escrow")
    assert page.url.startswith(ui_server + "/login?next=")
    assert hits(page).count() == 0
    api = watched.context.request.get(ui_server + "/api/search?q=escrow")
    assert api.status == 401
    assert "hits" not in api.text()
    export = watched.context.request.get(ui_server + "/export/search.csv?q=escrow", max_redirects=0)
    assert export.status == 303
    assert "escrow" not in export.text().lower()


def test_wrong_password_is_refused(page):
    page.fill("input[name=user]", USER)
    page.fill("input[name=password]", "not the password")
    page.click("form button[type=submit]")
    assert page.locator("p.error").text_content() == "Wrong user name or password."


def test_log_in_lands_where_asked(page, ui_server):
    page.goto("/login?next=/search")
    page.fill("input[name=user]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(ui_server + "/search")
    assert page.locator(".who").text_content() == USER


def test_search_in_english(page):
    total = search_for(page, "escrow")
    assert total >= 3
    assert hits(page).count() == min(total, 20)
    marks = page.locator("li.hit .snippet mark").all_text_contents()
    assert marks
    assert all(m.lower().startswith("escrow") for m in marks)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "search.png", full_page=True)


def test_search_in_korean(page):
    total = search_for(page, "아이스")
    assert total >= 5
    assert "아이스" in hits(page).first.locator(".title").text_content()
    assert "아이스" in page.locator("li.hit .snippet mark").all_text_contents()


def test_facet_narrows_by_language(page):
    before = int(page.text_content("#total"))
    facet = page.locator("section.facet[data-facet=Language] a", has_text=re.compile(r"^ko$"))
    expected = int(facet.locator("xpath=following-sibling::span").text_content())
    facet.click()
    page.wait_for_load_state()
    assert page.input_value("header input[name=q]") == "아이스 lang:ko"
    assert int(page.text_content("#total")) == expected <= before
    assert set(page.locator("li.hit .lang").all_text_contents()) == {"ko"}
    assert page.locator("a.filter").text_content().startswith("lang:ko")


def test_address_pivot_from_a_page(page, truth):
    address, vendor = seller_address(truth)
    search_for(page, f"btc:{address}")
    hits(page).first.locator("a.title").click()
    page.locator("#entities a", has_text=address).click()
    page.wait_for_load_state()
    assert page.text_content("#entity-value") == address
    assert "BTC" in page.text_content("h1 .kind")
    assert int(page.text_content("#page-count")) >= 2
    assert page.locator("#sites a.site").count() >= 2
    assert vendor in page.locator("#vendors a.vendor").all_text_contents()
    page.screenshot(path=ARTIFACTS / "address-pivot.png", full_page=True)


def test_follow_the_address_to_its_vendor(page, truth):
    _, vendor = seller_address(truth)
    page.locator("#vendors a.vendor", has_text=vendor).first.click()
    page.wait_for_load_state()
    assert page.text_content("#vendor-name") == vendor
    assert int(page.text_content("#site-count")) >= 2
    evidence_types = page.locator("#links tbody tr td:nth-child(2)").all_text_contents()
    assert "pgp" in evidence_types


def test_follow_the_vendor_to_a_site(page):
    onion = page.locator("#markets a.site").first.text_content()
    page.locator("#markets a.site").first.click()
    page.wait_for_load_state()
    assert page.text_content("#site-onion") == onion
    assert page.text_content("#liveness dd.state") == "up"
    assert page.locator("#pages li").count() >= 1
    assert page.locator("#entities a").count() >= 1


def test_export_search_results_as_csv(page):
    total = search_for(page, "escrow")
    with page.expect_download() as download:
        page.click("p.exports a:text('CSV')")
    body = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == total
    assert all(row["url"].startswith("http://") and ".onion/" in row["url"] for row in rows)
    assert any("escrow" in row["snippet"].lower() for row in rows)


def test_hostile_page_is_shown_inert(page, watched):
    search_for(page, '"Totally safe page"')
    response = None
    with page.expect_response(lambda r: r.url.startswith(watched.base_url + "/page?")) as answer:
        hits(page).first.locator("a.title").click()
    response = answer.value
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert "Totally safe page" in page.text_content("#text")
    assert_inert(page, watched)


def test_hostile_markup_as_text_is_escaped(page, watched):
    search_for(page, '"Paste of hostile markup"')
    hits(page).first.locator("a.title").click()
    page.wait_for_load_state()
    shown = page.text_content("#text pre")
    assert "<script>document.cookie='x=1'" in shown
    assert 'onerror="alert(1)"' in shown
    assert "<script>alert('title')</script>" in page.text_content("#page-title")
    assert_inert(page, watched)


def assert_inert(page, watched):
    """Nothing from the crawl became markup, nothing ran, nothing was fetched from elsewhere."""
    found = page.evaluate(
        """() => ({
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))
            .filter(n => n.startsWith('on')),
        jsLinks: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
            .filter(h => !h.startsWith('/')),
        embeds: document.querySelectorAll('iframe, img, object, embed, form[action^="http"]').length,
        refresh: document.querySelectorAll('meta[http-equiv]').length,
        cookie: document.cookie,
        csp: window.__csp,
    })"""
    )
    assert found == {"scripts": 0, "handlers": [], "jsLinks": [], "embeds": 0, "refresh": 0, "cookie": "", "csp": []}
    assert watched.dialogs == []
    page.wait_for_timeout(300)  # a meta refresh or timer would have fired by now
    assert page.url.startswith(watched.base_url + "/page?")


def test_no_request_left_for_anywhere_but_oniondex(watched):
    assert watched.requests
    assert watched.blocked == []
    assert all(url.startswith(watched.base_url + "/") for url in watched.requests)


def test_audit_log_records_the_searches_and_the_export(ui_data):
    entries = [json.loads(line) for line in (ui_data / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    mine = [e for e in entries if e["user"] == USER]
    searches = {e["query"] for e in mine if e["action"] == "search"}
    assert {"escrow", "아이스", "아이스 lang:ko"} <= searches
    assert any(e["action"] == "export" and e["kind"] == "search" and e["q"] == "escrow" for e in mine)
    assert any(e["action"] == "view_page" for e in mine)
    assert [e["action"] for e in entries if e["action"].startswith("login")][:2] == ["login_failed", "login"]
    assert all(e["time"].endswith("+00:00") for e in entries)


def seller_address(truth):
    """A BTC address on a vendor's profile page, where the vendor sells on two or more markets (by PGP key)."""
    for link in truth["vendor_links"]:
        if link["evidence"] != "pgp":
            continue
        for member in link["members"]:
            page = truth["sites"][member["host"]]["pages"]
            for spec in page.values():
                if spec["url"] == member["url"]:
                    btc = [e["value"] for e in spec["entities"] if e["type"] == "BTC"]
                    if btc:
                        return btc[0], member["name"]
    raise AssertionError("the sample darknet has no cross-market vendor with a BTC address on its profile")
