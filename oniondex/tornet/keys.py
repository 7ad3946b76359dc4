"""Onion-service key files in Tor's own format, so a service gets exactly the name its seed implies.

Tor reads `hs_ed25519_secret_key` from a HiddenServiceDir: a 32-byte header
`== ed25519v1-secret: type0 ==` padded with NULs, then the 64-byte expanded secret key
(SHA-512 of the seed, first half clamped as ed25519 requires).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oniondex.onion import onion_from_pubkey

if TYPE_CHECKING:
    from pathlib import Path

SECRET_KEY_FILE = "hs_ed25519_secret_key"  # noqa: S105 - a file name
PUBLIC_KEY_FILE = "hs_ed25519_public_key"
HOSTNAME_FILE = "hostname"
_SECRET_HEADER = b"== ed25519v1-secret: type0 =="
_PUBLIC_HEADER = b"== ed25519v1-public: type0 =="
_HEADER_LEN = 32


def _header(text: bytes) -> bytes:
    return text.ljust(_HEADER_LEN, b"\x00")


def expanded_secret_key(key_seed: bytes) -> bytes:
    """The 64-byte expanded ed25519 secret key Tor stores for a 32-byte seed."""
    if len(key_seed) != 32:
        raise ValueError(f"an ed25519 key seed has 32 bytes, got {len(key_seed)}")
    digest = bytearray(hashlib.sha512(key_seed).digest())
    digest[0] &= 248
    digest[31] &= 127
    digest[31] |= 64
    return bytes(digest)


def public_key(key_seed: bytes) -> bytes:
    """The 32-byte ed25519 public key of a seed."""
    private = Ed25519PrivateKey.from_private_bytes(key_seed)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def onion_for_seed(key_seed: bytes) -> str:
    """The `….onion` name Tor publishes for a service keyed by this seed."""
    return onion_from_pubkey(public_key(key_seed))


def write_hs_keys(directory: Path, key_seed: bytes) -> str:
    """Write a HiddenServiceDir (mode 700) for this seed; returns its onion name."""
    secret = expanded_secret_key(key_seed)
    name = onion_for_seed(key_seed)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    _write_private(directory / SECRET_KEY_FILE, _header(_SECRET_HEADER) + secret)
    _write_private(directory / PUBLIC_KEY_FILE, _header(_PUBLIC_HEADER) + public_key(key_seed))
    _write_private(directory / HOSTNAME_FILE, f"{name}\n".encode("ascii"))
    return name


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)
