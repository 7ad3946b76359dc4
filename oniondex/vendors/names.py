"""Vendor names as shown and normalised: the normalised form is what a weak (name-only) link compares."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from lxml import etree

from oniondex.listings.generic import is_tucked_away, shown_name
from oniondex.listings.memo import short_text_cache
from oniondex.listings.text import element_text
from oniondex.listings.textindex import page_index
from oniondex.listings.urls import absolute
from oniondex.listings.vocabulary import SELLER_WORDS_RE, vendor_from_url

if TYPE_CHECKING:
    from oniondex.page import Page

# Look-alike digits and symbols read as the letters they imitate: GreenDrag0n ~ GreenDragon.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_NOT_WORD_RE = re.compile(r"[\W_]+")
_TITLE_SPLIT_RE = re.compile(r"\s+[-–—|:·]+\s+")
# URL words that always mean a seller (a /u/ or ?user= link needs a seller's context on the page).
_SELLER_URL_RE = re.compile(r"(?:vendor|seller|shop|store|market|verkaeufer|продавец|магазин)", re.IGNORECASE)
_ID_RE = re.compile(r"^(?:\d+|[0-9a-f-]{16,})$", re.IGNORECASE)
_ACTION_RE = re.compile(
    r"^(?:reviews?|feedback|profile|view|info|contact|message|listings?|shop|store|more|all|details|"
    r"vendor info|contact vendor|send message|pgp|follow|отзывы|профиль|магазин|리뷰|프로필|bewertungen|profil)\b",
    re.IGNORECASE,
)
_LOGGED_IN_RE = re.compile(r"logged in as|signed in as|welcome,?\s*$|вы вошли|로그인|angemeldet als", re.IGNORECASE)
_HEADING_BEFORE = etree.XPath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6][1]")


@short_text_cache(4096)  # a page repeats its vendors' names, in its listings and links
def normalise_name(name: str) -> str:
    """NFKC, case-folded, look-alikes mapped, separators dropped: 'Pharma_Bro' -> 'pharmabro'."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LEET)
    return _NOT_WORD_RE.sub("", folded)


def market_names(page: Page) -> set[str]:
    """Normalised names the page gives its market (never a vendor): the <title> part after a separator
    ("Item - Market"), the site's first host label is too random to matter."""
    parts = [p for p in _TITLE_SPLIT_RE.split(page.title) if p.strip()]
    return {normalise_name(p) for p in parts[1:]} if len(parts) > 1 else set()


def seller_links(page: Page) -> list[str]:
    """Names of sellers the page links to outside its listings: links whose URL names a seller
    (/vendor/NAME, /shop/NAME, ?seller=NAME) or a user (/u/NAME, ?user=NAME) in a seller's context (a
    "Sold by", "Vendor" or "Top vendors" text around it: forum vendor flair, top-vendor boxes). The link
    text is the name; it must be the URL's name, or a short name where the URL carries an id."""
    if page.tree is None:
        return []
    out = []
    hidden: dict[etree._Element, bool] = {}  # footers, hover and hidden parts, per element, for this page
    for link in page_index(page.tree).links:
        href = link.get("href") or ""
        from_url = vendor_from_url(absolute(page.url, href)) if href else None
        if not from_url:
            continue
        # The name tests first: they turn away about half of the seller links, the ancestor walk few.
        name = shown_name(element_text(link))
        if not name or _ACTION_RE.match(name) or len(name.split()) > 6:
            continue
        if normalise_name(name) != normalise_name(from_url) and not _ID_RE.match(from_url):
            continue
        if _out_of_sight(link, hidden) or _logged_in(link):
            continue
        if _SELLER_URL_RE.search(href) or _seller_context(link):
            out.append(name)
    return out


def _out_of_sight(link: etree._Element, hidden: dict[etree._Element, bool]) -> bool:
    for ancestor in link.iterancestors():
        found = hidden.get(ancestor)
        if found is None:
            found = hidden[ancestor] = ancestor.tag == "footer" or is_tucked_away(ancestor)
        if found:
            return True
    return False


def _logged_in(link: etree._Element) -> bool:
    previous, parent = link.getprevious(), link.getparent()
    before = (previous.tail if previous is not None else parent.text if parent is not None else "") or ""
    return bool(_LOGGED_IN_RE.search(before))


def _seller_context(link: etree._Element) -> bool:
    """Seller words next to the link, or in the nearest heading before the list the link is in."""
    parent = link.getparent()
    near = element_text(parent) if parent is not None else ""
    if len(near) < 200 and SELLER_WORDS_RE.search(near.replace(element_text(link), " ")):
        return True
    if next(link.iterancestors("li"), None) is None:
        return False
    heading = _HEADING_BEFORE(link)
    return bool(heading) and bool(SELLER_WORDS_RE.search(element_text(heading[0])))
