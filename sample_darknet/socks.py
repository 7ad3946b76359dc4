"""A SOCKS5 front that stands in for Tor's SocksPort in tests and the demo (RFC 1928, RFC 1929).

CONNECT by domain name only. A served onion on port 80 is piped to the sample HTTP server; a valid
but unserved onion gets 0xF0 and a malformed one 0xF6 (Tor's extended errors); anything else
(clearnet names, IP addresses) gets 0x02 and is logged as a blocked clearnet attempt. An HTTP request
instead of a greeting gets Tor's own "501 Tor is not an HTTP Proxy". With a Telegram upstream (the sample
Telegram), t.me and telegram.me on port 80 are piped there: the one clearnet exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import struct
from collections.abc import Callable
from typing import Any

from oniondex.onion import is_valid_onion, normalise_onion
from sample_darknet.world import World

OK, NOT_ALLOWED, REFUSED, CMD_UNSUPPORTED, ATYP_UNSUPPORTED = 0x00, 0x02, 0x05, 0x07, 0x08
ONION_NOT_FOUND, ONION_BAD_ADDRESS = 0xF0, 0xF6
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me"})
_CHUNK = 64 * 1024
_HTTP_501 = (
    b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n"
    b"<html>\n<head>\n<title>This is a SOCKS Proxy, Not An HTTP Proxy</title>\n</head>\n<body>\n"
    b"<h1>This is a SOCKS proxy, not an HTTP proxy.</h1>\n<p>\nIt appears you have configured your web "
    b"browser to use this Tor port as\nan HTTP proxy.\n</p>\n</body>\n</html>\n"
)
Log = Callable[[dict[str, Any]], None]


class SocksFront:
    def __init__(
        self, world: World, upstream: tuple[str, int], log: Log, telegram: tuple[str, int] | None = None
    ) -> None:
        self.world, self.upstream, self.log, self.telegram = world, upstream, log, telegram

    def upstream_for(self, host: str) -> tuple[str, int]:
        return self.telegram if self.telegram and host.lower() in TELEGRAM_HOSTS else self.upstream

    def decide(self, host: str, port: int) -> int:
        """The reply code for CONNECT host:port (OK means: pipe to the sample server)."""
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return NOT_ALLOWED
        if self.telegram and host.lower() in TELEGRAM_HOSTS:
            return OK if port == 80 else REFUSED
        if not host.lower().endswith(".onion"):
            return NOT_ALLOWED
        if not is_valid_onion(host):
            return ONION_BAD_ADDRESS
        site = self.world.site(normalise_onion(host))
        if site is None or not site.served:
            return ONION_NOT_FOUND
        return OK if port == 80 else REFUSED

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._session(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass  # a client that hangs up or speaks nonsense just loses its connection
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        first = await reader.readexactly(1)
        if first != b"\x05":
            if first.isalpha():  # "GET / HTTP/1.0": someone took us for an HTTP proxy
                self.log({"event": "http_probe"})
                writer.write(_HTTP_501)
                await writer.drain()
            return
        username = await self._negotiate(reader, writer)
        if username is None:
            return
        host, port = await self._request(reader, writer)
        reply = self.decide(host, port)
        event = "blocked_clearnet" if reply == NOT_ALLOWED else "connect"
        self.log({"event": event, "username": username, "host": host, "port": port, "reply": reply})
        if reply != OK:
            await _reply(writer, reply)
            return
        up_reader, up_writer = await asyncio.open_connection(*self.upstream_for(host))
        await _reply(writer, OK)
        try:
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            up_writer.close()

    async def _negotiate(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> str | None:
        """Method selection; username/password is preferred (Tor isolates circuits by it), any accepted."""
        methods = await reader.readexactly((await reader.readexactly(1))[0])
        if 0x02 in methods:
            writer.write(b"\x05\x02")
            await writer.drain()
            await reader.readexactly(1)  # sub-negotiation version 0x01
            username = (await reader.readexactly((await reader.readexactly(1))[0])).decode("utf-8", "replace")
            await reader.readexactly((await reader.readexactly(1))[0])  # the password: any will do
            writer.write(b"\x01\x00")
            return username
        if 0x00 in methods:
            writer.write(b"\x05\x00")
            return ""
        writer.write(b"\x05\xff")
        await writer.drain()
        return None

    async def _request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> tuple[str, int]:
        _ver, cmd, _rsv, atyp = await reader.readexactly(4)
        if atyp == 0x03:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode("ascii", "replace")
        elif atyp in (0x01, 0x04):
            host = str(ipaddress.ip_address(await reader.readexactly(4 if atyp == 0x01 else 16)))
        else:
            await _reply(writer, ATYP_UNSUPPORTED)
            raise ValueError("unsupported address type")
        port = struct.unpack(">H", await reader.readexactly(2))[0]
        if cmd != 0x01:
            await _reply(writer, CMD_UNSUPPORTED)
            raise ValueError("only CONNECT is supported")
        return host, port


async def _reply(writer: asyncio.StreamWriter, code: int) -> None:
    writer.write(bytes([5, code, 0, 1, 0, 0, 0, 0, 0, 0]))
    await writer.drain()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    # Bounded: at most one 64 KiB chunk in flight, drain() applies back-pressure.
    try:
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        with contextlib.suppress(OSError, RuntimeError):
            writer.write_eof()
