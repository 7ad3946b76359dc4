"""E-mail, Telegram, messengers, phones and PGP keys, normalised."""

from __future__ import annotations

import pytest

from oniondex.entities import extract_entities


def values(page, entity_type: str) -> set[str]:
    return {e.value for e in extract_entities(page) if e.type == entity_type}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact: IceKing@ProtonMail.com", "iceking@protonmail.com"),
        ("iceking [at] protonmail [dot] com", "iceking@protonmail.com"),
        ("snow.white(at)tutanota(dot)com", "snow.white@tutanota.com"),
        ("gd0n{at}cock{dot}li", "gd0n@cock.li"),
        ("메일: seoulsupply@protonmail.com 으로", "seoulsupply@protonmail.com"),
    ],
)
def test_emails(page_factory, text: str, expected: str) -> None:
    assert values(page_factory(f"<p>{text}</p>"), "email") == {expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Telegram: @IceKing_KR", {"iceking_kr"}),
        ("텔레그램 @seoul_supply 문의", {"seoul_supply"}),
        ("텔레: dealer_kr", {"dealer_kr"}),
        ('<a href="https://t.me/CandyMan_DE">t.me/CandyMan_DE</a>', {"candyman_de"}),
        ("telegram.me/s/news_channel", {"news_channel"}),
        ("TG @acid_alice or @opium_den", {"acid_alice", "opium_den"}),
        ("t.me/joinchat/AAAAAEk3 and t.me/share/url", set()),
        ("follow @someone_here on the forum", set()),  # no Telegram cue on the page: not a Telegram handle
        ("Telegram: https://t.me/realhandle", {"realhandle"}),
        ("1g 25만원 전국 던지기. 연락 @emperor_kr", {"emperor_kr"}),
        ("Доставка: закладка.<br>Телеграм: @sever_veter_shop", {"sever_veter_shop"}),
        ("Связь - @ru_shop_24", {"ru_shop_24"}),
    ],
)
def test_telegram(page_factory, text: str, expected: set[str]) -> None:
    assert values(page_factory(f"<p>{text}</p>"), "telegram") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("연락처 010-4821-7730", "+821048217730"),
        ("전화010.5512.0093", "+821055120093"),
        ("call +82 10 5512 0093", "+821055120093"),
        ("(02) 2123-4567", "+82221234567"),
        ("US +1 415-555-2671", "+14155552671"),
    ],
)
def test_phones_are_e164_with_korea_as_default(page_factory, text: str, expected: str) -> None:
    assert values(page_factory(f"<p>{text}</p>"), "phone") == {expected}


def test_tel_links(page_factory) -> None:
    assert values(page_factory('<a href="tel:+821048217730">call</a>'), "phone") == {"+821048217730"}


@pytest.mark.parametrize("text", ["0.00123456 BTC", "2024-01-15", "price 1,250,000원", "ID 00012345678"])
def test_numbers_that_are_not_phones(page_factory, text: str) -> None:
    assert values(page_factory(f"<p>{text}</p>"), "phone") == set()


def test_messengers(page_factory) -> None:
    session = "05" + "ab" * 32
    html = (
        f"<p>Session: {session.upper()}</p><p>Threema: ABCD1234</p><p>threema.id/XY9Z8W7V</p>"
        "<p>Wickr me: cold_chain.kr</p><p>오픈채팅 https://open.kakao.com/o/sAbC12de</p>"
    )
    found = {(e.type, e.value) for e in extract_entities(page_factory(html))}
    assert found == {
        ("session", session),
        ("threema", "ABCD1234"),
        ("threema", "XY9Z8W7V"),
        ("wickr", "cold_chain.kr"),
        ("kakao_openchat", "open.kakao.com/o/sAbC12de"),
    }


@pytest.mark.parametrize("wrap", ["<pre>{}</pre>", "<textarea>{}</textarea>", "<p>{}</p>", '<div title="{}">key</div>'])
def test_pgp_key_block_is_parsed(page_factory, pgp_key, wrap: str) -> None:
    # <p> squashes the blank line after the armor header; the block is re-armored before parsing.
    html = wrap.format(pgp_key["armored"].replace("\n", "<br>\n" if wrap.startswith("<p>") else "\n"))
    (entity,) = [e for e in extract_entities(page_factory(html)) if e.type == "pgp"]
    assert entity.value == entity.fingerprint == pgp_key["fingerprint"]
    assert len(entity.value) == 40
    assert entity.key_id == pgp_key["fingerprint"][-16:]
    assert entity.user_ids == (pgp_key["user_id"],)
    assert entity.created == pgp_key["created"]


def test_broken_pgp_block_is_skipped(page_factory, pgp_key) -> None:
    armored = pgp_key["armored"]
    middle = len(armored) // 2
    swapped = "A" if armored[middle] != "A" else "B"
    broken = armored[:middle] + swapped + armored[middle + 1 :]  # one base64 character changed: CRC fails
    assert values(page_factory(f"<pre>{broken}</pre>"), "pgp") == set()
