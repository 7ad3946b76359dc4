"""The sample Telegram world: 24 channels, deterministic from a seed, in two epochs.

Epoch 1 is what a first crawl sees. Epoch 2 is the same world later: some channels have new posts,
some recent posts were edited, some deleted. `changes(seed)` is the truth of what changed.
Three Korean channels and one English one sell under the handles and payout addresses of sample
darknet vendors (sample_darknet/identities.py), so a crawl can link a channel to an onion vendor.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from oniondex.onion import onion_from_pubkey
from sample_darknet.addresses import make_address
from sample_darknet.identities import phone_e164, vendors
from sample_telegram.content import EN_COUNTRIES, GENRES, HEADLINES, KO_CITIES, segments
from sample_telegram.model import SampleChannel, SamplePost, SamplePreview, Segment

DEFAULT_SEED = 20261201
END = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the newest epoch-1 post is at most this recent
MEDIA = ("photo", "video", "album", "document", "poll", "voice", "sticker", "location")
RECENT = 30  # edits and deletions of epoch 2 fall among each channel's last RECENT posts of epoch 1


@dataclass(frozen=True)
class ChannelEntry:
    username: str
    title: str
    description: str
    genre: str
    posts: int
    subscribers: int
    vendor: str = ""  # a sample darknet vendor whose handle and payout this channel uses
    signer: str = ""  # every post signed by this author
    has_preview: bool = True
    redirects: bool = False
    rate_limited: tuple[int, ...] = ()
    retry_after: str = "1"
    changes: bool = True  # epoch 2 brings new posts, edits and deletions


CHANNELS: tuple[ChannelEntry, ...] = (
    ChannelEntry(
        "ice_gangnam24",
        "강남 아이스 24시",
        "당일 던지기 전문\n문의는 텔레그램으로",
        "ko_ice",
        450,
        12400,
        signer="관리자",
        rate_limited=(2, 6),
    ),
    ChannelEntry(
        "cold_drink_kr", "시원한 술 🍶", "시원한 술 판매 채널", "ko_ice", 320, 5300, rate_limited=(3,), retry_after=""
    ),
    ChannelEntry("busan_green_leaf", "부산 떨 직거래", "부산 지역 직거래", "ko_weed", 120, 2100),
    ChannelEntry("candy_party_kr", "캔디 파티", "캔디 대량 할인", "ko_candy", 80, 940),
    ChannelEntry("jeju_emperor", "엠페러 제주", "제주 전 지역", "ko_emperor", 50, 610),
    ChannelEntry("daegu_drop_job", "고액알바 구인", "당일 지급 알바", "ko_job", 60, 3300),
    ChannelEntry("drop_city_map", "좌표 공유방", "좌표 공지 채널", "ko_coords", 40, 720, changes=False),
    ChannelEntry(
        "seoul_supply_ch",
        "서울공급 공식채널",
        "서울공급 공식 텔레그램 채널",
        "ko_vendor",
        200,
        8800,
        vendor="seoulsupply",
    ),
    ChannelEntry(
        "iceking_kr_official", "IceKing 공식", "IceKing 공식 채널, 사칭 주의", "ko_vendor", 90, 4100, vendor="iceking"
    ),
    ChannelEntry("crystal_clear_usa", "Crystal Clear", "Quality since 2024", "en_meth", 150, 2600),
    ChannelEntry(
        "greendragon_nl_shop",
        "GreenDragon NL",
        "Official GreenDragon channel",
        "en_weed",
        100,
        5100,
        vendor="greendragon",
    ),
    ChannelEntry("candyman_de_store", "CandyMan DE", "EU shipping only", "en_mdma", 60, 1800, vendor="candyman"),
    ChannelEntry("pharma_bro_rx", "PharmaBro", "Pharma grade", "en_pharma", 40, 990, changes=False),
    ChannelEntry("seoul_cafe_daily", "서울 카페 일상", "서울의 카페 소식", "ko_cafe", 120, 15200),
    ChannelEntry("korea_weather_now", "오늘의 날씨", "전국 날씨 알림", "ko_weather", 200, 48100),
    ChannelEntry("kpop_fan_news", "케이팝 소식", "팬 소식 모음", "ko_kpop", 100, 127000),
    ChannelEntry("ice_hockey_korea", "아이스하키 코리아", "국내 아이스하키 리그 소식", "ko_hockey", 60, 3200),
    ChannelEntry("busan_fishing_club", "부산 낚시 동호회", "조황 정보", "ko_fishing", 70, 860, changes=False),
    ChannelEntry("python_tips_daily", "Python Tips", "One tip a day", "en_python", 150, 22300),
    ChannelEntry(
        "world_news_digest",
        "World News Digest",
        "Headlines, every few hours",
        "en_news",
        400,
        1_240_000,
        signer="Editor",
    ),
    ChannelEntry("crypto_market_watch", "Crypto Market Watch", "Prices and recaps", "en_crypto", 80, 7400),
    ChannelEntry("private_ice_vip", "VIP 아이스", "초대 전용", "ko_ice", 0, 310, has_preview=False, redirects=True),
    ChannelEntry("closed_group_kr", "비공개 그룹", "승인 후 입장", "ko_weed", 0, 1540, has_preview=False),
    ChannelEntry(
        "restricted_news",
        "Restricted News",
        "Saving content is restricted",
        "en_news",
        0,
        9020,
        has_preview=False,
        redirects=True,
    ),
)
# Seller channels whose posts are sometimes forwarded from each other.
_FORWARD_POOL = ("ice_gangnam24", "cold_drink_kr", "busan_green_leaf", "drop_city_map", "seoul_supply_ch")


@dataclass
class TelegramWorld:
    seed: int
    epoch: int
    channels: dict[str, SampleChannel] = field(default_factory=dict)

    def channel(self, username: str) -> SampleChannel | None:
        return self.channels.get(username.lower())

    def truth(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "epoch": self.epoch,
            "channels": [c.truth() for c in self.channels.values()],
            "changes": changes(self.seed) if self.epoch == 2 else {},
        }


def build_world(seed: int = DEFAULT_SEED, epoch: int = 1) -> TelegramWorld:
    world = TelegramWorld(seed, epoch)
    for entry in CHANNELS:
        world.channels[entry.username] = _channel(seed, entry)
    for channel in world.channels.values():
        _add_forwards(seed, channel, world)
    if epoch == 2:
        for entry in CHANNELS:
            if entry.changes and entry.has_preview:
                _second_epoch(seed, entry, world.channels[entry.username])
    return world


def changes(seed: int) -> dict[str, list[list[Any]]]:
    """What epoch 2 changed: [channel, id] pairs of new, edited and deleted posts."""
    first, second = build_world(seed, 1), build_world(seed, 2)
    out: dict[str, list[list[Any]]] = {"new": [], "edited": [], "deleted": []}
    for name, channel in first.channels.items():
        before = {p.id: p for p in channel.posts}
        after = {p.id: p for p in second.channels[name].posts}
        out["new"] += [[name, i] for i in sorted(after.keys() - before.keys())]
        out["deleted"] += [[name, i] for i in sorted(before.keys() - after.keys())]
        out["edited"] += [[name, i] for i in sorted(before.keys() & after.keys()) if before[i].text != after[i].text]
    return out


def _channel(seed: int, entry: ChannelEntry) -> SampleChannel:
    channel = SampleChannel(
        username=entry.username,
        title=entry.title,
        description=entry.description,
        subscribers=entry.subscribers,
        language="en" if entry.genre.startswith("en_") else "ko",
        genre=entry.genre,
        has_preview=entry.has_preview,
        redirects=entry.redirects,
        rate_limited=entry.rate_limited,
        retry_after=entry.retry_after,
    )
    rng = random.Random(f"{seed}:channel:{entry.username}")
    post_id = rng.randint(3, 900)
    moment = END - timedelta(minutes=rng.randint(10, 600))
    times = []
    for _ in range(entry.posts):
        times.append(moment)
        moment -= timedelta(minutes=rng.randint(20, 400))
    for time in reversed(times):
        channel.posts.append(_post(rng, seed, entry, post_id, time, channel.posts))
        post_id += 1 if rng.random() > 0.06 else rng.randint(2, 4)  # gaps: posts deleted long ago
    return channel


def _context(rng: random.Random, seed: int, entry: ChannelEntry) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Placeholder values for one post, and the entity each shows (type, normalised value) by placeholder."""
    handle = f"{entry.username.split('_')[0]}_cs{rng.randint(1, 3)}"
    values = {
        "city": rng.choice(KO_CITIES), "country": rng.choice(EN_COUNTRIES), "headline": rng.choice(HEADLINES),
        "price": str(rng.choice((5, 15, 25, 35, 40, 60, 90))), "usd": str(rng.choice((40, 60, 120, 250, 480))),
        "won": f"{rng.choice((4500, 5000, 5500)):,}", "temp": str(rng.randint(-8, 31)),
        "score_a": str(rng.randint(0, 6)), "score_b": str(rng.randint(0, 6)), "count": str(rng.randint(2, 99)),
        "btc_price": f"{rng.randint(60, 110)},{rng.randint(100, 999)}",
        "eth_price": f"{rng.randint(2, 5)},{rng.randint(100, 999)}",
    }  # fmt: skip
    btc, xmr = make_address(rng, "btc_p2wpkh"), make_address(rng, "xmr_standard")
    onion = onion_from_pubkey(random.Random(f"{seed}:onion:{entry.username}").randbytes(32))
    values.update(handle=handle, btc=btc.shown, xmr=xmr.shown, onion=onion)
    found = {
        "handle": ("telegram", handle),
        "btc": (btc.type, btc.value),
        "xmr": (xmr.type, xmr.value),
        "onion": ("onion", onion),
    }
    if entry.vendor:
        identity = vendors(seed)[entry.vendor]
        values.update(handle=identity.spec.telegram, payout=identity.payout.shown, phone=identity.spec.phone)
        found.update(handle=("telegram", identity.spec.telegram), payout=(identity.payout.type, identity.payout.value))
        if identity.spec.phone:
            found["phone"] = ("phone", phone_e164(identity.spec.phone))
    return values, found


