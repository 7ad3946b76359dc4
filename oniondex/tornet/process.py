"""One tor process: started from its torrc, stopped by its recorded process id."""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from typing import TYPE_CHECKING

from oniondex.tornet.errors import TorProcessError
from oniondex.tornet.identities import TOR

if TYPE_CHECKING:
    from oniondex.tornet.torrc import NodeSpec

logger = logging.getLogger(__name__)
KILL_AFTER = 5.0
_LOG_TAIL_LINES = 25


class TorProcess:
    """A tor started in the foreground (no RunAsDaemon) so its pid is ours to stop."""

    def __init__(self, node: NodeSpec, torrc: str) -> None:
        self.node = node
        self.torrc = torrc
        self._popen: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    def is_running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def start(self) -> None:
        self.node.torrc_path.write_text(self.torrc)
        self.node.control_port_file.unlink(missing_ok=True)
        # A restarted tor writes a new cookie: the killed one's, read too early, fails AUTHENTICATE (515).
        self.node.cookie_path.unlink(missing_ok=True)
        empty = self.node.datadir / "empty-torrc"
        empty.write_text("")
        argv = [TOR, "-f", str(self.node.torrc_path), "--defaults-torrc", str(empty)]
        with (self.node.datadir / "stdout.log").open("ab") as out:
            # A new session: Ctrl-C in a terminal reaches us, and we stop tor by its pid.
            self._popen = subprocess.Popen(  # noqa: S603
                argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        logger.debug("started tor %s pid %s", self.node.nickname, self._popen.pid)

    def control_port(self, timeout: float = 30.0) -> int:
        """The ControlPort tor chose (ControlPort auto), once it has written it and its auth cookie."""
        deadline = time.monotonic() + timeout
        path = self.node.control_port_file
        while time.monotonic() < deadline:
            if not self.is_running():
                raise self.failure("exited during start-up")
            if path.exists() and (text := path.read_text().strip()) and self.node.cookie_path.exists():
                return int(text.rsplit(":", 1)[1])
            time.sleep(0.05)
        raise self.failure(f"wrote no control port file within {timeout:.0f} s")

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Send `sig`, SIGKILL whatever is left after KILL_AFTER seconds, and reap it."""
        popen = self._popen
        if popen is None or popen.poll() is not None:
            return
        popen.send_signal(sig)
        try:
            popen.wait(KILL_AFTER)
        except subprocess.TimeoutExpired:
            logger.warning("tor %s ignored %s for %.0f s; killing", self.node.nickname, sig.name, KILL_AFTER)
            popen.kill()
            popen.wait()

    def log_tail(self) -> str:
        try:
            lines = self.node.log_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            try:
                lines = (self.node.datadir / "stdout.log").read_text(errors="replace").splitlines()
            except FileNotFoundError:
                return ""
        return "\n".join(lines[-_LOG_TAIL_LINES:])

    def failure(self, reason: str) -> TorProcessError:
        return TorProcessError(self.node.nickname, reason, self.log_tail())
