"""The t.me/s markup, written from the structure notes (class names are Telegram's own): the channel
preview with its posts and paging links, and the plain contact page of a channel without a preview."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from sample_telegram.model import SampleChannel, SamplePost, Segment, count_text, subscribers_text

PAGE_SIZE = 20


def esc(text: str) -> str:
    return escape(text, quote=True)


def page_posts(channel: SampleChannel, before: int | None, after: int | None) -> list[SamplePost]:
    """The posts one preview page shows: 20, oldest first (the newest, or those around a cursor)."""
    posts = channel.posts
    if after is not None:
        return [p for p in posts if p.id > after][:PAGE_SIZE]
    if before is not None:
        posts = [p for p in posts if p.id < before]
    return posts[-PAGE_SIZE:]


def preview_page(channel: SampleChannel, before: int | None = None, after: int | None = None) -> str:
    posts = page_posts(channel, before, after)
    name = channel.username
    older = bool(posts) and posts[0].id > channel.posts[0].id
    newer = bool(posts) and posts[-1].id < channel.posts[-1].id
    head = [f'<link rel="canonical" href="https://t.me/s/{name}">']
    if older:
        head.append(f'<link rel="prev" href="/s/{name}?before={posts[0].id}">')
    if newer:
        head.append(f'<link rel="next" href="/s/{name}?after={posts[-1].id}">')
    history = []
    if older:
        history.append(
            '<div class="tgme_widget_message_centered js-messages_more_wrap">'
            f'<a href="/s/{name}?before={posts[0].id}" class="tme_messages_more js-messages_more" '
            f'data-before="{posts[0].id}"></a></div>'
        )
    by_id = {p.id: p for p in channel.posts}
    history += [_post(channel, post, by_id.get(post.reply_to or -1)) for post in posts]
    if not posts:
        history.append('<div class="tme_no_messages_found">No posts found</div>')
    if newer:
        history.append(
            '<div class="tgme_widget_message_centered js-messages_more_wrap">'
            f'<a href="/s/{name}?after={posts[-1].id}" class="tme_messages_more js-messages_more" '
            f'data-after="{posts[-1].id}"></a></div>'
        )
    counter = count_text(channel.subscribers)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(channel.title)} – Telegram</title>
<meta property="og:title" content="{esc(channel.title)}">
<meta property="og:description" content="{esc(channel.description)}">
{"".join(head)}
</head><body class="widget_frame_base tgme_webpreview">
<header class="tgme_header"><div class="tgme_header_info"><div class="tgme_header_title">{esc(channel.title)}</div>
<div class="tgme_header_counter">{counter} subscribers</div></div></header>
<main class="tgme_main" data-url="/{name}"><div class="tgme_container">
<section class="tgme_right_column"><div class="tgme_channel_info">
<div class="tgme_channel_info_header"><i class="tgme_page_photo_image bgcolor2"></i>
<div class="tgme_channel_info_header_title"><span dir="auto">{esc(channel.title)}</span></div>
<div class="tgme_channel_info_header_username"><a href="https://t.me/{name}">@{name}</a></div></div>
<div class="tgme_channel_info_description">{"<br/>".join(esc(x) for x in channel.description.split(chr(10)))}</div>
<div class="tgme_channel_info_counters">
{_counter(counter, "subscribers")}
{_counter(str(len(channel.posts) // 3), "photos")}
</div></div></section>
<section class="tgme_channel_history js-message_history">
{chr(10).join(history)}
</section></div></main></body></html>
"""


def _counter(value: str, kind: str) -> str:
    return (
        f'<div class="tgme_channel_info_counter"><span class="counter_value">{value}</span> '
        f'<span class="counter_type">{kind}</span></div>'
    )


def contact_page(channel: SampleChannel) -> str:
    """t.me/CH for a channel with no public preview: title, count and description, no posts."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Telegram: Contact @{channel.username}</title>
<meta property="og:title" content="{esc(channel.title)}"></head>
<body><div class="tgme_page_wrap"><div class="tgme_page">
<div class="tgme_page_photo"><i class="tgme_page_photo_image"></i></div>
<div class="tgme_page_title"><span dir="auto">{esc(channel.title)}</span></div>
<div class="tgme_page_extra">{subscribers_text(channel.subscribers, False)}</div>
<div class="tgme_page_description">{esc(channel.description)}</div>
<div class="tgme_page_action"><a class="tgme_action_button_new"
 href="tg://resolve?domain={channel.username}">View in Telegram</a></div>
</div></div></body></html>
"""


