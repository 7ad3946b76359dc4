"""`short_text_cache` keeps short texts' results and computes long ones each time."""

from __future__ import annotations

from oniondex.listings.memo import LONGEST, short_text_cache


def test_short_texts_are_cached_long_ones_computed_each_time() -> None:
    calls: list[str] = []

    @short_text_cache(8)
    def upper(text: str, more: str = "") -> str:
        calls.append(text)
        return (text + more).upper()

    long = "x" * (LONGEST + 1)
    assert [upper("ab"), upper("ab"), upper(long), upper(long), upper("a", "b"), upper("a", "b")] == [
        "AB",
        "AB",
        long.upper(),
        long.upper(),
        "AB",
        "AB",
    ]
    assert calls == ["ab", long, long, "a"]  # each short call once, the long one every time
