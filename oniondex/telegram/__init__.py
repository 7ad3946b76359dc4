"""Telegram public channels: usernames, the t.me/s web preview parser and the records they yield.

Pure: no Scrapy, no network. The spider (crawler/spiders/telegram.py) fetches, this package reads.
"""