def _segment(segment: Segment) -> str:
    if segment.kind == "bold":
        return f"<b>{esc(segment.text)}</b>"
    if segment.kind == "emoji":
        code = "".join(f"{b:02X}" for b in segment.text.encode("utf-8"))
        return (
            f'<i class="emoji" style="background-image:url(\'//telegram.org/img/emoji/40/{code}.png\')">'
            f"<b>{esc(segment.text)}</b></i>"
        )
    if segment.kind == "hashtag":
        return f'<a href="?q={quote(segment.text)}">{esc(segment.text)}</a>'
    if segment.kind == "link":
        return f'<a href="{esc(segment.href)}" target="_blank" rel="noopener">{esc(segment.text)}</a>'
    return esc(segment.text)


def _text(post: SamplePost) -> str:
    return "<br/>".join("".join(_segment(s) for s in line) for line in post.lines)


_MEDIA_MARKUP = {
    "photo": '<a class="tgme_widget_message_photo_wrap" href="{url}?single" '
    "style=\"width:640px;background-image:url('https://cdn4.telesco.pe/file/x.jpg')\"></a>",
    "video": '<a class="tgme_widget_message_video_player" href="{url}">'
    '<i class="tgme_widget_message_video_thumb"></i></a>',
    "album": '<div class="tgme_widget_message_grouped_wrap"><div class="tgme_widget_message_grouped">'
    '<a class="tgme_widget_message_photo_wrap grouped_media_wrap" href="{url}?single"></a></div></div>',
    "document": '<div class="tgme_widget_message_document_wrap"><div class="tgme_widget_message_document">'
    '<div class="tgme_widget_message_document_title">price_list.pdf</div></div></div>',
    "poll": '<div class="tgme_widget_message_poll"><div class="tgme_widget_message_poll_question">?</div></div>',
    "voice": '<a class="tgme_widget_message_voice_player" href="{url}">'
    '<audio class="tgme_widget_message_voice"></audio></a>',
    "sticker": '<div class="tgme_widget_message_sticker_wrap"><i class="tgme_widget_message_sticker"></i></div>',
    "location": '<a class="tgme_widget_message_location_wrap" href="https://maps.example/"></a>',
}


def _post(channel: SampleChannel, post: SamplePost, replied: SamplePost | None) -> str:
    url = f"https://t.me/{channel.username}/{post.id}"
    parts = [
        '<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
        f'href="https://t.me/{channel.username}"><span dir="auto">{esc(channel.title)}</span></a></div>'
    ]
    if post.forwarded_from:
        name = f'<span dir="auto">{esc(post.forwarded_from_title)}</span>'
        link = (
            f'<a class="tgme_widget_message_forwarded_from_name" href="{post.forwarded_from_url}">{name}</a>'
            if post.forwarded_from_url
            else f'<span class="tgme_widget_message_forwarded_from_name">{name}</span>'
        )
        parts.append(f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from {link}</div>')
    if post.reply_to is not None:
        quoted = esc(replied.text[:60]) if replied else "Deleted message"
        parts.append(
            f'<a class="tgme_widget_message_reply" href="https://t.me/{channel.username}/{post.reply_to}">'
            f'<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name">'
            f'{esc(channel.title)}</span></div><div class="tgme_widget_message_text js-message_reply_text">'
            f"{quoted}</div></a>"
        )
    parts += [_MEDIA_MARKUP[kind].format(url=url) for kind in post.media]
    parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{_text(post)}</div>')
    if post.preview:
        p = post.preview
        parts.append(
            f'<a class="tgme_widget_message_link_preview" href="{esc(p.url)}">'
            f'<div class="link_preview_site_name accent_color">{esc(p.site_name)}</div>'
            f'<div class="link_preview_title">{esc(p.title)}</div>'
            f'<div class="link_preview_description">{esc(p.description)}</div></a>'
        )
    author = (
        f'<span class="tgme_widget_message_from_author" dir="auto">{esc(post.author)}</span>,&nbsp;'
        if post.author
        else ""
    )
    edited = "edited " if post.edited else ""
    parts.append(
        '<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short '
        f'js-message_info"><span class="tgme_widget_message_views">{count_text(post.views)}</span>'
        f'<span class="copyonly"> views</span><span class="tgme_widget_message_meta">{author}{edited}'
        f'<a class="tgme_widget_message_date" href="{url}"><time datetime="{post.time}" class="time">'
        f"{post.time[11:16]}</time></a></span></div></div>"
    )
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message '
        f'text_not_supported_wrap js-widget_message" data-post="{channel.username}/{post.id}" '
        f'data-view="v{post.id}"><div class="tgme_widget_message_user"><a href="https://t.me/{channel.username}">'
        '<i class="tgme_widget_message_user_photo bgcolor2"></i></a></div>'
        f'<div class="tgme_widget_message_bubble">{"".join(parts)}</div></div></div>'
    )


def flood_notice(wait: int) -> str:
    """The bare page t.me shows a client that sent too many requests (no preview markup at all)."""
    line = f"Too Many Requests: retry after {wait}" if wait else "Too many requests. Please try again later."
    return f"<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body><p>{line}</p></body></html>"
