"""Hostile sites, named after their behaviour: a link flood, a huge page, redirect loops, slow pages,
media and binaries, a gzip bomb, and hostile markup for the UI safety test.
"""

from __future__ import annotations

from sample_darknet.doc import Doc
from sample_darknet.model import PageSpec, Site
from sample_darknet.sites import payloads
from sample_darknet.sites.context import BuildContext

FLOOD_LOCAL, FLOOD_REMOTE = 2000, 1000
SLOW_DELAYS = {"/slow/1": 5.0, "/slow/2": 6.5, "/slow/3": 8.0}


def build_flood(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    local = [doc.a(f"/f/{n}", f"item {n}") for n in range(FLOOD_LOCAL)]
    remote = [doc.a(f"http://{ctx.stray(f'flood:{n}')}/", f"mirror {n}") for n in range(FLOOD_REMOTE)]
    site.add(doc.finish("Link flood", f"<h1>{doc.term('All links')}</h1><p>{' '.join(local + remote)}</p>"))
    for n in range(FLOOD_LOCAL):
        doc = Doc(site.base, f"/f/{n}")
        site.add(doc.finish(f"Item {n}", f"<p>item {n}</p>"))


def build_huge(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    site.add(doc.finish("Archive", f"<p>{doc.a('/huge.html', 'The full archive (30 MB)')}</p>"))
    site.add(
        PageSpec(
            path="/huge.html",
            title="Huge page",
            stream=payloads.huge_chunks,
            stream_length=payloads.HUGE_SIZE,
            terms=["HUGE-PAGE-START", "HUGE-PAGE-END"],
        )
    )


def build_redirects(ctx: BuildContext, site: Site) -> None:
    hops = {
        "/loop/a": "/loop/b",
        "/loop/b": "/loop/a",
        "/self": "/self",
        "/to-clearnet": "http://example.com/",
        "/to-market": f"http://{ctx.of_kind('market')[0].onion}/",
        "/chain/1": "/chain/2",
        "/chain/2": "/chain/3",
        "/chain/3": "/final",
    }
    doc = Doc(site.base, "/")
    links = " ".join(doc.a(path, path) for path in [*hops, "/final"] if path not in ("/loop/b", "/chain/2", "/chain/3"))
    site.add(doc.finish("Redirects", f"<p>{links}</p>"))
    for path, target in hops.items():
        absolute = target if target.startswith("http") else site.base + target
        site.add(
            PageSpec(
                path=path,
                status=302,
                redirect_to=absolute,
                headers=(("Location", target),),
                content_type="text/html; charset=utf-8",
                body=b"<p>moved</p>",
            )
        )
    doc = Doc(site.base, "/final")
    site.add(doc.finish("Final", f"<p>{doc.term('End of the redirect chain')}</p>"))


def build_slow(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    links = " ".join(doc.a(path, path) for path in [*SLOW_DELAYS, "/fast"])
    site.add(doc.finish("Slow site", f"<p>{doc.term('Slow onion')}</p><p>{links}</p>"))
    for path, delay in SLOW_DELAYS.items():
        doc = Doc(site.base, path)
        page = site.add(doc.finish(f"Slow {path}", f"<p>{doc.term('Worth the wait')} {doc.a('/', 'home')}</p>"))
        page.delay = delay
    doc = Doc(site.base, "/fast")
    site.add(doc.finish("Fast", f"<p>{doc.term('Fast page')} {doc.a('/', 'home')}</p>"))


def build_media(ctx: BuildContext, site: Site) -> None:
    files = {
        "/img/photo.jpg": ("image/jpeg", payloads.jpeg(site.site_id)),
        "/img/logo.png": ("image/png", payloads.png(site.site_id + "logo")),
        "/files/archive.zip": ("application/zip", payloads.zip_file(site.site_id)),
        "/files/setup.exe": ("application/x-msdownload", payloads.exe(site.site_id)),
        # No telling extension: only the Content-Type says this is an image.
        "/view?id=7": ("image/png", payloads.png(site.site_id + "view")),
    }
    doc = Doc(site.base, "/")
    links = " ".join(doc.a(path, path.rsplit("/", 1)[-1]) for path in files)
    site.add(doc.finish("Gallery", f"<h1>{doc.term('Product photos')}</h1><p>{links}</p>"))
    for path, (ctype, body) in files.items():
        site.add(PageSpec(path=path, body=body, content_type=ctype, encoding="", media=True))


def build_bomb(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    site.add(doc.finish("Leaks", f"<p>{doc.a('/bomb.html', 'Full database dump')}</p>"))
    site.add(
        PageSpec(
            path="/bomb.html",
            title="",
            body=b"",
            stream=lambda: iter([payloads.gzip_bomb()]),
            stream_length=payloads.BOMB_WIRE_SIZE,
            headers=(("Content-Encoding", "gzip"),),
            hostile=True,
            extra={"decoded_length": payloads.BOMB_SIZE, "content_encoding": "gzip"},
        )
    )


def build_markup(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    head = (
        '<meta http-equiv="refresh" content="30; url=http://example.com/refresh">'
        "<style>body{background:url(http://example.com/track.png)} @import url(http://example.com/x.css);</style>"
        "<script>document.cookie='x=1';fetch('http://example.com/beacon')</script>"
    )
    body = (
        f"<h1 onclick=\"alert('xss')\">{doc.term('Totally safe page')}</h1>"
        '<img src="http://example.com/pixel.gif" onerror="alert(1)">'
        '<a href="javascript:alert(document.domain)">click me</a> '
        '<a href="JaVaScRiPt:void(0)" onmouseover="steal()">hover</a>'
        "<div style=\"background-image:url('http://example.com/bg.png')\">styled</div>"
        '<iframe src="http://example.com/frame"></iframe><svg onload="alert(2)"></svg>'
        '<form action="http://example.com/collect"><input name="q"></form>'
        f"<p>{doc.a('/ok', 'A normal page')} {doc.a('http://example.com/', 'clearnet link')}</p>"
    )
    page = doc.finish("Hostile markup", body, head=head)
    page.hostile = True
    page.extra = {
        "external_resources": [
            "http://example.com/refresh",
            "http://example.com/track.png",
            "http://example.com/x.css",
            "http://example.com/beacon",
            "http://example.com/pixel.gif",
            "http://example.com/bg.png",
            "http://example.com/frame",
            "http://example.com/collect",
        ]
    }
    site.add(page)
    doc = Doc(site.base, "/ok")
    site.add(doc.finish("Normal", f"<p>{doc.term('Nothing hostile here')} {doc.a('/', 'back')}</p>"))
