"""Scrapy item pipelines: each takes a PageRecord, fills in one concern, and passes it on."""
