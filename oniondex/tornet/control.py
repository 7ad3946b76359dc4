"""A minimal client for Tor's control port (control-spec.txt): cookie auth, GETINFO, SETCONF,
SETEVENTS, SIGNAL, and asynchronous events read by a background thread so none is lost."""

from __future__ import annotations

import contextlib
import queue
import shlex
import socket
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oniondex.tornet.errors import ControlError, TorNetError

if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

_EVENT_STATUS = 650
_CLOSED = object()


@dataclass(frozen=True)
class Reply:
    """One reply: status code and its lines (a data block's lines joined by newlines)."""

    status: int
    lines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == 250


@dataclass(frozen=True)
class Event:
    """One asynchronous event, e.g. `HS_DESC UPLOADED <address> …` or `STREAM 12 SUCCEEDED 7 …`."""

    text: str
    extra_lines: list[str] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.text.split(" ", 1)[0]

    @property
    def args(self) -> list[str]:
        return self.text.split(" ")[1:]

    def keywords(self) -> dict[str, str]:
        """The KEY=value arguments (quoted values unquoted)."""
        keywords = {}
        for arg in shlex.split(self.text):
            key, sep, value = arg.partition("=")
            if sep:
                keywords[key] = value
        return keywords


class ControlConnection:
    """An authenticated control connection to a tor on 127.0.0.1."""

    def __init__(self, port: int, cookie_path: Path, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self._sock.settimeout(None)
        self._file = self._sock.makefile("rb")
        self._replies: queue.Queue[object] = queue.Queue()
        self._events: queue.Queue[Event] = queue.Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read_loop, name=f"tor-control-{port}", daemon=True)
        self._reader.start()
        self.command(f"AUTHENTICATE {cookie_path.read_bytes().hex()}")

    def command(self, line: str) -> Reply:
        """Send one command and return its reply; raises ControlError unless the status is 250."""
        with self._lock:
            self._sock.sendall(line.encode("ascii") + b"\r\n")
            try:
                reply = self._replies.get(timeout=self.timeout)
            except queue.Empty as exc:
                raise TorNetError(f"no reply to control command {line.split(' ', 1)[0]!r}") from exc
        if not isinstance(reply, Reply):
            raise TorNetError("the control connection closed")
        if not reply.ok:
            raise ControlError(line, reply.status, " ".join(reply.lines))
        return reply

    def get_info(self, *keys: str) -> dict[str, str]:
        reply = self.command("GETINFO " + " ".join(keys))
        values: dict[str, str] = {}
        for line in reply.lines:
            key, sep, value = line.partition("=")
            if sep:
                values[key] = value.removeprefix("\n")
        return values

    def set_conf(self, options: dict[str, str]) -> None:
        self.command("SETCONF " + " ".join(f'{key}="{value}"' for key, value in options.items()))

    def set_events(self, *names: str) -> None:
        self.command("SETEVENTS " + " ".join(names))

    def signal(self, name: str) -> None:
        self.command(f"SIGNAL {name}")

    def next_event(self, timeout: float) -> Event | None:
        """The next event, or None if none arrives within `timeout` seconds."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain_events(self) -> list[Event]:
        events = []
        while (event := self.next_event(0)) is not None:
            events.append(event)
        return events

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def __enter__(self) -> ControlConnection:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _read_loop(self) -> None:
        try:
            while (reply := self._read_reply()) is not None:
                if reply.status == _EVENT_STATUS:
                    self._events.put(Event(reply.lines[0], reply.lines[1:]))
                else:
                    self._replies.put(reply)
        except (OSError, ValueError):
            pass
        self._replies.put(_CLOSED)

    def _read_reply(self) -> Reply | None:
        lines: list[str] = []
        while True:
            raw = self._file.readline()
            if not raw:
                return None
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            status, sep, text = int(line[:3]), line[3:4], line[4:]
            if sep == "+":
                text += "\n" + self._read_data_block()
            lines.append(text)
            if sep == " ":
                return Reply(status, lines)

    def _read_data_block(self) -> str:
        data: list[str] = []
        while (raw := self._file.readline()) and raw.rstrip(b"\r\n") != b".":
            data.append(raw.decode("utf-8", errors="replace").rstrip("\r\n").removeprefix("."))
        return "\n".join(data)
