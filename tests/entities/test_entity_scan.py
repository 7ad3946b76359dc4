"""Candidate offsets for the finders: every occurrence, overlapping ones too, whichever finder asks first."""

from __future__ import annotations

import random

from oniondex.entities.scan import positions


def _every_start(text: str, needles: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(at for at in range(len(text)) if any(text.startswith(needle, at) for needle in needles))


def test_overlapping_occurrences_of_one_and_of_several_needles() -> None:
    assert positions("elele", ("ele",)) == (0, 2)
    assert positions("tele tgtele", ("tg", "tele", "ele")) == (0, 1, 5, 7, 8)
    assert positions("a@b@@c", "@") == (1, 3, 4)  # a str is one-character needles
    assert positions("no cue here", ("tg", "tele")) == ()


def test_same_offsets_as_a_scan_of_every_position_and_when_asked_again() -> None:
    rng = random.Random(5)
    for _ in range(200):
        text = "".join(rng.choices("tgel@.텔т г", k=rng.randrange(0, 60)))
        for needles in (("tg", "tele", "텔", "тг", "теле"), ("@",), "@.", ("el", "le", "ele")):
            expected = _every_start(text, tuple(needles))
            assert positions(text, needles) == expected
            assert positions(text, needles) == expected  # the cached answer
