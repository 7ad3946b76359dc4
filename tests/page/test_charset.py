"""Pages whose declared charset lies: UTF-8 bytes declared as ISO-8859-1 or windows-1252 (issue 11)."""

from __future__ import annotations

import pytest

from oniondex.entities.report import page_language
from oniondex.page import Page

TEXT = "Свежий товар, café crème — 아이스 팝니다 €50"


def page(body: bytes, content_type: str = "text/html") -> Page:
    return Page("http://example.onion/", body, content_type)


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        ('<meta charset="ISO-8859-1">', "text/html"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', "text/html"),
        ("", "text/html; charset=iso-8859-1"),
        ("", "text/html; charset=latin1"),
    ],
)
def test_utf8_bytes_declared_latin1_decode_as_utf8(head: str, content_type: str) -> None:
    found = page(
        f"<html><head>{head}<title>Café</title></head><body><p>{TEXT}</p></body></html>".encode(), content_type
    )
    assert found.encoding == "utf-8"
    assert found.title == "Café"
    assert found.text == TEXT


def test_real_windows_1252_stays_windows_1252() -> None:
    body = '<html><head><meta charset="windows-1252"></head><body><p>café “quoted” €5</p></body></html>'
    found = page(body.encode("cp1252"))
    assert found.encoding == "cp1252"
    assert found.text == "café “quoted” €5"


def test_ascii_page_declared_latin1_keeps_its_declaration() -> None:
    found = page(b'<html><head><meta charset="ISO-8859-1"></head><body><p>plain words</p></body></html>')
    assert found.encoding == "cp1252"
    assert found.text == "plain words"


def test_mislabelled_russian_page_gets_its_language() -> None:
    prose = "Мы продаём только проверенный товар, доставка по всей стране в течение трёх дней. " * 3
    found = page(f'<html><head><meta charset="iso-8859-1"></head><body><p>{prose}</p></body></html>'.encode())
    assert page_language(found) == "ru"
