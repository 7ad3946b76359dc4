"""Ground truth about who is who across sites: strong links (same PGP key, payout address or contact) and
weak ones (look-alike names only), from every vendor view the pages show.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sample_darknet.world import World

# Different people with look-alike names: a name match that is not an identity.
LOOKALIKES = (("greendragon", "greendrag0n"),)


def vendor_links(world: World) -> list[dict[str, Any]]:
    views = [
        {
            "host": host,
            "vendor_id": v.vendor_id,
            "name": v.name,
            "url": v.url,
            "pgp": v.pgp,
            "payout": v.payout,
            "contacts": v.contacts,
        }
        for host, site in world.sites.items()
        for page in site.pages.values()
        for v in page.vendors
    ]
    links = _strong(views, "pgp", lambda v: [v["pgp"]])
    links += _strong(views, "payout", lambda v: [value for _, value in v["payout"]])
    links += _strong(views, "contact", lambda v: [f"{kind}:{value.lower()}" for kind, value in v["contacts"]])
    for a, b in LOOKALIKES:
        links.append(
            {
                "strength": "weak",
                "evidence": "similar_name",
                "value": "",
                "vendor_ids": [a, b],
                "members": _members(v for v in views if v["vendor_id"] in (a, b)),
            }
        )
    return links


def _strong(views: list[dict[str, Any]], evidence: str, keys: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for view in views:
        for key in keys(view):
            if key:  # a seller known by a contact alone has no key
                groups[key].append(view)
    out = []
    for value, members in sorted(groups.items()):
        if len({m["host"] for m in members}) >= 2:  # a link joins sites, not two pages of one site
            out.append(
                {
                    "strength": "strong",
                    "evidence": evidence,
                    "value": value,
                    "vendor_ids": sorted({m["vendor_id"] for m in members}),
                    "members": _members(members),
                }
            )
    return out


def _members(views: Any) -> list[dict[str, str]]:
    seen = {(v["host"], v["name"], v["url"]) for v in views}
    return [{"host": h, "name": n, "url": u} for h, n, u in sorted(seen)]
