"""The t.me/s/CHANNEL web preview, parsed: channel info, posts and paging cursors.

One pure function, `parse_preview(html, username)`. The class names are Telegram's own; a part that is
missing leaves its field empty and adds a warning, it never raises (pages are hostile and Telegram
changes its markup now and then). Media is recorded by kind only; nothing is fetched.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import lxml.html
from lxml import etree

from oniondex.telegram.records import ChannelInfo, LinkPreview, Post, PreviewPage
from oniondex.telegram.usernames import UsernameError, is_telegram_host, post_url, username_from_reference

_COUNT_RE = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*([KMB]?)", re.IGNORECASE)
_SCALE = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
_SPACE_RE = re.compile(r"[ \t\r\f\v\u00a0]+")
# Class of the media wrapper → the kind recorded.
_MEDIA = (
    ("tgme_widget_message_photo_wrap", "photo"),
    ("tgme_widget_message_video_player", "video"),
    ("tgme_widget_message_video_wrap", "video"),
    ("tgme_widget_message_roundvideo_player", "roundvideo"),
    ("tgme_widget_message_voice_player", "voice"),
    ("tgme_widget_message_voice", "voice"),
    ("tgme_widget_message_document_wrap", "document"),
    ("tgme_widget_message_document", "document"),
    ("tgme_widget_message_poll", "poll"),
    ("tgme_widget_message_sticker_wrap", "sticker"),
    ("tgme_widget_message_sticker", "sticker"),
    ("tgme_widget_message_location_wrap", "location"),
    ("tgme_widget_message_location", "location"),
    ("tgme_widget_message_grouped_wrap", "album"),
)


def _has(name: str) -> str:
    """An XPath test: the element carries class `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(element: etree._Element, xpath: str) -> etree._Element | None:
    found = element.xpath(xpath)
    return found[0] if found else None


def _text(element: etree._Element | None) -> str:
    return _squash(element.text_content()) if element is not None else ""


def _squash(text: str) -> str:
    lines = (_SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line).strip()


def parse_count(text: str) -> int | None:
    """'44' → 44, '4.2K' → 4200, '1.1M' → 1100000, '12 345' → 12345; None if there is no number."""
    compact = text.replace("\u00a0", "").replace(" ", "")
    match = _COUNT_RE.search(compact)
    if match is None:
        return None
    number, suffix = match.group(1), match.group(2).upper()
    if suffix == "" and "," in number:
        number = number.replace(",", "")  # 1,234: a thousands separator, not a decimal point
    return round(float(number.replace(",", ".")) * _SCALE[suffix])


def parse_preview(html: str | bytes, username: str, base_url: str = "https://t.me") -> PreviewPage:
    """One preview page of `username`. Pages without posts or without a preview parse too."""
    warnings: list[str] = []
    try:
        tree = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(no_network=True, recover=True))
    except (etree.ParserError, ValueError):
        return PreviewPage(ChannelInfo(username, has_preview=False), warnings=("unparseable page",))
    history = _first(tree, f"//section[{_has('tgme_channel_history')}]")
    if history is None:
        return PreviewPage(_contact_page(tree, username), warnings=tuple(warnings))
    channel = _channel_info(tree, username, warnings)
    posts = tuple(
        post
        for element in tree.xpath(f"//div[{_has('tgme_widget_message')} and @data-post]")
        if (post := _post(element, username, base_url, warnings)) is not None
    )
    before, after = _cursors(tree)
    return PreviewPage(channel, posts, before, after, tuple(warnings))


def _channel_info(tree: etree._Element, username: str, warnings: list[str]) -> ChannelInfo:
    title = _text(_first(tree, f"//*[{_has('tgme_channel_info_header_title')}]"))
    if not title:
        warnings.append("channel title missing")
    shown = _text(_first(tree, f"//*[{_has('tgme_channel_info_header_username')}]")).removeprefix("@").lower()
    description_el = _first(tree, f"//*[{_has('tgme_channel_info_description')}]")
    subscribers_text = ""
    for counter in tree.xpath(f"//*[{_has('tgme_channel_info_counter')}]"):
        kind = _text(_first(counter, f".//*[{_has('counter_type')}]"))
        if kind in ("subscribers", "subscriber", "members", "member"):
            subscribers_text = _text(_first(counter, f".//*[{_has('counter_value')}]"))
    return ChannelInfo(
        username=shown or username,
        title=title,
        description=_message_text(description_el) if description_el is not None else "",
        subscribers=parse_count(subscribers_text) if subscribers_text else None,
        subscribers_text=subscribers_text,
    )


def _contact_page(tree: etree._Element, username: str) -> ChannelInfo:
    """The plain t.me/CH page Telegram shows instead of a preview (private or restricted channels)."""
    extra = _text(_first(tree, f"//*[{_has('tgme_page_extra')}]"))
    count = extra if any(w in extra for w in ("subscriber", "member")) else ""
    return ChannelInfo(
        username=username,
        title=_text(_first(tree, f"//*[{_has('tgme_page_title')}]")),
        description=_text(_first(tree, f"//*[{_has('tgme_page_description')}]")),
        subscribers=parse_count(count) if count else None,
        subscribers_text=count,
        has_preview=False,
    )


def _post(element: etree._Element, username: str, base_url: str, warnings: list[str]) -> Post | None:
    channel, _, raw_id = (element.get("data-post") or "").partition("/")
    if not raw_id.isdigit():
        warnings.append(f"post without a readable id: {element.get('data-post')!r}")
        return None
    post_id = int(raw_id)
    channel = channel.lower() or username
    text_el = _first(element, f".//div[{_has('tgme_widget_message_text')}]")
    # A reply quotes the replied post's text in a message_text of its own, inside the reply link.
    if text_el is not None and _first(text_el, f"ancestor::*[{_has('tgme_widget_message_reply')}]") is not None:
        text_el = _first(
            element,
            f".//div[{_has('tgme_widget_message_text')} and not(ancestor::a[{_has('tgme_widget_message_reply')}])]",
        )
    views_text = _text(_first(element, f".//*[{_has('tgme_widget_message_views')}]"))
    meta = _first(element, f".//*[{_has('tgme_widget_message_meta')}]")
    time_el = _first(element, f".//*[{_has('tgme_widget_message_date')}]//time[@datetime]")
    if time_el is None:
        warnings.append(f"post {channel}/{post_id} without a time")
    forwarded_name, forwarded_url = _forwarded(element)
    return Post(
        channel=channel,
        id=post_id,
        url=post_url(channel, post_id),
        time=time_el.get("datetime", "") if time_el is not None else "",
        views=parse_count(views_text) if views_text else None,
        views_text=views_text,
        text=_message_text(text_el) if text_el is not None else "",
        html=etree.tostring(text_el, encoding="unicode", with_tail=False) if text_el is not None else "",
        author=_text(_first(element, f".//*[{_has('tgme_widget_message_from_author')}]")),
        forwarded_from=forwarded_name,
        forwarded_from_url=forwarded_url,
        reply_to=_reply_to(element),
        hashtags=_hashtags(text_el),
        links=_links(text_el, base_url),
        link_previews=_link_previews(element),
        media=_media(element),
        # "edited" is the meta's own text, beside the signature and the date link.
        edited=meta is not None and any("edited" in str(t).lower() for t in meta.xpath("./text()")),
        service=_has_class(element, "service_message"),
    )


def _has_class(element: etree._Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _message_text(element: etree._Element) -> str:
    """The text a reader sees: <br> as a line break, emoji as their characters, inline tags as nothing."""
    parts: list[str] = []
    _walk(element, parts)
    return _squash("".join(parts))


def _walk(element: etree._Element, out: list[str]) -> None:
    if isinstance(element.tag, str) and element.tag not in ("script", "style"):
        if element.tag == "br":
            out.append("\n")
        elif element.text:
            out.append(element.text)
        for child in element:
            _walk(child, out)
    if element.tail:
        out.append(element.tail)


def _forwarded(element: etree._Element) -> tuple[str, str]:
    found = _first(element, f".//*[{_has('tgme_widget_message_forwarded_from_name')}]")
    if found is None:
        return "", ""
    href = found.get("href") or ""
    if href:
        try:
            return username_from_reference(href), href
        except UsernameError:
            pass
    return _text(found), href


def _reply_to(element: etree._Element) -> int | None:
    found = _first(element, f".//a[{_has('tgme_widget_message_reply')}]")
    if found is None:
        return None
    last = urlsplit(found.get("href") or "").path.rstrip("/").rsplit("/", 1)[-1]
    return int(last) if last.isdigit() else None


def _hashtags(text_el: etree._Element | None) -> tuple[str, ...]:
    if text_el is None:
        return ()
    tags: dict[str, None] = {}
    for link in text_el.xpath(".//a[@href]"):
        query = parse_qs(urlsplit(link.get("href")).query).get("q", [""])[0]
        if query.startswith("#"):
            tags.setdefault(unquote(query)[1:].lower(), None)
    return tuple(tags)


def _links(text_el: etree._Element | None, base_url: str) -> tuple[str, ...]:
    """The post's outgoing links (hashtag searches are not links), absolute, in order, de-duplicated."""
    if text_el is None:
        return ()
    links: dict[str, None] = {}
    for link in text_el.xpath(".//a[@href]"):
        href = link.get("href").strip()
        if href.startswith("?q="):
            continue
        absolute = urljoin(base_url + "/", href)
        if absolute.startswith(("http://", "https://")):
            links.setdefault(absolute, None)
    return tuple(links)


def _link_previews(element: etree._Element) -> tuple[LinkPreview, ...]:
    return tuple(
        LinkPreview(
            url=found.get("href") or "",
            site_name=_text(_first(found, f".//*[{_has('link_preview_site_name')}]")),
            title=_text(_first(found, f".//*[{_has('link_preview_title')}]")),
            description=_text(_first(found, f".//*[{_has('link_preview_description')}]")),
        )
        for found in element.xpath(f".//a[{_has('tgme_widget_message_link_preview')}]")
    )


def _media(element: etree._Element) -> tuple[str, ...]:
    kinds: dict[str, None] = {}
    outside_album = f"not(ancestor::*[{_has('tgme_widget_message_grouped_wrap')}])"  # an album's parts are the album
    for class_name, kind in _MEDIA:
        if element.xpath(f".//*[{_has(class_name)} and {outside_album}]"):
            kinds.setdefault(kind, None)
    return tuple(kinds)


def _cursors(tree: etree._Element) -> tuple[int | None, int | None]:
    """?before= / ?after= from the <head> links, else from the 'load more' links in the history."""
    before = _cursor(tree.xpath("//link[@rel='prev']/@href"), "before")
    after = _cursor(tree.xpath("//link[@rel='next']/@href"), "after")
    if before is None:
        before = _int(tree.xpath(f"//a[{_has('tme_messages_more')}]/@data-before"))
    if after is None:
        after = _int(tree.xpath(f"//a[{_has('tme_messages_more')}]/@data-after"))
    return before, after


def _cursor(hrefs: list[str], name: str) -> int | None:
    for href in hrefs:
        value = parse_qs(urlsplit(href).query).get(name, [""])[0]
        if value.isdigit():
            return int(value)
    return None


def _int(values: list[str]) -> int | None:
    return next((int(v) for v in values if v.isdigit()), None)


def is_preview_redirect(url: str) -> bool:
    """Telegram sends a channel without a preview from t.me/s/CH to t.me/CH: is `url` such a landing?"""
    parts = urlsplit(url)
    return is_telegram_host(parts.hostname or "") and not parts.path.startswith("/s/")
