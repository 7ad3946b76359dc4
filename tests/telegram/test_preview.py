from dataclasses import asdict

import pytest

from oniondex.telegram.preview import parse_count, parse_preview
from oniondex.telegram.usernames import UsernameError, username_from_reference
from sample_telegram.markup import contact_page, preview_page
from sample_telegram.model import post_truth
from sample_telegram.world import build_world

FIELDS = (
    "channel", "id", "url", "time", "views", "views_text", "text", "author", "forwarded_from", "reply_to",
    "hashtags", "links", "link_previews", "media", "edited",
)  # fmt: skip


@pytest.fixture(scope="module")
def world():
    return build_world()


def parsed_fields(post):
    found = asdict(post)
    return {k: sorted(v) if k == "media" else list(v) if isinstance(v, tuple) else v for k, v in found.items()}


def test_every_post_of_every_sample_page_parses_to_its_truth(world):
    checked = 0
    for channel in world.channels.values():
        if not channel.has_preview:
            continue
        got, before = {}, None
        while True:
            page = parse_preview(preview_page(channel, before), channel.username)
            assert page.warnings == ()
            got.update({post.id: post for post in page.posts})
            if page.before is None:
                break
            before = page.before
        assert (page.channel.title, page.channel.description) == (channel.title, channel.description)
        assert page.channel.subscribers_text == channel.truth()["subscribers_text"]
        for sample in channel.posts:
            truth = post_truth(channel.username, sample)
            fields = parsed_fields(got[sample.id])
            assert {k: fields[k] for k in FIELDS} == {k: sorted(truth[k]) if k == "media" else truth[k] for k in FIELDS}
            checked += 1
    assert checked == sum(len(c.posts) for c in world.channels.values())


def test_cursors_point_at_the_neighbouring_pages(world):
    channel = world.channels["ice_gangnam24"]
    ids = [p.id for p in channel.posts]
    newest = parse_preview(preview_page(channel), channel.username)
    assert [p.id for p in newest.posts] == ids[-20:]
    assert (newest.before, newest.after) == (ids[-20], None)
    middle = parse_preview(preview_page(channel, after=ids[100]), channel.username)
    assert [p.id for p in middle.posts] == ids[101:121]
    assert (middle.before, middle.after) == (ids[101], ids[120])


def test_a_channel_without_preview_is_reported_not_an_error(world):
    channel = world.channels["closed_group_kr"]
    page = parse_preview(contact_page(channel), channel.username)
    assert page.posts == ()
    info = page.channel
    assert (info.has_preview, info.title, info.subscribers) == (False, "비공개 그룹", 1540)


def test_missing_parts_degrade_with_warnings():
    html = """<html><body><main class="tgme_main"><section class="tgme_channel_history js-message_history">
    <div class="tgme_widget_message js-widget_message" data-post="some_channel/12">
      <div class="tgme_widget_message_text js-message_text">hello<br>world <i class="emoji"><b>🔥</b></i></div>
    </div>
    <div class="tgme_widget_message js-widget_message" data-post="some_channel/x"></div>
    </section></main></body></html>"""
    page = parse_preview(html, "some_channel")
    (post,) = page.posts
    assert (post.id, post.text, post.time, post.views) == (12, "hello\nworld 🔥", "", None)
    assert "channel title missing" in page.warnings
    assert any("without a time" in w for w in page.warnings)
    assert any("readable id" in w for w in page.warnings)
    assert parse_preview(b"", "some_channel").channel.has_preview is False


@pytest.mark.parametrize(
    ("text", "value"), [("44", 44), ("4.2K", 4200), ("1.1M", 1_100_000), ("12 345", 12345), ("", None)]
)
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(
    "ref", ["@Some_Channel", "t.me/some_channel", "https://t.me/s/some_channel", "t.me/some_channel/123",
            "telegram.me/some_channel", "tg://resolve?domain=some_channel"]
)  # fmt: skip
def test_every_form_names_the_channel(ref):
    assert username_from_reference(ref) == "some_channel"


@pytest.mark.parametrize("ref", ["https://example.com/some_channel", "t.me/+abcdefgh", "t.me/c/12345/6", "@ab"])
def test_non_channels_are_refused(ref):
    with pytest.raises(UsernameError):
        username_from_reference(ref)
