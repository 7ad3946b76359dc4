"""Mirror and phishing-clone clusters: near-duplicate pages (MinHash + LSH), sites that share them, and
the sites in a cluster that swap a vendor's payout addresses, PGP keys or contact handles."""

from __future__ import annotations

from oniondex.clusters.model import CloneFlag, Cluster, Swap
from oniondex.clusters.store import ClusterStore

__all__ = ["CloneFlag", "Cluster", "ClusterStore", "Swap"]
