"""oniondex's own Scrapy signals."""

# Sent by the spider for every fetch outcome: kwargs site (onion host), state ("up", "down",
# "timeout", "error"), detail (the error message, or "").
site_result = object()
