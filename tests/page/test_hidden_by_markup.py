"""Content a browser renders cannot be hidden from extraction by markup alone (issue 14, finding 1).

libxml2 stops building the tree at nesting depth 256 and drops a text node over 10 MB; a page's text
then comes from the markup itself, at any depth and size, with scripts, styles and comments left out.
"""

from __future__ import annotations

import pytest

from oniondex import page as page_module
from oniondex.entities import extract_entities
from oniondex.entities.report import page_language
from oniondex.page import Page

BTC = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"  # BIP 173 test vector (mainnet P2WPKH)
PROSE = "The quick brown fox jumps over the lazy dog while the farmer watches from the old barn. "


def nested(depth: int, inner: str = "deep", after: str = "") -> Page:
    html = f"<html><head><title>t</title></head><body>{'<div>' * depth}{inner}{'</div>' * depth}{after}</body></html>"
    return Page("http://example.onion/", html.encode())


@pytest.mark.parametrize("depth", [10, 255, 256, 300, 5000])
def test_address_after_deep_nesting_is_found(depth: int) -> None:
    page = nested(depth, after=f"<p>Pay to {BTC} today</p>")
    assert BTC in page.text
    assert [e.value for e in extract_entities(page, "2026-01-01T00:00:00Z") if e.type == "BTC"] == [BTC]


@pytest.mark.parametrize("depth", [100, 5000])
def test_address_inside_deep_nesting_is_found(depth: int) -> None:
    page = nested(depth, inner=f"wallet <b>{BTC}</b>")
    assert BTC in {e.value for e in extract_entities(page, "2026-01-01T00:00:00Z")}


def test_shallow_page_keeps_its_tree() -> None:
    page = nested(200)
    assert page.tree is not None
    assert not page.tree_cut


def test_deep_page_is_marked_cut() -> None:
    assert nested(5000).tree_cut


def test_no_script_style_or_comment_leaks_from_a_cut_tree() -> None:
    hidden = (
        "<script>var leak1 = 'scriptsecret';</script><style>.leak2{content:'stylesecret'}</style>"
        "<!-- commentsecret --><noscript>noscriptsecret</noscript><template>templatesecret</template>"
        "<SCRIPT type='text/javascript'>upperscriptsecret</SCRIPT><p>visible words</p>"
    )
    page = nested(5000, after=hidden)
    assert page.tree_cut
    assert "visible words" in page.text
    for secret in ("scriptsecret", "stylesecret", "commentsecret", "noscriptsecret", "templatesecret"):
        assert secret not in page.text


def test_entities_decoded_and_lone_angle_brackets_kept_in_a_cut_tree() -> None:
    page = nested(5000, after="<p>5 &lt; 7 &amp; 3 < 4 &#x41;BC</p>")
    assert "5 < 7 & 3 < 4 ABC" in page.text


def test_twelve_megabyte_text_block_is_searchable_and_has_a_language() -> None:
    block = PROSE * (12_000_000 // len(PROSE) + 1)
    html = f"<html><body><p>{block}</p><p>closing line zebra</p></body></html>"
    page = Page("http://example.onion/", html.encode())
    assert len(page.body) > 12_000_000
    assert page.tree_cut
    assert len(page.text) > 12_000_000
    assert page.text.endswith("closing line zebra")
    assert page_language(page) == "en"


def test_body_over_the_cap_is_read_up_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_module, "MAX_PARSE_CHARS", 2_000)
    html = "<html><body><p>" + "word " * 1_000 + "</p><p>beyond the cap</p></body></html>"
    page = Page("http://example.onion/", html.encode())
    assert page.truncated
    assert "word word" in page.text
    assert "beyond the cap" not in page.text
    assert not Page("http://example.onion/", b"<p>short</p>").truncated
