"""`absolute` does by string operations what urljoin does, for every kind of href a page writes."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from oniondex.listings.urls import absolute

BASES = ["http://a.onion/x/y?z=1", "http://a.onion/x/y/", "http://a.onion", "http://a.onion?q=1",
         "file:///tmp/p/a.html", "https://h:8080/", "http://a.onion/x/y#frag", "mailto:x@y"]  # fmt: skip
HREFS = ["/v/bob", "/v/bob?x=1#f", "http://o.onion/q", "rel/x", "?p=2", "#top", "/a/../b", "//cdn/x", "/",
         "/%20x", "welcome?sc=5", "userinfo?user=jo", "a:b", "javascript:void(0)", "x/../y", "./z", "..", "",
         "a?b=c:d", "HTTP://X.onion/a", "a b", "/a/./b"]  # fmt: skip


@pytest.mark.parametrize("base", BASES)
def test_absolute_is_urljoin(base: str) -> None:
    assert [absolute(base, href) for href in HREFS] == [urljoin(base, href) for href in HREFS]