def _post(
    rng: random.Random, seed: int, entry: ChannelEntry, post_id: int, time: datetime, earlier: list[SamplePost]
) -> SamplePost:
    template = rng.choice(GENRES[entry.genre])
    values, found = _context(rng, seed, entry)
    text = template.text.format_map(values)
    post = SamplePost(
        id=post_id,
        time=time.isoformat(timespec="seconds"),
        lines=[segments(line) for line in text.split("\n")],
        views=rng.randint(20, 2000) * (entry.subscribers // 500 + 1),
        author=entry.signer,
        entities=[entity for name, entity in found.items() if "{" + name + "}" in template.text],
        tags=list(template.tags),
    )
    if earlier and rng.random() < 0.08:
        post.reply_to = rng.choice(earlier[-20:]).id
    if rng.random() < 0.3:
        post.media = tuple(sorted(rng.sample(MEDIA, rng.choice((1, 1, 2)))))
    links = post.links
    if links and rng.random() < 0.7 and ".onion" not in links[0]:
        site = links[0].split("/")[2]
        post.preview = SamplePreview(links[0], site, f"{site} - page {post_id}", "A page linked from the post.")
    return post


def _add_forwards(seed: int, channel: SampleChannel, world: TelegramWorld) -> None:
    if channel.username not in _FORWARD_POOL:
        return
    rng = random.Random(f"{seed}:forwards:{channel.username}")
    for post in channel.posts:
        if rng.random() >= 0.07:
            continue
        if rng.random() < 0.2:
            post.forwarded_from, post.forwarded_from_title = "익명의 판매자", "익명의 판매자"  # a hidden sender
            continue
        source = world.channels[rng.choice([c for c in _FORWARD_POOL if c != channel.username])]
        original = rng.choice(source.posts)
        post.forwarded_from = source.username
        post.forwarded_from_url = f"https://t.me/{source.username}/{original.id}"
        post.forwarded_from_title = source.title


def _second_epoch(seed: int, entry: ChannelEntry, channel: SampleChannel) -> None:
    rng = random.Random(f"{seed}:epoch2:{entry.username}")
    recent = channel.posts[-RECENT:-2]
    for post in rng.sample(recent, min(len(recent), rng.randint(1, 2))):
        post.lines = [*post.lines, [Segment("text", "[수정] 가격 변경" if channel.language == "ko" else "(updated)")]]
        post.edited = True
    deleted = {p.id for p in rng.sample(recent, min(len(recent), rng.randint(1, 2))) if not p.edited}
    channel.posts = [p for p in channel.posts if p.id not in deleted]
    last = channel.posts[-1]
    moment = datetime.fromisoformat(last.time)
    post_id = last.id + 1
    for _ in range(rng.randint(1, 8)):
        moment += timedelta(minutes=rng.randint(20, 300))
        channel.posts.append(_post(rng, seed, entry, post_id, moment, channel.posts))
        post_id += 1
