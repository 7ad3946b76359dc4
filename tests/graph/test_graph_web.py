"""The graph, evidence, timeline and export routes of the desk: login, escaping, audit, errors; the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2
from fastapi.testclient import TestClient

from oniondex.cli import main
from oniondex.graph.build import vendor_ref
from tests.graph import world
from tests.ui.conftest import PASSWORD, USER
from web import create_app
from web.accounts import AccountStore

HOSTILE = vendor_ref(world.HOSTILE)


@pytest.fixture
def desk(data_dir: Path):
    AccountStore(data_dir / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(data_dir)) as client:
        client.data_dir = data_dir
        yield client


@pytest.fixture
def analyst(desk):
    token = desk.post("/api/login", json={"user": USER, "password": PASSWORD}).json()["token"]
    desk.headers["authorization"] = f"Bearer {token}"
    return desk


def audit(client) -> list[dict]:
    return [json.loads(line) for line in (client.data_dir / "audit.jsonl").read_text().splitlines()]


@pytest.mark.parametrize(
    "path",
    [
        "/graph?node=entity:x",
        "/graph/evidence?a=entity:x&b=site:y",
        "/timeline?node=entity:x",
        "/graph/export/stix?node=entity:x",
    ],
)
def test_login_required(desk, path):
    response = desk.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_graph_page_draws_the_neighbourhood_escaped_and_audits(analyst):
    response = analyst.get(f"/graph?node=vendor:{world.HOSTILE}&depth=2&max_nodes=25")
    assert response.status_code == 200
    assert "script-src 'none'" in response.headers["content-security-policy"]
    html = response.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="graph"' in html
    assert 'data-nodes="25"' in html
    assert "<script" not in html
    assert "\u202e" not in html
    assert "&lt;script&gt;alert(" in html
    assert html.count('<a class="edge" href="/graph/evidence?a=') == html.count('class="evidence-link"') > 0
    entry = audit(analyst)[-1]
    assert entry["action"] == "view_graph"
    assert entry["node"] == HOSTILE.id
    assert entry["nodes"] == 25


def test_evidence_page_lists_the_captures(analyst):
    response = analyst.get(f"/graph/evidence?a=site:{world.MARKET_B}&b=entity:{world.BTC}")
    assert response.status_code == 200
    assert 'id="evidence-count">1<' in response.text
    assert f"http://{world.MARKET_B}/shop/dealer2" in response.text
    assert audit(analyst)[-1]["action"] == "view_graph_evidence"


def test_timeline_page(analyst):
    response = analyst.get(f"/timeline?node=entity:{world.BTC}")
    assert response.status_code == 200
    assert 'class="timeline"' in response.text
    assert world.TIMES["a"][:19] in response.text
    assert audit(analyst)[-1]["action"] == "view_timeline"


def test_pivot_pages_link_to_the_graph_and_timeline(analyst):
    for path in (f"/entity/{world.BTC}", "/vendor/Dealer2", f"/site/{world.MARKET_A}", f"/channel/{world.CHANNEL}"):
        html = analyst.get(path).text
        assert 'class="graph-link" href="/graph?node=' in html, path
        assert 'class="timeline-link" href="/timeline?node=' in html, path


def test_exports_are_served_and_audited(analyst):
    node = f"node=entity:{world.BTC}&max_nodes=20"
    stix = analyst.get(f"/graph/export/stix?{node}")
    assert stix.headers["content-type"].startswith("application/stix+json")
    assert stix.headers["content-disposition"].startswith('attachment; filename="oniondex-entity-')
    stix2.parse(stix.text, allow_custom=False)
    assert analyst.get(f"/graph/export/misp?{node}").json()["Event"]["Attribute"]
    assert analyst.get(f"/graph/export/graphml?{node}").content.startswith(b"<?xml")
    assert analyst.get(f"/graph/export/links.csv?{node}").text.startswith("\ufeffsource,target")
    entry = audit(analyst)[-1]
    assert (entry["action"], entry["format"], entry["nodes"]) == ("export_graph", "links.csv", 20)


def test_bad_requests_are_clear(analyst):
    assert analyst.get("/graph?node=nokind").status_code == 400
    assert analyst.get("/graph?node=channel:ab").status_code == 400
    assert analyst.get("/graph?node=entity:x&depth=9").status_code == 422
    assert analyst.get("/graph?node=entity:x&max_nodes=0").status_code == 422
    assert analyst.get("/graph/export/pdf?node=entity:x").status_code == 404


def test_cli_exports_write_whole_files_and_audit(data_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ONIONDEX_DATA_DIR", str(data_dir))
    monkeypatch.delenv("ONIONDEX_INDEX_URL", raising=False)
    out = tmp_path / "case" / "bundle.json"
    assert main(["export", "stix", "--vendor", "Dealer2", "--out", str(out)]) == 0
    stix2.parse(out.read_text(), allow_custom=False)
    assert "stix: " in capsys.readouterr().err
    graph = tmp_path / "g.gexf"
    assert (
        main(["export", "graph", "--format", "gexf", "--site", world.MARKET_A, "--depth", "1", "--out", str(graph)])
        == 0
    )
    assert b"<gexf" in graph.read_bytes()
    assert main(["export", "misp", "--entity", "bc1qnothing", "--out", str(tmp_path / "m.json")]) == 1
    assert "nothing in the index" in capsys.readouterr().err
    assert main(["export", "misp", "--channel", "ab", "--out", str(tmp_path / "x.json")]) == 2
    assert not (tmp_path / "x.json").exists()
    lines = [json.loads(line) for line in (data_dir / "audit.jsonl").read_text().splitlines()]
    assert [(e["action"], e["format"], e["via"]) for e in lines[:2]] == [
        ("export_graph", "stix", "cli"),
        ("export_graph", "gexf", "cli"),
    ]
