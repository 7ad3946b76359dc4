"""Scrapy settings for oniondex. Every ONIONDEX_* setting is defined here, with its default and why.

Order of precedence, as in Scrapy: these defaults < `-s NAME=value` / `oniondex crawl` options
< a spider's `custom_settings` < the `request.meta` key of the same name where a component reads one.
"""

BOT_NAME = "oniondex"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Tor / proxy (fail-closed: no proxy, no crawl) -------------------------------------------------
# SOCKS5 proxy with remote DNS (socks5h://HOST:PORT), or several separated by commas (several Tor
# clients; each site is pinned to one by a hash of its name). Empty means "refuse to crawl": there is no
# direct-connection fallback.
ONIONDEX_PROXY = ""
# Each site gets its own SOCKS username, so Tor (IsolateSOCKSAuth) builds it its own circuit.
ONIONDEX_CIRCUIT_ISOLATION = True
# Open SOCKS clients (one per recently crawled site) kept at once; older idle ones are closed and reopened
# on demand, so memory stays bounded however many sites a crawl touches. Never below the site window.
ONIONDEX_MAX_PROXY_CLIENTS = 1024
# Seconds an idle kept-alive connection stays open (httpx's default). Longer (60 s) saved CONNECTs but
# made tests/crawl's slow site lose timeouts: a timed-out request's late answer may be read as the next
# request's on a reused connection. Raise only after ruling that out.
ONIONDEX_KEEPALIVE_EXPIRY = 5.0
# When Tor itself stops answering, requests wait and retry (doubling from the first wait) for up to this
# long before failing; they never go out another way.
ONIONDEX_TOR_OUTAGE_FIRST_WAIT = 2.0
ONIONDEX_TOR_OUTAGE_MAX_WAIT = 600.0

# --- What to fetch --------------------------------------------------------------------------------
# Follow onion links to sites that are not in the seed list.
ONIONDEX_DISCOVER = False
# Pages per site, over all depths: stops link floods and crawler traps that DEPTH_LIMIT alone would not.
ONIONDEX_MAX_PAGES_PER_SITE = 200
# Content types we keep; anything else is aborted as soon as its headers arrive.
ONIONDEX_TEXT_TYPES = ["text/html", "application/xhtml+xml", "text/plain"]
# Links with these extensions are never requested (images, media, archives, executables, documents).
ONIONDEX_SKIP_EXTENSIONS = (
    "jpg jpeg png gif webp bmp svg ico tif tiff avif heic mp3 mp4 m4a m4v avi mov mkv webm wav ogg flac "
    "zip rar 7z gz tgz bz2 xz tar exe msi apk dmg iso bin dll so deb rpm pdf doc docx xls xlsx ppt pptx "
    "woff woff2 ttf otf eot css js json xml"
).split()
DEPTH_LIMIT = 3
DEPTH_PRIORITY = 1  # breadth first, with the FIFO queues below
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# --- The frontier: resume after a kill, several workers on Redis (crawler/frontier/) ---------------
# Pending requests and the seen set written as the crawl goes (DATA_DIR/frontier.db, or Redis), so a
# crawl killed even with SIGKILL continues when started again on the same data dir.
SCHEDULER = "crawler.frontier.scheduler.FrontierScheduler"
# redis://HOST:PORT/DB: workers sharing one frontier, seen set and site leases (empty: SQLite, one worker).
ONIONDEX_REDIS_URL = ""
# Key prefix in Redis: workers with the same prefix crawl together.
ONIONDEX_REDIS_PREFIX = "oniondex"
# Seconds a worker's lease on a site lasts unless renewed (every flush): a killed worker's sites go to
# the others after this long.
ONIONDEX_REDIS_LEASE = 30.0
# Sites one worker holds at once; 0 is read as 1 (holding more lost pages in tests/crawl/test_redis_workers.py,
# cause not found yet).
ONIONDEX_REDIS_SITES = 0
# Size cap for one response, after decompression too (Scrapy applies it to gzip/deflate/br output).
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 1024 * 1024
REDIRECT_MAX_TIMES = 5
# A page's <meta http-equiv=refresh> is the page's business, not ours: following it let a hostile page
# replace itself with a (blocked) clearnet URL, and we lost the page.
METAREFRESH_ENABLED = False
URLLENGTH_LIMIT = 1024

