"""Member-only sample sites: answers that depend on cookies, so they are served here, not from `Site.pages`.

* `members-vault` (a market): an anti-DDoS queue in front (a `vault_q` cookie passes it), a form login with
  a CSRF token bound to a pre-session cookie, a `vault_session` cookie that expires on the server after
  `Account.lifetime` member pages, a banned account, and logout/buy/delete/settings/withdraw/message links
  on every member page (each of them has an effect: logout ends the session).
* `members-lantern` (a forum): a captcha page in front of everything; the answer (digits in a PNG) sets a
  `lantern_pass` cookie.

`Site.pages` of these sites stays empty: what a visitor gets depends on the cookies, and the truth of the
member area (`member_truth`) is what a logged-in member sees. Each site also has sessions issued as if by
Tor Browser before the server started (`browser_cookies`), for tests that supply cookies.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from dataclasses import dataclass, field
from html import escape
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from sample_darknet.model import Site
    from sample_darknet.server import DarknetHandler
    from sample_darknet.sites.context import BuildContext
    from sample_darknet.world import World

VAULT, AGORA, LANTERN = "members-vault", "members-agora", "members-lantern"
MARKETS = {VAULT: "Velvet Vault", AGORA: "Agora Lounge"}  # the same market software; only the vault has a queue
# Paths a careful member never requests (what tests assert against the server log).
DANGEROUS = ("/logout", "/settings", "/wallet/withdraw", "/messages/new", "/buy", "/delete", "/order")


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    lifetime: int = 10_000  # member pages one session serves before the server expires it
    banned: bool = False


ACCOUNTS = (
    Account("investigator", "correct horse battery"),
    Account("shortlived", "correct horse battery", lifetime=4),
    Account("exiled", "correct horse battery", banned=True),
)


@dataclass(frozen=True)
class MemberPage:
    path: str
    title: str
    body: str
    links: tuple[str, ...]


def build_members(ctx: BuildContext, site: Site) -> None:
    """Nothing static: every answer of a member site depends on the visitor's cookies."""


def _token(seed: int, *parts: str) -> str:
    return hashlib.sha256(":".join(("oniondex-members", str(seed), *parts)).encode()).hexdigest()[:32]


def _nav(links: list[tuple[str, str]]) -> str:
    return " | ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for href, text in links)


_VAULT_ITEMS = (
    ("Velvet crystal 1g", "45.00 USD", "nightowl"),
    ("Velvet crystal 5g", "190.00 USD", "nightowl"),
    ("Blue tablets x10", "80.00 USD", "bluefox"),
    ("Green herbal 7g", "60.00 USD", "bluefox"),
    ("Powder sample 0.5g", "40.00 USD", "nightowl"),
)
_LANTERN_THREADS = (
    ("Vendor review: nightowl", "Delivered in four days, stealth was good."),
    ("Escrow or finalize early?", "Always escrow with new vendors on the vault."),
    ("Which markets are up", "Velvet Vault was slow today but up."),
)


