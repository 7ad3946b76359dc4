"""The words markets use around listings, in English, Korean, Russian and German.

Labels name a field ("Ships from:", "발송지", "Отправка из", "Versand aus"); phrases carry one inside
running text ("sold by X", "ships from X to Y", "X → Y"); vendor links put a name in the URL.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

# field -> labels (compared case-folded, without a trailing colon).
LABELS: dict[str, tuple[str, ...]] = {
    "title": (
        "item", "product", "title", "name", "listing", "offer", "product name",
        "상품", "상품명", "제품", "제목", "품목",
        "товар", "название", "наименование", "продукт",
        "artikel", "produkt", "angebot", "bezeichnung",
    ),
    "price": (
        "price", "cost", "price per unit", "amount due", "buy", "buy price", "purchase price", "buy now",
        "가격", "판매가", "금액", "단가",
        "цена", "стоимость",
        "preis", "kosten",
    ),
    "unit": (
        "unit", "per", "quantity", "qty", "weight", "size", "amount", "pack",
        "단위", "수량", "용량", "중량",
        "единица", "количество", "фасовка", "вес", "кол-во",
        "einheit", "menge", "gewicht", "pro",
    ),
    "vendor": (
        "vendor", "seller", "sold by", "merchant", "shop", "store", "dealer", "vendor name",
        "판매자", "판매처", "셀러", "상점",
        "продавец", "магазин", "селлер",
        "verkäufer", "händler", "anbieter", "verkauft von",
    ),
    "category": (
        "category", "section", "subcategory", "sub-category",
        "분류", "카테고리", "종류",
        "категория", "раздел",
        "kategorie", "rubrik",
    ),
    "ships_from": (
        "ships from", "ship from", "shipping from", "origin", "from", "country of origin", "sent from",
        "origin country", "shipped from", "ships from country",
        "발송지", "출발지", "발송", "발송 국가",
        "отправка из", "откуда", "страна отправки", "отправка",
        "versand aus", "versand von", "herkunft", "versandland", "von",
    ),
    "ships_to": (
        "ships to", "ship to", "shipping to", "destination", "to", "delivers to", "shipping",
        "destination country", "ships to countries", "delivery to",
        "배송지역", "배송지", "배송", "배송 지역", "배송 가능",
        "доставка", "куда", "доставка в", "регион доставки",
        "versand nach", "lieferung nach", "ziel", "lieferung",
    ),
}  # fmt: skip

_LABEL_TO_FIELD = {label: name for name, labels in LABELS.items() for label in labels}
_LABEL_TRIM = " :：-–—\t\u00a0"

# "by X", "sold by X", "판매자 X", "Продавец: X", "Verkäufer: X" inside running text.
VENDOR_PHRASE_RE = re.compile(
    r"(?:^|\s)(?:sold by|vendor|seller|by|판매자|판매처|продавец|verkäufer|verkauft von)\s*[:：]?\s*"
    r"@?(?P<name>[^\s|·,;()]{2,40})",
    re.IGNORECASE,
)
# Words that make a user link a seller's: "Sold by", "Vendor" flair, "Top vendors" boxes.
SELLER_WORDS_RE = re.compile(
    r"sold by|vendors?\b|sellers?\b|shops?\b|продав|магазин|селлер|판매자|셀러|verkäufer|händler|anbieter",
    re.IGNORECASE,
)
# Shipping phrases: from X to Y, X → Y, Отправка из X в Y, Versand von X nach Y, X에서 Y로.
SHIPPING_RES = (
    re.compile(r"ships?\s+from\s+(?P<src>.+?)\s+to\s+(?P<dst>.+?)\s*$", re.IGNORECASE),
    re.compile(r"(?:^|\s)from\s+(?P<src>.+?)\s+to\s+(?P<dst>.+?)\s*$", re.IGNORECASE),
    re.compile(r"(?P<src>[^\s→|·][^→|·]*?)\s*(?:→|->|⇒|➜|=>|»)\s*(?P<dst>[^→|·]+?)\s*$"),
    re.compile(r"(?:отправка|доставка)\s+из\s+(?P<src>.+?)\s+в\s+(?P<dst>.+?)\s*$", re.IGNORECASE),
    re.compile(r"versand\s+(?:von|aus)\s+(?P<src>.+?)\s+nach\s+(?P<dst>.+?)\s*$", re.IGNORECASE),
    re.compile(r"(?P<src>\S+)에서\s+(?P<dst>\S+?)(?:으로|로)\s*(?:배송|발송)?\s*$"),
)
# Units next to a price: "per gram", "(per 10 pills)", "/ 1g당", "за 1 г", "pro Gramm".
UNIT_RE = re.compile(
    r"^\s*[(/]?\s*(?P<unit>(?:per|pro|за|each|for)\s+[^()|—·\n]+|\d+(?:[.,]\d+)?\s*[^\W\d_][^\s()|—·]*)",
    re.IGNORECASE,
)
# Where a market puts a vendor's name in a URL: /vendor/NAME, /u/NAME, ?member=NAME, user.php?u=NAME.
_VENDOR_PATH_RE = re.compile(
    r"/(?:vendors?|sellers?|users?|u|v|profile|profiles|shops?|stores?|markets?|member|members|verkaeufer|продавец"
    r"|магазин)/(?:(?:view|show|info|page)/)?"
    r"(?P<name>[^/?#]+?)(?:\.html?|\.php)?/?$",
    re.IGNORECASE,
)
_VENDOR_QUERY_KEYS = ("member", "u", "user", "vendor", "seller", "username", "uid", "shop", "login", "store")
_CATEGORY_PATH_RE = re.compile(
    r"/(?:categor(?:y|ies)|cat|c|catalog|board|section|browse|kategorie|категория|каталог)/(?P<slug>[^/?#]+?)(?:\.html?)?/?$",
    re.IGNORECASE,
)
_CATEGORY_QUERY_KEYS = ("cat", "category", "c")
# Cheap first tests: a URL without one of these words cannot match the patterns above (most links).
_VENDOR_HINT_RE = re.compile(
    r"vendor|seller|user|profile|shop|store|market|member|verkaeufer|продавец|магазин|/[uv]/|[?&;](?:u|uid|login)=",
    re.IGNORECASE,
)
_CATEGORY_HINT_RE = re.compile(
    r"categor|/cat/|/c/|catalog|board|section|browse|kategorie|категория|каталог|[?&;](?:cat|category|c)=",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # the same few labels repeat in every record
def field_of_label(text: str) -> str | None:
    """The field a label names, or None: 'Ships from:' -> 'ships_from'."""
    label = " ".join(text.split()).strip(_LABEL_TRIM).casefold()
    return _LABEL_TO_FIELD.get(label) if 0 < len(label) <= 40 else None


@lru_cache(maxsize=4096)
def vendor_from_url(url: str) -> str | None:
    """The vendor name a profile URL carries, or None."""
    if not _VENDOR_HINT_RE.search(url):
        return None
    parts = urlsplit(url)
    match = _VENDOR_PATH_RE.search(parts.path)
    if match and not parts.path.lower().endswith((".php", ".asp", ".aspx")):  # a script, not a name
        return unquote(match["name"])
    query = parse_qs(parts.query)
    for key in _VENDOR_QUERY_KEYS:
        if query.get(key) and parts.path.rstrip("/").split("/")[-1].lower() not in ("search", "search.php"):
            return query[key][0]
    return None


@lru_cache(maxsize=4096)
def category_from_url(url: str) -> str | None:
    if not _CATEGORY_HINT_RE.search(url):
        return None
    parts = urlsplit(url)
    match = _CATEGORY_PATH_RE.search(parts.path)
    if match:
        return unquote(match["slug"])
    query = parse_qs(parts.query)
    return next((query[key][0] for key in _CATEGORY_QUERY_KEYS if query.get(key)), None)


# What the arrow and the Korean patterns cannot match without: they may start at every character and scan
# on from it (quadratic in a segment's length), so they run only on the segments that hold their key.
_SHIPPING_KEYS = (None, None, re.compile(r"[→⇒➜»]|->|=>"), None, None, re.compile("에서"))


def shipping(text: str) -> tuple[str, str] | None:
    for pattern, key in zip(SHIPPING_RES, _SHIPPING_KEYS, strict=True):
        if key is not None and not key.search(text):
            continue
        match = pattern.search(text)
        if match:
            return match["src"].strip(" .,;:"), match["dst"].strip(" .,;:")
    return None