# --- Where results go -----------------------------------------------------------------------------
# Crawl data: the index, captures, site states, vendor store, spool.
ONIONDEX_DATA_DIR = "data"
# A path (the embedded index) or http(s)://… (Elasticsearch). Empty means DATA_DIR/index.
ONIONDEX_INDEX_URL = ""
# Pages indexed per commit: a crash loses at most this many pages' indexing (they are re-crawled).
ONIONDEX_INDEX_BATCH = 200
# Batches the index cannot take (server down) are appended here and replayed when it returns.
# Empty means DATA_DIR/index-spool.jsonl.
ONIONDEX_INDEX_SPOOL = ""
# Documents the index rejects one by one, with id and reason, for `oniondex index replay --dead-letter`.
# Empty means DATA_DIR/index-dead-letter.jsonl.
ONIONDEX_INDEX_DEAD_LETTER = ""
ONIONDEX_PROGRESS_INTERVAL = 10.0

# --- Evidence: every fetch kept as WARC (warc_capture.py, oniondex/evidence/) ---------------------
# Keep each fetch's request and response (headers and payload as received) in .warc.gz files.
ONIONDEX_WARC_ENABLED = True
# Where: one folder per crawl job, plus history.sqlite (URL versions). Empty means DATA_DIR/warc.
ONIONDEX_WARC_DIR = ""
# A WARC file is closed and the next one started once it reaches this many bytes (compressed).
ONIONDEX_WARC_MAX_SIZE = 100 * 1024 * 1024
# The crawl job id in every record and file name. Empty means a new one: <UTC start>-<6 hex>.
ONIONDEX_WARC_JOB_ID = ""

# --- Listings and vendors (pipelines/extraction.py, pipelines/vendor_store.py, oniondex/listings/, oniondex/vendors/)
# Extract listings and vendor records from every page (site profiles in profiles/, generic otherwise).
ONIONDEX_LISTINGS_ENABLED = True
# The vendor store `oniondex vendor` reads (SQLite). Empty means DATA_DIR/vendors.db.
ONIONDEX_VENDOR_DB = ""
# --- Mirror and clone clusters (pipelines/clusters.py, oniondex/clusters/): every page's MinHash sketch
# and vendor identifiers. Empty means DATA_DIR/clusters.db; ONIONDEX_CLUSTERS_ENABLED=False turns it off.
ONIONDEX_CLUSTER_DB = ""
ONIONDEX_CLUSTERS_ENABLED = True

# --- Sites behind a login (crawler/middlewares/walls.py, session.py; oniondex/sessions/) ------------
# Recognise walls (login, session expired, anti-DDoS queue, captcha, ban): never indexed, the site's state
# becomes needs_login / walled / banned and its other requests are held. Detectors: oniondex/data/walls.yaml,
# and this file's first (same format) if set.
ONIONDEX_WALLS_ENABLED = True
ONIONDEX_WALLS_FILE = ""
# Requests never sent (logout, buy, delete, withdraw, messages, settings; methods but GET/HEAD):
# oniondex/data/member_rules.yaml, plus this file's rules if set.
ONIONDEX_MEMBER_RULES_FILE = ""
# Seconds between two requests of a site crawled with a session (seed `session=NAME`), one at a time: low
# enough not to trip a market's flood limits. A session's own delay (`oniondex session add --delay`) wins.
ONIONDEX_SESSION_DELAY = 3.0

