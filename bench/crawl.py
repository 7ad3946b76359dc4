"""`make bench-crawl`: oniondex and a plain Scrapy spider crawl the same simulated Tor network
(bench/simtor, loopback only), one after the other with the same concurrency settings (oniondex's
defaults) and time budget; oniondex with its defaults otherwise (its site window, fail-fast dead sites).

Prints, for each: pages/s (overall and per minute), the seconds from the crawl's start to its first
page, live sites fully fetched (per minute), peak RSS (and per minute), CPU seconds per page, the share of
request slots busy on the network, circuits and keep-alive reuses; then the ratios. For oniondex also
where its slots are over time ("scheduling", from the crawl's `pace:` log lines, crawler/extensions/
progress.py): requests in the downloader, queued, responses waiting on the spider and pipelines, the engine
backing out, and the site window (sites active, with requests to give, in flight, waiting to be admitted).
RSS and CPU are the crawl process's with its children's (extraction worker processes). Pages/s counts
from the first stream.
python bench/crawl.py --sites 10000 --minutes 10 (see --help for the network's shape).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.simtor.__main__ import shape_arguments  # noqa: E402
from crawler import settings as oniondex_defaults  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY = 5.0
PACE_EVERY = 5.0
# The pace log's figures the report shows, in this order (crawler/extensions/progress.py pace_state).
PACE_KEYS = (
    "downloading",
    "transferring",
    "queued",
    "scraping",
    "scraper_mb",
    "items",
    "backout_downloader",
    "backout_scraper",
    "window",
    "sites_active",
    "sites_queued",
    "sites_in_flight",
    "sites_waiting",
    "reactor_lag_ms",
    "reactor_lag_max_ms",
)


@dataclass(frozen=True)
class Cpu:
    """CPU seconds of a crawl's process tree, by where they were spent."""

    reactor: float = 0.0  # the crawl process's main thread: Twisted's reactor (downloads, spider, scheduler)
    threads: float = 0.0  # the crawl process's other threads (pipelines: extraction hand-off, writers)
    workers: float = 0.0  # its child processes (extraction workers), with those that have exited

    @property
    def crawl(self) -> float:
        return self.reactor + self.threads

    @property
    def total(self) -> float:
        return self.crawl + self.workers

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.reactor - other.reactor, self.threads - other.threads, self.workers - other.workers)


@dataclass
class Leg:
    name: str
    elapsed: float = 0.0
    pages: int = 0
    sites_finished: int = 0
    finished_per_minute: list[int] = field(default_factory=list)
    rss_per_minute: list[float] = field(default_factory=list)
    anonymous_per_minute: list[float] = field(default_factory=list)  # the RSS without mapped files
    cpu: Cpu = field(default_factory=Cpu)
    slot_use: float = 0.0
    circuits: int = 0
    streams: int = 0
    keepalive_reuses: int = 0
    streams_of_finished: int = 0  # the streams sites fully fetched had opened (CONCURRENT_REQUESTS_PER_DOMAIN do)
    pages_again: int = 0
    pages_per_minute: list[float] = field(default_factory=list)
    first_page_after: float = 0.0
    cpu_running: Cpu = field(default_factory=Cpu)  # after the first page: without the start-up's CPU
    pages_running: int = 0  # pages fetched while cpu_running was spent
    pace: list[dict[str, float]] = field(default_factory=list)  # the crawl's pace log, every PACE_EVERY s

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed if self.elapsed else 0.0

    @property
    def cpu_per_page_running(self) -> float:
        return self.cpu_running.total / self.pages_running if self.pages_running else 0.0


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the crawl's extraction workers)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return tree


def rss_mb(pid: int) -> tuple[float, float]:
    """RSS of the process tree in MB, and the part of it that is anonymous memory: the rest is mapped files
    (mostly the embedded index's segments, read by its merges and searchers: page cache the kernel can
    drop) and shared memory."""
    total = anonymous = 0.0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
                elif line.startswith("RssAnon:"):
                    anonymous += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total, anonymous


def peaks_per_minute(samples: list[tuple[float, float, float]], column: int, minutes: int) -> list[float]:
    """The largest value of `column` in each minute of (seconds, RSS, anonymous) samples."""
    return [max((s[column] for s in samples if m * 60 <= s[0] < (m + 1) * 60), default=0.0) for m in range(minutes)]


