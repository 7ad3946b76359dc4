"""The malloc arena limit the crawl process sets before its threads start (oniondex/memory.py)."""

from __future__ import annotations

import platform

import pytest

from oniondex.memory import limit_malloc_arenas


def test_zero_leaves_the_default() -> None:
    assert limit_malloc_arenas(0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt's arena limit is glibc's")
def test_glibc_takes_the_limit() -> None:
    assert limit_malloc_arenas(2) is True


def test_the_crawl_settings_limit_arenas_and_item_tasks() -> None:
    from crawler import settings

    assert settings.ONIONDEX_MALLOC_ARENAS > 0
    assert settings.CONCURRENT_ITEMS < 100  # Scrapy's default starts 100 tasks per response
