"""Prices as pages write them: a number and a currency from symbols, codes and words (en, ko, ru, de).

`find_prices(text)` returns every `Price` in order. Numbers take thousands separators (`,` `.` space)
and decimal commas; Korean 만원 multiplies by 10,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Symbol, code or word -> ISO-ish code. Words are matched case-insensitively and as whole words.
# "฿" is the baht sign, but markets print bitcoin prices with it (it was the usual bitcoin sign before ₿).
SYMBOLS = {"$": "USD", "€": "EUR", "₿": "BTC", "Ƀ": "BTC", "฿": "BTC", "ɱ": "XMR", "₩": "KRW", "₽": "RUB", "£": "GBP"}
CODES = ("USD", "EUR", "BTC", "XBT", "XMR", "KRW", "RUB", "GBP", "CAD", "AUD", "NZD", "CHF", "LTC", "USDT")
# A dollar sign with a country prefix (C$ 20, AU$20) or a code after it ($472.5 CAD) names its dollar.
_DOLLAR_PREFIXES = {"c": "CAD", "ca": "CAD", "a": "AUD", "au": "AUD", "us": "USD", "nz": "NZD"}
_DOLLAR_CODES = ("USD", "CAD", "AUD", "NZD")
WORDS = {
    "USD": "dollars dollar bucks usd 달러 불 долларов доллара доллар долл. dollar",
    "EUR": "euros euro eur 유로 евро",
    "BTC": "bitcoins bitcoin btc xbt 비트코인 биткоинов биткоина биткоин биткойн",
    "XMR": "monero xmr 모네로 монеро",
    "KRW": "won 원 вон",
    "RUB": "rubles roubles ruble rouble rubel рублей рубля рубль руб. руб р.",
    "GBP": "pounds pound gbp фунтов",
    "CAD": "cad",
    "AUD": "aud",
    "CHF": "chf franken",
    "LTC": "litecoin ltc",
    "USDT": "usdt tether",
}
CURRENCIES = ("USD", "EUR", "BTC", "XMR", "KRW", "RUB", "GBP", "CAD", "AUD", "NZD", "CHF", "LTC", "USDT")

_NUMBER = r"\d{1,3}(?:(?:[,.]|[ \u00a0\u202f'])\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_WORD_TO_CODE = {w.lower(): code for code, words in WORDS.items() for w in words.split()}
_WORD_TO_CODE.update({c.lower(): ("BTC" if c == "XBT" else c) for c in CODES})
_UNIT_WORDS = "|".join(re.escape(w) for w in sorted(_WORD_TO_CODE, key=len, reverse=True))
_SYMBOL_CLASS = "".join(re.escape(s) for s in SYMBOLS)
_LETTER_AFTER = r"(?![^\W\d_])"  # a word ends here: no letter (of any script) follows
_PRICE_RE = re.compile(
    rf"(?P<man>(?<![\w.,])\d+(?:[.,]\d+)?)\s*만\s*원"
    rf"|(?:(?<![^\W\d_])(?P<dpre>{'|'.join(_DOLLAR_PREFIXES)}))?\$\s?(?P<nd>{_NUMBER})"
    rf"(?:\s?(?P<dcode>{'|'.join(_DOLLAR_CODES)})(?![^\W\d_]))?(?![\w])"
    rf"|(?P<sym>[{_SYMBOL_CLASS}])\s?(?P<n1>{_NUMBER})(?![\w])"
    rf"|(?<![\w.,])(?P<n2>{_NUMBER})\s?(?:(?P<sym2>[{_SYMBOL_CLASS}])|(?P<word>{_UNIT_WORDS}){_LETTER_AFTER})"
    rf"|(?<![^\W\d_])(?P<code>{'|'.join(CODES)})\s?\$?\s?(?P<n3>{_NUMBER})(?![\w])",
    re.IGNORECASE,
)


_DIGIT_RE = re.compile(r"\d")
_CACHED_CHARS = 500  # longer texts (prose) are rarely read twice


@dataclass(frozen=True)
class Price:
    amount: float
    currency: str
    text: str  # as matched on the page
    start: int = 0
    end: int = 0


# In ASCII text a price needs a "$" or one of these words (case-insensitive): the words and codes of
# `_WORD_TO_CODE` that hold no shorter one. Searched for in the lowercased text, far faster than the big
# pattern, which tries all its branches at every character.
_ASCII_UNIT_WORDS = tuple(
    sorted(w for w in _WORD_TO_CODE if w.isascii() and not any(o != w and o in w for o in _WORD_TO_CODE if o.isascii()))
)
_ASCII_UNIT_RE = re.compile("|".join(map(re.escape, _ASCII_UNIT_WORDS)))


def find_prices(text: str) -> list[Price]:
    if not _DIGIT_RE.search(text):  # most text nodes hold no digit: skip the big pattern
        return []
    if text.isascii() and "$" not in text and not _ASCII_UNIT_RE.search(text.lower()):
        return []
    if len(text) > _CACHED_CHARS:
        return [price for match in _PRICE_RE.finditer(text) if (price := _price(match)) is not None]
    return list(_prices_in(text))


@lru_cache(maxsize=8192)
def _prices_in(text: str) -> tuple[Price, ...]:
    """Cached: a page's price texts are read by its record search, each block and its fields."""
    return tuple(price for match in _PRICE_RE.finditer(text) if (price := _price(match)) is not None)


