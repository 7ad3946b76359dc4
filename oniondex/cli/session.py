"""`oniondex session add|list|remove|login`: investigators' sessions for sites behind a login.

A session is named in a seed line (`session=NAME`) and kept in DATA/sessions.enc, encrypted with a key
derived from ONIONDEX_SESSION_KEY (or a prompt). Passwords are read from a prompt or `--password-stdin`,
never from the command line. `session login` is for a person: a captcha's image is fetched through Tor on
that one request, saved to a temporary file whose path is printed (deleted once answered), never indexed.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from oniondex import config
from oniondex.onion import OnionAddressError, normalise_onion
from oniondex.sessions.cookies import CookieFileError, read_cookie_file
from oniondex.sessions.model import LoginProfile, Session
from oniondex.sessions.store import KEY_ENV, SessionStore, SessionStoreError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("session", help="investigator sessions for sites behind a login")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add or replace a session: cookies from Tor Browser, or credentials")
    add.add_argument("name", help="the name a seed line gives as session=NAME")
    add.add_argument("--site", required=True, help="the onion host the session is for")
    add.add_argument("--cookies", help="cookies exported from Tor Browser: Netscape cookies.txt or JSON")
    add.add_argument("--username", default="", help="account name, for a login with a profile")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--login-path", default="/login", help="the login page's path (default /login)")
    add.add_argument("--form", default="", help="CSS selector of the login form (default: the form with a password)")
    add.add_argument("--user-field", default="", help="name of the username field (default: found on the page)")
    add.add_argument("--pass-field", default="", help="name of the password field (default: found on the page)")
    add.add_argument("--captcha-image", default="", help="CSS selector of the captcha image")
    add.add_argument("--captcha-field", default="", help="name of the captcha answer field")
    add.add_argument("--success", default="", help="CSS selector that matches only when logged in")
    add.add_argument("--delay", type=float, default=None, help="seconds between this site's requests")
    actions.add_parser("list", help="list the sessions (never their cookie values)")
    remove = actions.add_parser("remove", help="forget a session")
    remove.add_argument("name")
    login = actions.add_parser("login", help="log in by hand through Tor (captchas) and save the cookies")
    login.add_argument("name", help="session name or onion host")
    login.add_argument("--proxy", default=None, help="Tor SOCKS proxy (default: ONIONDEX_PROXY)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        store = SessionStore(config.layout().sessions, _passphrase())
        return int({"add": _add, "list": _list, "remove": _remove, "login": _login}[args.action](store, args) or 0)
    except (SessionStoreError, CookieFileError, OnionAddressError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _passphrase() -> str:
    key = os.environ.get(KEY_ENV, "")
    if key or not sys.stdin.isatty():
        return key
    return getpass.getpass("session store passphrase: ")


def _add(store: SessionStore, args: argparse.Namespace) -> int:
    site = normalise_onion(args.site.removeprefix("http://").removeprefix("https://").split("/", 1)[0])
    cookies: tuple = ()
    if args.cookies:
        cookies, others = read_cookie_file(args.cookies, site)
        if others:
            print(f"left out {others} cookies of other sites (a session's cookies go to its own site only)")
        if not cookies:
            print(f"error: {args.cookies} has no cookie for {site}", file=sys.stderr)
            return 1
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else ""
    if args.username and not password:
        password = getpass.getpass("password: ")
    profile = LoginProfile(
        args.login_path,
        args.form,
        args.user_field,
        args.pass_field,
        args.captcha_image,
        args.captcha_field,
        args.success,
    )
    wants_profile = bool(args.username) or any(
        (args.form, args.user_field, args.pass_field, args.captcha_image, args.captcha_field, args.success)
    )
    store.put(
        Session(args.name, site, cookies, args.username, password, profile if wants_profile else None, args.delay)
    )
    kind = f"{len(cookies)} cookies" if cookies else "a login profile" if wants_profile else "nothing yet"
    print(f"session {args.name} for {site}: {kind} ({store.path})")
    return 0


def _list(store: SessionStore, args: argparse.Namespace) -> int:
    for session in sorted(store.sessions.values(), key=lambda s: s.name):
        login = f"login as {session.username or '(captcha)'}" if session.profile else "no login profile"
        print(f"{session.name}\t{session.site}\t{len(session.cookies)} cookies\t{login}\t{session.updated}")
    return 0


def _remove(store: SessionStore, args: argparse.Namespace) -> int:
    store.remove(args.name)
    print(f"removed {args.name}")
    return 0


def _login(store: SessionStore, args: argparse.Namespace) -> int:
    import httpx

    from crawler.middlewares.tor_proxy import ProxyNotConfigured
    from oniondex.sessions.login import Credentials, LoginFailed, log_in, tor_client
    from oniondex.sessions.walls import load_wall_rules

    session = store.get(args.name)
    profile = session.profile or LoginProfile()
    username = session.username  # none for a captcha-only wall
    password = session.password or (getpass.getpass("password: ") if username else "")
    proxy = args.proxy if args.proxy is not None else config.proxy_url()
    try:
        with tor_client(session.site, proxy) as client:
            cookies = log_in(
                client, f"http://{session.site}", profile, Credentials(username, password), load_wall_rules(), _ask
            )
    except (LoginFailed, ProxyNotConfigured, httpx.HTTPError) as exc:
        print(f"error: login failed: {exc}", file=sys.stderr)
        return 1
    store.put(replace(session, cookies=cookies))
    print(f"logged in to {session.site}: {len(cookies)} cookies saved in session {session.name}")
    return 0


def _ask(image: bytes, content_type: str) -> str:
    """Show the captcha to the person (a temporary file, deleted after the answer) and read the answer."""
    suffix = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}.get(content_type.split(";")[0], ".img")
    handle, name = tempfile.mkstemp(prefix="oniondex-captcha-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(image)
        print(f"captcha image: {name}  (open it, then type what it shows)", flush=True)
        return input("captcha answer: ").strip()
    finally:
        Path(name).unlink(missing_ok=True)
