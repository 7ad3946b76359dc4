"""Page fields from the raw page: title, visible text, links, hash, encoding."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

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
        hosts = {urlsplit(link).hostname or "" for link in page.links}
        item.onion_links = sorted(host for host in hosts if host != item.site and is_valid_onion(host))
        return item
