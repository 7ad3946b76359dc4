"""httpcore's anyio network backend, with each connection's socket facts looked up once.

httpcore asks a stream for its raw socket on every request that reuses a kept-alive connection (the pool's
`has_expired` check is `is_readable`, for every connection of the pool per request) and for its TLS object
on every connect. anyio answers each `extra()` by building a dict of every attribute the stream has, with a
`getpeername` system call: 5% of the reactor thread's samples in a crawl profile. What a connection's
socket is, and its addresses, do not change while it lives, so the answer is kept on the stream."""

from __future__ import annotations

from typing import Any

import anyio
from httpcore import AsyncNetworkStream
from httpcore._backends.anyio import AnyIOBackend, AnyIOStream
from httpcore._utils import is_socket_readable

_UNSET = object()


class CachedInfoStream(AnyIOStream):
    def __init__(self, stream: anyio.abc.ByteStream) -> None:
        super().__init__(stream)
        self._info: dict[str, Any] = {}

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return is_socket_readable(self.get_extra_info("socket"))
        found = self._info.get(info, _UNSET)
        if found is _UNSET:
            found = self._info[info] = super().get_extra_info(info)
        return found


class CachedInfoBackend(AnyIOBackend):
    """Streams from `connect_tcp` are CachedInfoStreams (a TLS stream from `start_tls` stays anyio's: onion
    sites are plain HTTP over the circuit)."""

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> AsyncNetworkStream:
        stream = await super().connect_tcp(*args, **kwargs)
        assert isinstance(stream, AnyIOStream)
        return CachedInfoStream(stream._stream)
