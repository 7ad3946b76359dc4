"""Binary bodies for the hostile sites: media files, the 30 MB page, the gzip bomb. Deterministic bytes."""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Iterator

HUGE_SIZE = 30 * 1024 * 1024
HUGE_HEAD = b"<!DOCTYPE html><html><head><title>Huge page</title></head><body><h1>HUGE-PAGE-START</h1>\n"
HUGE_TAIL = b"\n<p>HUGE-PAGE-END</p></body></html>\n"
_HUGE_CHUNK = b"<p>filler text for a very long page, nothing to see here.</p>\n" * 1024
BOMB_SIZE = 1024 * 1024 * 1024  # decompressed
# Known without building the bomb (a test checks it): the world is built often, the bomb only when fetched.
BOMB_WIRE_SIZE = 1062973
_BOMB_HEAD = b"<!DOCTYPE html><html><body><p>BOMB</p>"


def huge_chunks() -> Iterator[bytes]:
    """HUGE_SIZE bytes of HTML, made on the fly so the server never holds 30 MB."""
    left = HUGE_SIZE - len(HUGE_HEAD) - len(HUGE_TAIL)
    yield HUGE_HEAD
    while left > 0:
        part = _HUGE_CHUNK[: min(left, len(_HUGE_CHUNK))]
        left -= len(part)
        yield part
    yield HUGE_TAIL


@functools.cache
def gzip_bomb() -> bytes:
    """One gzip member of BOMB_SIZE bytes (HTML head, then spaces) that is ~1000x smaller on the wire.

    After a full flush deflate forgets its history, so compressing the same 1 MiB block again gives the
    same bytes: we compress it twice and repeat the second result instead of deflating a gibibyte.
    """
    block = b" " * (1024 * 1024)
    first = _BOMB_HEAD + block[len(_BOMB_HEAD) :]
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = deflate.compress(first) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeat = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = BOMB_SIZE // len(block)
    crc = zlib.crc32(first)
    for _ in range(count - 1):
        crc = zlib.crc32(block, crc)
    end = deflate.flush(zlib.Z_FINISH)
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff"  # no mtime: same bytes every build
    return header + head + repeat * (count - 1) + end + struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)


def png(seed: str, size: int = 256) -> bytes:
    """A valid size x size greyscale PNG of seeded noise (~64 KB: big enough to notice if downloaded)."""
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(size) for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(seed: str) -> bytes:
    # JFIF markers around noise: enough for sniffers and content-type checks, not meant to render.
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + random.Random(seed).randbytes(65536).replace(b"\xff", b"\x00") + b"\xff\xd9"


def zip_file(seed: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        info = zipfile.ZipInfo("readme.txt", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(info, random.Random(seed).randbytes(65536).hex())
    return out.getvalue()


def exe(seed: str) -> bytes:
    return b"MZ\x90\x00" + random.Random(seed).randbytes(65536)
