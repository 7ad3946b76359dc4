"""The sample darknet: a deterministic world of fake onion sites served on 127.0.0.1, with ground truth.

    python -m sample_darknet serve [--seed N] [--port 0] [--log FILE]   # LISTENING http://127.0.0.1:PORT
    python -m sample_darknet socks --upstream http://127.0.0.1:PORT      # LISTENING socks5h://127.0.0.1:PORT
    python -m sample_darknet truth | seeds

From Python: `build_world(seed).truth()`, and `sample_darknet.testing.running_darknet()` /
`running_socks_front()` for child processes.
"""

from __future__ import annotations

from sample_darknet.model import PageSpec, Site
from sample_darknet.world import DEFAULT_SEED, World, build_world

__all__ = ["DEFAULT_SEED", "PageSpec", "Site", "World", "build_world"]
