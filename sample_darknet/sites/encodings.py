"""Pages not in UTF-8: EUC-KR Korean ads and a CP1251 Russian shop. One page of each declares its
charset in the Content-Type header, the other only in <meta charset>, so decoding must look at both.
"""

from __future__ import annotations

from sample_darknet import entities as ent
from sample_darknet.doc import Doc
from sample_darknet.model import Listing, Site
from sample_darknet.sites.context import BuildContext

_KO = {
    "/": ("부산 아이스 직거래", "아이스 팝니다. 1g 30만원. 텔레그램 문의", "busan_ice", "methamphetamine", 30, "1g"),
    "/notice": ("떨 공지", "떨 팝니다. 3.5g 14만원. 던지기 가능, 텔레그램 문의", "busan_green", "cannabis", 14, "3.5g"),
}
_RU = {
    "/": ("Магазин «Северный ветер»", "Мефедрон кристаллы 1 г", "mephedrone", 2500, "1 г", "рублей"),
    "/tovar/2": ("Шишки — товар 2", "Шишки (марихуана) 5 г", "cannabis", 4800, "5 г", "руб."),
}


def build_euckr(ctx: BuildContext, site: Site) -> None:
    for path, (title, text, handle, drug, man, unit) in _KO.items():
        doc = Doc(site.base, path, "ko")
        other = "/notice" if path == "/" else "/"
        for term in ("팝니다", "텔레그램 문의", text.split(".")[0]):
            doc.term(term)
        price = f"{man}만원"
        doc.listing(
            Listing(
                title,
                float(man * 10000),
                "KRW",
                price,
                unit,
                handle,
                "stimulants" if drug == "methamphetamine" else "cannabis",
                drug,
                "부산",
                "부산",
                doc.url,
            )
        )
        contact = ent.telegram(doc, handle, label="")
        body = f"<h1>{doc.term(title)}</h1><p>{text}</p><p>{contact}</p><p>{doc.a(other, '다른 글')}</p>"
        site.add(doc.finish(title, body, charset="euc-kr", meta_charset=path != "/", header_charset=path == "/"))


def build_cp1251(ctx: BuildContext, site: Site) -> None:
    for path, (title, item, drug, rub, unit, word) in _RU.items():
        doc = Doc(site.base, path, "ru")
        other = "/tovar/2" if path == "/" else "/"
        price = f"{rub} {word}"
        doc.listing(
            Listing(
                item,
                float(rub),
                "RUB",
                price,
                unit,
                "Северный ветер",
                "stimulants" if drug == "mephedrone" else "cannabis",
                drug,
                "Москва",
                "Россия",
                doc.url,
            )
        )
        for term in ("закладка", "Телеграм", item):
            doc.term(term)
        body = (
            f"<h1>{doc.term(title)}</h1><p>{item} — {price}</p><p>Доставка: закладка по Москве.</p>"
            f"<p>Телеграм: {ent.telegram(doc, 'sever_veter_shop', label='')}</p><p>{doc.a(other, 'Ещё товар')}</p>"
        )
        site.add(doc.finish(title, body, charset="windows-1251", meta_charset=path != "/", header_charset=path == "/"))
