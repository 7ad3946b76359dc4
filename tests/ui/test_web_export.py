"""Exports for case files, and the JSON API with its OpenAPI description."""

from __future__ import annotations

import csv
import io


def rows(response):
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_search_export_csv_has_every_hit_and_defuses_formulas(logged_in):
    response = logged_in.get("/export/search.csv?q=escrow")
    assert response.headers["content-disposition"].startswith('attachment; filename="oniondex-search-')
    (row,) = rows(response)
    assert row["title"] == "Escrow market"
    assert row["url"] == f"http://{logged_in.site}/p1"
    assert row["snippet"].startswith("full escrow =HYPERLINK(1)")  # only a leading = is a formula


def test_formula_cells_are_prefixed():
    from web.export import to_csv

    body = to_csv([{"a": "=cmd|' /C calc'!A0", "b": "+1", "c": "@SUM(1)", "d": "plain", "e": -3}])
    (row,) = csv.DictReader(io.StringIO(body.lstrip("\ufeff")))
    assert row == {"a": "'=cmd|' /C calc'!A0", "b": "'+1", "c": "'@SUM(1)", "d": "plain", "e": "-3"}


def test_pivot_exports(logged_in):
    entity = rows(logged_in.get("/export/entity.csv?value=bc1qexampleaddress"))
    assert {r["url"] for r in entity} == {f"http://{logged_in.site}/p1", f"http://{logged_in.site}/p2"}
    assert {r["types"] for r in entity} == {"BTC"}
    data = logged_in.get(f"/export/site.json?onion={logged_in.site}").json()
    assert data["exported_by"] == "analyst"
    assert data["kind"] == "site"
    assert data["total_pages"] == 3
    page = rows(logged_in.get(f"/export/page.csv?url=http://{logged_in.site}/p2"))
    assert page[0]["value"] == "bc1qexampleaddress"
    assert logged_in.get("/export/nothing.csv").status_code == 404
    assert logged_in.get("/export/entity.csv").status_code == 422


def test_api_search_korean_with_operators(logged_in):
    data = logged_in.get("/api/search", params={"q": "아이스 btc:bc1qexampleaddress lang:en"}).json()
    assert data["total"] == 1
    assert data["hits"][0]["title"] == "아이스 직거래"
    hit = data["hits"][0]
    assert "아이스" in [hit["snippet"][start:end] for start, end in hit["matches"]]
    assert data["filters"] == [{"name": "btc", "value": "bc1qexampleaddress"}, {"name": "lang", "value": "en"}]


def test_api_sort_by_date_and_pagination(logged_in):
    newest_first = logged_in.get("/api/search", params={"sort": "date", "per_page": 2}).json()
    assert newest_first["total"] == 3
    assert [h["fetched_at"][:10] for h in newest_first["hits"]] == ["2026-01-03", "2026-01-02"]
    second = logged_in.get("/api/search", params={"sort": "date", "per_page": 2, "page": 2}).json()
    assert [h["fetched_at"][:10] for h in second["hits"]] == ["2026-01-01"]


def test_api_pivots(logged_in):
    entity = logged_in.get("/api/entity/bc1qexampleaddress").json()
    assert entity["types"] == ["BTC"]
    assert len(entity["pages"]) == 2
    assert entity["sites"][0]["pages"] == 2
    page = logged_in.get("/api/page", params={"url": f"http://{logged_in.site}/p1"}).json()
    assert page["versions"][0]["sha256"] == "1" * 64
    assert "html" not in page
    assert logged_in.get("/api/page", params={"url": "http://nowhere.onion/"}).status_code == 404


def test_openapi_documents_the_api(logged_in):
    spec = logged_in.get("/api/openapi.json").json()
    assert {
        "/api/search",
        "/api/entity/{value}",
        "/api/vendor/{name}",
        "/api/site/{onion}",
        "/api/page",
        "/api/login",
        "/export/{kind}.{fmt}",
    } <= set(spec["paths"])
    assert "/search" not in spec["paths"]
