"""`make bench-crawl`: oniondex and a plain Scrapy spider crawl the same simulated Tor network
(bench/simtor, loopback only), one after the other with the same settings and time budget.

Prints, for each: pages/s, live sites fully fetched (per minute), peak RSS (and per minute), CPU seconds
per page, the share of request slots busy on the network, circuits and keep-alive reuses; then the
ratio. python bench/crawl.py --sites 10000 --minutes 10 (see --help for the network's shape).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.simtor.__main__ import shape_arguments  # noqa: E402
from crawler import settings as oniondex_defaults  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY = 5.0


@dataclass
class Leg:
    name: str
    elapsed: float = 0.0
    pages: int = 0
    sites_finished: int = 0
    finished_per_minute: list[int] = field(default_factory=list)
    rss_per_minute: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    slot_use: float = 0.0
    circuits: int = 0
    streams: int = 0
    keepalive_reuses: int = 0
    pages_again: int = 0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def start_network(args: argparse.Namespace, work: Path) -> tuple[subprocess.Popen[str], str]:
    shape = [
        f"--{name.replace('_', '-')}={getattr(args, name)}"
        for name in ("sites", "dead", "dead_delay", "rtt", "circuit", "bandwidth", "pages", "page_kb")
    ]
    network = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "bench.simtor",
            *shape,
            "--seeds",
            str(work / "seeds.txt"),
            "--stats",
            str(work / "net.json"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = network.stdout.readline() if network.stdout else ""
    if not line.startswith("READY "):
        network.kill()
        raise SystemExit(f"the simulated network did not start: {line!r}")
    return network, line.split()[1]


def crawl_command(leg: str, seeds: Path, proxy: str, settings: list[str]) -> list[str]:
    flags = [item for pair in settings for item in ("-s", pair)]
    if leg == "oniondex":
        return [sys.executable, "-m", "oniondex", "crawl", str(seeds), "--proxy", proxy, *flags]
    return [sys.executable, str(ROOT / "bench" / "crawl_plain.py"), str(seeds), "--proxy", proxy, *flags]


def run_leg(name: str, args: argparse.Namespace, settings: list[str]) -> Leg:
    budget = args.minutes * 60
    with tempfile.TemporaryDirectory(prefix=f"bench-crawl-{name}-") as tmp:
        work = Path(tmp)
        network, proxy = start_network(args, work)
        env = {**os.environ, "ONIONDEX_DATA_DIR": str(work / "data")}
        env.pop("ONIONDEX_INDEX_URL", None)
        with (work / "crawl.log").open("w") as log:
            crawl = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                crawl_command(name, work / "seeds.txt", proxy, [*settings, f"CLOSESPIDER_TIMEOUT={budget}"]),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            leg = watch(name, crawl, work / "net.json", budget)
            network.terminate()
            network.wait()
        if args.keep_logs:
            kept = Path(args.keep_logs) / f"{name}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text((work / "crawl.log").read_text(errors="replace"))
    return leg


def watch(name: str, crawl: subprocess.Popen[bytes], net_stats: Path, budget: float) -> Leg:
    """Sample the crawl's RSS and CPU and the network's counters until the budget is spent."""
    leg, rss, cpu_at, start = Leg(name), [], 0.0, time.monotonic()
    net: dict = {}
    while time.monotonic() - start < budget + SAMPLE_EVERY and crawl.poll() is None:
        time.sleep(SAMPLE_EVERY)
        rss.append((time.monotonic() - start, rss_mb(crawl.pid)))
        if net_stats.exists():
            try:
                snapshot = json.loads(net_stats.read_text())
            except ValueError:
                continue  # caught mid-write; the next one will do
            if snapshot["elapsed"] <= budget:
                net, cpu_at = snapshot, cpu_seconds(crawl.pid)
        print(
            f"  {name}: {time.monotonic() - start:5.0f} s, {net.get('pages', 0)} pages, "
            f"{net.get('sites_finished', 0)} sites done, RSS {rss[-1][1]:.0f} MB",
            flush=True,
        )
    crawl.terminate()
    try:
        crawl.wait(120)
    except subprocess.TimeoutExpired:
        crawl.kill()
    minutes = max(1, int(budget // 60))
    leg.elapsed = net.get("elapsed", 0.0)
    leg.pages = net.get("pages", 0)
    leg.sites_finished = net.get("sites_finished", 0)
    leg.finished_per_minute = [
        sum(1 for t in net.get("finished_at", []) if m * 60 <= t < (m + 1) * 60) for m in range(minutes)
    ]
    leg.rss_per_minute = [
        max((mb for t, mb in rss if m * 60 <= t < (m + 1) * 60), default=0.0) for m in range(minutes + 1)
    ]
    leg.cpu_seconds = cpu_at
    busy = [s["busy"] for s in net.get("samples", []) if s["elapsed"] > 30]  # after the start-up
    leg.slot_use = sum(busy) / len(busy) if busy else 0.0
    for key in ("circuits", "streams", "keepalive_reuses", "pages_again"):
        setattr(leg, key, net.get(key, 0))
    return leg


def report(legs: list[Leg], concurrency: int) -> None:
    for leg in legs:
        per_page = leg.cpu_seconds / leg.pages if leg.pages else 0.0
        rss = [round(mb) for mb in leg.rss_per_minute]
        print(f"\n{leg.name}")
        print(f"  pages/s            {leg.pages_per_s:.1f}  ({leg.pages} pages in {leg.elapsed:.0f} s)")
        print(f"  sites finished     {leg.sites_finished}; per minute {leg.finished_per_minute}")
        print(f"  peak RSS           {max(rss, default=0)} MB; per minute {rss}")
        print(f"  CPU s/page         {per_page:.4f}  ({leg.cpu_seconds:.0f} CPU s)")
        print(f"  slot use           {leg.slot_use:.0f} of {concurrency} busy ({leg.slot_use / concurrency:.0%})")
        print(f"  circuits built     {leg.circuits}; streams {leg.streams}; keep-alive reuses {leg.keepalive_reuses}")
        print(f"  pages twice        {leg.pages_again}")
    if len(legs) == 2 and legs[1].pages_per_s:
        print(f"\nratio oniondex / plain Scrapy: {legs[0].pages_per_s / legs[1].pages_per_s:.2f}")
    print(f"load average at the end: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shape_arguments(parser)
    parser.add_argument("--minutes", type=float, default=3.0, help="time budget of each crawl")
    parser.add_argument("--concurrency", type=int, default=oniondex_defaults.CONCURRENT_REQUESTS)
    parser.add_argument("--per-site", type=int, default=oniondex_defaults.CONCURRENT_REQUESTS_PER_DOMAIN)
    parser.add_argument("--legs", default="oniondex,scrapy", help="which crawls, in order")
    parser.add_argument("--keep-logs", default="", help="copy each crawl's log into this folder")
    args = parser.parse_args()
    settings = [
        f"CONCURRENT_REQUESTS={args.concurrency}",
        f"CONCURRENT_REQUESTS_PER_DOMAIN={args.per_site}",
        f"DOWNLOAD_TIMEOUT={oniondex_defaults.DOWNLOAD_TIMEOUT}",
        f"RETRY_TIMES={oniondex_defaults.RETRY_TIMES}",
        f"DEPTH_LIMIT={oniondex_defaults.DEPTH_LIMIT}",
    ]
    print(
        f"simulated Tor: {args.sites} sites, {args.dead:.0%} dead ({args.dead_delay} s), RTT {args.rtt} s, "
        f"circuit {args.circuit} s, {args.bandwidth} KB/s, {args.pages} pages of {args.page_kb} KB; "
        f"{args.minutes} min per crawl; {' '.join(settings)}; load {os.getloadavg()}",
        flush=True,
    )
    legs = [run_leg(name, args, settings) for name in args.legs.split(",")]
    report(legs, args.concurrency)


if __name__ == "__main__":
    main()
