"""Page fields from the raw page: title, visible text, links, hash, encoding."""

from __future__ import annotations

from typing import Any

from oniondex.onion import is_valid_onion
from oniondex.records import PageRecord

# Indexed text is capped: enough for search and snippets, bounded whatever a page sends.
MAX_TEXT_CHARS = 500_000


class PageFieldsPipeline:
    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageRecord) or item.page is None:
            return item
        page = item.page
        item.title = page.title[:1000]
        item.text = page.text[:MAX_TEXT_CHARS]
        item.content_type = page.content_type
        item.encoding = page.encoding
        item.sha256 = page.sha256
        item.out_links = page.links
        item.onion_links = sorted(
            {host for link in page.links if is_valid_onion(host := _host(link)) and host != item.site}
        )
        return item


def _host(url: str) -> str:
    return url.split("/", 3)[2].split(":", 1)[0].lower() if url.count("/") >= 2 else ""
