"""The world fixture for the sample darknet's own tests; `darknet` and `socks_front` (one server and one
SOCKS front per session) come from tests/conftest.py, built on sample_darknet.testing.
"""

from __future__ import annotations

import pytest

from sample_darknet import World, build_world


@pytest.fixture(scope="session")
def world() -> World:
    return build_world()
