"""Paste sites: wallet dumps (every address kind), key dumps and onion lists, as HTML and as raw text."""

from __future__ import annotations

import html

from sample_darknet import entities as ent
from sample_darknet.addresses import KINDS
from sample_darknet.doc import Doc, esc
from sample_darknet.model import Entity, PageSpec, Site
from sample_darknet.sites.context import BuildContext


def build_paste(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/", site.language)
    rows = [f"<li>{doc.a(f'/paste/{name}', name)} ({doc.a(f'/raw/{name}', 'raw')})</li>" for name in _PASTES]
    site.add(doc.finish(site.note, f"<h1>{doc.term(site.note)}</h1><ul>{''.join(rows)}</ul>"))
    for name, make in _PASTES.items():
        doc = Doc(site.base, f"/paste/{name}", site.language)
        lines = make(ctx, site, doc)
        body = f"<h1>{esc(name)}</h1><pre>{chr(10).join(lines)}</pre><p>{doc.a('/', 'All pastes')}</p>"
        page = doc.finish(name, body)
        site.add(page)
        site.add(_raw(site, name, page))


def _raw(site: Site, name: str, page: PageSpec) -> PageSpec:
    # The same paste as text/plain: no markup, so every entity in it is plain text.
    text = html.unescape(page.body.decode().split("<pre>", 1)[1].split("</pre>", 1)[0])
    for marker in ("<code>", "</code>", '<pre class="pgp">'):
        text = text.replace(marker, "")
    return PageSpec(
        path=f"/raw/{name}",
        title="",
        body=text.encode(),
        content_type="text/plain; charset=utf-8",
        entities=[Entity(e.type, e.value, "text") for e in page.entities],
        terms=list(page.terms),
        onion_links=[],
        drug_tags=list(page.drug_tags),
    )


def _wallets(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    doc.term("wallet backup")
    return ["# wallet backup — do not share"] + [
        f"{kind:16} {ent.address(doc, ctx.address(site, kind, 'dump'), 'text')}" for kind in KINDS
    ]


def _keys(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    out = []
    for person in (ctx.people["snowwhite"], ctx.people["ketaqueen"]):
        key = person.pgp(site.site_id)
        out.append(f"{esc(person.spec.names[0])}:\n" + doc.entity("pgp", key.fingerprint, key.armored, "pgp_block"))
    return out


def _onions(ctx: BuildContext, site: Site, doc: Doc) -> list[str]:
    up = [s for s in ctx.sites.values() if s.kind in ("forum", "shop")][:4]
    lines = [f"{esc(s.note)}: {ent.onion_text(doc, s.onion)}" for s in up]
    return [
        *lines,
        f"unknown: {ent.onion_text(doc, ctx.stray(site.site_id + ':paste'))}",
        f"contact admin: {ent.email(doc, f'admin.{site.site_id.split(chr(45))[-1]}@dnmx.org')}",
    ]


_PASTES = {"wallet-dump": _wallets, "keys": _keys, "onion-list": _onions}
