"""Archive, export and verify on synthetic captures: rolling, revisits, what an export holds, and that
verify names every changed, missing or added file."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from oniondex.evidence.archive import CaptureArchive
from oniondex.evidence.capture import Exchange
from oniondex.evidence.errors import ExportError
from oniondex.evidence.export import Selection, export, selected_urls
from oniondex.evidence.history import HISTORY_FILE, HistoryStore
from oniondex.evidence.manifest import verify
from oniondex.evidence.warcfile import sha256_hex, warc_files
from oniondex.index import open_index

ONION = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"
OTHER = "6q7srvdpzpc5gg23kzngulertw42jh3x3szcxktxlgzt242fm2wkjyad.onion"
WARCIO = Path(sys.executable).parent / "warcio"


def html(url, text):
    return Exchange(url, 200, [("Content-Type", "text/html")], f"<html>{text}</html>".encode())


@pytest.fixture
def archive_root(tmp_path):
    """Two jobs: /a changes, /b does not, OTHER's page appears once; files roll at 1 kB."""
    root = tmp_path / "warc"
    for job, a_text in (("20250101T000000Z-aaaaaa", "first"), ("20250102T000000Z-bbbbbb", "second")):
        archive = CaptureArchive(root, job, max_file_size=1024)
        for exchange in (html(f"http://{ONION}/a", a_text), html(f"http://{ONION}/b", "same")):
            captured = archive.capture(exchange)
            archive.note_page(captured.record_id, {"url": exchange.url, "site": ONION, "status": 200})
        if job.endswith("a"):
            archive.capture(html(f"http://{OTHER}/", "elsewhere"))
        archive.close()
    return root


def run_export(root, tmp_path, selection, index=None):
    history = HistoryStore(root / HISTORY_FILE)
    try:
        return export(selection, tmp_path / "out", root, history, str(index or tmp_path / "index"), ["test"])
    finally:
        history.close()


def test_files_roll_per_job_and_pass_warcio_check(archive_root):
    files = warc_files(archive_root)
    assert len(files) > 2
    assert {path.parent.name for path in files} == {"20250101T000000Z-aaaaaa", "20250102T000000Z-bbbbbb"}
    checked = subprocess.run([WARCIO, "check", *files], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout


def test_history_keeps_versions_with_times_and_hashes(archive_root):
    history = HistoryStore(archive_root / HISTORY_FILE)
    a, b = history.versions(f"http://{ONION}/a"), history.versions(f"http://{ONION}/b")
    history.close()
    assert [v.sha256 for v in a] == [sha256_hex(b"<html>first</html>"), sha256_hex(b"<html>second</html>")]
    assert [(v.times_seen, v.sha256) for v in b] == [(2, sha256_hex(b"<html>same</html>"))]


def test_export_of_a_site_holds_its_captures_and_verifies(archive_root, tmp_path):
    manifest = run_export(archive_root, tmp_path, Selection("site", ONION))
    assert manifest["query"] == {"site": ONION}
    assert manifest["urls"] == [f"http://{ONION}/a", f"http://{ONION}/b"]
    assert sorted(c["type"] for c in manifest["captures"]) == ["response", "response", "response", "revisit"]
    assert verify(tmp_path / "out")[1] == []
    exported = tmp_path / "out" / "captures.warc.gz"
    checked = subprocess.run([WARCIO, "check", exported], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout
    index = subprocess.run([WARCIO, "index", "-f", "warc-type", exported], capture_output=True, text=True, check=True)
    types = [json.loads(line)["warc-type"] for line in index.stdout.splitlines()]
    assert types.count("metadata") == 4
    assert types.count("request") == 4
    assert "warcinfo" in types


def test_a_revisit_brings_the_response_holding_its_payload(archive_root, tmp_path):
    history = HistoryStore(archive_root / HISTORY_FILE)
    revisit = next(r for r in history.captures([f"http://{ONION}/b"]) if r.type == "revisit")
    history.close()
    manifest = run_export(archive_root, tmp_path, Selection("url", f"http://{ONION}/b"))
    assert revisit.refers_to in {c["record_id"] for c in manifest["captures"]}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda out: _flip(out / "captures.warc.gz", 200), "captures.warc.gz: changed"),
        (lambda out: _flip(out / "manifest.json", 10), "manifest.json: changed"),
        (lambda out: (out / "records.jsonl").unlink(), "records.jsonl: is missing"),
        (lambda out: (out / "notes.txt").write_text("added"), "notes.txt: is not in the manifest"),
    ],
)
def test_verify_names_what_changed(archive_root, tmp_path, change, named):
    run_export(archive_root, tmp_path, Selection("url", f"http://{ONION}/a"))
    change(tmp_path / "out")
    _manifest, problems = verify(tmp_path / "out")
    assert named in [str(p)[: len(named)] for p in problems]


def test_nothing_to_export_and_a_used_folder_are_refused(archive_root, tmp_path):
    with pytest.raises(ExportError, match="no captures"):
        run_export(archive_root, tmp_path, Selection("url", f"http://{ONION}/never"))
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / "x").write_text("")
    with pytest.raises(ExportError, match="not empty"):
        run_export(archive_root, tmp_path, Selection("site", ONION))


def test_entity_selects_the_pages_whose_indexed_entities_hold_it(archive_root, tmp_path):
    index = open_index(tmp_path / "index")
    entity = {"type": "btc", "value": "bc1qexampleaddress"}
    for path, entities in (("/a", [entity]), ("/b", [])):
        url = f"http://{ONION}{path}"
        doc = {"id": url, "url": url, "site": ONION, "fetched_at": "2025-01-01T00:00:00+00:00", "entities": entities}
        index.add_pages([doc])
    index.commit()
    history = HistoryStore(archive_root / HISTORY_FILE)
    assert selected_urls(Selection("entity", entity["value"]), history, str(tmp_path / "index")) == [
        f"http://{ONION}/a"
    ]
    history.close()


def _flip(path, position):
    content = bytearray(path.read_bytes())
    content[position] ^= 0x01
    path.write_bytes(bytes(content))
