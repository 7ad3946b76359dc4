"""Watch which TCP peers a process connects to, from /proc: the proof that a crawler talks only to its proxy."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _hex_peer(field: str) -> tuple[str, int]:
    address, port = field.split(":")
    if len(address) != 8:
        return "ipv6:" + address, int(port, 16)
    # IPv4, little-endian hex
    return ".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0)), int(port, 16)


def tcp_peers(pid: int) -> set[tuple[str, int]]:
    """Remote (host, port) of every TCP socket the process holds that is connected or connecting."""
    inodes = _socket_inodes(pid)
    peers = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            remote, state, inode = fields[2], fields[3], fields[9]
            if inode in inodes and state != "0A":  # 0A = LISTEN
                peers.add(_hex_peer(remote))
    return peers


class PeerWatcher:
    """Samples a process's TCP peers every few milliseconds until stopped."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peers: set[tuple[str, int]] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peers |= tcp_peers(self.pid)
            except (FileNotFoundError, ProcessLookupError):
                return
            self._stop.wait(self.interval)

    def __enter__(self) -> PeerWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
