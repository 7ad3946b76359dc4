"""`oniondex session login`: a person solves the captcha (here the test reads the digits off the PNG, as a
person would), the cookies are saved, and the crawl then gets past the captcha wall."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from oniondex.sessions.store import SessionStore
from sample_darknet.members import _FONT
from tests.sessions.conftest import KEY, LANTERN, ROOT, crawl, indexed_urls, oniondex, seed_file

SCALE = 4


def read_digits(png: bytes) -> str:
    """Read the captcha like a person: the 3x5 glyphs off the grayscale image."""
    width, height = struct.unpack(">II", png[16:24])
    chunks, at = [], 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at : at + 4]), png[at + 4 : at + 8]
        if kind == b"IDAT":
            chunks.append(png[at + 8 : at + 8 + length])
        at += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    rows = [raw[y * (width + 1) + 1 : (y + 1) * (width + 1)] for y in range(height)]
    glyphs = {bits: digit for digit, bits in _FONT.items()}
    digits = []
    for cell in range(width // SCALE // 4):
        bits = "".join(
            "1" if rows[(1 + fy) * SCALE][(1 + cell * 4 + fx) * SCALE] == 0 else "0"
            for fy in range(5)
            for fx in range(3)
        )
        digits.append(glyphs[bits])
    return "".join(digits)


def test_a_person_solves_the_captcha_and_the_crawl_gets_in(members, member_socks, member_darknet, tmp_path):
    data, host = tmp_path / "data", members[LANTERN]["onion"]
    added = oniondex(data, "session", "add", "lantern", "--site", host, "--form", "form#captcha")
    assert added.returncode == 0, added.stderr
    env = {**os.environ, "ONIONDEX_DATA_DIR": str(data), "ONIONDEX_SESSION_KEY": KEY}
    command = [sys.executable, "-m", "oniondex", "session", "login", "lantern", "--proxy", member_socks.url]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    ) as person:
        line = person.stdout.readline()
        assert line.startswith("captcha image: "), line
        image = Path(line.split(": ", 1)[1].split("  ", 1)[0])
        answer = read_digits(image.read_bytes())
        person.stdin.write(answer + "\n")
        person.stdin.flush()
        rest = person.stdout.read()
        assert person.wait(timeout=60) == 0, rest
    assert "cookies saved" in rest
    assert not image.exists(), "the captcha image is not kept"
    assert [c.name for c in SessionStore(data / "sessions.enc", KEY).get("lantern").cookies] == ["lantern_pass"]
    captcha_fetches = [e for e in member_darknet.log() if e["host"] == host and e["path"].endswith(".png")]
    assert len(captcha_fetches) == 1

    run = crawl(data, seed_file(tmp_path / "seeds.txt", [f"http://{host}/  session=lantern"]), member_socks)
    assert set(indexed_urls(run.data_dir)) == set(members[LANTERN]["member_pages"])
    assert not any(url.endswith(".png") for url in indexed_urls(run.data_dir))
