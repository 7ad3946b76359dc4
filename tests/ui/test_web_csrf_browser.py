"""Issue 14 finding 4 in a real browser: a page on another site that posts the login form to oniondex
(the attacker's own account) plants no session in the analyst's browser."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from tests.ui.conftest import PASSWORD, USER

pytestmark = pytest.mark.ui


@pytest.fixture
def attacker_site(ui_server: str) -> Iterator[str]:
    """A page on 127.0.0.2 (another site than the UI's 127.0.0.1) that submits a login form to the UI."""
    page = (
        f'<form id="f" method="post" action="{ui_server}/login"><input name="user" value="{USER}">'
        f'<input name="password" value="{PASSWORD}"><input name="next" value="/search"></form>'
        '<script>document.getElementById("f").submit()</script>'
    ).encode()

    class Attacker(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), Attacker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.2:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_cross_site_login_form_plants_no_session(browser, ui_server, attacker_site):
    context = browser.new_context()
    try:
        tab = context.new_page()
        with tab.expect_response(lambda r: r.url.startswith(ui_server + "/login")) as answer:
            tab.goto(attacker_site)
        assert answer.value.status == 403
        assert "oniondex_session" not in {c["name"] for c in context.cookies(ui_server)}
    finally:
        context.close()