def first_price(text: str) -> Price | None:
    found = find_prices(text)
    return found[0] if found else None


def _price(match: re.Match[str]) -> Price | None:
    """The price a match shows; None for one that cannot be read (a hostile page's "12 uſd", whose
    long s the case-blind pattern takes for an s, or "1,234.500.0012", grouped past its decimals)."""
    try:
        return _read_price(match)
    except (KeyError, ValueError):
        return None


def _read_price(match: re.Match[str]) -> Price | None:
    groups = match.groupdict()
    if groups["man"]:
        currency, amount = "KRW", parse_number(groups["man"], "KRW") * 10_000
    elif groups["nd"]:
        currency = "USD"
        if groups["dpre"]:
            currency = _DOLLAR_PREFIXES[groups["dpre"].lower()]
        elif groups["dcode"]:
            currency = groups["dcode"].upper()
        amount = parse_number(groups["nd"], currency)
    elif groups["n1"]:
        currency = SYMBOLS[groups["sym"]]
        amount = parse_number(groups["n1"], currency)
    elif groups["n2"]:
        currency = SYMBOLS[groups["sym2"]] if groups["sym2"] else _WORD_TO_CODE[groups["word"].lower()]
        amount = parse_number(groups["n2"], currency)
    else:
        currency = _WORD_TO_CODE[groups["code"].lower()]
        amount = parse_number(groups["n3"], currency)
    if amount <= 0:
        return None
    return Price(round(amount, 8), currency, match.group(0), match.start(), match.end())


def parse_number(shown: str, currency: str = "") -> float:
    """'1,234.56' '1.234,56' '110,40' '1 234' '0.00126' -> float; a lone separator before exactly
    three digits groups thousands, except a lone dot in a coin price (0.125 BTC)."""
    digits = re.sub(r"[ \u00a0\u202f']", "", shown)
    if "," in digits and "." in digits:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(digits.replace(thousands, "").replace(decimal, "."))
    for sep in (",", "."):
        if sep in digits:
            head, _, tail = digits.rpartition(sep)
            grouped = digits.count(sep) > 1 or (len(tail) == 3 and head != "0" and not _is_coin(currency, sep))
            return float(digits.replace(sep, "")) if grouped else float(f"{head.replace(sep, '')}.{tail}")
    return float(digits)


def _is_coin(currency: str, sep: str) -> bool:
    return sep == "." and currency in ("BTC", "XMR", "LTC")
