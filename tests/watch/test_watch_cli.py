"""`oniondex watch add|list|remove` and `oniondex alerts`: retro-hunt on add, clear errors, unread first."""

from __future__ import annotations

import json

import pytest

from oniondex.cli import main
from oniondex.index import open_index
from sample_darknet import build_world
from tests.watch.watch_support import WebhookReceiver, page_document

ONION = build_world().by_id("shop-iceking").onion
ADDRESS = "1KqLYrZrNMRLKvuNovG17ZaR41YueEWiMo"


@pytest.fixture
def data(tmp_path, monkeypatch):
    for name in ("ONIONDEX_INDEX_URL", "ONIONDEX_WATCH_DB", "ONIONDEX_AUDIT_LOG", "ONIONDEX_ALERT_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ONIONDEX_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ONIONDEX_ANALYST", "kim")
    index = open_index(tmp_path / "index")
    index.add_pages([page_document(f"http://{ONION}/contact", f"<p>pay to {ADDRESS}</p>")])
    index.commit()
    index.close()
    return tmp_path


def test_add_retro_hunts_list_and_remove(data, capsys):
    assert main(["watch", "add", "btc", ADDRESS, "--label", "case 17"]) == 0
    out = capsys.readouterr().out
    assert f"BTC       {ADDRESS}  (case 17)" in out
    assert f"http://{ONION}/contact" in out
    assert "1 past sighting(s)" in out
    assert main(["watch", "add", "btc", ADDRESS]) == 0
    assert "already watched" in capsys.readouterr().out
    assert main(["watch", "list"]) == 0
    assert ADDRESS in capsys.readouterr().out
    assert main(["watch", "list", "--analyst", "lee"]) == 0
    assert "no watches for lee" in capsys.readouterr().out
    assert main(["watch", "remove", "1", "--analyst", "lee"]) == 1, "only your own watches"
    assert main(["watch", "remove", "1"]) == 0
    assert main(["watch", "list"]) == 0
    assert ADDRESS not in capsys.readouterr().out
    actions = [json.loads(line)["action"] for line in (data / "audit.jsonl").read_text().splitlines()]
    assert actions.count("watch_add") == 2
    assert "alert" in actions
    assert "watch_remove" in actions


def test_a_bad_value_or_query_is_a_clear_error(data, capsys):
    assert main(["watch", "add", "btc", ADDRESS[:-1] + "x"]) == 2
    assert "is not a valid BTC" in capsys.readouterr().err
    assert main(["watch", "add", "query", "after:2026-13-45"]) == 2
    assert "2026-13-45" in capsys.readouterr().err


def test_alerts_unread_first_and_mark_read(data, capsys):
    main(["watch", "add", "btc", ADDRESS])
    main(["watch", "add", "query", "pay"])
    capsys.readouterr()
    assert main(["alerts", "--unread", "--json"]) == 0
    shown = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {a["kind"] for a in shown} == {"retro"}
    assert len(shown) == 2
    assert main(["alerts", "--unread", "--mark-read", "--limit", "1"]) == 0
    capsys.readouterr()
    assert main(["alerts", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["read"] for r in rows] == [False, True], "unread first"
    assert main(["alerts", "--unread", "--mark-read"]) == 0
    assert main(["alerts", "--unread"]) == 0
    assert "no unread alerts for kim" in capsys.readouterr().out


def test_waiting_deliveries_are_sent_by_alerts_deliver(data, capsys, monkeypatch):
    with WebhookReceiver(fail_first=10) as hook:
        monkeypatch.setenv("ONIONDEX_ALERT_WEBHOOK_URL", hook.url)
        monkeypatch.setenv("ONIONDEX_ALERT_WEBHOOK_SECRET", "s")
        monkeypatch.setenv("ONIONDEX_ALERT_TRIES", "1")
        assert main(["watch", "add", "btc", ADDRESS]) == 0
        assert "delivery failed" in capsys.readouterr().err
        hook.fail_first = 0
        assert main(["alerts", "--deliver"]) == 0
    assert "webhook: 1 alert(s) delivered" in capsys.readouterr().out
    assert hook.received[0].alerts[0]["value"] == ADDRESS