# --- Politeness and Tor latency -------------------------------------------------------------------
ROBOTSTXT_OBEY = False  # investigations read what is published; robots.txt is not a legal boundary
# Onion fetches spend seconds waiting on the network and almost no CPU: a large crawl wants hundreds of
# slots, a few per site (one circuit and kept-alive connection each), and site-first scheduling (below):
# with Scrapy's 16 or our old 32, a 10,000-site crawl fetched 3 pages/s (issue 13). A cold Tor client
# building every site's first circuit at once is the crawl's start grace's job (tor_outage.py, TorPace.cold).
CONCURRENT_REQUESTS = 256
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Site-first scheduling (crawler/pqueues/site_window.py): a window of active sites, each crawled to the end
# before the next is admitted, so its circuit and connection stay warm (Scrapy's queue visits one page of
# every site in turn: a new circuit per page); dead sites' queues dropped at their first failure.
SCHEDULER_PRIORITY_QUEUE = "crawler.pqueues.site_window.SiteWindowPriorityQueue"
# Sites in the window at most; 0 means CONCURRENT_REQUESTS (a site is admitted whenever a slot is free
# that no active site can use: see crawler/pqueues/site_window.py). Keep ONIONDEX_MAX_PROXY_CLIENTS above it.
ONIONDEX_SITE_WINDOW = 0
# Responses waiting for the spider and pipelines (bytes) before the downloader pauses (Scrapy's default is
# 5 MB). At 1 MB the downloader sat paused half the time once 25 pages waited on extraction, and half the
# slots idled (bench/crawl.py, 2026-12-06, back to back: 53.8 pages/s, slots 57% busy; 4 MB 63.2, 64%; 8 MB,
# earlier, 65.5: the pipelines then the bound, 180 responses waiting).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60  # onion round trips take seconds; a first circuit tens of seconds
RETRY_TIMES = 2  # with ONIONDEX_DEAD_SITE_FAIL_FAST, not for sites that have never answered
# A site that has never answered and that Tor reports unreachable is not retried (crawler/middlewares/
# dead_site.py): a 10,000-site sweep has thousands of dead onions, each retry holding a slot 10-30 s.
ONIONDEX_DEAD_SITE_FAIL_FAST = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"  # Tor Browser's
DEFAULT_REQUEST_HEADERS = {"Accept": "text/html,application/xhtml+xml,text/plain;q=0.9", "Accept-Language": "en,ko"}
LOG_LEVEL = "INFO"

# Scrapy's httpx handler is the one that speaks SOCKS5 with remote DNS (socks5h://); ours bounds its
# per-site clients (crawler/handlers/isolated_httpx.py).
DOWNLOAD_HANDLERS = {
    "http": "crawler.handlers.isolated_httpx.IsolatedHttpxDownloadHandler",
    "https": "crawler.handlers.isolated_httpx.IsolatedHttpxDownloadHandler",
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.onion_only.OnionOnlyMiddleware": 50,
    "crawler.middlewares.site_caps.SitePageCapMiddleware": 60,
    "crawler.middlewares.text_only.TextOnlyMiddleware": 70,
    "crawler.middlewares.walls.WallMiddleware": 80,
    # Inside the wall check: a session site's answer reaches its jar before the wall check judges it.
    "crawler.middlewares.session.SessionMiddleware": 85,
    # We own the proxy: Scrapy's would read http_proxy from the environment and could route around Tor.
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
    "crawler.middlewares.tor_outage.TorOutageMiddleware": 740,  # before RetryMiddleware (550) sees the error
    "crawler.middlewares.tor_proxy.TorProxyMiddleware": 750,
    # With ONIONDEX_DEAD_SITE_FAIL_FAST: sees a failure before RetryMiddleware (550) and
    # TorOutageMiddleware, so a dead onion is not retried.
    "crawler.middlewares.dead_site.DeadSiteMiddleware": 760,
    # Next to the downloader, above HttpCompressionMiddleware (590): stores the bytes as received.
    "crawler.middlewares.warc_capture.WarcCaptureMiddleware": 950,
}
EXTENSIONS = {
    "crawler.extensions.proxy_guard.ProxyGuard": 10,
    "crawler.extensions.progress.CrawlProgress": 500,
    "crawler.extensions.site_status.SiteStatus": 510,
    "crawler.extensions.close_wait.CloseWait": 520,
}
ITEM_PIPELINES = {
    "pipelines.extraction.ExtractionPipeline": 300,
    "pipelines.vendor_store.VendorStorePipeline": 400,
    "pipelines.telegram_vendors.TelegramVendorPipeline": 450,  # Telegram posts only
    "pipelines.clusters.ClusterPipeline": 500,
    "pipelines.watch.WatchPipeline": 850,  # watchlists and alerts, after extraction
    "pipelines.index.IndexPipeline": 900,
}

# Items of one response processed at once. Scrapy starts this many tasks for every response, whatever
# it yields: its 100 were a quarter of the reactor thread's CPU at 65 pages/s (a page yields one item).
CONCURRENT_ITEMS = 8
# glibc malloc arenas for the crawl process (oniondex/memory.py; 0: glibc's default of 8 per core): each
# thread's own arena grew and fragmented, so RSS climbed with the pages crawled.
ONIONDEX_MALLOC_ARENAS = 2

