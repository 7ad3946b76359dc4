"""`oniondex evidence export --format stix|misp` and the desk's evidence export: the captures of the graph
world (tests/graph/world.py) archived as a crawl would, exported as a STIX 2.1 bundle that the stix2
library parses strictly, a MISP event pymisp loads, or the WARC case file (still the default); every export
verifies and is audited; a bad format is a clear error; the web form is login-only and CSRF-protected."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import stix2
from fastapi.testclient import TestClient
from pymisp import MISPEvent

from oniondex.cli import main
from oniondex.evidence.archive import CaptureArchive
from oniondex.evidence.capture import Exchange
from oniondex.evidence.errors import ExportError
from oniondex.evidence.export import Selection, export
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.evidence.manifest import verify
from tests.graph import world
from tests.ui.conftest import PASSWORD, USER
from web import create_app
from web.accounts import AccountStore

JOB = "20260315T090000Z-cafe01"
DEALER = f"http://{world.MARKET_B}/shop/dealer2"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The graph world's index and vendor store, and a capture of each of its pages in the WARC archive."""
    data = world.build(tmp_path / "data")
    archive = CaptureArchive(data / "warc", JOB, max_file_size=1 << 20)
    for record in world.records():
        body = f"<html><title>{record['title']}</title>{record['text']}</html>".encode()
        captured = archive.capture(Exchange(record["url"], 200, [("Content-Type", "text/html")], body))
        archive.note_page(captured.record_id, {"url": record["url"], "site": record["site"], "status": 200})
    archive.close()
    monkeypatch.setenv("ONIONDEX_DATA_DIR", str(data))
    monkeypatch.delenv("ONIONDEX_INDEX_URL", raising=False)
    monkeypatch.delenv("ONIONDEX_VENDOR_DB", raising=False)
    return data


def audit(data: Path) -> list[dict]:
    return [json.loads(line) for line in (data / "audit.jsonl").read_text().splitlines()]


def by_type(bundle) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in bundle.objects:
        out.setdefault(item.type, []).append(item)
    return out


def test_stix_export_of_an_entity_parses_strictly_and_verifies(data_dir, tmp_path, capsys):
    out = tmp_path / "case"
    assert main(["evidence", "export", "--entity", world.BTC, "--format", "stix", "--out", str(out)]) == 0
    assert "case.stix.json" in capsys.readouterr().out
    bundle = stix2.parse((out / "case.stix.json").read_text(encoding="utf-8"), allow_custom=False)
    objects = by_type(bundle)
    patterns = {i.pattern for i in objects["indicator"]}
    assert f"[cryptocurrency-wallet:value = '{world.BTC}']" in patterns
    assert f"[domain-name:value = '{world.MARKET_A}']" in patterns  # a site the address is on
    assert world.EMAIL in {o.value for o in objects["email-addr"]}  # seen with it on Dealer2's page
    sighted = {s.sighting_of_ref for s in objects["sighting"]}
    assert any(i.id in sighted for i in objects["indicator"] if world.MARKET_B in i.pattern)
    assert {"Dealer2"} <= {i.name for i in objects["identity"]}
    manifest, problems = verify(out)
    assert problems == []
    assert manifest["export_format"] == "stix"
    assert manifest["query"] == {"entity": world.BTC}
    assert len(manifest["urls"]) == 4  # the four pages and posts the address is on
    (entry,) = [e for e in audit(data_dir) if e["action"] == "evidence_export"]
    assert (entry["format"], entry["entity"], entry["via"], entry["captures"]) == ("stix", world.BTC, "cli", 4)
    assert entry["user"].startswith("cli:")


def test_misp_export_of_a_site_loads_with_pymisp(data_dir, tmp_path):
    out = tmp_path / "case"
    assert main(["evidence", "export", "--site", world.MARKET_A, "--format", "misp", "--out", str(out)]) == 0
    text = (out / "case.misp.json").read_text(encoding="utf-8")
    event = MISPEvent()
    event.load(text)
    values = {a.value: a.type for a in event.attributes}
    assert values[world.MARKET_A] == "onion-address"
    assert values[world.BTC] == "btc"
    assert values[f"http://{world.MARKET_A}/vendor/evil"] == "url"  # the captured page
    describe = MISPEvent().describe_types
    for attribute in json.loads(text)["Event"]["Attribute"]:
        assert attribute["type"] in describe["category_type_mappings"][attribute["category"]]
    assert verify(out)[1] == []


def test_one_url_exports_what_that_page_shows(data_dir, tmp_path):
    out = tmp_path / "case"
    assert main(["evidence", "export", "--url", DEALER, "--format", "stix", "--out", str(out)]) == 0
    objects = by_type(stix2.parse((out / "case.stix.json").read_text(encoding="utf-8"), allow_custom=False))
    patterns = {i.pattern for i in objects["indicator"]}
    assert f"[domain-name:value = '{world.MARKET_B}']" in patterns  # the page's site is the centre
    assert f"[cryptocurrency-wallet:value = '{world.ETH}']" in patterns
    assert world.MARKET_A not in " ".join(patterns)  # nothing from pages not selected
    assert json.loads((out / "manifest.json").read_text())["urls"] == [DEALER]


