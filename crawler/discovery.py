"""Discovery both ways between the two spiders of one crawl (oniondex/cli/crawl.py wires it):

- channels an onion page names (t.me links, Telegram @handles) and channels a post forwards from or
  links to are discovered channels; onions a post links to are discovered sites;
- every one is written to DATA/discovered.txt (oniondex/telegram/discovered.py), once;
- with ONIONDEX_DISCOVER they are crawled in this crawl too: handed to the running spider of their kind,
  or a spider of that kind is started for them. Neither spider closes while the other may still discover.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from oniondex.records import PageRecord
from oniondex.seeds import Seed
from oniondex.telegram.discovered import DiscoveredList
from oniondex.telegram.discovery import channels_on_page
from oniondex.telegram.records import PostRecord
from oniondex.telegram.usernames import preview_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler, CrawlerProcess
    from twisted.internet.defer import Deferred

ONION, TELEGRAM = "onion", "telegram"


class DiscoveryHub:
    def __init__(self, process: CrawlerProcess, discovered_path: str, discover: bool) -> None:
        self.process, self.discover = process, discover
        self.discovered = DiscoveredList(discovered_path)
        self.crawlers: dict[str, Crawler] = {}
        self._waiting: dict[str, list[Seed]] = {ONION: [], TELEGRAM: []}  # for a spider not yet open
        self._handed: set[str] = set()  # crawled in this crawl (listed in an earlier one or not)
        self.new = {ONION: 0, TELEGRAM: 0}  # names new to the discovered list
        self.failures: list[str] = []

    def crawl(self, kind: str, seeds: list[Seed]) -> Deferred[Any]:
        """Start the spider of `kind` (onion or telegram) on `seeds`, wired to the hub."""
        crawler = self.process.create_crawler(kind)
        self.crawlers[kind] = crawler
        self._handed |= {seed.site for seed in seeds}
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._opened, signal=signals.spider_opened)
        if kind == ONION:
            crawler.signals.connect(self._page_scraped, signal=signals.item_scraped)
        deferred = self.process.crawl(crawler, seeds=seeds, hub=self)
        deferred.addErrback(lambda failure: self.failures.append(failure.getErrorMessage()))
        return deferred

    def ran(self, kind: str) -> bool:
        return kind in self.crawlers

    # --- what the spiders report ---------------------------------------------------------------------

    def channel_named(self, name: str, source: str, case: str = "") -> bool:
        """A channel named on `source` (a page or post URL); True if it is new to the discovered list."""
        new = self.discovered.add_channel(name, source, case)
        self.new[TELEGRAM] += new
        seed = Seed(preview_url(name), f"t.me/{name}", ("discovered",), case, f"named on {source}", name)
        self._hand_over(TELEGRAM, seed)
        return new

    def site_named(self, onion: str, source: str, case: str = "") -> bool:
        new = self.discovered.add_site(onion, source, case)
        self.new[ONION] += new
        self._hand_over(ONION, Seed(f"http://{onion}/", onion, ("discovered",), case, f"named on {source}"))
        return new

    def _page_scraped(self, item: Any, spider: Any = None, **_: Any) -> None:
        if not isinstance(item, PageRecord) or isinstance(item, PostRecord):
            return
        links = item.page.links if item.page is not None else ()
        for name in sorted(channels_on_page(item.entities, links)):
            self.channel_named(name, item.url, item.case)

    # --- handing over and keeping both alive ----------------------------------------------------------

    def _hand_over(self, kind: str, seed: Seed) -> None:
        if not self.discover or seed.site in self._handed:
            return
        self._handed.add(seed.site)
        crawler = self.crawlers.get(kind)
        if crawler is None:
            self.crawl(kind, [seed])
        elif crawler.spider is None or not _open(crawler):
            self._waiting[kind].append(seed)
        else:
            crawler.spider.take_discovered(seed)

    def _opened(self, spider: Any) -> None:
        kind = spider.name
        waiting, self._waiting[kind] = self._waiting[kind], []
        for seed in waiting:
            spider.take_discovered(seed)

    def _idle(self, spider: Any) -> None:
        """Keep a spider open while the other one still works: it may yet discover something for it."""
        if not self.discover:
            return
        if any(kind != spider.name and _busy(crawler) for kind, crawler in self.crawlers.items()):
            raise DontCloseSpider


def _open(crawler: Crawler) -> bool:
    return crawler.engine is not None and crawler.engine.running and getattr(crawler.engine, "_slot", None) is not None


def _busy(crawler: Crawler) -> bool:
    """Starting, or open and not idle (requests queued or in flight, items in the pipelines)."""
    if not crawler.crawling:
        return False
    if not _open(crawler):
        return True
    assert crawler.engine is not None
    return not crawler.engine.spider_is_idle()
