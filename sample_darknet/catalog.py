"""What is for sale: products by drug, and prices shown the many ways markets show them."""

from __future__ import annotations

from dataclasses import dataclass

# category slug -> drug tags in it
CATEGORIES: dict[str, tuple[str, ...]] = {
    "stimulants": ("methamphetamine", "cocaine"),
    "cannabis": ("cannabis",),
    "ecstasy": ("mdma",),
    "psychedelics": ("lsd",),
    "opioids": ("heroin", "oxycodone"),
    "benzos": ("alprazolam",),
    "dissociatives": ("ketamine",),
}


@dataclass(frozen=True)
class Product:
    drug_tag: str
    title: str
    title_ko: str
    unit: str
    unit_ko: str
    usd: float

    @property
    def category(self) -> str:
        return next(slug for slug, tags in CATEGORIES.items() if self.drug_tag in tags)


PRODUCTS: dict[str, tuple[Product, ...]] = {
    "methamphetamine": (
        Product("methamphetamine", "Crystal Meth 92% shards", "아이스 1g 고순도", "per gram", "1g당", 90),
        Product("methamphetamine", "Ice crystal 5g pack", "작대기 5g 세트", "per 5 grams", "5g", 380),
    ),
    "cocaine": (Product("cocaine", "Colombian Cocaine 88%", "코카인 1g", "per gram", "1g당", 110),),
    "cannabis": (
        Product("cannabis", "OG Kush buds", "떨 3.5g (OG쿠시)", "per 3.5 grams", "3.5g", 45),
        Product("cannabis", "Afghan hash", "해시 10g", "per 10 grams", "10g", 95),
    ),
    "mdma": (Product("mdma", "MDMA pills Tesla 250mg", "캔디 10정 (테슬라)", "per 10 pills", "10정", 120),),
    "lsd": (Product("lsd", "LSD blotters 150ug", "엘 블로터 10장", "per 10 tabs", "10장", 85),),
    "heroin": (Product("heroin", "Afghan heroin #4", "헤로인 1g", "per gram", "1g당", 130),),
    "oxycodone": (Product("oxycodone", "Oxycodone 30mg M30", "옥시코돈 30mg 10정", "per 10 pills", "10정", 200),),
    "alprazolam": (Product("alprazolam", "Xanax 2mg bars", "자낙스 2mg 10정", "per 10 pills", "10정", 40),),
    "ketamine": (Product("ketamine", "Ketamine shards", "케타민 1g", "per gram", "1g당", 35),),
}

# Fixed exchange rates: prices must not move between builds.
_RATES = {"USD": 1.0, "EUR": 0.92, "BTC": 1 / 95000, "XMR": 1 / 160, "KRW": 1400.0, "RUB": 95.0}


def convert(usd: float, currency: str) -> float:
    value = usd * _RATES[currency]
    if currency == "KRW":
        return float(round(value, -4))  # Korean ads quote whole 만원
    if currency == "RUB":
        return float(round(value, -2))
    if currency == "BTC":
        return round(value, 5)
    if currency == "XMR":
        return round(value, 3)
    return round(value, 2)


def _grouped(number: float, sep: str) -> str:
    return f"{int(number):,}".replace(",", sep)


def show_price(value: float, currency: str, style: str) -> str:
    """The price as a page writes it. Styles: symbol, code, word, comma (EUR), man (KRW 만원)."""
    shown = {
        ("USD", "symbol"): f"${value:.2f}",
        ("USD", "code"): f"USD {value:.2f}",
        ("USD", "word"): f"{value:g} dollars",
        ("EUR", "symbol"): f"€{value:.2f}",
        ("EUR", "code"): f"EUR {value:.2f}",
        ("EUR", "comma"): f"{value:.2f} €".replace(".", ","),
        ("EUR", "word"): f"{value:.2f} euro",
        ("BTC", "symbol"): f"₿{value:.5f}",
        ("BTC", "code"): f"{value:.5f} BTC",
        ("BTC", "word"): f"{value:.5f} bitcoin",
        ("XMR", "code"): f"{value:.3f} XMR",
        ("XMR", "word"): f"{value:.3f} monero",
        ("XMR", "symbol"): f"ɱ{value:.3f}",
        ("KRW", "man"): f"{int(value) // 10000}만원",
        ("KRW", "word"): f"{_grouped(value, ',')}원",
        ("KRW", "symbol"): f"₩{_grouped(value, ',')}",
        ("KRW", "code"): f"KRW {int(value)}",
        ("RUB", "symbol"): f"{_grouped(value, ' ')} ₽",
        ("RUB", "word"): f"{int(value)} рублей",
        ("RUB", "code"): f"RUB {int(value)}",
        ("RUB", "short"): f"{int(value)} руб.",
    }
    return shown[(currency, style)]
