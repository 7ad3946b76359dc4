"""A simulated Tor network on loopback for `make bench-crawl`: generated onion sites behind a SOCKS5 port
with Tor's latencies (circuit build, round trips, bandwidth) and dead sites that fail like Tor's. Not
imported by oniondex: a benchmark harness only."""
