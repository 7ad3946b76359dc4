"""Finders for contact identifiers: e-mail, Telegram, other messengers and phone numbers.

All patterns use bounded quantifiers only (linear time). Values are normalised: e-mail lowercase,
Telegram the lowercase handle without @, phone E.164 (Korea is the default region), Session ids
lowercase hex, Threema ids uppercase, Kakao open-chat links as `open.kakao.com/o/<code>`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import phonenumbers

from oniondex.entities.finders import Found

if TYPE_CHECKING:
    from collections.abc import Iterator

DEFAULT_REGION = "KR"
_ASCII_BEFORE = r"(?<![0-9A-Za-z._%+\-])"
EMAIL_RE = re.compile(
    _ASCII_BEFORE + r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
# Things shaped like e-mail that are file names ("logo@2x.png") or framework noise.
_NOT_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "ico", "bmp"})

_HANDLE = r"([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])"
TME_RE = re.compile(
    r"(?<![A-Za-z0-9.\-])(?:https?://)?(?:www\.)?(?:t|telegram)\.(?:me|dog)/(?:s/)?@?" + _HANDLE, re.IGNORECASE
)
_TG_CUE = (
    r"(?:(?<![A-Za-z])(?:telegram|tg|tele)(?![A-Za-z])|텔레그램|텔레|텔그|텔"
    r"|(?<![а-яё])(?:телеграмм?|телега|тг)(?![а-яё]))"
)
# Generic contact words: an @handle right after one is a Telegram handle on these pages.
_CONTACT_CUE = (
    r"(?:연락|문의|(?<![A-Za-z])(?:contact|dm)(?![A-Za-z])|(?<![а-яё])(?:связь|контакт|пиши|пишите)(?![а-яё]))"
)
TG_CUE_RE = re.compile(_TG_CUE, re.IGNORECASE)
TG_AFTER_CUE_RE = re.compile(
    _TG_CUE + r"[ \t]{0,2}(?:id|ID|아이디)?[ \t]{0,2}(?:[:：=][ \t]{0,3}@?|@)" + _HANDLE, re.IGNORECASE
)
CONTACT_AT_RE = re.compile(_CONTACT_CUE + r"[ \t]{0,2}(?:[:：=\-][ \t]{0,3})?@" + _HANDLE, re.IGNORECASE)
TG_AT_RE = re.compile(r"(?<![A-Za-z0-9._%+\-@/])@" + _HANDLE)
_TME_RESERVED = frozenset(
    {"joinchat", "addstickers", "addemoji", "share", "proxy", "socks", "iv", "login", "addtheme",
     "setlanguage", "confirmphone", "contact", "boost", "invoice"}
)  # fmt: skip

SESSION_RE = re.compile(r"(?<![0-9A-Za-z])05[0-9a-fA-F]{64}(?![0-9A-Za-z])")
THREEMA_RE = re.compile(
    r"(?i:threema(?:\.id/|[ \t]{0,2}(?:id)?[ \t]{0,2}[:：][ \t]{0,3}))([A-Z0-9*][A-Z0-9]{7})(?![A-Za-z0-9])"
)
WICKR_RE = re.compile(r"(?i:wickr(?:[ \t]?me)?[ \t]{0,2}(?:id)?[ \t]{0,2}[:：][ \t]{0,3})@?([A-Za-z0-9_.\-]{3,32})")
KAKAO_OPEN_RE = re.compile(r"open\.kakao\.com/(o|me)/([A-Za-z0-9_]{4,32})", re.IGNORECASE)
# A phone candidate: + or a leading 0, then digits with the usual separators.
PHONE_RE = re.compile(r"(?<![0-9A-Za-z.+/_\-])(?:\+|\(0|0)[0-9][0-9 \-.()]{6,18}[0-9](?![0-9A-Za-z])")


def find_emails(text: str) -> Iterator[Found]:
    for match in EMAIL_RE.finditer(text):
        address = match.group().lower()
        local, _, host = address.partition("@")
        if ".." in address or local.endswith(".") or host.rsplit(".", 1)[-1] in _NOT_TLDS:
            continue
        yield Found("email", address, match.start(), match.end())


def find_telegram(text: str) -> Iterator[Found]:
    for match in TME_RE.finditer(text):
        if match.group(1).lower() not in _TME_RESERVED:
            yield _handle(match)
    for match in TG_AFTER_CUE_RE.finditer(text):
        if text[match.end() : match.end() + 3] != "://":  # "Telegram: https://t.me/…" is a link
            yield _handle(match)
    for match in CONTACT_AT_RE.finditer(text):
        yield _handle(match)


def find_telegram_bare(text: str) -> Iterator[Found]:
    """Bare `@handle`s: only called for pages that name Telegram somewhere (see extract.py)."""
    for match in TG_AT_RE.finditer(text):
        yield _handle(match)


def _handle(match: re.Match[str]) -> Found:
    handle = match.group(1).lower().rstrip("_")
    return Found("telegram", handle, match.start(), match.end())


def find_messengers(text: str) -> Iterator[Found]:
    for match in SESSION_RE.finditer(text):
        yield Found("session", match.group().lower(), match.start(), match.end())
    for match in THREEMA_RE.finditer(text):
        yield Found("threema", match.group(1).upper(), match.start(), match.end())
    for match in WICKR_RE.finditer(text):
        yield Found("wickr", match.group(1).lower().rstrip("."), match.start(), match.end())
    for match in KAKAO_OPEN_RE.finditer(text):
        value = f"open.kakao.com/{match.group(1).lower()}/{match.group(2)}"
        yield Found("kakao_openchat", value, match.start(), match.end())


def find_phones(text: str) -> Iterator[Found]:
    for match in PHONE_RE.finditer(text):
        candidate = match.group()
        if candidate.startswith("0.") or sum(ch.isdigit() for ch in candidate) < 8:
            continue  # a decimal amount, or too short to be a full number
        try:
            number = phonenumbers.parse(candidate, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            yield Found("phone", e164, match.start(), match.end())


def mentions_telegram(text: str) -> bool:
    return TG_CUE_RE.search(text) is not None or "t.me/" in text


CONTACT_FINDERS = (find_emails, find_telegram, find_messengers, find_phones)
