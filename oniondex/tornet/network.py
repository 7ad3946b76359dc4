"""TorNet: a whole private Tor network on 127.0.0.1 hosting given ed25519 keys as onion services."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from oniondex.tornet import socks
from oniondex.tornet.clearnet import ClearnetStandIn, DnsSink, client_lines, exit_lines
from oniondex.tornet.consensus import not_ready
from oniondex.tornet.control import ControlConnection
from oniondex.tornet.errors import TorNetError
from oniondex.tornet.keys import HOSTNAME_FILE, onion_for_seed, write_hs_keys
from oniondex.tornet.layout import Backbone, plan_backbone, spread
from oniondex.tornet.ports import PortAllocator
from oniondex.tornet.process import TorProcess
from oniondex.tornet.torrc import (
    NodeSpec,
    ServiceSpec,
    authority_torrc,
    client_torrc,
    onion_host_torrc,
    relay_torrc,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

logger = logging.getLogger(__name__)

SERVICES_PER_HOST = 20
ATTEMPTS = 2
_POLL = 0.5
# A connected rendezvous shows the path works even when the web server behind it is down (0x01).
_PROBE_OK = {socks.SUCCEEDED, socks.GENERAL_FAILURE}
# A stream the exit opened and the stand-in refused shows the exit path works too.
_CLEARNET_PROBE_OK = {socks.SUCCEEDED, socks.GENERAL_FAILURE, socks.CONNECTION_REFUSED}


class TorNet:
    """Authorities, relays, onion host(s) and one client, all on 127.0.0.1, state under `workdir`.

    `services` are (32-byte ed25519 key seed, target port) pairs: service i is published under
    `onion_names[i]` and maps virtual port 80 to `target_host:target_port`. With `clearnet` stand-ins,
    relay0 is an exit that reaches their loopback addresses only, and the client maps each name there.
    """

    def __init__(
        self,
        workdir: Path,
        services: Sequence[tuple[bytes, int]],
        target_host: str = "127.0.0.1",
        services_per_host: int = SERVICES_PER_HOST,
        clearnet: Sequence[ClearnetStandIn] = (),
    ) -> None:
        self.workdir = Path(workdir)
        self.services = list(services)
        self.target_host = target_host
        self.services_per_host = services_per_host
        self.onion_names = [onion_for_seed(seed) for seed, _ in self.services]
        self.clearnet = list(clearnet)
        self.dns: DnsSink | None = None  # the exit's nameserver, while a network with an exit runs
        self.exit_fingerprint = ""
        self.published: set[str] = set()
        self.bring_up_seconds: float | None = None
        self._processes: list[TorProcess] = []
        self._client: TorProcess | None = None
        self._hosts: list[TorProcess] = []
        self._socks_port = 0
        self._control_port = 0
        self._root = self.workdir

    # -- public API ---------------------------------------------------------------------------

    @property
    def socks_port(self) -> int:
        return self._socks_port

    @property
    def socks_url(self) -> str:
        return f"socks5h://127.0.0.1:{self._socks_port}"

    @property
    def control_port(self) -> int:
        """The client's control port (fixed for the network's life, also across start_client)."""
        return self._control_port

    @property
    def cookie_path(self) -> Path:
        return self._client_process().node.cookie_path

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None and p.is_running()]

    @property
    def onion_host_dirs(self) -> list[Path]:
        return [host.node.datadir for host in self._hosts]

    def controller(self) -> ControlConnection:
        """A new authenticated control connection to the client; close it when done."""
        return ControlConnection(self._control_port, self.cookie_path)

    def start(self, timeout: float = 180.0, probe: bool = True) -> None:
        """Bring the network up; ready when the client is bootstrapped and every descriptor is
        uploaded (and, with `probe`, every service answered a SOCKS connect). Retries once."""
        started = time.monotonic()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                self._bring_up(attempt, time.monotonic() + timeout, probe)
            except (TorNetError, OSError) as exc:
                self.stop()
                if attempt == ATTEMPTS:
                    raise
                logger.warning("private Tor network attempt %d failed, retrying: %s", attempt, exc)
            except BaseException:
                self.stop()
                raise
            else:
                self.bring_up_seconds = time.monotonic() - started
                return

    def stop(self) -> None:
        """Stop every tor by its process id: SIGTERM, then SIGKILL after 5 s."""
        processes, self._processes = self._processes, []
        _stop_all(processes)
        if self.dns is not None:
            self.dns.close()

    def stop_client(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Stop only the client tor (pass signal.SIGKILL to kill it outright, as a crash would)."""
        self._client_process().stop(sig)

    def start_client(self, timeout: float = 60.0) -> None:
        """Start the stopped client again on the same SOCKS and control ports; wait for bootstrap."""
        old = self._client_process()
        if old.is_running():
            raise TorNetError("the client tor is still running; stop_client() first")
        self._processes.remove(old)
        client = self._launch(old.node, old.torrc)
        self._client = client
        with ControlConnection(client.control_port(), client.node.cookie_path) as control:
            control.set_conf({"DisableNetwork": "0"})
            self._wait_bootstrapped(control, client, time.monotonic() + timeout)

    def __enter__(self) -> TorNet:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- bring-up stages ----------------------------------------------------------------------

    def _bring_up(self, attempt: int, deadline: float, probe: bool) -> None:
        self._root = self.workdir / f"attempt-{attempt}"
        shutil.rmtree(self._root, ignore_errors=True)
        self._root.mkdir(mode=0o700, parents=True)
        self._hosts, self.published = [], set()
        ports = PortAllocator()
        stage = _StageTimer()
        backbone = plan_backbone(self._root, ports)
        stage.done("identities made")
        self._start_backbone(backbone)
        self._socks_port, self._control_port = ports.take(), ports.take()
        hosts = self._launch_edges(backbone)
        self._wait_consensus(backbone, deadline)
        stage.done("consensus complete")
        self._connect_edges(hosts, deadline)
        stage.done(f"client bootstrapped, {len(self.onion_names)} descriptors uploaded")
        if probe:
            self._probe_services(deadline)
            stage.done("every service answered a SOCKS connect")
        if self.clearnet:
            self._probe_clearnet(deadline)
            stage.done(f"the exit reached {len(self.clearnet)} clearnet stand-in(s)")

    def _launch(self, node: NodeSpec, torrc: str) -> TorProcess:
        process = TorProcess(node, torrc)
        process.start()
        self._processes.append(process)
        return process

    def _start_backbone(self, backbone: Backbone) -> None:
        owner, auths = os.getpid(), backbone.authorities
        relay_exit, auth_exit = self._exit_lines(backbone)
        for auth in auths:
            self._launch(auth.node, authority_torrc(auth.node, auths, owner, backbone.bandwidth_file, auth_exit))
        for i, relay in enumerate(backbone.relays):
            self._launch(relay, relay_torrc(relay, auths, owner, relay_exit if i == 0 else ()))

    def _exit_lines(self, backbone: Backbone) -> tuple[list[str], list[str]]:
        """The exit relay's lines, and the authorities' (they vote it Exit: a policy that accepts only
        loopback earns no Exit flag, and a client without an exit in its consensus opens no stream)."""
        if not self.clearnet:
            return [], []
        self.dns = DnsSink()
        resolv = self._root / "exit-resolv.conf"
        resolv.write_text(self.dns.resolv_conf_text())
        self.exit_fingerprint = backbone.fingerprints[backbone.relays[0].nickname]
        return exit_lines(self.clearnet, str(resolv)), [f"TestingDirAuthVoteExit ${self.exit_fingerprint}"]

    def _wait_consensus(self, backbone: Backbone, deadline: float) -> None:
        """Every tor Running and Valid, every plain relay weighted, in every authority's consensus."""
        running, weighted = set(backbone.fingerprints.values()), backbone.relay_fingerprints
        missing = running
        while time.monotonic() < deadline:
            self._check_alive()
            missing = set().union(*(not_ready(a.node.dir_port, running, weighted) for a in backbone.authorities))
            if not missing:
                return
            time.sleep(_POLL)
        names = sorted(name for name, fp in backbone.fingerprints.items() if fp in missing)
        raise TorNetError(f"consensus still lacks usable relays {names} at the deadline")

    def _launch_edges(self, backbone: Backbone) -> list[TorProcess]:
        """Onion hosts and client start offline (DisableNetwork 1) while the consensus forms."""
        owner, auths = os.getpid(), backbone.authorities
        groups = spread(list(range(len(self.services))), self.services_per_host)
        hosts = [self._launch_host(i, group, backbone) for i, group in enumerate(groups)]
        client_node = NodeSpec("client", self._root / "client")
        client_node.datadir.mkdir(mode=0o700)
        extra = client_lines(self.clearnet, self.exit_fingerprint) if self.clearnet else []
        self._client = self._launch(
            client_node, client_torrc(client_node, auths, owner, self._socks_port, self._control_port, extra)
        )
        return hosts

    def _connect_edges(self, hosts: list[TorProcess], deadline: float) -> None:
        """Subscribe to HS_DESC on every host, then let hosts and client go online."""
        client = self._client_process()
        controls = [ControlConnection(h.control_port(), h.node.cookie_path) for h in hosts]
        try:
            client_control = ControlConnection(client.control_port(), client.node.cookie_path)
            controls.append(client_control)
            for control in controls[:-1]:
                control.set_events("HS_DESC")
            for control in controls:
                control.set_conf({"DisableNetwork": "0"})
            self._wait_bootstrapped(client_control, client, deadline)
            self._wait_published(controls[:-1], deadline)
        finally:
            for control in controls:
                control.close()

    def _launch_host(self, index: int, group: list[int], backbone: Backbone) -> TorProcess:
        node = NodeSpec(f"onionhost{index}", self._root / f"onionhost{index}")
        node.datadir.mkdir(mode=0o700)
        services = []
        for i in group:
            seed, port = self.services[i]
            hs_dir = node.datadir / "hs" / f"service{i}"
            write_hs_keys(hs_dir, seed)
            (hs_dir / HOSTNAME_FILE).unlink()  # Tor writes the name it derives from the key itself.
            services.append(ServiceSpec(hs_dir, self.target_host, port))
        host = self._launch(node, onion_host_torrc(node, backbone.authorities, os.getpid(), services))
        self._hosts.append(host)
        return host

    def _wait_bootstrapped(self, control: ControlConnection, process: TorProcess, deadline: float) -> None:
        while time.monotonic() < deadline:
            self._check_alive()
            phase = control.get_info("status/bootstrap-phase")["status/bootstrap-phase"]
            if "PROGRESS=100" in phase:
                return
            time.sleep(_POLL)
        raise process.failure("client did not reach bootstrap 100% before the deadline")

    def _wait_published(self, controls: list[ControlConnection], deadline: float) -> None:
        wanted = {name.removesuffix(".onion") for name in self.onion_names}
        uploaded: set[str] = set()
        while time.monotonic() < deadline and not wanted <= uploaded:
            self._check_alive()
            for control in controls:
                uploaded |= {e.args[1] for e in control.drain_events() if e.args[:1] == ["UPLOADED"]}
            time.sleep(0.1)
        self.published = {f"{name}.onion" for name in uploaded & wanted}
        if not wanted <= uploaded:
            raise TorNetError(f"{len(wanted - uploaded)} of {len(wanted)} descriptors not uploaded by the deadline")

    def _probe_services(self, deadline: float) -> None:
        with ThreadPoolExecutor(max_workers=min(20, len(self.onion_names) or 1)) as pool:
            results = list(pool.map(lambda name: self._probe(name, deadline), self.onion_names))
        failed = [name for name, ok in zip(self.onion_names, results, strict=True) if not ok]
        if failed:
            raise TorNetError(f"SOCKS connect to {len(failed)} onion service(s) failed, e.g. {failed[0]}")

    def _probe_clearnet(self, deadline: float) -> None:
        for stand_in in self.clearnet:
            if not self._probe(stand_in.name, deadline, stand_in.port, _CLEARNET_PROBE_OK):
                raise TorNetError(f"no stream to {stand_in.name} through the exit before the deadline")

    def _probe(self, name: str, deadline: float, port: int = 80, ok: frozenset[int] | set[int] = _PROBE_OK) -> bool:
        while time.monotonic() < deadline:
            try:
                code = socks.socks5_connect_reply(self._socks_port, name, port, username="tornet-probe")
            except OSError as exc:
                logger.debug("probe of %s failed: %s; retrying", name, exc)
            else:
                if code in ok:
                    return True
                logger.debug("probe of %s got SOCKS reply %#04x; retrying", name, code)
            time.sleep(1.0)
        return False

    def _check_alive(self) -> None:
        for process in self._processes:
            if not process.is_running():
                raise process.failure("exited unexpectedly")

    def _client_process(self) -> TorProcess:
        if self._client is None:
            raise TorNetError("the network has not been started")
        return self._client


class _StageTimer:
    def __init__(self) -> None:
        self._start = self._last = time.monotonic()

    def done(self, what: str) -> None:
        now = time.monotonic()
        logger.info("tornet: %s after %.1f s (total %.1f s)", what, now - self._last, now - self._start)
        self._last = now


def _stop_all(processes: list[TorProcess]) -> None:
    with ThreadPoolExecutor(max_workers=max(1, len(processes))) as pool:
        list(pool.map(lambda process: process.stop(), reversed(processes)))
