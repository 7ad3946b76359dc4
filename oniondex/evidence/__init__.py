"""Evidence-grade capture: every fetch kept as WARC, its versions tracked, exportable and verifiable.

Layout under the WARC directory (ONIONDEX_WARC_DIR, default DATA_DIR/warc):

- `<job id>/oniondex-<job id>-<nnnnn>.warc.gz`: one folder per crawl job, files rolled at
  ONIONDEX_WARC_MAX_SIZE. Each file opens with a `warcinfo` record; each fetch is a `request` record and
  a `response` record (headers and the payload exactly as received: still content-encoded, not chunked),
  or, when the URL's payload is unchanged since an earlier capture, a `revisit` record (profile
  identical-payload-digest) that refers to the first one. Every page the spider turned into a record
  also gets a `metadata` record (JSON) with its crawl context, which is what reindexing replays.
- `history.sqlite`: one row per WARC record (where it is, its time and payload SHA-256), so the versions
  of a URL, and the records to export, are found without reading the WARC files.

Every digest is SHA-256: `WARC-Payload-Digest` / `WARC-Block-Digest` as `sha256:<base32>` (what warcio
checks), and in the history, manifests and reports as hex (what `sha256sum` prints).
"""

from oniondex.evidence.errors import EvidenceError, ExportError, WarcWriteError

__all__ = ["EvidenceError", "ExportError", "WarcWriteError"]
