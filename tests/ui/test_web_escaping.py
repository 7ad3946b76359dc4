"""Safe rendering: crawled text is always escaped, captured markup never becomes markup, strict headers."""

from __future__ import annotations

import re

import pytest

from web.security import CSP, linked_text, marked

HOSTILE_URL = "/paste/hostile"


def tags_in(html):
    return set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))


OUR_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "link",
    "body",
    "header",
    "a",
    "form",
    "input",
    "button",
    "span",
    "main",
    "h1",
    "h2",
    "h3",
    "small",
    "dl",
    "dt",
    "dd",
    "p",
    "section",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "code",
    "ul",
    "li",
    "strong",
    "footer",
    "aside",
    "ol",
    "q",
    "mark",
    "label",
    "nav",
    "article",
    "div",
}


@pytest.mark.parametrize(
    "path",
    [
        "/page?url=http://{site}" + HOSTILE_URL,
        "/search?q=hostile",
        "/vendor/evil",
        "/site/{site}",
        "/entity/x@example.com",
    ],
)
def test_hostile_records_render_as_text(logged_in, path):
    response = logged_in.get(path.format(site=logged_in.site))
    assert response.status_code == 200
    html = response.text
    assert tags_in(html) <= OUR_TAGS, tags_in(html) - OUR_TAGS
    assert "<script" not in html.lower()
    assert not re.search(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", html), "an event handler attribute leaked"
    assert "javascript:" not in re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith("/") for h in re.findall(r'(?:href|src|action)="([^"]*)"', html))


def test_hostile_page_text_is_shown_escaped(logged_in):
    html = logged_in.get(f"/page?url=http://{logged_in.site}{HOSTILE_URL}").text
    assert "&lt;script&gt;document.cookie=&#39;x=1&#39;" in html
    assert "&lt;meta http-equiv=&#34;refresh&#34;" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;Paste of hostile markup" in html
    assert "&lt;b onmouseover=alert(3)&gt;evil&lt;/b&gt;" in html


def test_every_response_carries_the_strict_headers(client, logged_in):
    for response in (
        client.get("/login"),
        logged_in.get("/search?q=x"),
        logged_in.get("/static/style.css"),
        logged_in.get("/api/search"),
        logged_in.get("/nowhere"),
    ):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'none'" in CSP
    assert "default-src 'none'" in CSP
    assert "form-action 'self'" in CSP


def test_crawled_urls_are_never_links_out(logged_in):
    html = logged_in.get(f"/page?url=http://{logged_in.site}/p1").text
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    assert all(h.startswith("/") for h in hrefs)
    assert f"/site/{logged_in.site}" in hrefs
    assert "/entity/bc1qexampleaddress" in hrefs


def test_marked_marks_only_the_index_spans():
    # A crawled <mark> is text; only the index's offsets become marks (issue 14, finding 6).
    assert marked("<mark>ice</mark> <script>x</script>", [(6, 9)]) == (
        "&lt;mark&gt;<mark>ice</mark>&lt;/mark&gt; &lt;script&gt;x&lt;/script&gt;"
    )
    assert marked("a</mark>b") == "a&lt;/mark&gt;b"
    assert marked("abc", [(2, 9), (1, 2), (0, 2)]) == "<mark>ab</mark>c"  # out of range, overlapping: ignored


def test_linked_text_links_entities_and_onions():
    onion = "b" * 56 + ".onion"
    html = linked_text(f'<img src=x> pay bc1qabc at {onion}"', [{"value": "bc1qabc"}])
    assert html == (
        f'&lt;img src=x&gt; pay <a class="pivot" href="/entity/bc1qabc">bc1qabc</a> at '
        f'<a class="pivot" href="/site/{onion}">{onion}</a>&#34;'
    )
