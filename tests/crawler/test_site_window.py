"""Site-first scheduling: a site's pages come before the next site's, dead sites' queues are dropped."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.squeues import FifoMemoryQueue
from scrapy.utils.test import get_crawler

from crawler.pqueues.site_window import SiteWindowPriorityQueue


class Downloads:
    """The two things the queue asks Scrapy's downloader: a request's slot, and how busy a slot is."""

    def __init__(self) -> None:
        self.active: Counter[str] = Counter()

    def get_slot_key(self, request: Request) -> str:
        return urlsplit(request.url).hostname or ""

    def _active_downloads(self, slot: str) -> int:
        return self.active[slot]


@pytest.fixture
def queue(monkeypatch):
    crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 2})
    crawler.stats.open_spider()
    downloads = Downloads()
    # DownloaderInterface needs a running engine; the queue's logic needs only these two answers.
    monkeypatch.setattr("crawler.pqueues.site_window.DownloaderInterface", lambda crawler: downloads)
    monkeypatch.setattr("crawler.pqueues.site_window.HANDOVER_SECONDS", -1.0)  # an idle site is done at once
    q = SiteWindowPriorityQueue(crawler, FifoMemoryQueue, "")
    q.downloads = downloads
    return q


def pages(site: str, n: int) -> list[Request]:
    return [Request(f"http://{site}.onion/p{i}") for i in range(n)]


def take(queue, n):
    """Pop n requests, each counted as in flight at its site."""
    got = []
    for _ in range(n):
        request = queue.pop()
        if request is None:
            break
        queue.downloads.active[urlsplit(request.url).hostname] += 1
        got.append(request)
    return got


def hosts(requests):
    return [urlsplit(r.url).hostname.split(".")[0] for r in requests]


def test_the_oldest_active_site_gets_its_pages_first(queue):
    for request in pages("a", 5) + pages("b", 5):
        queue.push(request)
    # a takes its 2 per-site slots, then b is admitted; nothing more until a download ends
    assert hosts(take(queue, 5)) == ["a", "a", "b", "b"]
    queue.downloads.active["a.onion"] -= 1
    assert hosts(take(queue, 1)) == ["a"]


def test_a_site_that_comes_back_goes_before_new_sites(queue):
    queue.push(pages("a", 1)[0])
    take(queue, 1)
    for request in pages("b", 3) + pages("c", 3):
        queue.push(request)
    queue.downloads.active["a.onion"] = 0  # a's page is done; its links arrive after b and c were queued
    take_b = take(queue, 2)
    queue.push(Request("http://a.onion/next"))
    assert hosts(take_b) == ["b", "b"]
    assert hosts(take(queue, 2)) == ["a", "c"]


def test_a_dead_sites_queue_is_dropped_and_later_requests_refused(queue):
    for request in pages("dead", 4) + pages("live", 1):
        queue.push(request)
    take(queue, 1)
    queue.site_result(site="dead.onion", state="down", detail="descriptor not found")
    assert len(queue) == 1
    queue.push(Request("http://dead.onion/more"))
    assert len(queue) == 1
    assert hosts(take(queue, 5)) == ["live"]
    assert queue.stats.get_value("oniondex/scheduler/dead_site_dropped") == 4


def test_a_site_that_answered_is_not_dropped_for_one_failure(queue):
    for request in pages("a", 3):
        queue.push(request)
    queue.site_result(site="a.onion", state="up")
    queue.site_result(site="a.onion", state="timeout", detail="slow page")
    queue.site_result(site="b.onion", state="tor_error", detail="Tor down")  # never the site's fault
    assert len(queue) == 3
    assert "b.onion" not in queue.dead


def test_sites_are_admitted_while_slots_are_free_up_to_one_a_slot(monkeypatch):
    # 40 sites of one page each, 64 slots: every site's first page goes out at once, whatever the pace so far
    crawler = get_crawler(settings_dict={"CONCURRENT_REQUESTS": 64, "CONCURRENT_REQUESTS_PER_DOMAIN": 4})
    crawler.stats.open_spider()
    downloads = Downloads()
    monkeypatch.setattr("crawler.pqueues.site_window.DownloaderInterface", lambda crawler: downloads)
    q = SiteWindowPriorityQueue(crawler, FifoMemoryQueue, "")
    q.downloads = downloads
    for i in range(70):
        q.push(pages(f"s{i}", 1)[0])
    assert len(take(q, 40)) == 40
    # the window holds at most CONCURRENT_REQUESTS sites: the 65th waits until a site leaves
    assert len(take(q, 30)) == 24
    assert q.pace_state()["sites_active"] == 64
    assert q.pace_state()["sites_waiting"] == 6


def test_requests_on_their_way_to_the_downloader_count_as_the_sites(queue, monkeypatch):
    # The engine pops several requests in one pass; each reaches the downloader's slot a loop turn later.
    monkeypatch.setattr("crawler.pqueues.site_window.HANDOVER_SECONDS", 60.0)
    for request in pages("a", 5) + pages("b", 5):
        queue.push(request)
    popped = [queue.pop() for _ in range(5)]
    assert hosts(popped[:4]) == ["a", "a", "b", "b"]  # not all of a's five: its two turns are taken
    assert popped[4] is None
    for request in popped[:4]:  # they reach the downloader: now the slot counts them, not the queue
        request.meta["download_slot"] = urlsplit(request.url).hostname
        queue.request_reached(request)
        queue.downloads.active[request.meta["download_slot"]] += 1
    assert queue.pop() is None
    queue.downloads.active["a.onion"] -= 1
    assert hosts([queue.pop()]) == ["a"]


def test_a_request_dropped_on_its_way_counts_no_longer_than_the_handover(queue, monkeypatch):
    monkeypatch.setattr("crawler.pqueues.site_window.HANDOVER_SECONDS", 60.0)
    for request in pages("a", 3):
        queue.push(request)
    assert hosts([queue.pop(), queue.pop()]) == ["a", "a"]
    assert queue.pop() is None
    monkeypatch.setattr("crawler.pqueues.site_window.HANDOVER_SECONDS", -1.0)  # a middleware dropped them
    assert hosts([queue.pop()]) == ["a"]
