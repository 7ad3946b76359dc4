"""The pre-analysed fields' chunk cache: the same fields as analysing the whole text, each chunk analysed
once, and a full cache keeps its last generation (the common vocabulary is not analysed again)."""

from oniondex.index.analysis import ChunkFields, cjk_field, text_chunks
from oniondex.index.embedded import _TEXT_FIELDS
from oniondex.index.korean import stem_field

TRICKY = [
    "ΟΔΟΣ Σίσυφος",  # final sigma: lowercased by its neighbours, which whitespace ends
    "ice\u00a0아이스를\u3000던지기로 ＩＣＥ ｱｲｽ ﬁne",  # compatibility spaces and letters (NFKC)
    "a\u00a8b 가\u0308 ㅇㅏㅇㅣ",  # a character whose NFKC form holds a space; combining marks
    "아이스크림, 아이스를! 던집니다\u2028escrow",
    "",
]


def test_chunk_fields_equal_the_whole_texts_analysis():
    for text in TRICKY * 2:  # the second time from the cache
        bigrams, stems = _TEXT_FIELDS.fields(text)
        assert bigrams == cjk_field(text)
        assert stems == stem_field(" ".join(text_chunks(text)))


def test_a_full_cache_keeps_its_last_generation():
    analysed: list[str] = []

    def analyse(chunks: list[str]) -> list[tuple[str, ...]]:
        analysed.extend(chunks)
        return [(chunk.upper(),) for chunk in chunks]

    cache = ChunkFields(analyse, width=1, size=4)
    assert cache.fields("a b c a") == ["A B C A"]
    assert cache.fields("d e") == ["D E"]  # past the size: a new generation, a b c kept as the last one
    assert cache.fields("a b c d e f") == ["A B C D E F"]
    assert analysed == ["a", "b", "c", "d", "e", "f"]  # each chunk analysed once