def vault_pages(market: str) -> dict[str, MemberPage]:
    """The member area of a market, as a logged-in member sees it."""
    guard = [
        ("/logout", "Log out"),
        ("/settings", "Settings"),
        ("/wallet/withdraw", "Withdraw"),
        ("/messages/new?to=support", "Message support"),
    ]
    pages: dict[str, MemberPage] = {}
    rows, listing_links = [], []
    for number, (title, price, vendor) in enumerate(_VAULT_ITEMS, start=1):
        rows.append(
            f'<tr><td><a href="/listing/{number}">{escape(title)}</a></td><td>{price}</td><td>{vendor}</td></tr>'
        )
        listing_links.append(f"/listing/{number}")
    vendors = sorted({vendor for _, _, vendor in _VAULT_ITEMS})
    member_nav = [("/", "Home"), *[(f"/vendor/{v}", v) for v in vendors], *guard]
    home_body = (
        f"<h1>{market}</h1><nav>{_nav(member_nav)}</nav><p>Logged in. Member listings:</p>"
        f"<table>{''.join(rows)}</table>"
    )
    home_links = ("/", *[f"/vendor/{v}" for v in vendors], *(href for href, _ in guard), *listing_links)
    pages["/"] = MemberPage("/", f"{market} — members", home_body, home_links)
    for number, (title, price, vendor) in enumerate(_VAULT_ITEMS, start=1):
        actions = [
            (f"/listing/{number}/buy", "Buy now"),
            (f"/order/{number}", "Order"),
            (f"/listing/{number}/delete", "Delete listing"),
            (f"/messages/new?to={vendor}", f"Message {vendor}"),
        ]
        body = (
            f"<h1>{escape(title)}</h1><nav>{_nav(member_nav)}</nav><p>Price {price}, sold by "
            f'<a href="/vendor/{vendor}">{vendor}</a>.</p><p>{_nav(actions)}</p>'
            f'<form method="post" action="/listing/{number}/buy"><input name="qty" value="1">'
            "<button>Buy</button></form>"
        )
        links = (*(href for href, _ in member_nav), *(href for href, _ in actions))
        pages[f"/listing/{number}"] = MemberPage(f"/listing/{number}", f"{market} — {title}", body, links)
    for vendor in vendors:
        own = [(f"/listing/{n}", t) for n, (t, _, v) in enumerate(_VAULT_ITEMS, start=1) if v == vendor]
        body = f"<h1>Vendor {vendor}</h1><nav>{_nav(member_nav)}</nav><p>{_nav(own)}</p>"
        links = (*(href for href, _ in member_nav), *(href for href, _ in own))
        pages[f"/vendor/{vendor}"] = MemberPage(f"/vendor/{vendor}", f"{market} — vendor {vendor}", body, links)
    return pages


def lantern_pages() -> dict[str, MemberPage]:
    nav = [("/", "Board"), ("/logout", "Leave"), ("/settings", "Settings")]
    threads = [(f"/thread/{n}", title) for n, (title, _) in enumerate(_LANTERN_THREADS, start=1)]
    pages = {
        "/": MemberPage(
            "/",
            "Lantern board",
            f"<h1>Lantern board</h1><nav>{_nav(nav)}</nav><p>{_nav(threads)}</p>",
            (*(h for h, _ in nav), *(h for h, _ in threads)),
        )
    }
    for (path, title), (_, text) in zip(threads, _LANTERN_THREADS, strict=True):
        body = (
            f"<h1>{escape(title)}</h1><nav>{_nav(nav)}</nav><p>{escape(text)}</p>"
            f"<p>{_nav([(f'{path}/delete', 'Delete post')])}</p>"
        )
        pages[path] = MemberPage(path, f"Lantern board — {title}", body, (*(h for h, _ in nav), f"{path}/delete"))
    return pages


def member_truth(world: World) -> dict[str, Any]:
    """Per member site: what a member sees (url -> title), the wall a visitor without a session gets,
    the accounts, and the cookies a Tor Browser session holds."""
    out: dict[str, Any] = {}
    for site_id, pages, wall in (
        (VAULT, vault_pages(MARKETS[VAULT]), "walled"),  # its queue comes first
        (AGORA, vault_pages(MARKETS[AGORA]), "needs_login"),
        (LANTERN, lantern_pages(), "walled"),
    ):
        site = world.by_id(site_id)
        out[site_id] = {
            "onion": site.onion,
            "wall_state": wall,
            "member_pages": {site.base + p.path: p.title for p in pages.values()},
            "dangerous": list(DANGEROUS),
            "browser_cookies": browser_cookies(world.seed, site_id),
        }
    for site_id in MARKETS:
        out[site_id]["accounts"] = [a.__dict__ for a in ACCOUNTS]
        out[site_id]["short_cookies"] = browser_cookies(world.seed, site_id, "shortlived")
        out[site_id]["banned_cookies"] = browser_cookies(world.seed, site_id, "exiled")
    return out


def browser_cookies(seed: int, site_id: str, username: str = "investigator") -> dict[str, str]:
    """The cookies of a session made in Tor Browser before the crawl (valid when the server starts)."""
    if site_id == LANTERN:
        return {"lantern_pass": _token(seed, LANTERN, "browser")}
    session = {"vault_session": _token(seed, site_id, "browser", username)}
    return {"vault_q": _token(seed, VAULT, "queue"), **session} if site_id == VAULT else session


def captcha_answer(seed: int, captcha_id: str) -> str:
    """The digits the captcha image `captcha_id` shows (what the person reads off it)."""
    return str(int(_token(seed, "captcha", captcha_id), 16) % 900_000 + 100_000)


@dataclass
class _Session:
    account: Account
    pages_left: int


