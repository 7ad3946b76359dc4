"""One market site from a layout: home, category, search, listing and vendor pages, with their truth."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sample_darknet import entities as ent
from sample_darknet.addresses import make_address
from sample_darknet.catalog import CATEGORIES, PRODUCTS, convert, show_price
from sample_darknet.doc import Doc, esc
from sample_darknet.identities import VendorIdentity
from sample_darknet.markets.layout import Layout
from sample_darknet.model import Listing, Site, VendorView


@dataclass(frozen=True)
class MarketPlan:
    index: int  # picks vendor aliases and how entities are placed
    name: str
    vendors: tuple[str, ...]
    payout_placement: str
    obfuscate_email: bool


class MarketBuilder:
    def __init__(self, site: Site, layout: Layout, plan: MarketPlan, people: dict[str, VendorIdentity]) -> None:
        self.site, self.layout, self.plan = site, layout, plan
        self.people = [people[v] for v in plan.vendors]
        self.rng = random.Random(f"{site.site_id}:market")
        self.listings = self._listings()

    def build(self) -> None:
        self._home()
        for slug in self._categories():
            self._list_page(self.layout.path("category", slug=slug), slug, self._in_category(slug))
        for term in self._search_terms():
            self._list_page(self.layout.path("search", q=term), term, self._matching(term))
        for item, person in self.listings:
            self._listing_page(item, person)
        for person in self.people:
            self._vendor_page(person)

    def _listings(self) -> list[tuple[Listing, VendorIdentity]]:
        out = []
        for person in self.people:
            for drug in person.spec.drugs:
                for product in PRODUCTS[drug]:
                    lid = f"{self.plan.index}{len(out) + 1:03d}"
                    price = convert(product.usd, self.layout.currency)
                    style = self.layout.price_styles[len(out) % len(self.layout.price_styles)]
                    item = Listing(
                        title=self.layout.title_of(product.title, product.title_ko),
                        price=price,
                        currency=self.layout.currency,
                        price_text=show_price(price, self.layout.currency, style),
                        unit=self.layout.unit_of(product.unit, product.unit_ko),
                        vendor=self._name(person),
                        category=product.category,
                        drug_tag=drug,
                        ships_from=self.layout.place(person.spec.ships_from),
                        ships_to=self.layout.place(person.spec.ships_to),
                        url=self.site.base + self.layout.path("listing", id=lid),
                    )
                    out.append((item, person))
        return out

    def _name(self, person: VendorIdentity) -> str:
        return person.name_on(self.plan.index)

    def _categories(self) -> list[str]:
        # Only categories with several listings get a page: a one-item category teaches nothing.
        return [slug for slug in CATEGORIES if len(self._in_category(slug)) >= 2]

    def _in_category(self, slug: str) -> list[tuple[Listing, VendorIdentity]]:
        return [(item, p) for item, p in self.listings if item.category == slug]

    def _matching(self, term: str) -> list[tuple[Listing, VendorIdentity]]:
        return [(i, p) for i, p in self.listings if term.lower() in f"{i.title} {i.unit}".lower()]

    def _search_terms(self) -> list[str]:
        return [t for t in self.layout.search_terms if len(self._matching(t)) >= 2][:2]

    def _links(self, doc: Doc, item: Listing, person: VendorIdentity) -> tuple[str, str]:
        doc.listing(item)
        doc.term(item.title)
        title_link = doc.a(item.url.removeprefix(self.site.base), item.title)
        return title_link, doc.a(self.layout.path("vendor", name=self._name(person)), self._name(person))

    def _nav(self, doc: Doc) -> str:
        links = [doc.a("/", "Home")] + [doc.a(self.layout.path("category", slug=s), s) for s in self._categories()]
        links += [doc.a(self.layout.path("search", q=t), f"🔍 {t}") for t in self._search_terms()]
        return " | ".join(links)

    def _emit(self, doc: Doc, title: str, content: str) -> None:
        self.site.add(doc.finish(title, self.layout.frame(self.plan.name, self._nav(doc), content)))

    def _home(self) -> None:
        doc = Doc(self.site.base, "/", self.layout.lang)
        doc.term(self.plan.name)
        blocks = [self.layout.summary(doc, item, *self._links(doc, item, p)) for item, p in self.listings[:4]]
        # A donation address kept in a script must not count: no reader ever sees it.
        hidden = make_address(self.rng, "btc_p2wpkh")
        script = doc.decoy(
            "address_in_script", hidden.value, f'<script>var donate = "{hidden.shown}"; /* analytics */</script>'
        )
        # Every vendor is one hop from home, so every listing is reachable through its vendor page.
        names = [self._name(p) for p in self.people]
        roster = " · ".join(doc.a(self.layout.path("vendor", name=n), n) for n in names)
        content = (
            f"<h2>{esc(self.layout.labels['home'])}</h2>{self.layout.wrap(blocks)}"
            f"<p>{esc(self.layout.labels['vendor'])}: {roster}</p>{script}"
        )
        self._emit(doc, f"{self.plan.name} — home", content)

    def _list_page(self, path: str, heading: str, items: list[tuple[Listing, VendorIdentity]]) -> None:
        doc = Doc(self.site.base, path, self.layout.lang)
        blocks = [self.layout.summary(doc, item, *self._links(doc, item, p)) for item, p in items]
        title = f"{self.layout.labels['search']} {heading}" if "=" in path else heading
        self._emit(doc, f"{title} — {self.plan.name}", f"<h2>{esc(title)}</h2>{self.layout.wrap(blocks)}")

    def _listing_page(self, item: Listing, person: VendorIdentity) -> None:
        doc = Doc(self.site.base, item.url.removeprefix(self.site.base), self.layout.lang)
        doc.listing(item)
        labels = self.layout.labels
        pairs = [
            (labels["price"], esc(item.price_text)),
            (labels["unit"], esc(item.unit)),
            (labels["vendor"], doc.a(self.layout.path("vendor", name=item.vendor), item.vendor)),
            (
                labels["category"],
                doc.a(self.layout.path("category", slug=item.category), item.category)
                if item.category in self._categories()
                else esc(item.category),
            ),
            (labels["ships_from"], esc(item.ships_from)),
            (labels["ships_to"], esc(item.ships_to)),
        ]
        # A transaction id looks like an address-sized hex string and is not an entity.
        tx = self.rng.randbytes(32).hex()
        proof = doc.decoy("tx_hash", tx, f"<p>Last payout tx: <code>{tx}</code></p>")
        content = f"<h2>{doc.term(item.title)}</h2>{self.layout.fields(pairs)}{proof}"
        self._emit(doc, f"{item.title} — {self.plan.name}", content)

    def _vendor_page(self, person: VendorIdentity) -> None:
        name = self._name(person)
        doc = Doc(self.site.base, self.layout.path("vendor", name=name), self.layout.lang)
        key = person.pgp(self.site.site_id)
        spec = person.spec
        contacts = [("telegram", spec.telegram.lower()), ("email", spec.email.lower())]
        contact = [
            ent.telegram(doc, spec.telegram, as_link=self.plan.index % 2 == 0),
            ent.email(doc, spec.email, obfuscate=self.plan.obfuscate_email),
        ]
        if spec.phone:
            contact.append(ent.phone(doc, spec.phone))
            contacts.append(("phone", doc.page.entities[-1].value))
        labels = self.layout.labels
        pairs = [
            (labels["vendor"], doc.term(name)),
            (labels["contact"], " · ".join(contact)),
            (labels["payout"], ent.address(doc, person.payout, self.plan.payout_placement, "payout")),
            ("XMR", ent.address(doc, person.xmr, "text", "monero")),
            (
                "Fingerprint",
                doc.decoy(
                    "pgp_fingerprint_0x", "0x" + key.fingerprint.lower(), f"<code>0x{key.fingerprint.lower()}</code>"
                ),
            ),
        ]
        mine = [(i, p) for i, p in self.listings if p is person]
        blocks = [self.layout.summary(doc, item, *self._links(doc, item, p)) for item, p in mine]
        doc.vendor(
            VendorView(
                spec.vendor_id,
                name,
                doc.url,
                key.fingerprint,
                ((person.payout.type, person.payout.value), (person.xmr.type, person.xmr.value)),
                tuple(contacts),
            )
        )
        content = (
            f"<h2>{esc(name)}</h2>{self.layout.fields(pairs)}{ent.pgp_block(doc, key)}"
            f"<h3>{esc(labels['listings'])}</h3>{self.layout.wrap(blocks)}"
        )
        self._emit(doc, f"{name} — {self.plan.name}", content)
