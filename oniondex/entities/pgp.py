"""PGP public key blocks: found by their armor lines, parsed with PGPy.

Page text loses the blank line between armor headers and data (and sometimes adds indentation), so each
block is re-armored from its base64 lines before parsing. A block that does not parse is skipped.
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings
from typing import TYPE_CHECKING

from oniondex.entities.finders import Found

if TYPE_CHECKING:
    from collections.abc import Iterator

with warnings.catch_warnings():
    # PGPy 0.6 imports the deprecated imghdr module and warns about cryptography APIs on import.
    warnings.simplefilter("ignore")
    import pgpy

BEGIN = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
END = "-----END PGP PUBLIC KEY BLOCK-----"
MAX_BLOCK_CHARS = 65_536
MAX_BLOCKS = 32
_HEADER_RE = re.compile(r"^[A-Za-z][A-Za-z\-]{0,30}: ")
_CRC_RE = re.compile(r"^=[A-Za-z0-9+/]{4}$")
_B64_RE = re.compile(r"^[A-Za-z0-9+/=]{1,120}$")


def find_pgp_keys(text: str) -> Iterator[Found]:
    start = text.find(BEGIN)
    # The first END at or after `start`, looked for again only once `start` has passed it: a page of BEGIN
    # lines without their END would otherwise search up to MAX_BLOCK_CHARS for each of them.
    end = text.find(END, start) if start != -1 else -1
    blocks = 0
    while start != -1 and end != -1 and blocks < MAX_BLOCKS:
        if end < start:
            end = text.find(END, start)
            continue
        if end + len(END) > start + MAX_BLOCK_CHARS:
            start = text.find(BEGIN, start + len(BEGIN))
            continue
        blocks += 1
        found = _parse(text[start + len(BEGIN) : end])
        if found is not None:
            yield Found("pgp", found["fingerprint"], start, end + len(END), found)
        start = text.find(BEGIN, end)


def rearmor(inner: str) -> str | None:
    """A clean armored block from the lines between BEGIN and END, or None if it is not well formed:
    header lines first, then base64 lines, then an optional CRC-24 line that must match the data."""
    lines = [line.strip() for line in inner.splitlines() if line.strip()]
    while lines and _HEADER_RE.match(lines[0]):
        lines.pop(0)
    crc = lines.pop() if lines and _CRC_RE.match(lines[-1]) else ""
    if not lines or not all(_B64_RE.match(line) for line in lines):
        return None
    try:
        data = base64.b64decode("".join(lines), validate=True)
    except binascii.Error:
        return None
    if crc and base64.b64decode(crc[1:]) != crc24(data).to_bytes(3, "big"):
        return None  # the armor checksum fails: a damaged or altered block
    return "\n".join([BEGIN, "", *lines, *([crc] if crc else []), END, ""])


def crc24(data: bytes) -> int:
    """RFC 4880 section 6.1 armor checksum."""
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def _parse(inner: str) -> dict[str, object] | None:
    armored = rearmor(inner)
    if armored is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key, _ = pgpy.PGPKey.from_blob(armored)
        fingerprint = str(key.fingerprint).replace(" ", "").upper()
        user_ids = tuple(uid.userid for uid in key.userids if uid.is_uid)
        created = key.created.isoformat().replace("+00:00", "Z")
    except Exception:  # PGPy raises many exception types on hostile input; skip the block
        return None
    if len(fingerprint) != 40:
        return None  # only v4 keys have a 40-hex fingerprint
    return {"fingerprint": fingerprint, "key_id": fingerprint[-16:], "user_ids": user_ids, "created": created}
