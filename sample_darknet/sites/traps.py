"""Crawler traps: pages made up on the fly without end. The truth lists only the finite part;
everything under the trap patterns is infinite.
"""

from __future__ import annotations

import hashlib
import re

from sample_darknet.doc import Doc
from sample_darknet.model import PageSpec, Site
from sample_darknet.sites.context import BuildContext

_MONTH = re.compile(r"^/calendar/(\d{1,6})/(\d{1,2})(?:/(\d{1,2}))?$")
_DEEP = re.compile(r"^/deep(/[a-z])+$")
_SESSION = re.compile(r"^/s/([0-9a-f]{8})$")


def build_calendar(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    site.add(
        doc.finish(
            "Events",
            f"<p>{doc.term('Event calendar')} {doc.a('/calendar/2026/11', 'November')} {doc.a('/about', 'about')}</p>",
        )
    )
    doc = Doc(site.base, "/about")
    site.add(doc.finish("About", f"<p>{doc.term('We list events')} {doc.a('/', 'home')}</p>"))
    site.resolver = lambda path: _calendar(site, path)
    site.trap = {
        "infinite": True,
        "entry": site.base + "/calendar/2026/11",
        "patterns": ["/calendar/{year}/{month}", "/calendar/{year}/{month}/{day}"],
        "finite_pages": ["/", "/about"],
    }


def _calendar(site: Site, path: str) -> PageSpec | None:
    match = _MONTH.match(path)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None
    prev = (year, month - 1) if month > 1 else (year - 1, 12)
    nxt = (year, month + 1) if month < 12 else (year + 1, 1)
    doc = Doc(site.base, path)
    days = " ".join(doc.a(f"/calendar/{year}/{month}/{d}", str(d)) for d in range(1, 29))
    nav = doc.a(f"/calendar/{prev[0]}/{prev[1]}", "« previous") + " " + doc.a(f"/calendar/{nxt[0]}/{nxt[1]}", "next")
    return doc.finish(f"{year}-{month:02d}", f"<p>{nav}</p><p>{days}</p>")


def build_deep(ctx: BuildContext, site: Site) -> None:
    doc = Doc(site.base, "/")
    site.add(
        doc.finish(
            "Docs",
            f"<p>{doc.term('Documentation tree')} {doc.a('/deep/a', 'start')} {doc.a('/s/00000000', 'session')}</p>",
        )
    )
    site.resolver = lambda path: _deep(site, path)
    site.trap = {
        "infinite": True,
        "entry": site.base + "/deep/a",
        "patterns": ["/deep/{a-z}/…", "/s/{token}"],
        "finite_pages": ["/"],
    }


def _deep(site: Site, path: str) -> PageSpec | None:
    doc = Doc(site.base, path)
    if _DEEP.match(path) and path.count("/") <= 2000:
        links = " ".join(doc.a(f"{path}/{c}", c) for c in "ab")
        return doc.finish(f"Level {path.count('/') - 1}", f"<p>{links} {doc.a('/', 'top')}</p>")
    session = _SESSION.match(path)
    if session:
        # Every visit hands out a "new session id": each URL is new, the content never changes.
        token = hashlib.sha256(session[1].encode()).hexdigest()[:8]
        return doc.finish("Session", f"<p>{doc.a(f'/s/{token}', 'continue')}</p>")
    return None
