"""Wrapper induction: a profile learned from one page and one offer's values reads the layout's other
pages (layouts of tests/listings/layouts.py)."""

from __future__ import annotations

import pytest
import yaml

from oniondex.cli import main
from oniondex.listings import listing_records
from oniondex.listings.induce import InductionError, learn_profile
from oniondex.listings.profiles import load_profile
from oniondex.page import Page
from oniondex.quality.real import score_page
from tests.listings.layouts import DEV, HELD_OUT, offers, truth_of

URL = "http://learnmarketaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion/list"


@pytest.mark.parametrize("layout", ["tiles_en", "flat_de", "labelled_ko", "definition_grid"])
def test_profile_learned_from_one_page_reads_another(layout: str) -> None:
    make, lang = {**DEV, **HELD_OUT}[layout]
    first = offers(lang, 0)
    example = {k: v for k, v in truth_of(layout, first)[0].items() if v is not None and k != "currency"}
    profile = learn_profile(Page(URL, make(first).encode()), layout, **example)
    other = offers(lang, 7)
    page = Page(URL, make(other, 1).encode())
    records = listing_records(page, "2026-01-01T00:00:00Z", profiles=[profile])
    assert {r.extractor for r in records} == {f"profile:{layout}"}
    predicted = {"language": "en", "entities": [], "vendors": [], "listings": [r.as_dict() for r in records]}
    score = score_page(layout, predicted, {"listings": truth_of(layout, other), "vendors": [], "language": "en"})
    assert score.listings.recall == 1.0
    assert score.field_accuracy == 1.0, score.errors


def test_values_the_page_does_not_show_are_an_error() -> None:
    page = Page(URL, DEV["tiles_en"][0](offers("en", 0)).encode())
    with pytest.raises(InductionError, match="title"):
        learn_profile(page, "x", title="Not on this page", price="10")


def test_cli_learn_writes_a_profile_that_profile_test_accepts(tmp_path, capsys) -> None:
    make, _ = DEV["tiles_en"]
    first = offers("en", 0)
    saved, other = tmp_path / "one.html", tmp_path / "two.html"
    saved.write_text(make(first), encoding="utf-8")
    other.write_text(make(offers("en", 4), 1), encoding="utf-8")
    out = tmp_path / "profiles" / "nightjar.yaml"
    argv = ["profile", "learn", str(saved), "--title", first[0].title, "--price", first[0].price,
            "--vendor", first[0].vendor, "--url", URL, "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["name"] == "nightjar"
    assert data["match"]["hosts"] == ["learnmarketaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion"]
    load_profile(out)  # a valid profile
    assert main(["profile", "test", str(out), str(other), "--url", URL]) == 0
    assert "6 listing(s)" in capsys.readouterr().out
    assert main(argv) == 2  # does not overwrite without --force
