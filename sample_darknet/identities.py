"""Who sells: the vendor roster, their keys, payout addresses and contacts, and how they appear per market.

Strong links: one vendor_id shown on several markets under the same PGP key or the same payout
address. The weak link: GreenDragon and GreenDrag0n are two people with look-alike names.
"""

from __future__ import annotations

import functools
import hashlib
import random
from dataclasses import dataclass
from functools import cached_property

from sample_darknet.addresses import Address, make_address
from sample_darknet.pgp import PgpKey, make_key


@dataclass(frozen=True)
class VendorSpec:
    vendor_id: str
    names: tuple[str, ...]  # display names; markets pick by index, so aliases share one identity
    drugs: tuple[str, ...]
    ships_from: str
    ships_to: str
    telegram: str
    email: str
    phone: str = ""  # Korean sellers give a mobile number
    payout_kind: str = "btc_p2wpkh"
    key_per_market: bool = False  # opsec: a new PGP key per market, linked only by the payout address


ROSTER: tuple[VendorSpec, ...] = (
    VendorSpec(
        "iceking",
        ("IceKing", "IceKing_KR"),
        ("methamphetamine",),
        "South Korea",
        "South Korea",
        "iceking_kr",
        "iceking@protonmail.com",
        "010-4821-7730",
        "btc_p2pkh",
    ),
    VendorSpec(
        "greendragon",
        ("GreenDragon",),
        ("cannabis",),
        "Netherlands",
        "EU",
        "greendragon_nl",
        "greendragon@tutanota.com",
        payout_kind="xmr_standard",
    ),
    VendorSpec(
        "greendrag0n",
        ("GreenDrag0n",),
        ("cannabis",),
        "United States",
        "United States",
        "greendrag0n_usa",
        "gd0n@cock.li",
        payout_kind="btc_p2sh",
    ),
    VendorSpec(
        "pharmabro",
        ("PharmaBro", "Pharma_Bro"),
        ("oxycodone", "alprazolam"),
        "United States",
        "Worldwide",
        "pharmabro_rx",
        "pharmabro@onionmail.org",
        payout_kind="btc_p2tr",
        key_per_market=True,
    ),
    VendorSpec(
        "candyman",
        ("CandyMan",),
        ("mdma",),
        "Germany",
        "EU",
        "candyman_de",
        "candyman@protonmail.com",
        payout_kind="eth_eip55",
    ),
    VendorSpec(
        "snowwhite",
        ("SnowWhite",),
        ("cocaine",),
        "Spain",
        "EU",
        "snowwhite_es",
        "snow.white@tutanota.com",
        payout_kind="xmr_subaddress",
    ),
    VendorSpec(
        "acidalice",
        ("AcidAlice",),
        ("lsd",),
        "United Kingdom",
        "Worldwide",
        "acid_alice",
        "alice@cock.li",
        payout_kind="ltc_p2pkh",
    ),
    VendorSpec(
        "seoulsupply",
        ("SeoulSupply", "서울공급"),
        ("methamphetamine", "cannabis"),
        "South Korea",
        "South Korea",
        "seoul_supply",
        "seoulsupply@protonmail.com",
        "010-5512-0093",
        "btc_p2wpkh",
    ),
    VendorSpec(
        "opiumden",
        ("OpiumDen",),
        ("heroin",),
        "India",
        "Worldwide",
        "opium_den",
        "opiumden@onionmail.org",
        payout_kind="bch_prefixed",
    ),
    VendorSpec(
        "ketaqueen",
        ("KetaQueen",),
        ("ketamine",),
        "Netherlands",
        "EU",
        "keta_queen",
        "ketaqueen@tutanota.com",
        payout_kind="doge",
    ),
)


@dataclass(frozen=True)
class VendorIdentity:
    spec: VendorSpec
    seed: int

    @cached_property
    def _rng(self) -> random.Random:
        return random.Random(f"{self.seed}:vendor:{self.spec.vendor_id}")

    @cached_property
    def payout(self) -> Address:
        return make_address(self._rng, self.spec.payout_kind)

    @cached_property
    def xmr(self) -> Address:
        return make_address(random.Random(f"{self.seed}:vendor-xmr:{self.spec.vendor_id}"), "xmr_integrated")

    def pgp(self, market: str) -> PgpKey:
        scope = market if self.spec.key_per_market else "all"
        key_seed = hashlib.sha256(f"{self.seed}:pgp:{self.spec.vendor_id}:{scope}".encode()).digest()
        return _cached_key(key_seed, f"{self.spec.names[0]} <{self.spec.email}>")

    def name_on(self, market_index: int) -> str:
        return self.spec.names[market_index % len(self.spec.names)]


@functools.cache
def _cached_key(key_seed: bytes, uid: str) -> PgpKey:
    # Keys are pure functions of their seed; caching only saves signing time across builds.
    return make_key(key_seed, uid)


def vendors(seed: int) -> dict[str, VendorIdentity]:
    return {spec.vendor_id: VendorIdentity(spec, seed) for spec in ROSTER}


def phone_e164(korean: str) -> str:
    """010-4821-7730 -> +821048217730 (the leading 0 of a Korean number drops after +82)."""
    digits = "".join(ch for ch in korean if ch.isdigit())
    return "+82" + digits.removeprefix("82").removeprefix("0")
