"""oniondex's own Scrapy signals."""

# Sent by the spider for every fetch outcome: kwargs site (onion host), state ("up", "down",
# "timeout", "error"), detail (the error message, or "").
site_result = object()

# Sent by TorOutageMiddleware each time Tor itself (the SOCKS port) was unreachable: for OUTAGE_GRACE
# seconds after it, "onion unreachable" may be the restarted Tor's own state, not the site's.
tor_outage = object()

# Sent by the frontier scheduler when it resumes an unfinished crawl: kwargs done ({site: requests already
# fetched}) and pending ({site: requests queued again}), so per-site counts (the page cap) go on from where
# they were.
frontier_resumed = object()
