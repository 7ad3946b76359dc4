"""Two crawls (an onion crawl and a Telegram crawl, as `make demo` runs them) write one vendor store."""

from __future__ import annotations

import sqlite3
import threading
import time

from oniondex.vendors.records import VendorRecord
from oniondex.vendors.store import VendorStore


def _vendor(site: str) -> VendorRecord:
    return VendorRecord("Ice", "ice", site, f"http://{site}/v", first_seen="2026-12-01", last_seen="2026-12-01")


def test_a_writer_waits_for_the_other_crawls_transaction_instead_of_failing(tmp_path) -> None:
    path = tmp_path / "vendors.db"
    holder, waiter = VendorStore(path), VendorStore(path)
    holder.add_vendor(_vendor("a.onion"))  # a write transaction left open, as between two commits
    failures: list[Exception] = []

    def write() -> None:
        try:
            waiter.add_vendor(_vendor("b.onion"))
            waiter.commit()
        except sqlite3.OperationalError as exc:
            failures.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(6)  # longer than sqlite's default 5 s busy timeout
    holder.commit()
    thread.join(60)
    assert failures == []
    holder.close()
    waiter.close()
    rows = sqlite3.connect(path).execute("SELECT site FROM vendors ORDER BY site").fetchall()
    assert rows == [("a.onion",), ("b.onion",)]