def test_warc_stays_the_default(data_dir, tmp_path):
    out = tmp_path / "case"
    assert main(["evidence", "export", "--url", DEALER, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "captures.warc.gz", "manifest.json", "manifest.json.sha256", "records.jsonl",
    ]  # fmt: skip
    assert verify(out)[1] == []
    assert audit(data_dir)[-1]["format"] == "warc"


def test_a_bad_format_is_a_clear_error(data_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["evidence", "export", "--url", DEALER, "--format", "pdf", "--out", str(tmp_path / "case")])
    assert stopped.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
    history = HistoryStore(data_dir / "warc" / HISTORY_FILE)
    try:
        with pytest.raises(ExportError, match="unknown export format 'pdf': one of warc, stix, misp"):
            export(Selection("url", DEALER), tmp_path / "case", data_dir / "warc", history, "", ["t"], fmt="pdf")
    finally:
        history.close()
    assert not (tmp_path / "case").exists()


def test_nothing_captured_is_refused_and_audited(data_dir, tmp_path, capsys):
    out = tmp_path / "case"
    assert main(["evidence", "export", "--url", DEALER + "x", "--format", "misp", "--out", str(out)]) == 2
    assert "no captures" in capsys.readouterr().out
    assert audit(data_dir)[-1]["action"] == "evidence_export_failed"


# --- the desk -----------------------------------------------------------------------------------------


@pytest.fixture
def desk(data_dir: Path):
    AccountStore(data_dir / "accounts.db").add(USER, PASSWORD)
    with TestClient(create_app(data_dir)) as client:
        yield client


@pytest.fixture
def analyst(desk):
    desk.get("/login")
    token = desk.cookies.get("oniondex_csrf", "")
    assert desk.post("/login", data={"user": USER, "password": PASSWORD, "csrf": token}).status_code == 200
    return desk


def post_export(client, csrf: str | None = None, **form: str):
    token = client.cookies.get("oniondex_csrf", "") if csrf is None else csrf
    return client.post("/evidence/export", data={"csrf": token, **form}, follow_redirects=False)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_desk_export_needs_a_login(desk, method):
    response = getattr(desk, method)("/evidence/export?kind=url&value=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_the_form_offers_the_formats_with_a_csrf_token(analyst):
    page = analyst.get(f"/evidence/export?kind=site&value={world.MARKET_A}")
    assert page.status_code == 200
    assert 'name="csrf"' in page.text
    assert all(f'<option value="{f}"' in page.text for f in ("warc", "stix", "misp"))
    entity_page = analyst.get(f"/entity/{world.BTC}")
    assert "/evidence/export?kind=entity&amp;value=" in entity_page.text  # linked from the pivots


def test_a_post_without_the_token_is_refused_and_audited(analyst, data_dir):
    response = post_export(analyst, csrf="forged", kind="site", value=world.MARKET_A, format="stix")
    assert response.status_code == 403
    assert audit(data_dir)[-1]["action"] == "evidence_export_refused"
    assert not any(e["action"] == "evidence_export" for e in audit(data_dir))


@pytest.mark.parametrize(("fmt", "name"), [("stix", "case.stix.json"), ("misp", "case.misp.json"),
                                           ("warc", "captures.warc.gz")])  # fmt: skip
def test_the_desk_sends_the_case_folder_as_a_zip_and_audits(analyst, data_dir, tmp_path, fmt, name):
    response = post_export(analyst, kind="entity", value=world.BTC, format=fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert f"oniondex-evidence-entity-{fmt}-" in response.headers["content-disposition"]
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path / "unzipped")
    folder = tmp_path / "unzipped" / "case"
    assert (folder / name).is_file()
    assert verify(folder)[1] == []
    if fmt == "stix":
        stix2.parse((folder / name).read_text(encoding="utf-8"), allow_custom=False)
    entry = audit(data_dir)[-1]
    assert (entry["action"], entry["user"], entry["format"]) == ("evidence_export", USER, fmt)
    assert (entry["value"], entry["captures"]) == (world.BTC, 4)


@pytest.mark.parametrize(
    ("form", "status", "message"),
    [
        ({"kind": "url", "value": DEALER, "format": "pdf"}, 400, "unknown export format &#39;pdf&#39;"),
        ({"kind": "page", "value": DEALER, "format": "stix"}, 400, "unknown selection"),
        ({"kind": "url", "value": " ", "format": "stix"}, 400, "needs its value"),
        ({"kind": "url", "value": DEALER + "x", "format": "stix"}, 404, "no captures"),
    ],
)
def test_bad_requests_are_clear_errors_and_audited(analyst, data_dir, form, status, message):
    response = post_export(analyst, **form)
    assert response.status_code == status
    assert message in response.text
    assert audit(data_dir)[-1]["action"] == "evidence_export_failed"
