"""Single-vendor shops: a storefront, a PGP page and a contact page, tied to a vendor of the markets."""

from __future__ import annotations

from sample_darknet import entities as ent
from sample_darknet.catalog import PRODUCTS, convert, show_price
from sample_darknet.doc import Doc, esc
from sample_darknet.model import Listing, Site, VendorView
from sample_darknet.sites.context import BuildContext

# shop site_id -> (vendor_id, currency, price style, payout placement)
SHOPS = {
    "shop-iceking": ("iceking", "KRW", "man", "split"),
    "shop-candyman": ("candyman", "EUR", "code", "attr"),
    "shop-acidalice": ("acidalice", "USD", "symbol", "href"),
    "shop-opiumden": ("opiumden", "BTC", "symbol", "zero_width"),
}


def build_shop(ctx: BuildContext, site: Site) -> None:
    vendor_id, currency, style, placement = SHOPS[site.site_id]
    person = ctx.people[vendor_id]
    spec, name, key = person.spec, person.spec.names[0], person.pgp(site.site_id)

    doc = Doc(site.base, "/", site.language)
    items = []
    for drug in spec.drugs:
        for product in PRODUCTS[drug]:
            price = convert(product.usd, currency)
            item = Listing(
                product.title,
                price,
                currency,
                show_price(price, currency, style),
                product.unit,
                name,
                product.category,
                drug,
                spec.ships_from,
                spec.ships_to,
                doc.url,
            )
            doc.listing(item)
            items.append(
                f"<li><b>{doc.term(item.title)}</b> — {esc(item.price_text)} {esc(item.unit)}"
                f" — ships from {esc(item.ships_from)} to {esc(item.ships_to)}</li>"
            )
    body = f"<h1>{doc.term(name)}'s shop</h1><nav>{_nav(doc)}</nav><ul>{''.join(items)}</ul>"
    site.add(doc.finish(f"{name} — official shop", body))

    doc = Doc(site.base, "/pgp.txt.html", site.language)
    doc.tag(*spec.drugs)
    body = f"<h1>PGP key of {esc(name)}</h1><nav>{_nav(doc)}</nav>{ent.pgp_block(doc, key)}"
    site.add(doc.finish(f"{name} — PGP", body))

    doc = Doc(site.base, "/contact", site.language)
    contacts = [
        ent.telegram(doc, spec.telegram),
        ent.telegram(doc, spec.telegram, as_link=True),
        ent.email(doc, spec.email, obfuscate=True),
    ]
    if spec.phone:
        contacts.append(ent.phone(doc, spec.phone))
    payout = ent.address(doc, person.payout, placement, "Pay to")
    payout_type = person.payout.type
    doc.vendor(
        VendorView(
            vendor_id,
            name,
            doc.url,
            key.fingerprint,
            ((person.payout.type, person.payout.value),),
            tuple(dict.fromkeys((e.type, e.value) for e in doc.page.entities if e.type != payout_type)),
        )
    )
    body = f"<h1>Contact {esc(name)}</h1><nav>{_nav(doc)}</nav><p>{'</p><p>'.join(contacts)}</p><p>{payout}</p>"
    site.add(doc.finish(f"{name} — contact", body))


def _nav(doc: Doc) -> str:
    return " | ".join([doc.a("/", "Shop"), doc.a("/pgp.txt.html", "PGP"), doc.a("/contact", "Contact")])
