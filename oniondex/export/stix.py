"""A neighbourhood as a STIX 2.1 bundle (the `stix2` library), with no custom objects or properties, so
it passes `stix2.parse(..., allow_custom=False)`:

- a vendor is an `identity`; a site a `domain-name`, a channel a `url` and a Telegram `user-account`; an
  e-mail an `email-addr`; a handle (Telegram, Session, Threema, Wickr, KakaoTalk, Jabber) a `user-account`;
- every entity, site and channel also gets an `indicator` whose pattern matches it (crypto addresses,
  PGP keys and phone numbers have no STIX 2.1 object: their patterns name OpenCTI's `cryptocurrency-wallet`
  and `phone-number` types and `x-pgp-key`, patterns being free to name any object type), and a `sighting`
  (first and last seen, how many captures) whose `observed-data` holds the URLs of the captures;
- every edge is a `related-to` relationship, its relations and evidence URLs in the description and
  external references; a `grouping` holds it all, created by an "oniondex" system identity.
Ids are UUIDv5 of the node (SCOs: the library's deterministic ids), so a re-export names the same things."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import stix2

from oniondex.graph.labels import visible
from oniondex.graph.model import Edge, Neighbourhood, Node
from oniondex.graph.svg import CRYPTO

NAMESPACE = uuid.UUID("5f7e0c1e-3b1a-4c55-9d0e-0a1f9b2c6d15")  # oniondex's: ids stay stable across exports
HANDLES = ("telegram", "session", "threema", "wickr", "kakao_openchat", "jabber")
MAX_REFERENCES = 20


def stix_bundle(hood: Neighbourhood, exported_at: datetime | None = None) -> stix2.Bundle:
    now = exported_at or datetime.now(UTC)
    author = stix2.Identity(
        id=_sdo_id("identity", "oniondex"), name="oniondex", identity_class="system", created=now, modified=now
    )
    common = {"created_by_ref": author.id, "created": now, "modified": now}
    objects: list[Any] = [author]
    anchor: dict[str, str] = {}  # node id -> the object its relationships point at
    for node in hood.nodes.values():
        made = _node_objects(node, hood, common, author.id)
        objects.extend(made)
        anchor[node.id] = made[0].id
    for edge in hood.edges.values():
        objects.append(_relationship(edge, anchor, common))
    centre = hood.nodes[hood.centre.id]
    grouping = stix2.Grouping(
        id=_sdo_id("grouping", hood.centre.id),
        name=f"oniondex neighbourhood of {visible(centre.label)}",
        description=f"{len(hood.nodes)} nodes within {hood.depth} hops; {hood.hidden} more not exported",
        context="suspicious-activity",
        object_refs=[o.id for o in objects],
        **common,
    )
    return stix2.Bundle(*objects, grouping, id=_sdo_id("bundle", f"{hood.centre.id}|{now.isoformat()}"))


def _node_objects(node: Node, hood: Neighbourhood, common: dict[str, Any], author: str) -> list[Any]:
    """The node's main object first (what relationships point at), then its indicator and sighting."""
    name = visible(node.label)
    if node.ref.kind == "vendor":
        return [
            stix2.Identity(
                id=_sdo_id("identity", node.id),
                name=name,
                identity_class="unknown",
                description="vendor (the name as crawled; sites and identifiers in its relationships)",
                **common,
            )
        ]
    observables, pattern, what = _observables(node)
    indicator = stix2.Indicator(
        id=_sdo_id("indicator", node.id),
        name=f"{what} {name}",
        pattern=pattern,
        pattern_type="stix",
        valid_from=_time(node.first_seen) or common["created"],
        indicator_types=["attribution"],
        **common,
    )
    made: list[Any] = [*observables, indicator] if observables else [indicator]
    made += [
        stix2.Relationship(indicator, "based-on", o, id=_sdo_id("relationship", f"{node.id}|{o.id}"), **common)
        for o in observables
    ]
    sighting = _sighting(node, hood, indicator.id, author, common)
    return made + (sighting or [])


def _observables(node: Node) -> tuple[list[Any], str, str]:
    """(SCOs, pattern, what it is) for an entity, site or channel."""
    value, kind = node.ref.key, node.entity_type
    if node.ref.kind == "site":
        return [stix2.DomainName(value=value)], f"[domain-name:value = {_quoted(value)}]", "onion site"
    if node.ref.kind == "channel":
        url = f"https://t.me/{value}"
        account = stix2.UserAccount(account_login=value, account_type="telegram")
        return [stix2.URL(value=url), account], f"[url:value = {_quoted(url)}]", "Telegram channel"
    if kind == "email":
        return [stix2.EmailAddress(value=value)], f"[email-addr:value = {_quoted(value)}]", "e-mail"
    if kind in HANDLES:
        pattern = f"[user-account:account_type = {_quoted(kind)} AND user-account:account_login = {_quoted(value)}]"
        return [stix2.UserAccount(account_login=value, account_type=kind)], pattern, f"{kind} handle"
    if kind in CRYPTO:
        return [], f"[cryptocurrency-wallet:value = {_quoted(value)}]", f"{kind} address"
    if kind == "phone":
        return [], f"[phone-number:value = {_quoted(value)}]", "phone number"
    return [], f"[x-pgp-key:fingerprint = {_quoted(value)}]", "PGP key" if kind == "pgp" else kind or "entity"


def _sighting(node: Node, hood: Neighbourhood, indicator: str, author: str, common: dict[str, Any]) -> list[Any]:
    """Where the node was seen: its captures in the neighbourhood's evidence, first and last."""
    urls = sorted(
        {e.url for edge in hood.edges.values() if node.ref in (edge.a, edge.b) for e in edge.evidence if e.url}
    )
    first, last = _time(node.first_seen), _time(node.last_seen)
    if not urls or first is None or last is None:
        return []
    captures = [stix2.URL(value=visible(url)) for url in urls]
    observed = stix2.ObservedData(
        id=_sdo_id("observed-data", node.id),
        first_observed=first,
        last_observed=last,
        number_observed=len(urls),
        object_refs=[c.id for c in captures],
        **common,
    )
    sighting = stix2.Sighting(
        id=_sdo_id("sighting", node.id),
        sighting_of_ref=indicator,
        first_seen=first,
        last_seen=last,
        count=len(urls),
        observed_data_refs=[observed.id],
        where_sighted_refs=[author],
        description="captures by the oniondex crawler",
        **common,
    )
    return [*captures, observed, sighting]


def _relationship(edge: Edge, anchor: dict[str, str], common: dict[str, Any]) -> stix2.Relationship:
    references = [
        {"source_name": "oniondex capture", "url": visible(e.url), "description": f"{e.how}, {e.seen_at}"}
        for e in edge.evidence[:MAX_REFERENCES]
        if e.url
    ]
    description = f"{', '.join(edge.relations)} ({edge.strength}); {edge.evidence_total} pieces of evidence"
    return stix2.Relationship(
        id=_sdo_id("relationship", f"{edge.a.id}|{edge.b.id}"),
        source_ref=anchor[edge.a.id],
        target_ref=anchor[edge.b.id],
        relationship_type="related-to",
        description=description,
        **({"external_references": references} if references else {}),
        **common,
    )


def _sdo_id(kind: str, name: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}|{name}')}"


def _quoted(value: str) -> str:
    """A STIX pattern string literal: backslashes and quotes escaped, so a crawled name cannot end it."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _time(value: str) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
