from __future__ import annotations

import zlib

from darknet_checks import fingerprints

from sample_darknet.pgp import make_key
from sample_darknet.sites import payloads


def test_bomb_is_small_on_the_wire_and_huge_inflated() -> None:
    bomb = payloads.gzip_bomb()
    assert len(bomb) == payloads.BOMB_WIRE_SIZE
    inflate = zlib.decompressobj(31)
    assert inflate.decompress(bomb[:4096], 1 << 20).startswith(b"<!DOCTYPE html>")
    assert int.from_bytes(bomb[-4:], "little") == payloads.BOMB_SIZE % 2**32


def test_huge_page_size() -> None:
    assert sum(len(chunk) for chunk in payloads.huge_chunks()) == payloads.HUGE_SIZE


def test_pgp_keys_are_deterministic_and_fingerprinted() -> None:
    key = make_key(b"\x01" * 32, "Test <t@example.com>")
    assert key == make_key(b"\x01" * 32, "Test <t@example.com>")
    assert fingerprints(key.armored) == {key.fingerprint}
    assert make_key(b"\x02" * 32, "Test <t@example.com>").fingerprint != key.fingerprint
