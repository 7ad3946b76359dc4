"""A neighbourhood as a MISP event (MISP core format: `{"Event": {...}}`, built with pymisp, which checks
each attribute's type and category against MISP's own describeTypes).

Attributes: btc / xmr / dash addresses; other coins as `coin-address` objects (address + symbol); onion
sites `onion-address`, channels and captured pages `url`, e-mail `email`, phones `phone-number`, Jabber ids
`jabber-id`, other handles, PGP fingerprints and vendor names `text` (Social network / Attribution). Each
carries first and last seen and a comment saying what it is. TLP:AMBER, distribution "your organisation
only": analysts' data is sensitive. The event's and attributes' UUIDs are UUIDv5 of the centre and the
node, so re-importing an updated export updates the same event."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from pymisp import MISPEvent, MISPObject

from oniondex.export.stix import HANDLES, NAMESPACE
from oniondex.graph.labels import visible
from oniondex.graph.model import Neighbourhood, Node

MISP_COIN_TYPES = {"BTC": "btc", "XMR": "xmr", "DASH": "dash"}
OTHER_COINS = {"ETH", "LTC", "BCH", "DOGE", "TRX", "ZEC"}
MAX_PAGE_URLS = 200


def misp_event(hood: Neighbourhood, exported_at: datetime | None = None) -> str:
    """The event as MISP core format JSON."""
    now = exported_at or datetime.now(UTC)
    centre = hood.nodes[hood.centre.id]
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, f"misp-event|{hood.centre.id}"))
    event.info = f"oniondex: neighbourhood of {hood.centre.kind} {visible(centre.label)}"
    event.date = now.date()
    event.threat_level_id = 4  # undefined: oniondex does not rate threats
    event.analysis = 1  # ongoing
    event.distribution = 0  # your organisation only
    event.add_tag("tlp:amber")
    event.add_tag("oniondex")
    for node in hood.nodes.values():
        _add_node(event, node)
    pages = sorted(
        {e.url: e for edge in hood.edges.values() for e in edge.evidence if e.url}.values(), key=lambda e: e.url
    )
    for evidence in pages[:MAX_PAGE_URLS]:
        event.add_attribute(
            "url",
            visible(evidence.url),
            category="Network activity",
            to_ids=False,
            comment=f"captured page ({evidence.site}), {evidence.seen_at}",
            uuid=str(uuid.uuid5(NAMESPACE, f"misp-page|{evidence.url}")),
        )
    return json.dumps({"Event": json.loads(event.to_json())}, ensure_ascii=False, indent=1)


def _add_node(event: MISPEvent, node: Node) -> None:
    value, kind = visible(node.ref.key), node.entity_type
    seen = {k: v for k, v in (("first_seen", node.first_seen), ("last_seen", node.last_seen)) if v}
    base = {"uuid": str(uuid.uuid5(NAMESPACE, f"misp|{node.id}")), **seen}
    if node.ref.kind == "entity" and kind in OTHER_COINS:
        coin = MISPObject("coin-address", standalone=False)
        coin.uuid = base["uuid"]
        coin.add_attribute("address-crypto", value=value)
        coin.add_attribute("symbol", value=kind)
        for relation, when in (("first-seen", node.first_seen), ("last-seen", node.last_seen)):
            if when:
                coin.add_attribute(relation, value=when)
        event.add_object(coin)
        return
    if node.ref.kind == "vendor":
        attribute = ("text", visible(node.label), "Attribution", f"vendor name (normalised {value})")
    elif node.ref.kind == "site":
        attribute = ("onion-address", value, "Network activity", "onion site")
    elif node.ref.kind == "channel":
        attribute = ("url", f"https://t.me/{value}", "Network activity", "Telegram channel")
    elif kind in MISP_COIN_TYPES:
        attribute = (MISP_COIN_TYPES[kind], value, "Financial fraud", f"{kind} address")
    elif kind == "email":
        attribute = ("email", value, "Social network", "e-mail address")
    elif kind == "phone":
        attribute = ("phone-number", value, "Person", "phone number")
    elif kind == "jabber":
        attribute = ("jabber-id", value, "Social network", "Jabber/XMPP id")
    elif kind in HANDLES:
        attribute = ("text", value, "Social network", f"{kind} handle")
    else:
        attribute = ("text", value, "Attribution", "PGP key fingerprint" if kind == "pgp" else kind or "entity")
    type_, shown, category, what = attribute
    event.add_attribute(type_, shown, category=category, comment=what, **base)
