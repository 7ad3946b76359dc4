"""Tor v3 onion addresses (rend-spec-v3, "Encoding onion addresses").

address = base32(PUBKEY[32] | CHECKSUM[2] | VERSION[1]), lowercase, 56 characters;
CHECKSUM = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2], VERSION = 3.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

ONION_V3_LEN = 56
_VERSION = b"\x03"
_CHECKSUM_PREFIX = b".onion checksum"
# 16-character names are the retired v2 format: we name them so the error can say so.
_V2_RE = re.compile(r"^[a-z2-7]{16}$")
_V3_RE = re.compile(r"^[a-z2-7]{56}$")


class OnionAddressError(ValueError):
    """A host that is not a valid v3 onion address; the message says why."""


def _checksum(pubkey: bytes, version: bytes = _VERSION) -> bytes:
    return hashlib.sha3_256(_CHECKSUM_PREFIX + pubkey + version).digest()[:2]


def onion_from_pubkey(pubkey: bytes) -> str:
    """The `….onion` host name for a 32-byte ed25519 public key."""
    if len(pubkey) != 32:
        raise ValueError(f"an ed25519 public key has 32 bytes, got {len(pubkey)}")
    raw = pubkey + _checksum(pubkey) + _VERSION
    return base64.b32encode(raw).decode("ascii").lower() + ".onion"


def pubkey_from_onion(host: str) -> bytes:
    """The ed25519 public key a v3 host name encodes; raises OnionAddressError if invalid."""
    label = normalise_onion(host).removesuffix(".onion")
    return base64.b32decode(label.upper())[:32]


def normalise_onion(host: str) -> str:
    """Lowercase `<56 chars>.onion` for a valid v3 host (subdomains dropped), else OnionAddressError."""
    name = host.strip().lower().rstrip(".")
    if not name.endswith(".onion"):
        raise OnionAddressError(f"{host!r} is not an .onion host")
    label = name.removesuffix(".onion").rsplit(".", 1)[-1]
    if _V2_RE.match(label):
        raise OnionAddressError(f"{label}.onion is a v2 onion name; Tor no longer serves v2, use the v3 name")
    if not _V3_RE.match(label):
        raise OnionAddressError(f"{host!r} is not a v3 onion name (56 characters of a-z and 2-7 before .onion)")
    try:
        raw = base64.b32decode(label.upper())
    except binascii.Error as exc:  # pragma: no cover - the regex admits only base32 characters
        raise OnionAddressError(f"{host!r} is not base32") from exc
    pubkey, checksum, version = raw[:32], raw[32:34], raw[34:35]
    if version != _VERSION:
        raise OnionAddressError(f"{label}.onion has version byte {version[0]}, v3 names have 3")
    if checksum != _checksum(pubkey, version):
        raise OnionAddressError(f"{label}.onion fails its checksum (a typo or a forged name)")
    return f"{label}.onion"


def is_valid_onion(host: str) -> bool:
    try:
        normalise_onion(host)
    except OnionAddressError:
        return False
    return True
