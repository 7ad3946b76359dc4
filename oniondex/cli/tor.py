"""`oniondex tor check`: is Tor reachable, bootstrapped, and can it reach a given onion?"""

from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from socksio.exceptions import ProtocolError

from oniondex import config
from oniondex.onion import OnionAddressError, normalise_onion
from oniondex.tor_probe import probe_tor_socks


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("tor", help="check the Tor client the crawler uses")
    actions = parser.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="reachable? bootstrapped? can it reach an onion?")
    check.add_argument("--proxy", default=None, help="socks5h://HOST:PORT (default: ONIONDEX_PROXY or :9050)")
    check.add_argument("--control-port", type=int, default=9051, help="Tor's ControlPort (0 to skip)")
    check.add_argument("--cookie", default=None, help="control auth cookie (default: DATA/tor/control_auth_cookie)")
    check.add_argument("--onion", default=None, help="an onion host or URL to fetch through Tor")
    check.add_argument("--timeout", type=float, default=60.0)
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    proxy = (args.proxy or config.proxy_url() or "socks5h://127.0.0.1:9050").split(",")[0].strip()
    parts = urlsplit(proxy)
    probe = probe_tor_socks(parts.hostname or "", parts.port or 0)
    print(("ok    " if probe.ok else "FAIL  ") + probe.message)
    if not probe.ok:
        return 1
    status = 0
    if args.control_port:
        status |= _check_bootstrap(
            args.control_port, Path(args.cookie or config.data_dir() / "tor/control_auth_cookie")
        )
    if args.onion:
        status |= _check_onion(proxy, args.onion, args.timeout)
    return status


def _check_bootstrap(port: int, cookie: Path) -> int:
    from oniondex.tornet.control import ControlConnection

    try:
        with ControlConnection(port, cookie) as control:
            phase = control.get_info("status/bootstrap-phase")["status/bootstrap-phase"]
    except (OSError, RuntimeError) as exc:
        print(f"FAIL  control port 127.0.0.1:{port} ({cookie}): {exc}")
        return 1
    done = "PROGRESS=100" in phase
    print(("ok    " if done else "WAIT  ") + f"bootstrap: {phase}")
    return 0 if done else 1


def _check_onion(proxy: str, target: str, timeout: float) -> int:
    url = target if "://" in target else f"http://{target}/"
    try:
        normalise_onion(urlsplit(url).hostname or "")
    except OnionAddressError as exc:
        print(f"FAIL  {exc}")
        return 1
    try:
        with httpx.Client(proxy=proxy, timeout=timeout, trust_env=False) as client:
            response = client.get(url)
    except ProtocolError:
        # socksio cannot parse Tor's extended SOCKS errors (0xF0-0xF7): all mean the onion is unreachable.
        print(f"FAIL  {url}: Tor could not reach this onion service (descriptor or introduction failed)")
        return 1
    except httpx.HTTPError as exc:
        print(f"FAIL  {url}: {exc!r}")
        return 1
    print(f"ok    {url}: HTTP {response.status_code}, {len(response.content)} bytes")
    return 0
