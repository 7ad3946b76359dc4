"""The sample darknet: every site, built deterministically from one seed, and its ground truth.

Truth normalisation: bech32 and CashAddr lowercase (CashAddr without `bitcoincash:`), ETH lowercase,
onion `<56>.onion` lowercase, email lowercase, pgp the 40-hex uppercase fingerprint, telegram the
lowercase handle without `@`, phone E.164. Depth counts link hops from "/"; a redirect keeps the depth
of the page that linked to it (Scrapy copies `depth` into redirected requests).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sample_darknet.identities import vendors
from sample_darknet.keys import site_key_seed, site_onion
from sample_darknet.markets.build import MarketBuilder
from sample_darknet.model import Site
from sample_darknet.registry import SITES, SiteEntry
from sample_darknet.sites.context import BuildContext
from sample_darknet.sites.mirrors import cluster_of
from sample_darknet.vendor_links import vendor_links

DEFAULT_SEED = 20261121


@dataclass
class World:
    seed: int
    sites: dict[str, Site]  # by onion host

    def site(self, host: str) -> Site | None:
        return self.sites.get(host.lower().split(":", 1)[0])

    def by_id(self, site_id: str) -> Site:
        return next(s for s in self.sites.values() if s.site_id == site_id)

    def truth(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "sites": {host: site.truth() for host, site in self.sites.items()},
            "vendor_links": vendor_links(self),
        }


def build_world(seed: int = DEFAULT_SEED) -> World:
    shells = {entry.site_id: _shell(seed, entry) for entry in SITES}
    ctx = BuildContext(seed, vendors(seed), shells)
    for entry in SITES:
        _builder(entry)(ctx, shells[entry.site_id])
    for site in shells.values():
        _assign_depths(site)
    return World(seed, {site.onion: site for site in shells.values()})


def _shell(seed: int, entry: SiteEntry) -> Site:
    return Site(
        site_id=entry.site_id,
        key_seed=site_key_seed(seed, entry.site_id),
        onion=site_onion(seed, entry.site_id),
        kind=entry.kind,
        status=entry.status,
        language=entry.language,
        layout=entry.layout.name if entry.layout else "",
        tags=entry.tags,
        note=entry.note,
        cluster=cluster_of(entry.site_id),
    )


def _builder(entry: SiteEntry) -> Callable[[BuildContext, Site], None]:
    if entry.layout is not None:
        layout, plan = entry.layout, entry.plan
        return lambda ctx, site: MarketBuilder(site, layout, plan, ctx.people).build()  # type: ignore[arg-type]
    return entry.build


def _assign_depths(site: Site) -> None:
    """Breadth-first over on-site links and redirects from "/"; unreachable pages keep depth None."""
    if "/" not in site.pages:
        return
    queue = deque([("/", 0)])
    while queue:
        path, depth = queue.popleft()
        page = site.pages.get(path)
        if page is None or page.depth is not None:
            continue
        page.depth = depth
        queue.extend((_path(link), depth + 1) for link in page.links)
        if page.redirect_to.startswith(site.base + "/"):
            queue.appendleft((_path(page.redirect_to), depth))  # same depth first: a 0-1 BFS


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
