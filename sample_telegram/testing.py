"""Run the sample Telegram as a child process, for tests and the demo:

with running_telegram(epoch=1) as telegram, running_socks_front(darknet.url, telegram_url=telegram.url) as socks:
    ...  # crawl http://t.me/s/CH through socks.url
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sample_darknet.server import RequestLog
from sample_darknet.testing import Running, _child
from sample_telegram.server import TelegramServer
from sample_telegram.world import DEFAULT_SEED, build_world


@contextmanager
def running_telegram(
    seed: int = DEFAULT_SEED, epoch: int = 1, log_path: str | Path | None = None, flood: tuple[int, ...] = ()
) -> Iterator[Running]:
    """`flood`: the n-th requests of each channel get Telegram's flood notice (see sample_telegram.server)."""
    args = ["serve", "--seed", str(seed), "--epoch", str(epoch)] + (
        ["--flood", ",".join(map(str, flood))] if flood else []
    )
    with _child(args, log_path, module="sample_telegram") as running:
        yield running


@contextmanager
def serving_telegram(
    host: str, port: int = 80, seed: int = DEFAULT_SEED, epoch: int = 1, log_path: str | Path | None = None
) -> Iterator[TelegramServer]:
    """The sample Telegram in a thread of this process, on a given loopback address and port: the private Tor
    network's exit keeps the port of `http://t.me/...`, so its stand-in listens on port 80 of its own address."""
    server = TelegramServer(build_world(seed, epoch), port, RequestLog(log_path), host=host)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
