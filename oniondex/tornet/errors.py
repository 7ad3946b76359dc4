"""Errors raised by the private Tor network harness."""

from __future__ import annotations


class TorNetError(RuntimeError):
    """The private Tor network could not be brought up or driven; the message says which step."""


class TorProcessError(TorNetError):
    """One tor process failed; carries its nickname and the tail of its log."""

    def __init__(self, nickname: str, reason: str, log_tail: str = "") -> None:
        self.nickname = nickname
        self.reason = reason
        self.log_tail = log_tail
        detail = f"\n--- last lines of {nickname}'s log ---\n{log_tail}" if log_tail else ""
        super().__init__(f"tor {nickname}: {reason}{detail}")


class ControlError(TorNetError):
    """Tor's control port answered a command with an error status."""

    def __init__(self, command: str, status: int, message: str) -> None:
        self.command = command
        self.status = status
        super().__init__(f"control command {command.split(' ', 1)[0]!r} failed: {status} {message}")
