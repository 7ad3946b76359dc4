"""An HTML page builder that records the truth (links, entities, terms) while it writes the markup.

Every fragment that carries a fact goes through a `Doc` method, so the truth is a by-product of
writing the page and cannot list something the page does not show.
"""

from __future__ import annotations

import html
from urllib.parse import urljoin, urlsplit

from oniondex.onion import is_valid_onion, normalise_onion
from sample_darknet.model import Entity, Listing, PageSpec, VendorView

ZWSP = "\u200b"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


class Doc:
    def __init__(self, base: str, path: str, lang: str = "en") -> None:
        self.base, self.path, self.lang = base, path, lang
        self.page = PageSpec(path=path)

    @property
    def url(self) -> str:
        return self.base + self.path

    def a(self, href: str, text: str, attrs: str = "") -> str:
        """A link; its absolute target lands in links, onion_links or clearnet_links."""
        self.record_link(href)
        extra = f" {attrs}" if attrs else ""
        return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'

    def record_link(self, href: str) -> None:
        target = urljoin(self.url, href).split("#", 1)[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https"):
            return
        host = (parts.hostname or "").lower()
        bucket = (
            self.page.links
            if target.startswith(self.base + "/")
            else (self.page.onion_links if host.endswith(".onion") else self.page.clearnet_links)
        )
        if target not in bucket:
            bucket.append(target)
        # A link to another onion names it, as an address in a bitcoin: link names a wallet.
        if bucket is self.page.onion_links and is_valid_onion(host):
            onion = Entity("onion", normalise_onion(host), "href")
            if onion not in self.page.entities:
                self.page.entities.append(onion)

    def entity(self, type_: str, value: str, markup: str, placement: str = "text") -> str:
        self.page.entities.append(Entity(type_, value, placement))
        return markup

    def decoy(self, kind: str, value: str, markup: str) -> str:
        """Something that looks like an entity and must not be extracted as one."""
        self.page.decoys.append({"kind": kind, "value": value})
        return markup

    def term(self, text: str) -> str:
        """Visible text the truth promises a reader (and a search) can find on this page."""
        if text not in self.page.terms:
            self.page.terms.append(text)
        return esc(text)

    def tag(self, *drug_tags: str) -> None:
        for drug in drug_tags:
            if drug and drug not in self.page.drug_tags:
                self.page.drug_tags.append(drug)

    def listing(self, item: Listing) -> None:
        self.page.listings.append(item)
        self.tag(item.drug_tag)

    def vendor(self, view: VendorView) -> None:
        self.page.vendors.append(view)

    def finish(
        self,
        title: str,
        body: str,
        head: str = "",
        charset: str = "utf-8",
        meta_charset: bool = True,
        header_charset: bool = True,
    ) -> PageSpec:
        """The whole document, encoded; the charset goes in the header, the meta tag, or both."""
        meta = f'<meta charset="{charset}">' if meta_charset else ""
        doc = (
            f'<!DOCTYPE html>\n<html lang="{self.lang}"><head>{meta}<title>{esc(title)}</title>{head}'
            f"</head>\n<body>\n{body}\n</body></html>\n"
        )
        page = self.page
        page.title = title
        page.encoding = charset
        page.content_type = f"text/html; charset={charset}" if header_charset else "text/html"
        page.body = doc.encode(charset)
        return page
