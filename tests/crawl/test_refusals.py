"""No Tor, no crawl: each wrong proxy is refused before a single request, with a message saying why."""

import socket
import subprocess
import sys

import pytest

from tests.conftest import SAMPLE_SEEDS, run_crawl


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("proxy", "message"),
    [
        ("", "never crawls without Tor"),
        ("http://127.0.0.1:8118", "use socks5h://"),
        ("socks5h://127.0.0.1:{free}", "no proxy answers"),
        ("socks5h://{darknet}", "does not speak SOCKS5"),
    ],
)
def test_crawl_refuses_without_tor(tmp_path, darknet, proxy, message):
    proxy = proxy.format(free=free_port(), darknet=darknet.url.removeprefix("http://"))
    before = len(darknet.log())
    run = run_crawl(tmp_path, SAMPLE_SEEDS, proxy, timeout=60)
    assert run.returncode == 3, run.output[-2000:]
    assert "crawl refused" in run.output
    assert message in run.output
    assert len([e for e in darknet.log()[before:] if e.get("path") != "/"]) == 0


def test_bad_seed_file_is_refused(tmp_path, socks_front):
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("http://example.com/\n", encoding="utf-8")
    run = run_crawl(tmp_path, seeds, socks_front.url, timeout=60)
    assert run.returncode == 2
    assert f"{seeds}:1: error:" in run.output


@pytest.mark.parametrize(("status", "returncode", "says"), [("up", 0, "HTTP 200"), ("dead", 1, "FAIL")])
def test_tor_check_against_the_stand_in(socks_front, truth, status, returncode, says):
    host = next(h for h, s in truth["sites"].items() if s["status"] == status)
    command = ["oniondex", "tor", "check", "--proxy", socks_front.url, "--control-port", "0", "--onion", host]
    done = subprocess.run([sys.executable, "-m", *command], capture_output=True, text=True, check=False)
    assert done.returncode == returncode, done.stdout
    assert says in done.stdout