def _stat_ticks(path: str) -> list[int]:
    """utime, stime, cutime, cstime of a /proc stat file (fields after the command's closing parenthesis)."""
    return [int(value) for value in Path(path).read_text().rsplit(")", 1)[1].split()[11:15]]


def cpu_seconds(pid: int) -> Cpu:
    """User and system CPU of the process tree, split into the crawl process's main thread, its other
    threads, and its descendants (with their children that have already exited)."""
    try:
        utime, stime, cutime, cstime = _stat_ticks(f"/proc/{pid}/stat")
        main = sum(_stat_ticks(f"/proc/{pid}/task/{pid}/stat")[:2])
    except OSError:
        return Cpu()
    workers = cutime + cstime
    for member in process_tree(pid)[1:]:
        try:
            workers += sum(_stat_ticks(f"/proc/{member}/stat")[:2])
        except OSError:
            continue
    return Cpu(main / CLOCK_TICKS, (utime + stime - main) / CLOCK_TICKS, workers / CLOCK_TICKS)


# The network and crawl processes running, each the leader of a process group of its own (with the crawl's
# extraction workers): a stop signal to this script ends their groups (a terminal's Ctrl-C no longer
# reaches them itself).
CHILDREN: list[subprocess.Popen] = []
CHILDREN_GRACE = 30.0  # seconds for a crawl to close cleanly before its group is killed


def spawn(command: list[str], **options: Any) -> subprocess.Popen:
    child = subprocess.Popen(command, start_new_session=True, **options)  # noqa: S603 (our own interpreter and module)
    CHILDREN.append(child)
    return child


def stop_children(signum: int, _frame: object) -> None:
    """On SIGTERM or SIGINT: SIGTERM to every running child's group, SIGKILL to what outlives the grace, exit."""
    signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not cut the clean-up short
    running = [child for child in CHILDREN if child.poll() is None]
    for child in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + CHILDREN_GRACE
    for child in running:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # the group: extraction workers outlive their crawl
    raise SystemExit(128 + signum)


