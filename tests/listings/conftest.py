from __future__ import annotations

import pytest

from oniondex.page import Page


@pytest.fixture
def page_of():
    def make(html: str, url: str = "http://market.onion/list") -> Page:
        return Page(url, f"<html><head><title>t</title></head><body>{html}</body></html>".encode())

    return make


@pytest.fixture(scope="session")
def world():
    from sample_darknet.world import build_world

    return build_world()
