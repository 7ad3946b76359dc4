"""Link directories: the hubs a crawl starts from. They link to the world's sites (dead ones too), to
valid onions outside the world, to malformed onions, and to the clearnet, which a crawler must never fetch.
"""

from __future__ import annotations

from sample_darknet import entities as ent
from sample_darknet.doc import Doc, esc
from sample_darknet.keys import broken_onion
from sample_darknet.model import Site
from sample_darknet.sites.context import BuildContext

CLEARNET = ("http://example.com/", "https://example.org/onion-list", "http://www.torproject.org/download/")
_SECTIONS = {
    "markets": ("market",),
    "shops": ("shop",),
    "forums": ("forum", "paste"),
    "other": ("korean_ads", "ordinary", "encoding", "hostile", "trap"),
}


def build_directory(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/", site.language)
    nav = " · ".join(doc.a(f"/{name}", name.title()) for name in _SECTIONS)
    news = " ".join(doc.a(url, "news") for url in CLEARNET)
    body = f"<h1>{doc.term(site.note)}</h1><nav>{nav}</nav><p>{doc.term('Verified links')}</p><p>Clearnet: {news}</p>"
    site.add(doc.finish(site.note, body))
    for name, kinds in _SECTIONS.items():
        doc = Doc(site.base, f"/{name}", site.language)
        targets = [s for s in ctx.sites.values() if s.kind in kinds and s is not site]
        rows = [_row(doc, target, shows_onion=i % 2 == 0) for i, target in enumerate(targets)]
        if name == "other":
            rows += _outside(ctx, site, doc)
        body = f"<h1>{esc(name.title())}</h1><ul>{''.join(rows)}</ul><p>{doc.a('/', 'Back')}</p>"
        site.add(doc.finish(f"{name.title()} — {site.note}", body))


def _row(doc: Doc, target: Site, shows_onion: bool) -> str:
    link = doc.a(f"http://{target.onion}/", target.note or target.site_id)
    shown = f" — {ent.onion_text(doc, target.onion)}" if shows_onion else ""
    return f"<li>{link}{shown}</li>"


def _outside(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    rows = []
    for n in range(3):
        stray = ctx.stray(f"{site.site_id}:outside:{n}")
        rows.append(f"<li>{doc.a(f'http://{stray}/', f'Unlisted site {n}')}</li>")
    # A name with a broken checksum: a link the crawler must refuse (and no onion entity).
    bad = broken_onion(ctx.seed, site.site_id)
    rows.append(f'<li><a href="http://{bad}/">Typo mirror</a></li>')
    doc.page.onion_links.append(f"http://{bad}/")
    doc.page.decoys.append({"kind": "onion_bad_checksum", "value": bad})
    return rows