def start_network(args: argparse.Namespace, work: Path) -> tuple[subprocess.Popen[str], str]:
    shape = [
        f"--{name.replace('_', '-')}={getattr(args, name)}"
        for name in ("sites", "dead", "dead_delay", "rtt", "circuit", "bandwidth", "pages", "page_kb")
    ]
    network = spawn(
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
            started_at = time.time()
            crawl = spawn(
                crawl_command(name, work / "seeds.txt", proxy, [*settings, f"CLOSESPIDER_TIMEOUT={budget}"]),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            leg = watch(name, crawl, work / "net.json", budget, started_at)
            network.terminate()
            network.wait()
        leg.pace = pace_log((work / "crawl.log").read_text(errors="replace"))
        if args.keep_logs:
            kept = Path(args.keep_logs) / f"{name}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text((work / "crawl.log").read_text(errors="replace"))
    return leg


def watch(name: str, crawl: subprocess.Popen[bytes], net_stats: Path, budget: float, started_at: float) -> Leg:
    """Sample the crawl's RSS and CPU and the network's counters until the budget is spent."""
    leg, rss, cpu_at, start = Leg(name), [], Cpu(), time.monotonic()
    net: dict = {}
    first: tuple[int, Cpu] | None = None  # pages and CPU seconds at the first sample with pages
    while time.monotonic() - start < budget + SAMPLE_EVERY and crawl.poll() is None:
        time.sleep(SAMPLE_EVERY)
        rss.append((time.monotonic() - start, *rss_mb(crawl.pid)))
        if net_stats.exists():
            try:
                snapshot = json.loads(net_stats.read_text())
            except ValueError:
                continue  # caught mid-write; the next one will do
            if snapshot["elapsed"] <= budget:
                net, cpu_at = snapshot, cpu_seconds(crawl.pid)
                if first is None and net.get("pages"):
                    first = (net["pages"], cpu_at)
        print(
            f"  {name}: {time.monotonic() - start:5.0f} s, {net.get('pages', 0)} pages, "
            f"{net.get('sites_finished', 0)} sites done, RSS {rss[-1][1]:.0f} MB",
            flush=True,
        )
    tree = process_tree(crawl.pid)
    crawl.terminate()
    try:
        crawl.wait(120)
    except subprocess.TimeoutExpired:
        crawl.kill()
    for member in tree[1:]:  # extraction workers a killed crawl left behind (not a reused pid)
        with contextlib.suppress(OSError):
            if b"multiprocessing" in Path(f"/proc/{member}/cmdline").read_bytes():
                os.kill(member, signal.SIGKILL)
    minutes = max(1, int(budget // 60))
    leg.elapsed = net.get("elapsed", 0.0)
    leg.pages = net.get("pages", 0)
    leg.sites_finished = net.get("sites_finished", 0)
    leg.finished_per_minute = [
        sum(1 for t in net.get("finished_at", []) if m * 60 <= t < (m + 1) * 60) for m in range(minutes)
    ]
    leg.rss_per_minute = peaks_per_minute(rss, 1, minutes + 1)
    leg.anonymous_per_minute = peaks_per_minute(rss, 2, minutes + 1)
    samples = net.get("samples", [])
    leg.pages_per_minute = [per_minute(samples, m) for m in range(minutes)]
    leg.first_page_after = net["first_page_at"] - started_at if net.get("first_page_at") else 0.0
    leg.cpu = cpu_at
    if first is not None and leg.pages > first[0]:
        leg.cpu_running, leg.pages_running = cpu_at - first[1], leg.pages - first[0]
    busy = [s["busy"] for s in net.get("samples", []) if s["elapsed"] > 30]  # after the start-up
    leg.slot_use = sum(busy) / len(busy) if busy else 0.0
    for key in ("circuits", "streams", "keepalive_reuses", "streams_of_finished", "pages_again"):
        setattr(leg, key, net.get(key, 0))
    return leg


def pace_log(log: str) -> list[dict[str, float]]:
    """The crawl's `pace: {json}` lines, in order."""
    samples = []
    for line in log.splitlines():
        _, marker, rest = line.partition("] INFO: pace: ")
        if marker:
            with contextlib.suppress(ValueError):
                samples.append(json.loads(rest))
    return samples


def pace_summary(pace: list[dict[str, float]]) -> list[str]:
    """Mean of each pace figure per minute, from the first sample with a download on (the start-up left out)."""
    start = next((i for i, sample in enumerate(pace) if sample.get("downloading")), len(pace))
    running = pace[start:]
    per_minute = max(1, int(60 / PACE_EVERY))
    minutes = [running[i : i + per_minute] for i in range(0, len(running), per_minute)]
    lines = []
    for key in PACE_KEYS:
        if not any(key in sample for sample in running):
            continue
        means = [sum(s.get(key, 0) for s in minute) / len(minute) for minute in minutes]
        overall = sum(s.get(key, 0) for s in running) / len(running)
        lines.append(f"    {key:<18} {overall:7.1f}  per minute {[round(m, 1) for m in means]}")
    return lines


def per_minute(samples: list[dict], minute: int) -> float:
    """Pages/s in one minute of the network's samples (cumulative page counts every few seconds)."""
    inside = [(0.0, 0)] + [(s["elapsed"], s.get("pages", 0)) for s in samples if s["elapsed"] <= (minute + 1) * 60]
    before = [point for point in inside if point[0] <= minute * 60][-1]
    after = inside[-1]
    return (after[1] - before[1]) / (after[0] - before[0]) if after[0] > before[0] else 0.0


def report(legs: list[Leg], concurrency: int) -> None:
    for leg in legs:
        per_page = leg.cpu.total / leg.pages if leg.pages else 0.0
        rss = [round(mb) for mb in leg.rss_per_minute]
        print(f"\n{leg.name}")
        print(f"  pages/s            {leg.pages_per_s:.1f}  ({leg.pages} pages in {leg.elapsed:.0f} s)")
        print(f"  pages/s per minute {[round(rate, 1) for rate in leg.pages_per_minute]}")
        print(f"  first page after   {leg.first_page_after:.0f} s (from the crawl process's start)")
        print(f"  sites finished     {leg.sites_finished}; per minute {leg.finished_per_minute}")
        print(f"  peak RSS           {max(rss, default=0)} MB; per minute {rss}")
        anonymous = [round(mb) for mb in leg.anonymous_per_minute]
        print(f"    anonymous        {max(anonymous, default=0)} MB; per minute {anonymous} (the rest: mapped files)")
        print(f"  CPU s/page         {per_page:.4f}  ({leg.cpu.total:.0f} CPU s)")
        print(f"  CPU s/page running {leg.cpu_per_page_running:.4f}  (after the first page: no start-up)")
        running = leg.cpu_running
        pages = leg.pages_running or 1
        print(
            f"    by process       crawl {running.crawl / pages:.4f} (reactor thread {running.reactor / pages:.4f}, "
            f"other threads {running.threads / pages:.4f}); extraction workers {running.workers / pages:.4f}"
        )
        print(f"  slot use           {leg.slot_use:.0f} of {concurrency} busy ({leg.slot_use / concurrency:.0%})")
        print(f"  circuits built     {leg.circuits}; streams {leg.streams}; keep-alive reuses {leg.keepalive_reuses}")
        if leg.sites_finished:
            print(f"  streams a site     {leg.streams_of_finished / leg.sites_finished:.1f} (mean over sites finished)")
        print(f"  pages twice        {leg.pages_again}")
        if leg.pace:
            print(f"  scheduling         means of the crawl's pace log (every {PACE_EVERY:.0f} s, from a download on)")
            print("\n".join(pace_summary(leg.pace)))
    if len(legs) == 2 and legs[1].pages_per_s:
        print(f"\nratio oniondex / plain Scrapy: {legs[0].pages_per_s / legs[1].pages_per_s:.2f} (pages/s)")
        cpu = [leg.cpu.total / leg.pages if leg.pages else 0.0 for leg in legs]
        running = [leg.cpu_per_page_running for leg in legs]
        if cpu[1] and running[1]:
            print(f"CPU s/page oniondex / plain Scrapy: {cpu[0] / cpu[1]:.2f} ({running[0] / running[1]:.2f} running)")
    print(f"load average at the end: {os.getloadavg()}")
    if len(legs) == 2 and legs[1].pages_per_s:
        done_when(legs[0], legs[1])


def done_when(ours: Leg, plain: Leg) -> None:
    """Issue 13's figures for a 10-minute run at 10,000 sites, checked (on a quiet machine they mean something)."""
    checks = {
        "at least 40 pages/s": ours.pages_per_s >= 40,
        "at least 3x plain Scrapy": ours.pages_per_s >= 3 * plain.pages_per_s,
        "sites finished in every minute": bool(ours.finished_per_minute) and all(ours.finished_per_minute),
        "peak RSS at most 1 GB": max(ours.rss_per_minute, default=0.0) <= 1024,
    }
    print("done-when: " + "; ".join(f"{name}: {'yes' if ok else 'NO'}" for name, ok in checks.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shape_arguments(parser)
    parser.add_argument("--minutes", type=float, default=3.0, help="time budget of each crawl")
    parser.add_argument("--concurrency", type=int, default=oniondex_defaults.CONCURRENT_REQUESTS, help="both legs")
    parser.add_argument("--per-site", type=int, default=oniondex_defaults.CONCURRENT_REQUESTS_PER_DOMAIN)
    parser.add_argument("--legs", default="oniondex,scrapy", help="which crawls, in order")
    parser.add_argument("--keep-logs", default="", help="copy each crawl's log into this folder")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting for the oniondex leg"
    )
    args = parser.parse_args()
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, stop_children)
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
        f"{args.minutes} min per crawl; {' '.join(settings)}; "
        f"oniondex with its defaults{' and ' + ' '.join(args.set) if args.set else ''}; "
        f"load {os.getloadavg()}",
        flush=True,
    )
    ours = [f"ONIONDEX_PACE_INTERVAL={PACE_EVERY}", *args.set]
    legs = [run_leg(name, args, [*settings, *(ours if name == "oniondex" else [])]) for name in args.legs.split(",")]
    report(legs, args.concurrency)


if __name__ == "__main__":
    main()
