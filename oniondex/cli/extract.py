"""`oniondex extract PATH [--url URL]`: one JSON object describing a saved page."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from oniondex.extraction import extract_page
from oniondex.index.documents import extraction_document
from oniondex.page import MAX_PARSE_CHARS, Page
from oniondex.tagging import TagResult

_CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml", ".txt": "text/plain"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract", help="print the language, tags, entities, listings and vendors of a saved page as JSON"
    )
    parser.add_argument("path", type=Path, help="a saved page (HTML or text); - reads standard input")
    parser.add_argument("--url", help="the page's URL (default: file:// + PATH); its host becomes `site`")
    parser.add_argument("--content-type", help="default: from the file suffix, text/html otherwise")
    parser.add_argument("--fetched-at", help="ISO 8601 fetch time recorded as seen_at (default: now)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    reading_stdin = str(args.path) == "-"
    try:
        body = sys.stdin.buffer.read() if reading_stdin else args.path.read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.path}: {exc.strerror}", file=sys.stderr)
        return 2
    url = args.url or ("stdin:" if reading_stdin else args.path.resolve().as_uri())
    content_type = args.content_type or _CONTENT_TYPES.get(args.path.suffix.lower(), "text/html")
    page = Page(url, body, content_type)
    found = extract_page(page, args.fetched_at)
    report = {"url": page.url, **extraction_document(found)}
    report["tag_evidence"] = TagResult(found.tags, found.tag_decisions).as_dict()
    if page.truncated:
        print(f"warning: {args.path}: only the first {MAX_PARSE_CHARS:,} characters were read", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0
