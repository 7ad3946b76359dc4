"""The index contract (tests/index/test_contract.py), the same test functions, against Elasticsearch."""

import pytest

from tests.index.test_contract import *  # noqa: F403 - the contract's tests and its `filled` fixture

pytestmark = pytest.mark.es
