"""The crawl's frontier on disk (SQLite, one crawl) or in Redis (several workers): what is still to fetch
and every request ever seen, written as the crawl goes, so a crawl killed with SIGKILL continues where it
stopped (crawler/frontier/scheduler.py; stores in sqlite_store.py and redis_store.py)."""
