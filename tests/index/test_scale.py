"""The embedded index past its exact budget: a text search with too many candidates is answered from a
sample, says so, and scales its counts; searches by filters alone stay exact and complete."""

import pytest

from oniondex.index import SearchQuery, embedded
from oniondex.index.embedded import EmbeddedIndex, sample_levels

SITES = [f"{n:0>52}d.onion".replace("0", "s") for n in range(4)]
PAGES = 2000


def page(n):
    url = f"http://{SITES[n % 4]}/p{n}"
    # Every page has both words; only even pages have them as the phrase "stealth shipping".
    text = "stealth shipping fast" if n % 2 == 0 else "shipping is stealth"
    return {
        "id": url,
        "url": url,
        "site": SITES[n % 4],
        "title": f"p{n}",
        "text": f"{text} 아이스를 팝니다",
        "fetched_at": "2026-11-21T10:00:00Z",
        "language": "en",
    }


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    index = EmbeddedIndex(tmp_path_factory.mktemp("scale") / "index")
    index.add_pages(page(n) for n in range(PAGES))
    index.commit()
    yield index
    index.close()


def test_under_the_budget_everything_is_exact(big):
    result = big.search(SearchQuery(text='"stealth shipping"'))
    assert (result.total, result.estimated, result.sample_fraction) == (PAGES // 2, False, 1.0)
    assert sum(result.facets["site"].values()) == PAGES // 2


def test_a_phrase_past_the_budget_is_sampled_and_says_so(big, monkeypatch):
    monkeypatch.setattr(embedded, "EXACT_MATCHES", 100)
    result = big.search(SearchQuery(text='"stealth shipping"', limit=20))
    assert result.estimated
    assert result.sample_fraction < 1
    assert 0.5 * PAGES // 2 < result.total < 1.5 * PAGES // 2  # an estimate of the 1,000 true matches
    assert sum(result.facets["site"].values()) == result.total  # facets scaled like the total
    assert all("stealth shipping" in big.get(h.url)["text"] for h in result.hits)  # hits still match exactly
    assert len(result.hits) == 20


def test_filters_alone_stay_exact_and_complete_past_the_budget(big, monkeypatch):
    monkeypatch.setattr(embedded, "EXACT_MATCHES", 100)
    result = big.search(SearchQuery(site=SITES[1], limit=PAGES))
    assert (result.estimated, result.total, len(result.hits)) == (False, PAGES // 4, PAGES // 4)
    assert result.facets["site"] == {SITES[1]: PAGES // 4}


def test_words_and_korean_past_the_budget_are_sampled_too(big, monkeypatch):
    monkeypatch.setattr(embedded, "EXACT_MATCHES", 100)
    for text in ("stealth shipping", "아이스", "팝니다 OR fast"):
        assert big.search(SearchQuery(text=text)).estimated
    assert not big.search(SearchQuery(text="nothing-like-it")).estimated


def test_sample_levels_nest_and_halve():
    levels = [sample_levels(f"pages\x1fhttp://x/{n}") for n in range(4096)]
    assert all(lv == [f"s{i}" for i in range(1, len(lv) + 1)] for lv in levels)  # s2 ⊂ s1, …
    share = [sum(f"s{level}" in lv for lv in levels) / 4096 for level in (1, 2, 3)]
    assert share == pytest.approx([1 / 2, 1 / 4, 1 / 8], rel=0.15)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Pages where Korean words match as words, inside longer words, or not at all, and a drug tag on some."""
    index = EmbeddedIndex(tmp_path_factory.mktemp("mixed") / "index")
    words = [
        "아이스를 팝니다",
        "아이스크림 가게",
        "던지기로 보냅니다",
        "공던지기대회",
        "escrow only",
        "던집니다 아이스",
    ]
    pages = []
    for n in range(PAGES):
        doc = page(n)
        doc.update(
            text=f"{words[n % 6]} {words[n % 5]} bitcoin" if n % 3 else words[n % 6], tags=["ice"] * (n % 7 == 0)
        )
        pages.append(doc)
    index.add_pages(pages)
    index.commit()
    yield index
    index.close()


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(text="아이스", limit=50),  # its own stem: the bigram phrase required, the stem optional
        SearchQuery(text="아이스를 OR 던지고", limit=50),  # unions of stems and bigrams, in a union of groups
        SearchQuery(text="던지기 bitcoin OR escrow -아이스를", limit=50, tags=("ice",)),
        SearchQuery(text="아이스 OR 던지기", word_tags=(("아이스", "ice"),), limit=50),  # a word or its drug tag
    ],
    ids=["own-stem", "inflected-or", "negated", "word-or-tag"],
)
def test_sampled_queries_rank_and_count_as_the_plain_unions_would(mixed, monkeypatch, query):
    """The union-free Korean word and the unions intersected with the sample first are only faster: the
    same hits, scores, total and facets as "stem OR bigrams" and unions under the sample's intersection."""
    monkeypatch.setattr(embedded, "EXACT_MATCHES", 100)

    def answer():
        result = mixed.search(query)
        return [(h.id, h.score) for h in result.hits], result.total, result.facets, result.estimated

    fast = answer()
    plain = embedded._any
    monkeypatch.setattr(embedded, "_any", lambda alternatives, within: plain(alternatives, None))
    monkeypatch.setattr(embedded, "_stem_within_bigrams", lambda term, stems: False)
    assert fast == answer()
    assert fast[3], "past the budget: sampled"
    assert fast[0], "something found"
