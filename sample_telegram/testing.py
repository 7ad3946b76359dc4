"""Run the sample Telegram as a child process, for tests and the demo:

with running_telegram(epoch=1) as telegram, running_socks_front(darknet.url, telegram_url=telegram.url) as socks:
    ...  # crawl http://t.me/s/CH through socks.url
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sample_darknet.testing import Running, _child
from sample_telegram.world import DEFAULT_SEED


@contextmanager
def running_telegram(seed: int = DEFAULT_SEED, epoch: int = 1, log_path: str | Path | None = None) -> Iterator[Running]:
    with _child(["serve", "--seed", str(seed), "--epoch", str(epoch)], log_path, module="sample_telegram") as running:
        yield running
