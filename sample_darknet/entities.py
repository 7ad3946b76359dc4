"""Markup that places an entity on a page the ways real pages do, recording each placement in the truth."""

from __future__ import annotations

from sample_darknet.addresses import Address
from sample_darknet.doc import ZWSP, Doc, esc
from sample_darknet.identities import phone_e164
from sample_darknet.pgp import PgpKey

PLACEMENTS = ("text", "href", "attr", "comment", "split", "zero_width")
_URI_SCHEMES = {
    "BTC": "bitcoin",
    "LTC": "litecoin",
    "XMR": "monero",
    "ETH": "ethereum",
    "DOGE": "dogecoin",
    "DASH": "dash",
    "ZEC": "zcash",
    "TRX": "tron",
    "BCH": "bitcoincash",
}


def address(doc: Doc, addr: Address, placement: str = "text", label: str = "") -> str:
    shown = addr.shown
    if placement == "text":
        markup = f"{esc(label)} <code>{esc(shown)}</code>"
    elif placement == "href":
        # A BCH address with its prefix is already a URI; the others get their coin's scheme.
        uri = shown if ":" in shown else f"{_URI_SCHEMES[addr.type]}:{shown}"
        markup = f'<a href="{esc(uri)}?amount=0.0125">{esc(label or "Pay now")}</a>'
    elif placement == "attr":
        markup = f'<button title="{esc(shown)}" data-address="{esc(shown)}">{esc(label or "Copy address")}</button>'
    elif placement == "comment":
        markup = f"<!-- {esc(label or 'payout')}: {shown} -->"
    elif placement == "split":
        markup = f"{esc(label)} <span>{shown[:4]}</span><span>{shown[4:20]}</span><b>{shown[20:]}</b>"
    elif placement == "zero_width":
        markup = f"{esc(label)} {shown[:8]}{ZWSP}{shown[8:16]}\u200c{shown[16:]}\ufeff"
    else:
        raise ValueError(f"unknown placement {placement!r}; known: {', '.join(PLACEMENTS)}")
    return doc.entity(addr.type, addr.value, markup, placement)


def email(doc: Doc, addr: str, obfuscate: bool = False) -> str:
    user, host = addr.split("@")
    shown = f"{user} [at] {host.replace('.', ' [dot] ')}" if obfuscate else addr
    return doc.entity("email", addr.lower(), esc(shown), "obfuscated" if obfuscate else "text")


def telegram(doc: Doc, handle: str, as_link: bool = False, label: str = "Telegram: ") -> str:
    if as_link:
        return doc.entity("telegram", handle.lower(), doc.a(f"https://t.me/{handle}", f"t.me/{handle}"), "text")
    return doc.entity("telegram", handle.lower(), esc(f"{label}@{handle}"))


def phone(doc: Doc, number: str) -> str:
    return doc.entity("phone", phone_e164(number), esc(number))


def pgp_block(doc: Doc, key: PgpKey) -> str:
    return doc.entity("pgp", key.fingerprint, f'<pre class="pgp">{key.armored}</pre>', "pgp_block")


def onion_text(doc: Doc, onion: str) -> str:
    return doc.entity("onion", onion.lower(), f"<code>{esc(onion)}</code>")
