"""The frontier several workers share in Redis: one seen set, each site's pending requests, site leases.

Keys (PREFIX = ONIONDEX_REDIS_PREFIX):
  PREFIX:seen          SET of request fingerprints ever seen
  PREFIX:q:SITE        HASH fingerprint → pickled request, the site's pending requests
  PREFIX:sites         ZSET of sites with pending requests, scored in first-seen order (site-first)
  PREFIX:lease:SITE    the worker crawling SITE, with a time-out (ONIONDEX_REDIS_LEASE), renewed while it does

A worker crawls only the sites it holds a lease on, so each site's pages go over one worker's Tor client
and circuit. A worker that dies stops renewing: its leases run out and the others take its sites, with the
requests it had in flight (they were never marked done). Each step that reads and writes is one Lua script,
so two workers never take one site.

Each worker remembers the fingerprints it has recorded or found recorded: a link is checked on every page
that has it, and a round trip per link was the store's cost on the reactor's thread. A link only another
worker recorded is not known here: it is serialized and offered to Redis once, which filters it (the
seen set in Redis stays the one that decides).

Leases are renewed on a thread of their own, in one round trip, not on the reactor thread: a round trip per
held site every few seconds, and a page with thousands of links, held up downloads. The thread renews only
while the crawl flushes (the scheduler does several times a second), so a worker whose reactor is stuck
still loses its sites.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
import time
from collections.abc import Iterable

import redis

from crawler.frontier.store import Entry

# KEYS: seen, q:site, sites, seq · ARGV: fp, data, site, keep (1: pending again even if seen)
_ADD = """
local new = redis.call('SADD', KEYS[1], ARGV[1])
if new == 0 and ARGV[4] ~= '1' then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
if not redis.call('ZSCORE', KEYS[3], ARGV[3]) then
  redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), ARGV[3])
end
return 1
"""
# KEYS: sites · ARGV: prefix, worker, lease ms, how many, scan · the sites newly leased
_TAKE = """
local taken = {}
local sites = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[5]) - 1)
for _, site in ipairs(sites) do
  if #taken >= tonumber(ARGV[4]) then break end
  local queue = ARGV[1] .. ':q:' .. site
  if redis.call('HLEN', queue) == 0 then
    redis.call('ZREM', KEYS[1], site)
  elseif redis.call('SET', ARGV[1] .. ':lease:' .. site, ARGV[2], 'NX', 'PX', ARGV[3]) then
    table.insert(taken, site)
  end
end
return taken
"""
# KEYS: lease, q:site, sites · ARGV: worker, site
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('HLEN', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[2]) end
return 1
"""
# KEYS: lease · ARGV: worker, lease ms · 1 if still ours
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
SCAN = 1000  # sites looked at per take: past the ones other workers hold

logger = logging.getLogger(__name__)


