"""Run the sample darknet and its SOCKS front as child processes, for tests and the demo.

    with running_darknet() as darknet, running_socks_front(darknet.url) as socks:
        ...  # darknet.url == "http://127.0.0.1:PORT", socks.url == "socks5h://127.0.0.1:PORT"

The child binds 127.0.0.1 on port 0 and reports its port (no port races); it is killed on exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sample_darknet.world import DEFAULT_SEED

_ROOT = Path(__file__).resolve().parent.parent
# The wait ends as soon as the child prints LISTENING or exits (its stdout closes): this limit only bounds a
# child that hangs. 30 s failed tests on a loaded 2-core machine, where the child's imports alone took that long.
STARTUP_TIMEOUT = 120.0


@dataclass
class Running:
    url: str
    port: int
    log_path: Path
    process: subprocess.Popen[str]

    def log(self) -> list[dict[str, Any]]:
        """The JSON-lines log so far: requests (server) or connections (SOCKS front)."""
        text = self.log_path.read_text(encoding="utf-8") if self.log_path.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]


class StartupError(RuntimeError):
    """The child exited or stayed silent instead of printing its LISTENING line."""


@contextmanager
def running_darknet(seed: int = DEFAULT_SEED, log_path: str | Path | None = None) -> Iterator[Running]:
    with _child(["serve", "--seed", str(seed)], log_path) as running:
        yield running


@contextmanager
def running_socks_front(
    upstream_url: str, seed: int = DEFAULT_SEED, log_path: str | Path | None = None, telegram_url: str = ""
) -> Iterator[Running]:
    """With `telegram_url` (the sample Telegram's server), t.me and telegram.me are served too."""
    extra = ["--telegram-upstream", telegram_url] if telegram_url else []
    with _child(["socks", "--upstream", upstream_url, "--seed", str(seed), *extra], log_path) as running:
        yield running


@contextmanager
def _child(args: list[str], log_path: str | Path | None, module: str = "sample_darknet") -> Iterator[Running]:
    with tempfile.TemporaryDirectory(prefix="sample-darknet-") as tmp:
        log = Path(log_path) if log_path else Path(tmp) / "log.jsonl"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", module, *args, "--port", "0", "--log", str(log)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=_ROOT)  # noqa: S603
        try:
            url = _listening_line(process)
            yield Running(url, int(url.rsplit(":", 1)[1]), log, process)
        finally:
            process.kill()
            process.wait(timeout=10)
            if process.stdout:
                process.stdout.close()


def _listening_line(process: subprocess.Popen[str]) -> str:
    line: list[str] = []
    reader = threading.Thread(
        target=lambda: line.append(process.stdout.readline() if process.stdout else ""), daemon=True
    )
    reader.start()
    reader.join(STARTUP_TIMEOUT)
    text = line[0].strip() if line else ""
    if not text.startswith("LISTENING "):
        process.kill()
        raise StartupError(f"{' '.join(map(str, process.args))} did not report LISTENING: {text!r}")
    return text.split(" ", 1)[1]
