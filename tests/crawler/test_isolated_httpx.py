import asyncio

from scrapy.utils.test import get_crawler

from crawler.handlers.isolated_httpx import IsolatedHttpxDownloadHandler


def test_client_pool_is_bounded_and_lru():
    async def scenario():
        crawler = get_crawler(settings_dict={"ONIONDEX_MAX_PROXY_CLIENTS": 2})
        handler = IsolatedHttpxDownloadHandler(crawler)
        proxies = [f"socks5h://site{n}:x@127.0.0.1:9" for n in range(3)]
        first = handler._get_client(proxies[0])
        handler._get_client(proxies[1])
        assert handler._get_client(proxies[0]) is first  # reused, and now the most recent
        handler._get_client(proxies[2])  # evicts site1, the least recently used
        assert handler.open_clients == 2
        assert set(handler._proxy_clients) == {proxies[0], proxies[2]}
        await asyncio.sleep(0)
        await handler.close()

    asyncio.run(scenario())
