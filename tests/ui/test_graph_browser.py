"""The link graph and the timeline in a real headless Chromium (Debian's) against `oniondex serve` on the
graph world (tests/graph/world.py): the SVG renders with one link per node, a hostile vendor name shows as
text and runs nothing, an edge opens its evidence, and no request leaves the desk. Screenshots are kept
in test-artifacts/ (gitignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from oniondex.graph.build import vendor_ref
from oniondex.graph.labels import short
from tests.graph import world
from tests.ui.conftest import ARTIFACTS, PASSWORD, USER, Watched, log_in, served
from web.accounts import AccountStore

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = world.build(tmp_path_factory.mktemp("graph-ui") / "data")
    AccountStore(data_dir / "accounts.db").add(USER, PASSWORD)
    with served(data_dir) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def tab(browser, graph_server):
    """A logged-in page in a context of its own (the shared Chromium's), every request watched."""
    context = browser.new_context(base_url=graph_server, viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    watched = Watched(context, graph_server)
    page = context.new_page()
    log_in(page)
    page.watched = watched
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_vendor_page_leads_to_a_graph_with_the_hostile_name_as_text(tab):
    tab.goto("/vendor/Dealer2")
    tab.click("a.graph-link")
    tab.wait_for_selector("svg.graph")
    nodes = tab.locator("svg.graph a.node")
    assert nodes.count() == int(tab.text_content("#node-count")) == int(tab.get_attribute("svg.graph", "data-nodes"))
    assert tab.locator("svg.graph a.edge").count() == int(tab.text_content("#edge-count"))
    hostile = tab.locator(f'svg.graph a.node[data-id="{vendor_ref(world.HOSTILE).id}"] text')
    assert hostile.text_content() == short(world.HOSTILE)  # "<script>alert('x')</…" as text
    assert tab.locator("svg.graph script, script").count() == 0
    assert tab.evaluate("window.__csp") == []
    assert tab.watched.dialogs == []
    screenshot(tab, "graph-vendor")


def test_a_bounded_graph_says_how_many_are_not_shown(tab):
    tab.goto(f"/graph?node=entity:{world.BTC}&max_nodes=15")
    assert tab.locator("svg.graph a.node").count() == 15
    hidden = int(tab.text_content("#hidden-count"))
    assert hidden > 0
    assert tab.text_content("svg.graph text.more") == f"{hidden} more not shown"
    screenshot(tab, "graph-bounded")


def test_an_edge_opens_its_evidence(tab):
    tab.goto(f"/graph?node=site:{world.MARKET_B}&depth=1")
    tab.locator("svg.graph a.edge").first.click(force=True)
    tab.wait_for_url("**/graph/evidence?**")
    assert int(tab.text_content("#evidence-count")) >= 1
    assert tab.locator("#evidence tbody tr").count() >= 1


def test_timeline_renders_a_bar_per_place(tab):
    tab.goto(f"/entity/{world.BTC}")
    tab.click("a.timeline-link")
    tab.wait_for_selector("svg.timeline")
    rows = tab.locator("svg.timeline a.span")
    assert rows.count() == int(tab.text_content("#row-count")) >= 4
    assert tab.locator("svg.timeline a.span rect").count() == rows.count()
    assert tab.text_content("#first-seen") == world.TIMES["a"][:19]
    vendor_row = tab.locator(f'svg.timeline a.span[data-id="{vendor_ref(world.HOSTILE).id}"] text')
    assert vendor_row.text_content() == short(world.HOSTILE, 32)
    assert tab.evaluate("window.__csp") == []
    screenshot(tab, "timeline-entity")


def test_nothing_left_the_desk(tab):
    assert tab.watched.blocked == []
    assert tab.watched.dialogs == []