# --- Off the reactor thread (pipelines/offload.py) ------------------------------------------------
# Extraction, vendor-store and index writes run on thread pools of their own, so a heavy page or a slow
# index never holds up the downloads the reactor drives. False runs them inline (as reindex does).
ONIONDEX_OFF_REACTOR = True
# Threads extracting pages: extraction holds the GIL most of the time, so more threads than cores buy
# nothing; 2 keeps one busy while the other waits on lxml.
ONIONDEX_EXTRACT_THREADS = 2
# Worker processes extracting pages instead (0: the threads above extract). Extraction is most of a page's
# CPU and holds the GIL: in processes it uses the cores the reactor thread does not. Each costs about
# 100 MB and a second or two to start.
ONIONDEX_EXTRACT_PROCESSES = 1
# Pages waiting per pool (extraction, each writer). When one is full the pipelines hold their responses
# and Scrapy's scraper stops taking new ones (SCRAPER_SLOT_MAX_ACTIVE_SIZE): memory stays bounded.
ONIONDEX_OFF_REACTOR_QUEUE = 256

# --- Telegram channels (crawler/spiders/telegram.py, oniondex/telegram/) ----------------------------
# Where channel previews are fetched: t.me through Tor. The sample Telegram (tests, demo) is plain HTTP.
ONIONDEX_TELEGRAM_BASE_URL = "https://t.me"
# How far back a first crawl reads a channel's history: this many posts, and (if > 0) this many days.
ONIONDEX_TELEGRAM_MAX_POSTS = 500
ONIONDEX_TELEGRAM_MAX_DAYS = 0
# A recrawl re-reads the newest this-many known posts, to catch edits and deletions.
ONIONDEX_TELEGRAM_RECENT_WINDOW = 50
# HTTP 429: wait Retry-After (else this, doubling per try), at most MAX_BACKOFF, up to MAX_RETRIES tries.
ONIONDEX_TELEGRAM_BACKOFF = 5.0
ONIONDEX_TELEGRAM_MAX_BACKOFF = 300.0
ONIONDEX_TELEGRAM_MAX_RETRIES = 6
# Per channel: the newest id seen and recent posts' content hashes (SQLite). Empty means DATA_DIR/telegram.db.
ONIONDEX_TELEGRAM_STATE = ""

# --- Watchlists and alerts (pipelines/watch.py, oniondex/watch/) --------------------------------------
# Check every capture against the analysts' watches (`oniondex watch add`); alerts in the watch store.
ONIONDEX_WATCH_ENABLED = True
# The watch store (SQLite). Empty means DATA_DIR/watch.db.
ONIONDEX_WATCH_DB = ""
# Delivery (each also read from the environment, where secrets belong). Targets must be loopback or named
# in ONIONDEX_ALERT_ALLOWED_HOSTS (comma-separated): alerts never go anywhere else.
ONIONDEX_ALERT_WEBHOOK_URL = ""  # JSON POST, header X-Oniondex-Signature: sha256=HMAC(secret, body)
ONIONDEX_ALERT_WEBHOOK_SECRET = ""
ONIONDEX_ALERT_SMTP_HOST = ""
ONIONDEX_ALERT_SMTP_PORT = 25
ONIONDEX_ALERT_SMTP_FROM = "oniondex@localhost"
ONIONDEX_ALERT_SMTP_TO = ""  # comma-separated addresses
ONIONDEX_ALERT_SMTP_STARTTLS = False
ONIONDEX_ALERT_SMTP_USER = ""  # and ONIONDEX_ALERT_SMTP_PASSWORD, from the environment
ONIONDEX_ALERT_ALLOWED_HOSTS = ""
ONIONDEX_ALERT_TIMEOUT = 10.0
# A failed delivery is tried again ONIONDEX_ALERT_TRIES times at the end of a crawl, waiting BACKOFF seconds,
# doubling; then it waits in the store for the next crawl or `oniondex alerts --deliver` (at most MAX_BACKOFF apart).
ONIONDEX_ALERT_TRIES = 3
ONIONDEX_ALERT_BACKOFF = 2.0
ONIONDEX_ALERT_MAX_BACKOFF = 3600.0
