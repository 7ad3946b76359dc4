"""Clearnet names inside the private network: the client maps each one to a loopback address behind
the network's own exit relay, so `t.me` reaches a loopback stand-in and nothing else.

What it takes (checked with Debian tor 0.4.9, see the tornet notes): the exit accepts only the
stand-ins' loopback addresses, resolves through a loopback nameserver (`DnsSink`, which answers no
query but records it), and the client names the exit explicitly (`MapAddress NAME ADDR.FP.exit`):
clients judge exits by a policy summary that ignores private addresses, so without the explicit
exit they would see none that accepts the stream.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import threading
from dataclasses import dataclass, field

from oniondex.tornet.errors import TorNetError


@dataclass(frozen=True)
class ClearnetStandIn:
    """`name` (e.g. t.me) is served by a loopback server on `address`, port kept from the request."""

    name: str
    address: str
    port: int = 80

    def __post_init__(self) -> None:
        if not ipaddress.ip_address(self.address).is_loopback:
            raise TorNetError(f"clearnet stand-in {self.name} must be on loopback, not {self.address}")


def free_loopback_address(port: int = 80) -> str:
    """A random 127.x.y.z whose `port` is free now: each run (and each other test run on the machine) picks
    its own. Port 80 needs root or CAP_NET_BIND_SERVICE."""
    rng = random.Random()  # an address choice, not security
    for _ in range(200):
        address = f"127.{rng.randint(1, 254)}.{rng.randint(0, 254)}.{rng.randint(1, 254)}"
        with socket.socket() as sock:
            try:
                sock.bind((address, port))
            except PermissionError as exc:
                raise TorNetError(f"binding port {port} needs root or CAP_NET_BIND_SERVICE: {exc}") from exc
            except OSError:
                continue
        return address
    raise TorNetError(f"no loopback address with port {port} free")


def exit_lines(stand_ins: list[ClearnetStandIn], resolv_conf: str) -> list[str]:
    """An exit relay that may reach the stand-ins and nothing else, resolving on loopback only."""
    accepts = sorted({f"accept {s.address}:{s.port}" for s in stand_ins})
    return [
        "ExitRelay 1",
        "ExitPolicy " + ", ".join([*accepts, "reject *:*"]),
        "ExitPolicyRejectPrivate 0",
        "ExitPolicyRejectLocalInterfaces 0",
        # Never the machine's resolver (not on loopback): tor would send test lookups to it.
        f"ServerDNSResolvConfFile {resolv_conf}",
        "ServerDNSDetectHijacking 0",
        "ServerDNSAllowBrokenConfig 0",
    ]


def client_lines(stand_ins: list[ClearnetStandIn], exit_fingerprint: str) -> list[str]:
    """MapAddress through the named exit (plain hex fingerprint: tor refuses the line with a `$`)."""
    return [
        "UseMicrodescriptors 0",  # the client needs the exit's full policy to accept a loopback stream
        "ConfluxEnabled 0",
        *(f"MapAddress {s.name} {s.address}.{exit_fingerprint}.exit" for s in stand_ins),
    ]


@dataclass
class DnsSink:
    """A UDP nameserver on 127.0.0.1 that answers nothing and records every query it gets."""

    queries: list[bytes] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._sock.getsockname()[1])

    def resolv_conf_text(self) -> str:
        return f"nameserver 127.0.0.1:{self.port}\n"

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data, _ = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            self.queries.append(data)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()
