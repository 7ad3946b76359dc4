"""Finders for contact identifiers: e-mail, Telegram, other messengers and phone numbers.

All patterns use bounded quantifiers only (linear time). Values are normalised: e-mail and Jabber ids lowercase,
Telegram the lowercase handle without @, phone E.164 (Korea is the default region), Session ids
lowercase hex, Threema ids uppercase, Kakao open-chat links as `open.kakao.com/o/<code>`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import phonenumbers

from oniondex.entities.finders import Found
from oniondex.entities.scan import lowered, matches_around, positions, runs_between, runs_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

DEFAULT_REGION = "KR"
_ASCII_BEFORE = r"(?<![0-9A-Za-z._%+\-])"
EMAIL_RE = re.compile(
    _ASCII_BEFORE + r"[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}@(?:[A-Za-z0-9\-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9\-])"
)
# Jabber/XMPP ids look like e-mail: the label right before one ("Jabber:", "XMPP/Jabber -", "jid",
# "xmpp:" URIs), or the server. The servers are public ones that host no e-mail.
_JABBER_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?:jabber|xmpp|jid)(?:[ \t]?(?:id|address|account))?[ \t]*[)\]]?[ \t]*[:：=\-]?[ \t]*\Z",
    re.IGNORECASE,
)
_JABBER_CUE_WINDOW = 40
_JABBER_HOST_LABELS = frozenset({"jabber", "xmpp", "jabb"})
JABBER_SERVERS = frozenset(
    {"exploit.im", "thesecure.biz", "creep.im", "404.city", "jabb.im", "xmpp.jp", "yax.im", "jabbim.cz",
     "conversations.im", "blabber.im", "xabber.org"}
)  # fmt: skip
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
# A phone candidate: + or a leading 0, then digits with the usual separators. It opens with the class
# [+(0] (its look-behind moved after that character) so the regex engine skips to candidates in C.
PHONE_RE = re.compile(r"[+(0](?<![0-9A-Za-z.+/_\-].)(?:(?<=\()0|(?<!\())[0-9][0-9 \-.()]{6,18}[0-9](?![0-9A-Za-z])")
# Every phone candidate lies inside a run of at least 9 of these characters: it is only looked for there.
_PHONE_RUNS = runs_of("0123456789 -.()+", 9)


_EMAIL_AFTER_AT = 1 + 8 * 64 + 24 + 1  # the domain's bounded quantifiers, plus the look-ahead
_HANDLE_AFTER = 1 + 32 + 1
_TME_DOTS = (".me/", ".dog/")
_TME_AFTER = len(".dog/s/@") + _HANDLE_AFTER
_TG_CUES = ("tg", "tele", "텔", "тг", "теле")


def find_emails(text: str) -> Iterator[Found]:
    """E-mail addresses, and Jabber/XMPP ids, which are written the same way: an address labelled as
    one ("Jabber: x@y", "xmpp:x@y", "JID x@y") or on a well-known Jabber server is a Jabber id."""
    for match in matches_around(EMAIL_RE, text, positions(text, "@"), 64, _EMAIL_AFTER_AT):
        address = match.group().lower()
        local, _, host = address.partition("@")
        if ".." in address or local.endswith(".") or host.rsplit(".", 1)[-1] in _NOT_TLDS:
            continue
        kind = "jabber" if _is_jabber(text, match.start(), host) else "email"
        yield Found(kind, address, match.start(), match.end())


def _is_jabber(text: str, start: int, host: str) -> bool:
    if host.split(".", 1)[0] in _JABBER_HOST_LABELS or host in JABBER_SERVERS:
        return True
    line_start = max(text.rfind("\n", 0, start) + 1, start - _JABBER_CUE_WINDOW)
    return _JABBER_LABEL_RE.search(text, line_start, start) is not None


def find_telegram(text: str) -> Iterator[Found]:
    low = lowered(text)
    if low is None:  # lower-casing moved offsets: scan the whole text
        tme, after_cue, contact_at = (p.finditer(text) for p in (TME_RE, TG_AFTER_CUE_RE, CONTACT_AT_RE))
    else:
        tme = matches_around(TME_RE, text, positions(low, _TME_DOTS), len("https://www.telegram"), _TME_AFTER)
        after_cue = matches_around(TG_AFTER_CUE_RE, text, positions(low, _TG_CUES), 0, 10 + 12 + _HANDLE_AFTER)
        contact_at = matches_around(CONTACT_AT_RE, text, positions(text, "@"), 16, _HANDLE_AFTER)
    for match in tme:
        if match.group(1).lower() not in _TME_RESERVED:
            yield _handle(match)
    for match in after_cue:
        if text[match.end() : match.end() + 3] != "://":  # "Telegram: https://t.me/…" is a link
            yield _handle(match)
    for match in contact_at:
        yield _handle(match)


def find_telegram_bare(text: str) -> Iterator[Found]:
    """Bare `@handle`s: only called for pages that name Telegram somewhere (see extract.py)."""
    for at in positions(text, "@"):
        match = TG_AT_RE.match(text, at, min(len(text), at + _HANDLE_AFTER))
        if match is not None:
            yield _handle(match)


def _handle(match: re.Match[str]) -> Found:
    handle = match.group(1).lower().rstrip("_")
    return Found("telegram", handle, match.start(), match.end())


def find_messengers(text: str) -> Iterator[Found]:
    for start, end in runs_between(text, 66, 66):
        if (match := SESSION_RE.match(text, start, end)) is not None:
            yield Found("session", match.group().lower(), match.start(), match.end())
    low = lowered(text)
    threema, wickr, kakao = (
        (p.finditer(text) for p in (THREEMA_RE, WICKR_RE, KAKAO_OPEN_RE)) if low is None
        else (_at(THREEMA_RE, text, positions(low, ("threema",)), 32),
              _at(WICKR_RE, text, positions(low, ("wickr",)), 56),
              _at(KAKAO_OPEN_RE, text, positions(low, ("open.kakao.com",)), 52))
    )  # fmt: skip
    for match in threema:
        yield Found("threema", match.group(1).upper(), match.start(), match.end())
    for match in wickr:
        yield Found("wickr", match.group(1).lower().rstrip("."), match.start(), match.end())
    for match in kakao:
        value = f"open.kakao.com/{match.group(1).lower()}/{match.group(2)}"
        yield Found("kakao_openchat", value, match.start(), match.end())


def _at(pattern: re.Pattern[str], text: str, anchors: Sequence[int], longest: int) -> Iterator[re.Match[str]]:
    """Matches that start at an anchor (patterns that open with their keyword and have no look-behind)."""
    last_end = -1
    for anchor in anchors:
        if anchor >= last_end and (match := pattern.match(text, anchor, min(len(text), anchor + longest))):
            last_end = match.end()
            yield match


def find_phones(text: str) -> Iterator[Found]:
    # The window ends one past the run so the closing look-ahead sees the character there.
    matches = (m for start, end in _PHONE_RUNS(text) for m in PHONE_RE.finditer(text, start, end + 1))
    for match in matches:
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
    if "t.me/" in text:
        return True
    low = lowered(text)
    if low is None:
        return TG_CUE_RE.search(text) is not None
    return any(TG_CUE_RE.match(text, at, at + 10) for at in positions(low, _TG_CUES))


CONTACT_FINDERS = (find_emails, find_telegram, find_messengers, find_phones)
