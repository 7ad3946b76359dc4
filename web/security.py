"""Keeping crawled pages inert in the analyst's browser.

- Every response carries a strict Content-Security-Policy: no scripts at all, styles and images from
  oniondex only, no frames, forms post only to oniondex, no plugins, no base-URI tricks.
- Forms that change state (login, logout) carry a CSRF token that must match the browser's own
  `oniondex_csrf` cookie (SameSite=Lax, so a cross-site post arrives without it), and every POST the
  browser marks as cross-site (`Sec-Fetch-Site`) or sends from another origin is refused (403) before any route.
- Crawled text reaches templates only through Jinja's autoescaping or the two filters here, which escape
  every crawled character and add only markup of our own (<mark>, and links to oniondex's own pivots).
- Captured HTML is never rendered: pages are shown as their extracted text. Crawled URLs are never
  links out; they are shown as text and linked to oniondex's own page view.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oniondex.index.analysis import split_matches

CSP = (
    "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; font-src 'none'; "
    "connect-src 'self'; form-action 'self'; frame-src 'none'; frame-ancestors 'none'; object-src 'none'; "
    "base-uri 'none'; manifest-src 'none'; media-src 'none'; worker-src 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "cache-control": "no-store",
}
_ONION_RE = re.compile(r"\b[a-z2-7]{56}\.onion\b")
MAX_LINKED_VALUES = 500


class SecurityHeaders:
    """ASGI middleware adding HEADERS to every response, errors and static files included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


CSRF_COOKIE = "oniondex_csrf"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class CsrfGuard:
    """ASGI middleware: refuses cross-site state changes; gives each browser a CSRF token (cookie + form field).

    The token is in `request.state.csrf` for templates (`csrf_field`); `csrf_ok` checks a posted one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope["method"] in _UNSAFE and _cross_site(headers, scope):
            await _forbidden(send)
            return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header: as if there were none
            cookie = SimpleCookie()
        token = cookie[CSRF_COOKIE].value if CSRF_COOKIE in cookie else ""
        fresh = not re.fullmatch(r"[A-Za-z0-9_-]{32,64}", token)
        if fresh:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = token
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        set_cookie = f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", set_cookie)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cross_site(headers: dict[str, str], scope: Scope) -> bool:
    """True when the browser says the request comes from another site or origin (tools send neither header)."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = headers.get("origin")
    if origin is None or origin == "null":  # "null": our own no-referrer forms in browsers without Sec-Fetch-*
        return False
    own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
    return origin.lower() != own.lower()


async def _forbidden(send: Send) -> None:
    body = b'{"detail":"cross-site request refused"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 403, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def csrf_ok(expected: str, posted: str) -> bool:
    return bool(expected) and hmac.compare_digest(expected.encode(), posted.encode("utf-8", "replace"))


def form_expired() -> Response:
    """The answer to a desk form posted without its CSRF token: an old tab or a foreign site's form."""
    return Response("form expired or sent from another site: reload the page", status_code=403, media_type="text/plain")


def csrf_field(token: str) -> Markup:
    return Markup(f'<input type="hidden" name="csrf" value="{escape(token)}">')  # noqa: S704 - token is ours, escaped


def marked(snippet: str, matches: Iterable[Sequence[int]] = ()) -> Markup:
    """A snippet with the index's matches (character offsets) in <mark>: every crawled character escaped, so a
    crawled "<mark>" shows as text, never as a highlight."""
    segments = split_matches(snippet, matches)
    pieces = (f"<mark>{escape(text)}</mark>" if hit else str(escape(text)) for text, hit in segments)
    return Markup("".join(pieces))  # noqa: S704 - every crawled piece escaped above


def linked_text(text: str, entities: Iterable[dict[str, Any]] = ()) -> Markup:
    """Crawled text, escaped, with each known entity value and onion address a link to its pivot."""
    values = sorted({str(e["value"]) for e in entities if e.get("value")}, key=len, reverse=True)[:MAX_LINKED_VALUES]
    parts = [re.escape(v) for v in values] + [_ONION_RE.pattern]
    pattern = re.compile("|".join(parts))
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        value = match.group()
        href = site_url(value) if _ONION_RE.fullmatch(value) and value not in values else entity_url(value)
        out.append(f'{escape(text[last : match.start()])}<a class="pivot" href="{escape(href)}">{escape(value)}</a>')
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704 - crawled text escaped above; hrefs are our own paths


def entity_url(value: str) -> str:
    return "/entity/" + quote(value, safe="")


def site_url(onion: str) -> str:
    return "/site/" + quote(onion, safe="")


def vendor_url(name: str) -> str:
    return "/vendor/" + quote(name, safe="")


def page_url(url: str, sha256: str = "") -> str:
    params = {"url": url, **({"sha256": sha256} if sha256 else {})}
    return "/page?" + urlencode(params)


def search_url(query: str, **params: Any) -> str:
    return "/search?" + urlencode({"q": query, **{k: v for k, v in params.items() if v not in (None, "")}})


def local_path(target: str, default: str = "/search") -> str:
    """A redirect target that stays on oniondex (a path, never `//host` or a scheme)."""
    ok = target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target and "\r" not in target
    return target if ok else default
