"""A bare SOCKS5 CONNECT (RFC 1928/1929) that returns the reply code, so Tor's ExtendedErrors
codes (0xF0 descriptor not found, 0xF6 bad address, …) can be seen directly."""

from __future__ import annotations

import socket
import struct

SUCCEEDED = 0x00
GENERAL_FAILURE = 0x01
CONNECTION_REFUSED = 0x05
TTL_EXPIRED = 0x06
ONION_DESC_NOT_FOUND = 0xF0
ONION_INTRO_FAILED = 0xF2
ONION_BAD_ADDRESS = 0xF6


class SocksProtocolError(OSError):
    """The SOCKS server broke the protocol (not a CONNECT reply code)."""


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise SocksProtocolError("SOCKS server closed the connection")
        data += chunk
    return data


def socks5_connect_reply(
    socks_port: int,
    host: str,
    port: int,
    username: str = "oniondex",
    password: str = "x",  # noqa: S107 - Tor uses SOCKS credentials only to isolate circuits
    timeout: float = 30.0,
) -> int:
    """Ask the SOCKS5 server on 127.0.0.1:socks_port to CONNECT to host:port; return its reply code.

    Raises ConnectionRefusedError if nothing listens on the SOCKS port.
    """
    with socket.create_connection(("127.0.0.1", socks_port), timeout=timeout) as sock:
        sock.sendall(b"\x05\x01\x02")  # version 5, one method: username/password
        if _recv_exact(sock, 2) != b"\x05\x02":
            raise SocksProtocolError("SOCKS server refused username/password authentication")
        user, secret = username.encode(), password.encode()
        sock.sendall(bytes([1, len(user)]) + user + bytes([len(secret)]) + secret)
        if _recv_exact(sock, 2)[1] != 0:
            raise SocksProtocolError("SOCKS server rejected the credentials")
        name = host.encode("ascii")
        sock.sendall(b"\x05\x01\x00\x03" + bytes([len(name)]) + name + struct.pack(">H", port))
        version, code = _recv_exact(sock, 2)
        if version != 5:
            raise SocksProtocolError(f"SOCKS reply version {version}")
        return code
