"""Case exports of a link-graph neighbourhood for the analysts' other tools: GraphML and GEXF (Gephi),
entity and link tables (Maltego / i2 style CSV), a STIX 2.1 bundle and a MISP event (files.py: by name)."""

from oniondex.export.files import FORMATS, render_export
from oniondex.export.graphfiles import gexf, graphml, link_rows, node_rows
from oniondex.export.misp import misp_event
from oniondex.export.stix import stix_bundle

__all__ = ["FORMATS", "gexf", "graphml", "link_rows", "misp_event", "node_rows", "render_export", "stix_bundle"]
