"""Entity extraction: validated crypto addresses, onion names, keys and contacts, with provenance.

Pure functions from a `Page`; no Scrapy, no network. See `extract_entities`.
"""

from __future__ import annotations

from oniondex.entities.extract import ENTITY_TYPES, Entity, extract_entities

__all__ = ["ENTITY_TYPES", "Entity", "extract_entities"]