@dataclass
class MemberSites:
    """The server's state for the member sites: sessions, CSRF tokens, captchas. One per server process."""

    world: World
    lock: threading.Lock = field(default_factory=threading.Lock)
    sessions: dict[str, _Session] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)  # pre-session cookie -> token
    passes: set[str] = field(default_factory=set)  # lantern_pass values
    issued: int = 0

    def __post_init__(self) -> None:
        seed = self.world.seed
        for site_id in MARKETS:
            for account in ACCOUNTS:
                token = browser_cookies(seed, site_id, account.username)["vault_session"]
                self.sessions[f"{site_id}:{token}"] = _Session(account, account.lifetime)
        self.passes.add(browser_cookies(seed, LANTERN)["lantern_pass"])
        self.markets = {site_id: vault_pages(name) for site_id, name in MARKETS.items()}
        self.lantern = lantern_pages()

    def _new_token(self, purpose: str) -> str:
        self.issued += 1
        return _token(self.world.seed, purpose, str(self.issued), str(id(self)))


@dataclass
class Answer:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = "text/html; charset=utf-8"


def is_member_site(site: Site) -> bool:
    return site.kind == "members"


def serve(handler: DarknetHandler, site: Site, state: MemberSites, send_body: bool) -> None:
    """Answer one request to a member site (the server's log says which cookies it carried)."""
    cookies = cookies_of(handler.headers.get("Cookie", ""))
    form = _form(handler) if handler.command == "POST" else {}
    with state.lock:
        if site.site_id in MARKETS:
            answer = _vault(state, site.site_id, handler.command, handler.path, cookies, form)
        else:
            answer = _lantern(state, handler.command, handler.path, cookies, form)
    headers = [("Content-Type", answer.content_type), *answer.headers]
    host = (handler.headers.get("Host") or "").split(":", 1)[0].lower()
    handler._send(answer.status, headers, [answer.body], host, send_body)


def cookies_of(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def _form(handler: DarknetHandler) -> dict[str, str]:
    length = min(int(handler.headers.get("Content-Length") or 0), 64 * 1024)
    data = handler.rfile.read(length).decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(data).items()}


