"""One reading of the tree: links as urljoin resolves them, content text without chrome, the private-use
characters that mark chrome harmless when a page writes them itself, and the markup channels."""

from __future__ import annotations

import html
import itertools
import random
from urllib.parse import urljoin

import pytest

from oniondex.page import Page

BASES = ["http://abc.onion/", "http://abc.onion", "http://abc.onion/a/b?x=1", "https://h.onion/a//b/./c;p?q#f"]
PIECES = ["http://", "https://", "HTTP://", "//", "/", "./", "../", ".", "a", "b.html", "?", "#", "q=1", ";", ":", "\t"]


@pytest.mark.parametrize("base", BASES)
def test_links_resolve_as_urljoin_does(base: str) -> None:
    hrefs = ["".join(parts) for size in (1, 2, 3) for parts in itertools.product(PIECES, repeat=size)]
    hrefs = [h for h in hrefs if h.strip()]
    body = "".join(f'<a href="{h}">x</a>' for h in hrefs).encode()
    want: dict[str, None] = {}
    for href in hrefs:
        href = href.strip()
        if href.startswith(("#", "javascript:", "mailto:", "data:")):
            continue
        absolute = urljoin(base, href).split("#", 1)[0]
        if absolute.startswith(("http://", "https://")):
            want.setdefault(absolute, None)
    assert Page(base, b"<html><body>" + body + b"</body></html>").links == list(want)


def test_longer_links_resolve_as_urljoin_does() -> None:
    """Hrefs of up to eight pieces, white space, control and non-ASCII characters among them: what the
    plain-href patterns take, and the cases next to them they must leave to urljoin."""
    pieces = [*PIECES, "..", " ", "\x01", "\x7f", "\n", "\u00e9", "%2e", "h.onion", "x:1", "&", "=", "@"]
    rng = random.Random(7)
    for base in BASES:
        hrefs = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3_000)]
        want: dict[str, None] = {}
        for href in (h.strip() for h in hrefs):
            if href and not href.startswith(("#", "javascript:", "mailto:", "data:")):
                absolute = urljoin(base, href).split("#", 1)[0]
                if absolute.startswith(("http://", "https://")):
                    want.setdefault(absolute, None)
        body = "".join(f'<a href="{html.escape(h)}">x</a>' for h in hrefs).encode()
        assert Page(base, b"<html><body>" + body + b"</body></html>").links == list(want)


def test_content_text_leaves_chrome_out() -> None:
    page = Page(
        "http://abc.onion/",
        b"<html><body><header>Shop <nav>Ice Weed</nav> top</header><p>Offer <b>one</b></p>"
        b"<aside>side</aside><select><option>LSD</option></select><footer>foot</footer><p>two</p></body></html>",
    )
    assert page.text == "Shop Ice Weed top\nOffer one\nsideLSD foot\ntwo"
    assert page.content_text == "Offer one\ntwo"


def test_separator_characters_in_a_page_change_nothing_else() -> None:
    page = Page(
        "http://abc.onion/",
        '<html><body><p>a\ue000b\ue001c&#xe001;d&#57344;e</p><a href="/x\ue001y">l</a><nav>n</nav>'.encode(),
    )
    assert page.text == "abcde\nl n"
    assert page.content_text == "abcde\nl"
    assert page.links == ["http://abc.onion/xy"]


def test_markup_channels_skip_scripts_templates_and_noise_but_not_odd_names() -> None:
    page = Page(
        "http://abc.onion/",
        b'<html><body><div id|lang="odd" data-x="v" class="c" title=" ">t</div><script src="s" data-y="y">'
        b'</script><template><a href="h" title="t"></a></template><img src="i.png" alt="a"><!-- c --></body></html>',
    )
    assert page.reading is not None
    assert page.reading.attribute_values == "odd\nv\na"
    assert page.reading.link_values == "i.png"
    assert page.reading.comments == " c "
