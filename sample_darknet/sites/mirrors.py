"""Mirrors, near-mirrors and address-swap phishing clones of sample sites, with their cluster truth.

Each copy is built by the original's own builder into a shadow site (the original's site_id, so the same
listings and keys; the copy's onion, so every URL and truth entry is the copy's), then its bytes get the
copy's small differences: a footer with its onion name and a sync time (mirror), a banner and a notice
(near-mirror). A clone is built with swapped vendor identities: the scammer's payout address, PGP key or
Telegram handle in place of the vendor's, everything else copied; the truth names what was swapped.

Truth: every site has a cluster (the site_id of the cluster's original; a site alone is its own). The
sample's forums, pastes and directories were written from one template each, with the same threads and
pastes, so they are near-duplicates of each other by construction and their truth says so.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from sample_darknet.addresses import Address, make_address
from sample_darknet.doc import esc
from sample_darknet.identities import VendorIdentity
from sample_darknet.model import Entity, Site
from sample_darknet.pgp import PgpKey, make_key
from sample_darknet.sites.context import BuildContext

if TYPE_CHECKING:
    from sample_darknet.registry import SiteEntry

# Sites that share one template and most texts: near-mirrors of the first one named.
FAMILIES = {
    "forum-dreadful": ("forum-hub", "forum-cave"),
    "paste-stronghold": ("paste-deep", "paste-zero"),
    "dir-wiki": ("dir-daunt", "dir-torlinks"),
}


@dataclass(frozen=True)
class CopyPlan:
    original: str  # site_id copied
    variant: str  # identical | footer | near | clone
    swap: tuple[str, ...] = ()  # clone: payout, pgp, telegram
    vendors: tuple[str, ...] = ()  # clone: the vendor_ids whose identities are swapped (all when empty)


COPIES: dict[str, CopyPlan] = {
    "mirror-iceking-a": CopyPlan("shop-iceking", "identical"),
    "mirror-iceking-b": CopyPlan("shop-iceking", "footer"),
    "mirror-candyman": CopyPlan("shop-candyman", "footer"),
    "near-acidalice": CopyPlan("shop-acidalice", "near"),
    "near-ko-ice": CopyPlan("ko-ads-ice", "near"),
    "clone-bullets": CopyPlan("market-bullets", "clone", ("payout",), ("greendrag0n", "snowwhite", "opiumden")),
    "clone-candyman": CopyPlan("shop-candyman", "clone", ("pgp", "telegram"), ("candyman",)),
}


def cluster_of(site_id: str) -> str:
    """The site_id of the original of the cluster `site_id` belongs to (itself when alone)."""
    if site_id in COPIES:
        return cluster_of(COPIES[site_id].original)
    return next((head for head, members in FAMILIES.items() if site_id in members), site_id)


@dataclass(frozen=True)
class SwappedIdentity(VendorIdentity):
    """A vendor as a phishing clone shows them: the scammer's identifiers where `swap` says."""

    swap: tuple[str, ...] = ()

    @cached_property
    def payout(self) -> Address:
        if "payout" not in self.swap:
            return super().payout
        return make_address(random.Random(f"{self.seed}:scam:{self.spec.vendor_id}"), self.spec.payout_kind)

    def pgp(self, market: str) -> PgpKey:
        if "pgp" not in self.swap:
            return super().pgp(market)
        seed = hashlib.sha256(f"{self.seed}:scam-pgp:{self.spec.vendor_id}".encode()).digest()
        return make_key(seed, f"{self.spec.names[0]} <{self.spec.email}>")


def build_copy(ctx: BuildContext, site: Site) -> None:
    from sample_darknet.registry import SITES  # the registry lists this builder: import it at build time

    plan = COPIES[site.site_id]
    entry = next(e for e in SITES if e.site_id == plan.original)
    people = ctx.people
    if plan.variant == "clone":
        people = {vid: _swapped(p, plan) if vid in (plan.vendors or people) else p for vid, p in people.items()}
    shadow = replace(ctx.sites[plan.original], onion=site.onion, pages={})
    _build_original(BuildContext(ctx.seed, people, ctx.sites), shadow, entry)
    site.layout = shadow.layout  # a market copy keeps its original's layout (and profile)
    for page in shadow.pages.values():
        if plan.variant == "footer":
            page.body = _insert(page.body, b"\n</body>", _footer(site, page.path))
            page.entities.append(Entity("onion", site.onion, "text"))
        elif plan.variant == "near":
            page.body = _insert(page.body, b"<body>\n", _banner(site, page.path))
        site.add(page)
    if plan.variant == "clone":
        site.clone = {"of": plan.original, "swapped": _swapped_truth(ctx, plan)}


def _build_original(ctx: BuildContext, shadow: Site, entry: SiteEntry) -> None:
    if entry.layout is not None:
        from sample_darknet.markets.build import MarketBuilder

        assert entry.plan is not None
        MarketBuilder(shadow, entry.layout, entry.plan, ctx.people).build()
    else:
        entry.build(ctx, shadow)


def _swapped(person: VendorIdentity, plan: CopyPlan) -> SwappedIdentity:
    spec = person.spec
    if "telegram" in plan.swap:
        spec = replace(spec, telegram=f"{spec.telegram}_official")
    return SwappedIdentity(spec, person.seed, plan.swap)


def _swapped_truth(ctx: BuildContext, plan: CopyPlan) -> list[dict[str, str]]:
    """What the clone shows instead of the vendor's own identifiers (truth-normalised values)."""
    out = []
    for vid, person in ctx.people.items():
        if plan.vendors and vid not in plan.vendors:
            continue
        fake = _swapped(person, plan)
        for kind in plan.swap:
            if kind == "payout":
                real, scam = person.payout.value, fake.payout.value
            elif kind == "pgp":
                real, scam = person.pgp(plan.original).fingerprint, fake.pgp(plan.original).fingerprint
            else:
                real, scam = person.spec.telegram.lower(), fake.spec.telegram.lower()
            out.append({"vendor_id": vid, "kind": kind, "original": real, "clone": scam})
    return [item for item in out if _shown(ctx, plan.original, item["vendor_id"])]


def _shown(ctx: BuildContext, original: str, vendor_id: str) -> bool:
    return any(v.vendor_id == vendor_id for page in ctx.sites[original].pages.values() for v in page.vendors)


def _insert(body: bytes, marker: bytes, markup: str) -> bytes:
    head, sep, tail = body.partition(marker)
    if not sep:
        return body + markup.encode()
    if marker.startswith(b"<body"):
        return head + sep + markup.encode() + tail
    return head + markup.encode() + sep + tail


def _footer(site: Site, path: str) -> str:
    # Per-mirror differences a mirror network really shows: its own onion name and when it last synced.
    minute = int(hashlib.sha256(f"{site.site_id}:{path}".encode()).hexdigest(), 16) % 60
    return f"<footer>You are on mirror {esc(site.onion)} · synced 2026-11-20 04:{minute:02d} UTC</footer>"


_BANNERS = {
    "en": ("New address!", "Old links are dead: bookmark this one and check the signed mirror list."),
    "ko": ("새 주소입니다!", "예전 링크는 막혔으니 이 주소를 저장해 두세요."),
}


def _banner(site: Site, path: str) -> str:
    # A few changed texts: a short notice on every page, a longer one on the home page.
    notice, more = _BANNERS.get(site.language, _BANNERS["en"])
    extra = f" {esc(more)}" if path == "/" else ""
    return f'<p class="banner">{esc(notice)}{extra}</p>'
