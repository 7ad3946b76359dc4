"""python -m bench.simtor --sites N … --seeds FILE --stats FILE: run the simulated network until killed."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bench.simtor.network import NetworkShape
from bench.simtor.server import serve


def shape_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--dead", type=float, default=0.2, help="fraction of dead sites")
    parser.add_argument("--dead-delay", default="10-30", help="seconds a dead site takes to fail, MIN-MAX")
    parser.add_argument("--rtt", type=float, default=1.5, help="median round trip, seconds")
    parser.add_argument("--circuit", type=float, default=3.0, help="median circuit build, seconds")
    parser.add_argument("--bandwidth", type=float, default=200.0, help="KB/s per stream")
    parser.add_argument("--pages", type=int, default=20, help="pages per site")
    parser.add_argument("--page-kb", type=float, default=40.0, help="page size, KB")


def shape_from(args: argparse.Namespace) -> NetworkShape:
    low, _, high = args.dead_delay.partition("-")
    return NetworkShape(
        sites=args.sites,
        dead_fraction=args.dead,
        dead_delay=(float(low), float(high or low)),
        rtt=args.rtt,
        circuit=args.circuit,
        bandwidth=args.bandwidth * 1000,
        pages=args.pages,
        page_bytes=int(args.page_kb * 1000),
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.simtor", description=__doc__)
    shape_arguments(parser)
    parser.add_argument("--seeds", type=Path, required=True, help="write the seed list here")
    parser.add_argument("--stats", type=Path, required=True, help="write counters here every few seconds")
    args = parser.parse_args()
    asyncio.run(serve(shape_from(args), args.seeds, args.stats))


if __name__ == "__main__":
    main()
