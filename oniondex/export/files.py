"""One export of a neighbourhood as the bytes of a file, by format name: what the web UI serves and
`oniondex export` writes."""

from __future__ import annotations

from oniondex.export.graphfiles import gexf, graphml, link_rows, node_rows
from oniondex.export.misp import misp_event
from oniondex.export.stix import stix_bundle
from oniondex.graph.model import Neighbourhood

# format -> (media type, file suffix)
FORMATS = {
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
    "nodes.csv": ("text/csv; charset=utf-8", "nodes.csv"),
    "links.csv": ("text/csv; charset=utf-8", "links.csv"),
    "stix": ("application/stix+json;version=2.1", "stix.json"),
    "misp": ("application/json", "misp.json"),
}


def render_export(hood: Neighbourhood, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "graphml":
        return graphml(hood)
    if fmt == "gexf":
        return gexf(hood)
    if fmt.endswith(".csv"):
        from web.export import to_csv  # the desk's one CSV writer: BOM for spreadsheets, formulas defused

        return to_csv(node_rows(hood) if fmt == "nodes.csv" else link_rows(hood)).encode("utf-8")
    if fmt == "stix":
        return stix_bundle(hood).serialize(pretty=True).encode("utf-8")
    return misp_event(hood).encode("utf-8")
