"""Forums: thread lists and threads where people swap mirrors, reviews, contacts and addresses."""

from __future__ import annotations

from sample_darknet import entities as ent
from sample_darknet.addresses import broken_checksum
from sample_darknet.doc import Doc, esc
from sample_darknet.model import Site
from sample_darknet.sites.context import BuildContext

_THREADS = (
    ("Market mirrors — updated list", "mirrors"),
    ("Review: IceKing crystal, stealth 10/10", "review"),
    ("Scam alert: fake GreenDragon shop", "scam"),
    ("Donations and escrow wallets", "wallets"),
)


def build_forum(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/", site.language)
    rows = [f"<li>{doc.a(f'/thread/{n}', title)}</li>" for n, (title, _) in enumerate(_THREADS, 1)]
    body = f"<h1>{doc.term(site.note)}</h1><p>{doc.a('/rules', 'Forum rules')}</p><ol>{''.join(rows)}</ol>"
    site.add(doc.finish(site.note, body))
    doc = Doc(site.base, "/rules", site.language)
    body = f"<h1>Rules</h1><p>{doc.term('No doxxing')}. Use PGP. {doc.a('/', 'Back')}</p>"
    site.add(doc.finish("Rules", body))
    for n, (title, kind) in enumerate(_THREADS, 1):
        doc = Doc(site.base, f"/thread/{n}", site.language)
        posts = _POSTS[kind](ctx, site, doc)
        html = "".join(
            f'<div class="post"><p class="author">anon{i}</p><div>{p}</div></div>' for i, p in enumerate(posts)
        )
        site.add(doc.finish(title, f"<h1>{doc.term(title)}</h1>{html}<p>{doc.a('/', 'Back to index')}</p>"))


def _mirrors(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    markets = ctx.of_kind("market")
    posts = [f"{esc(m.note)} mirror: {ent.onion_text(doc, m.onion)}" for m in markets[:3]]
    gone = ctx.stray(f"{site.site_id}:gone")
    posts.append(f"Old mirror, probably seized: {ent.onion_text(doc, gone)}")
    posts.append(f"Link: {doc.a(f'http://{markets[3].onion}/', markets[3].note)}")
    return posts


def _review(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    doc.tag("methamphetamine")
    iceking = ctx.people["iceking"].spec
    return [
        f"{doc.term('Bought 5g from IceKing')}, {doc.term('stealth')} was perfect. "
        f"Contact: {ent.telegram(doc, iceking.telegram)}",
        f"Same guy as on the Korean market, same PGP. Email {ent.email(doc, iceking.email, obfuscate=True)}",
    ]


def _scam(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    doc.tag("cannabis")
    fake = ctx.address(site, "btc_p2pkh", "scam")
    return [
        f"{doc.term('GreenDrag0n is NOT GreenDragon')}. Different key, different wallet.",
        "The scammer posted this wallet but it does not even validate: "
        + doc.decoy("base58_bad_checksum", broken_checksum(fake), f"<code>{broken_checksum(fake)}</code>"),
        f"Real GreenDragon takes monero only: {ent.address(doc, ctx.people['greendragon'].payout, 'text')}",
    ]


def _wallets(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    kinds = ("eth_lower", "ltc_bech32", "dash", "trx")
    posts = [
        f"Escrow {k.split('_')[0].upper()}: {ent.address(doc, ctx.address(site, k, 'escrow'), 'text')}" for k in kinds
    ]
    tx = ctx.rng(site, "tx").randbytes(32).hex()
    posts.append("Proof of payout, tx " + doc.decoy("tx_hash", tx, f"<code>{tx}</code>"))
    return posts


_POSTS = {"mirrors": _mirrors, "review": _review, "scam": _scam, "wallets": _wallets}
