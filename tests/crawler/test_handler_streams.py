"""The download handler's connections look their socket facts up once (crawler/handlers/streams.py)."""

import asyncio

from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.handlers.isolated_httpx import IsolatedHttpxDownloadHandler
from crawler.handlers.streams import CachedInfoStream


def test_kept_alive_requests_ask_anyio_for_the_socket_once(monkeypatch):
    async def answer(reader, writer):
        for _ in range(3):  # one kept-alive connection, three requests
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
        writer.close()

    lookups: list[object] = []
    streams: list[CachedInfoStream] = []
    original_init = CachedInfoStream.__init__

    def counting_init(self, stream):
        original_init(self, stream)
        streams.append(self)
        extra = stream.extra
        stream.extra = lambda attribute, *default: lookups.append(attribute) or extra(attribute, *default)

    monkeypatch.setattr(CachedInfoStream, "__init__", counting_init)

    async def scenario():
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        handler = IsolatedHttpxDownloadHandler(get_crawler())
        try:
            for n in range(3):
                response = await handler.download_request(Request(f"http://127.0.0.1:{port}/{n}"))
                assert response.body == b"ok"
        finally:
            await handler.close()
            server.close()

    asyncio.run(scenario())
    assert len(streams) == 1  # the connection was kept alive
    assert len(lookups) == len(set(lookups))  # each attribute asked of anyio at most once
    assert streams[0].get_extra_info("socket") is not None
