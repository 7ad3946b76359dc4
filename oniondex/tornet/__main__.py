"""python -m oniondex.tornet: a private Tor network in the foreground for a person; Ctrl-C tears it down.

    python -m oniondex.tornet --services-from-sample        # the sample darknet's sites as onion services
    python -m oniondex.tornet --port 8080 --services 3      # 3 fresh onion names, all -> 127.0.0.1:8080
    python -m oniondex.tornet --services-from-sample --telegram   # and t.me -> the sample Telegram via an exit

Prints `READY socks5h://127.0.0.1:PORT` once the client is bootstrapped and every descriptor is published.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from oniondex.tornet.clearnet import ClearnetStandIn, free_loopback_address
from oniondex.tornet.errors import TorNetError
from oniondex.tornet.network import TorNet

if TYPE_CHECKING:
    from collections.abc import Sequence


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Ctrl-C, kill and a closed terminal all tear the network down (even when started in the background).
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="oniondex-tornet-"))
    with ExitStack() as stack:
        if not (args.workdir or args.keep):
            stack.callback(shutil.rmtree, workdir, True)
        services, labels = _services(args, stack)
        net = TorNet(workdir, services, clearnet=_telegram(args, stack))
        stack.callback(net.stop)
        try:
            net.start(timeout=args.timeout)
            _report(net, labels)
            threading.Event().wait()
        except TorNetError as exc:
            print(f"tornet failed: {exc}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("stopping the private Tor network", file=sys.stderr)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m oniondex.tornet", description=__doc__.split("\n", 1)[0])
    parser.add_argument("--services-from-sample", action="store_true", help="host the sample darknet's sites")
    parser.add_argument("--seed", type=int, default=None, help="sample darknet world seed")
    parser.add_argument(
        "--port", type=int, default=None, help="target port on 127.0.0.1 (with the sample: a running one)"
    )
    parser.add_argument("--services", type=int, default=2, help="number of fresh onion names without the sample")
    parser.add_argument("--workdir", default=None, help="state directory (kept); default a temporary one (removed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary state directory")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument(
        "--telegram", action="store_true", help="an exit relay and the sample Telegram as t.me (needs root: port 80)"
    )
    return parser


def _services(args: argparse.Namespace, stack: ExitStack) -> tuple[list[tuple[bytes, int]], list[str]]:
    if not args.services_from_sample:
        if args.port is None:
            sys.exit("give --port N (the web server behind the services) or --services-from-sample")
        return [(os.urandom(32), args.port) for _ in range(args.services)], [""] * args.services
    from sample_darknet import DEFAULT_SEED, build_world  # optional: only for this flag
    from sample_darknet.testing import running_darknet

    seed = DEFAULT_SEED if args.seed is None else args.seed
    port = args.port
    if port is None:
        port = stack.enter_context(running_darknet(seed)).port
        print(f"sample darknet serving on http://127.0.0.1:{port}", file=sys.stderr)
    sites = [site for site in build_world(seed).sites.values() if site.served]
    return [(site.key_seed, port) for site in sites], [site.site_id for site in sites]


def _telegram(args: argparse.Namespace, stack: ExitStack) -> list[ClearnetStandIn]:
    """With --telegram: the sample Telegram on a random loopback address, port 80, as t.me and telegram.me."""
    if not args.telegram:
        return []
    from sample_telegram.testing import serving_telegram  # optional: only for this flag

    address = free_loopback_address()
    stack.enter_context(serving_telegram(address, 80))
    base = "-s ONIONDEX_TELEGRAM_BASE_URL=http://t.me"
    print(f"sample Telegram serving on http://{address}:80 as t.me (crawl with {base})", file=sys.stderr)
    return [ClearnetStandIn("t.me", address), ClearnetStandIn("telegram.me", address)]


def _report(net: TorNet, labels: list[str]) -> None:
    for name, label in zip(net.onion_names, labels, strict=True):
        print(f"ONION http://{name}/ {label}".rstrip())
    print(f"CONTROL 127.0.0.1:{net.control_port} cookie={net.cookie_path}")
    print(f"took {net.bring_up_seconds:.1f} s; state in {net.workdir}; Ctrl-C stops", file=sys.stderr)
    print(f"READY {net.socks_url}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
