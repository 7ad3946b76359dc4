"""A channel as a vendor: the handles and wallets its posts show, so the vendor correlation links a
channel and an onion vendor that share one (a strong link), exactly as it links two onion markets."""

from __future__ import annotations

from oniondex.telegram.records import PostRecord
from oniondex.vendors.names import normalise_name
from oniondex.vendors.records import CONTACT_TYPES, PAYOUT_TYPES, Identifier, VendorRecord


def channel_vendor(post: PostRecord) -> VendorRecord | None:
    """The vendor view one post gives of its channel: its own handle plus every contact and wallet in the
    post; None for a post that shows neither (a channel that only chats is no vendor)."""
    found = [(e.type, e.value) for e in post.entities]
    contacts = {Identifier(t, v) for t, v in found if t in CONTACT_TYPES}
    payout = {Identifier(t, v) for t, v in found if t in PAYOUT_TYPES}
    if not contacts and not payout:
        return None
    contacts.add(Identifier("telegram", post.channel))
    return VendorRecord(
        name=post.channel,
        name_normalised=normalise_name(post.channel),
        site=post.site,
        url=f"https://t.me/{post.channel}",
        contacts=tuple(sorted(contacts, key=lambda i: (i.type, i.value))),
        payout=tuple(sorted(payout, key=lambda i: (i.type, i.value))),
        first_seen=post.fetched_at,
        last_seen=post.fetched_at,
    )