def _html(title: str, body: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Answer:
    page = f"<!doctype html><html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    return Answer(status, page.encode(), headers or [])


def _set_cookie(name: str, value: str) -> tuple[str, str]:
    return ("Set-Cookie", f"{name}={value}; Path=/; HttpOnly")


def _redirect(location: str, *cookies: tuple[str, str]) -> Answer:
    return Answer(303, b"", [("Location", location), *cookies])


# --- the vault ----------------------------------------------------------------------------------------


def _vault(
    state: MemberSites, site_id: str, method: str, target: str, cookies: dict[str, str], form: dict[str, str]
) -> Answer:
    path = urlsplit(target).path
    if site_id == VAULT and cookies.get("vault_q") != browser_cookies(state.world.seed, VAULT)["vault_q"]:
        return _queue(state)
    if path == "/login":
        return _vault_login(state, site_id, method, cookies, form)
    key = f"{site_id}:{cookies.get('vault_session', '')}"
    session = state.sessions.get(key)
    if session is None:
        return _login_page(state, site_id, "Please log in to see the market.")
    if session.account.banned:
        return _html(
            "Banned", "<h1>Account banned</h1><p>Your account has been banned for breaking the rules.</p>", 403
        )
    if session.pages_left <= 0:
        return _html(
            "Session expired",
            "<h1>Session expired</h1><p>Your session has expired. Please log in again.</p>"
            '<p><a href="/login">Log in</a></p>',
        )
    if path == "/logout":
        state.sessions.pop(key, None)
        return _redirect("/login")
    if any(path.startswith(d) or path.endswith(d) for d in DANGEROUS) or method != "GET":
        return _html("Done", "<p>Your request was carried out.</p>")
    page = state.markets[site_id].get(path)
    if page is None:
        return _html("Not found", "<p>No such page.</p>", 404)
    session.pages_left -= 1
    return _html(page.title, page.body)


def _queue(state: MemberSites) -> Answer:
    value = browser_cookies(state.world.seed, VAULT)["vault_q"]
    body = (
        "<h1>You are in the queue</h1><p>DDoS protection: your position in the queue is 3. This page refreshes "
        "by itself; keep it open.</p><noscript>Enable nothing; just wait.</noscript>"
    )
    return _html("Queue", body, 200, [("Refresh", "1"), _set_cookie("vault_q", value)])


def _login_page(state: MemberSites, site_id: str, message: str = "") -> Answer:
    pre = state._new_token("pre")
    state.csrf[pre] = state._new_token("csrf")
    body = (
        f"<h1>{MARKETS[site_id]}</h1><p>{escape(message)}</p>"
        '<form id="login" method="post" action="/login">'
        f'<input type="hidden" name="csrf_token" value="{state.csrf[pre]}">'
        '<label>Username <input type="text" name="user"></label>'
        '<label>Password <input type="password" name="pass"></label><button>Log in</button></form>'
        '<p><a href="/register">Register</a></p>'
    )
    return _html(f"{MARKETS[site_id]} — login", body, 200, [_set_cookie("vault_pre", pre)])


def _vault_login(
    state: MemberSites, site_id: str, method: str, cookies: dict[str, str], form: dict[str, str]
) -> Answer:
    if method != "POST":
        return _login_page(state, site_id)
    expected = state.csrf.pop(cookies.get("vault_pre", ""), None)
    if expected is None or form.get("csrf_token") != expected:
        return _html("Forbidden", "<p>CSRF token missing or wrong.</p>", 403)
    account = next((a for a in ACCOUNTS if (a.username, a.password) == (form.get("user"), form.get("pass"))), None)
    if account is None:
        return _login_page(state, site_id, "Wrong username or password.")
    token = state._new_token("session")
    state.sessions[f"{site_id}:{token}"] = _Session(account, account.lifetime)
    return _redirect("/", _set_cookie("vault_session", token))


# --- the lantern ----------------------------------------------------------------------------------------


def _lantern(state: MemberSites, method: str, target: str, cookies: dict[str, str], form: dict[str, str]) -> Answer:
    path = urlsplit(target).path
    if path.startswith("/captcha/") and path.endswith(".png"):
        answer = captcha_answer(state.world.seed, path.removeprefix("/captcha/").removesuffix(".png"))
        return Answer(200, digits_png(answer), [], "image/png")
    if path == "/captcha" and method == "POST":
        expected = state.csrf.pop(form.get("cid", ""), None)
        if expected is not None and form.get("answer", "").strip() == captcha_answer(state.world.seed, form["cid"]):
            value = state._new_token("pass")
            state.passes.add(value)
            return _redirect("/", _set_cookie("lantern_pass", value))
        return _captcha_page(state, "Wrong answer, try again.")
    if cookies.get("lantern_pass") not in state.passes:
        return _captcha_page(state)
    page = state.lantern.get(path)
    if page is None:
        return _html("Done" if method == "GET" else "Not found", "<p>Done.</p>")
    return _html(page.title, page.body)


def _captcha_page(state: MemberSites, message: str = "") -> Answer:
    cid = state._new_token("captcha")[:12]
    state.csrf[cid] = cid
    body = (
        f"<h1>Prove you are human</h1><p>{escape(message)}</p><p>Enter the digits in the captcha to continue.</p>"
        '<form id="captcha" method="post" action="/captcha">'
        f'<input type="hidden" name="cid" value="{cid}"><img class="captcha" src="/captcha/{cid}.png" alt="captcha">'
        '<input type="text" name="answer"><button>Continue</button></form>'
    )
    return _html("Lantern — captcha", body)


# A 3x5 bitmap font for the captcha's digits, scaled up: a person can read it, no image library needed.
_FONT = {
    "0": "111101101101111",
    "1": "010110010010111",
    "2": "111001111100111",
    "3": "111001111001111",
    "4": "101101111001001",
    "5": "111100111001111",
    "6": "111100111101111",
    "7": "111001001001001",
    "8": "111101111101111",
    "9": "111101111001111",
}


def digits_png(text: str, scale: int = 4) -> bytes:
    """A grayscale PNG of the digits (black on white)."""
    width, height = (len(text) * 4 + 1) * scale, 7 * scale
    rows = []
    for y in range(height):
        fy = y // scale - 1
        row = bytearray([0])  # filter type none
        for x in range(width):
            cell, fx = divmod(x // scale - 1, 4)
            ink = 0 <= fy < 5 and 0 <= cell < len(text) and fx < 3 and _FONT[text[cell]][fy * 3 + fx] == "1"
            row.append(0 if ink else 255)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
