"""Deterministic OpenPGP v4 Ed25519 public keys (RFC 4880 + the EdDSA draft, "legacy" algorithm 22).

Built from packets rather than with a PGP library so the same seed always gives the same armored
block (Ed25519 signatures are deterministic and the creation time is fixed), and the truth can
name each key by its 40-hex fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oniondex.entities.pgp import crc24

CREATED = 1735689600  # 2025-01-01T00:00:00Z: fixed so fingerprints never change
_ED25519_OID = bytes.fromhex("2b06010401da470f01")
_EDDSA, _SHA256 = 22, 8


@dataclass(frozen=True)
class PgpKey:
    fingerprint: str  # 40 hex digits, uppercase
    armored: str

    @property
    def key_id(self) -> str:
        return self.fingerprint[-16:]


def _mpi(data: bytes) -> bytes:
    number = int.from_bytes(data, "big")
    return struct.pack(">H", number.bit_length()) + data.lstrip(b"\x00")


def _packet(tag: int, body: bytes) -> bytes:
    # New-format header; the bodies here stay under 8384 bytes, so one or two length octets suffice.
    size = len(body)
    if size < 192:
        length = bytes([size])
    else:
        size -= 192
        length = bytes([(size >> 8) + 192, size & 0xFF])
    return bytes([0xC0 | tag]) + length + body


def _subpacket(kind: int, data: bytes) -> bytes:
    return bytes([len(data) + 1, kind]) + data


def _armor(data: bytes) -> str:
    text = base64.b64encode(data).decode()
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    crc = base64.b64encode(crc24(data).to_bytes(3, "big")).decode()
    return "\n".join(
        ["-----BEGIN PGP PUBLIC KEY BLOCK-----", "", *lines, "=" + crc, "-----END PGP PUBLIC KEY BLOCK-----"]
    )


def make_key(seed: bytes, user_id: str) -> PgpKey:
    """A self-signed Ed25519 primary key with one user id."""
    private = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"pgp:" + seed).digest())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_body = (
        bytes([4])
        + struct.pack(">I", CREATED)
        + bytes([_EDDSA, len(_ED25519_OID)])
        + _ED25519_OID
        + _mpi(b"\x40" + public)
    )
    fpr = hashlib.sha1(b"\x99" + struct.pack(">H", len(key_body)) + key_body).digest()  # noqa: S324 - RFC 4880 fingerprints are SHA-1
    uid = user_id.encode()
    hashed = _subpacket(2, struct.pack(">I", CREATED)) + _subpacket(33, b"\x04" + fpr) + _subpacket(27, b"\x03")
    sig_head = bytes([4, 0x13, _EDDSA, _SHA256]) + struct.pack(">H", len(hashed)) + hashed
    digest = hashlib.sha256(
        b"\x99"
        + struct.pack(">H", len(key_body))
        + key_body
        + b"\xb4"
        + struct.pack(">I", len(uid))
        + uid
        + sig_head
        + b"\x04\xff"
        + struct.pack(">I", len(sig_head))
    ).digest()
    signature = private.sign(digest)
    unhashed = _subpacket(16, fpr[-8:])
    sig_body = (
        sig_head
        + struct.pack(">H", len(unhashed))
        + unhashed
        + digest[:2]
        + _mpi(signature[:32])
        + _mpi(signature[32:])
    )
    data = _packet(6, key_body) + _packet(13, uid) + _packet(2, sig_body)
    return PgpKey(fpr.hex().upper(), _armor(data))