class RedisFrontier:
    def __init__(self, client: redis.Redis, prefix: str, lease_seconds: float, max_sites: int, job_id: str) -> None:
        self.redis = client
        self.prefix = prefix
        self.lease_ms = int(lease_seconds * 1000)
        self.max_sites = max(1, max_sites)
        self.job_id = job_id
        self.worker = f"{socket.gethostname()}-{secrets.token_hex(4)}"
        self.held: set[str] = set()
        self._known: set[str] = set()  # fingerprints Redis has in its seen set (recorded by anyone)
        self._add, self._take = client.register_script(_ADD), client.register_script(_TAKE)
        self._release, self._renew = client.register_script(_RELEASE), client.register_script(_RENEW)
        client.ping()  # a wrong URL fails the crawl at its start, not at its first request
        # `held` is changed by the crawl's thread and by the renewer (a lease lost); each take of a site
        # gets a new number, so the renewer never drops a site taken again while it renewed the old lease.
        self._lock = threading.Lock()
        self._taken: dict[str, int] = {}
        self._takes = 0
        self._flushed = 0.0  # monotonic time of the crawl's last flush: renew only while it is recent
        self._stop = threading.Event()
        self._renewer = threading.Thread(target=self._renew_loop, name="redis-lease-renewer", daemon=True)
        self._renewer.start()

    @classmethod
    def from_url(cls, url: str, prefix: str, lease_seconds: float, max_sites: int, job_id: str) -> RedisFrontier:
        return cls(redis.Redis.from_url(url), prefix, lease_seconds, max_sites, job_id)

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def resuming(self) -> bool:
        return False  # workers join and leave: the shared frontier goes on

    def seen(self, fp: str) -> bool:
        return fp in self._known  # unknown here: `add` asks Redis, in the same round trip as the write

    def add(self, entry: Entry) -> bool:
        if entry.fp in self._known:
            return False
        added = bool(self._add(keys=self._site_keys(entry.site), args=[entry.fp, entry.data, entry.site, 0]))
        self._known.add(entry.fp)
        return added

    def keep(self, entry: Entry) -> None:
        self._add(keys=self._site_keys(entry.site), args=[entry.fp, entry.data, entry.site, 1])
        self._known.add(entry.fp)

    def _site_keys(self, site: str) -> list[str]:
        return [self._key("seen"), self._key("q", site), self._key("sites"), self._key("seq")]

    def done(self, entries: Iterable[Entry]) -> None:
        with self.redis.pipeline(transaction=False) as pipe:
            for entry in entries:
                pipe.hdel(self._key("q", entry.site), entry.fp)
            pipe.execute()

    def holds(self, site: str) -> bool:
        return site in self.held

    def take(self) -> list[Entry]:
        room = self.max_sites - len(self.held)
        if room <= 0:
            return []
        taken = [
            s.decode()
            for s in self._take(keys=[self._key("sites")], args=[self.prefix, self.worker, self.lease_ms, room, SCAN])
        ]
        with self._lock:
            for site in taken:
                self.held.add(site)
                self._takes += 1
                self._taken[site] = self._takes
        with self.redis.pipeline(transaction=False) as pipe:  # the sites' queues in one round trip
            for site in taken:
                pipe.hgetall(self._key("q", site))
            queues = pipe.execute()
        entries = [
            Entry(fp.decode(), site, data)
            for site, queue in zip(taken, queues, strict=True)
            for fp, data in queue.items()
        ]
        self._known.update(entry.fp for entry in entries)
        return entries

    def release(self, site: str) -> None:
        if site in self.held:
            with self._lock:
                self.held.discard(site)
                self._taken.pop(site, None)
            self._release(
                keys=[self._key("lease", site), self._key("q", site), self._key("sites")], args=[self.worker, site]
            )

    def waiting_elsewhere(self) -> bool:
        return bool(self.redis.zcard(self._key("sites")))

    def done_per_site(self) -> dict[str, int]:
        return {}

    def flush(self) -> None:
        self._flushed = time.monotonic()

    def _renew_loop(self) -> None:
        """Renew this worker's leases a third of the lease time apart, while the crawl keeps flushing."""
        every = self.lease_ms / 3000
        while not self._stop.wait(every):
            if time.monotonic() - self._flushed > every:
                continue  # the crawl's thread is stuck (or not started): let the leases run out
            try:
                self.renew()
            except redis.RedisError as exc:
                logger.warning("renewing the site leases failed (tried again in %.0f s): %s", every, exc)

    def renew(self) -> None:
        """Renew every lease this worker holds, in one round trip; a lease found lost is given up."""
        with self._lock:
            held = list(self._taken.items())
        if not held:
            return
        with self.redis.pipeline(transaction=False) as pipe:
            for site, _ in held:
                self._renew(keys=[self._key("lease", site)], args=[self.worker, self.lease_ms], client=pipe)
            renewed = pipe.execute()
        with self._lock:
            for (site, take), ok in zip(held, renewed, strict=True):
                if not ok and self._taken.get(site) == take:
                    # Lost it (this worker stalled past the lease): another crawls it now.
                    self.held.discard(site)
                    del self._taken[site]

    def close(self) -> None:
        self._stop.set()
        self._renewer.join()
        for site in list(self.held):
            self.release(site)
        self.redis.close()
