"""The web UI's site page says when a site waits for an investigator."""

from __future__ import annotations

from datetime import UTC, datetime

from oniondex.liveness import LivenessStore
from tests.ui.conftest import client, form_login, logged_in

__all__ = ["client", "form_login", "logged_in"]  # fixtures of tests/ui, used here


def test_the_site_page_says_the_site_needs_an_investigator(logged_in):
    site = logged_in.site
    assert "Needs an investigator" not in logged_in.get(f"/site/{site}").text
    store = LivenessStore(logged_in.data_dir / "sites.db")
    store.record(site, "needs_login", datetime.now(UTC), f"login page at http://{site}/")
    store.close()
    page = logged_in.get(f"/site/{site}")
    assert page.status_code == 200
    assert "Needs an investigator" in page.text
    assert "needs_login" in page.text
