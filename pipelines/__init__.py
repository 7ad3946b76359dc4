"""Scrapy item pipelines: thin adapters from a `PageRecord` to the library, one concern each (extraction,
the vendor store, the index), with their work run off the reactor thread (offload.py)."""
