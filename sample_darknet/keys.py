"""Onion names for the world: each site's name comes from an ed25519 key seeded by (seed, site_id)."""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oniondex.onion import onion_from_pubkey


def site_key_seed(seed: int, site_id: str) -> bytes:
    """The 32-byte private seed a later issue uses to host the site as a real onion service."""
    return hashlib.sha256(f"oniondex-sample:{seed}:{site_id}".encode()).digest()


def ed25519_public(key_seed: bytes) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(key_seed)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def site_onion(seed: int, site_id: str) -> str:
    return onion_from_pubkey(ed25519_public(site_key_seed(seed, site_id)))


def stray_onion(seed: int, label: str) -> str:
    """A valid v3 name that belongs to no site of the world (links to the outside darknet)."""
    return site_onion(seed, f"stray:{label}")


def broken_onion(seed: int, label: str) -> str:
    """A 56-character name whose checksum is wrong: looks like an onion, is not one."""
    name = stray_onion(seed, label)
    flipped = "a" if name[10] != "a" else "b"
    return name[:10] + flipped + name[11:]
