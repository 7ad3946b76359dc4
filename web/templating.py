"""Jinja2 templates (autoescaped) with the safe-rendering filters and the pivot-link helpers."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from web import security

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.autoescape = True
templates.env.filters.update(marked=security.marked, linked_text=security.linked_text)
templates.env.globals.update(csrf_field=security.csrf_field)
templates.env.globals.update(
    entity_url=security.entity_url,
    site_url=security.site_url,
    vendor_url=security.vendor_url,
    page_url=security.page_url,
    search_url=security.search_url,
)
