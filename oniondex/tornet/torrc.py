"""torrc text for each role in the private network, written from Tor's manual.

Every tor gets the common test-network options; authorities add voting, relays add an ORPort,
the onion host adds its HiddenServiceDirs and the client its SocksPort. Why the less obvious
options are there:

- Bandwidth: fresh relays report ~0 KB/s and get consensus weight 0 ("Failed to find node for
  hop"), so authorities read a V3BandwidthsFile listing every relay.
- Stable: onion circuits want Stable relays; new relays have no uptime (AuthDirVoteStable*).
- LearnCircuitBuildTimeout 0: on loopback the learned cutoff is tiny and kills slowed circuits.
- VanguardsLiteEnabled 0: in a five-relay network it makes onion circuits fail over and over.
- Only authorities serve directory information (DirCache 0 on relays) and only they are HSDirs:
  a relay cache that has not yet fetched the newest microdescriptors answers 404 and costs the
  client a 10 s retry.
- A 20 s voting interval makes the onion "time period" 24 x 20 s = 8 minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

VOTING_INTERVAL = 20
VOTE_DELAY = 4
DIST_DELAY = 4
# Relays publish their descriptors only once they hold a consensus, so the first consensus is
# always empty: a short initial round gets it out of the way sooner.
INITIAL_VOTING_INTERVAL = 10
INITIAL_DELAY = 2
BANDWIDTH_KBPS = 1000


@dataclass(frozen=True)
class NodeSpec:
    """One tor process: nickname, data directory and the ports others must know."""

    nickname: str
    datadir: Path
    or_port: int = 0
    dir_port: int = 0

    @property
    def torrc_path(self) -> Path:
        return self.datadir / "torrc"

    @property
    def control_port_file(self) -> Path:
        return self.datadir / "control_port"

    @property
    def cookie_path(self) -> Path:
        return self.datadir / "control_auth_cookie"

    @property
    def log_path(self) -> Path:
        return self.datadir / "notice.log"

    @property
    def pid_path(self) -> Path:
        return self.datadir / "tor.pid"


@dataclass(frozen=True)
class AuthorityId:
    """What every tor needs to trust an authority: its v3 identity and relay fingerprint."""

    node: NodeSpec
    v3ident: str
    fingerprint: str

    def dir_authority_line(self) -> str:
        node = self.node
        return (
            f"DirAuthority {node.nickname} orport={node.or_port} no-v2 v3ident={self.v3ident} "
            f"127.0.0.1:{node.dir_port} {self.fingerprint}"
        )


@dataclass(frozen=True)
class ServiceSpec:
    """One onion service: its HiddenServiceDir and where virtual port 80 goes."""

    hs_dir: Path
    target_host: str
    target_port: int


def common_lines(
    node: NodeSpec, authorities: Sequence[AuthorityId], owner_pid: int, control_port: int | None = None
) -> list[str]:
    return [
        "TestingTorNetwork 1",
        f"Nickname {node.nickname}",
        f"DataDirectory {node.datadir}",
        f"PidFile {node.pid_path}",
        f"Log notice file {node.log_path}",
        "SafeLogging 0",
        f"ControlPort 127.0.0.1:{control_port}" if control_port else "ControlPort auto",
        f"ControlPortWriteToFile {node.control_port_file}",
        "CookieAuthentication 1",
        f"CookieAuthFile {node.cookie_path}",
        f"__OwningControllerProcess {owner_pid}",
        "SocksPort 0",
        "AssumeReachable 1",
        "PathsNeededToBuildCircuits 0.25",
        "TestingDirAuthVoteGuard *",
        "V3AuthNIntervalsValid 2",
        "ShutdownWaitLength 0",
        "AvoidDiskWrites 1",
        "LearnCircuitBuildTimeout 0",
        "CircuitBuildTimeout 30",
        "VanguardsLiteEnabled 0",
        "ClientUseIPv6 0",
        *(authority.dir_authority_line() for authority in authorities),
    ]


def _relay_lines(node: NodeSpec, exit_lines: Sequence[str] = ()) -> list[str]:
    return [
        "Address 127.0.0.1",
        f"ORPort 127.0.0.1:{node.or_port}",
        "ContactInfo oniondex-tornet@localhost",
        *(exit_lines or ["ExitRelay 0", "ExitPolicy reject *:*"]),
    ]


def authority_torrc(
    node: NodeSpec,
    authorities: Sequence[AuthorityId],
    owner_pid: int,
    bandwidth_file: Path,
    extra_lines: Sequence[str] = (),
) -> str:
    return _text(
        list(extra_lines),
        common_lines(node, authorities, owner_pid),
        _relay_lines(node),
        [
            f"DirPort 127.0.0.1:{node.dir_port}",
            "AuthoritativeDirectory 1",
            "V3AuthoritativeDirectory 1",
            f"V3BandwidthsFile {bandwidth_file}",
            "AuthDirVoteStableGuaranteeMinUptime 0",
            "AuthDirVoteStableGuaranteeMTBF 0",
            "TestingDirAuthVoteHSDir " + ",".join(f"${a.fingerprint}" for a in authorities),
            "TestingDirAuthVoteHSDirIsStrict 1",
            f"TestingV3AuthInitialVotingInterval {INITIAL_VOTING_INTERVAL}",
            f"TestingV3AuthInitialVoteDelay {INITIAL_DELAY}",
            f"TestingV3AuthInitialDistDelay {INITIAL_DELAY}",
            f"V3AuthVotingInterval {VOTING_INTERVAL}",
            f"V3AuthVoteDelay {VOTE_DELAY}",
            f"V3AuthDistDelay {DIST_DELAY}",
        ],
    )


def relay_torrc(
    node: NodeSpec, authorities: Sequence[AuthorityId], owner_pid: int, exit_lines: Sequence[str] = ()
) -> str:
    """A middle relay, or with `exit_lines` (see clearnet.exit_lines) the network's exit."""
    return _text(common_lines(node, authorities, owner_pid), _relay_lines(node, exit_lines), ["DirCache 0"])


def onion_host_torrc(
    node: NodeSpec, authorities: Sequence[AuthorityId], owner_pid: int, services: Sequence[ServiceSpec]
) -> str:
    service_lines = []
    for service in services:
        service_lines += [
            f"HiddenServiceDir {service.hs_dir}",
            f"HiddenServicePort 80 {service.target_host}:{service.target_port}",
        ]
    # Started offline so the controller subscribes to HS_DESC before the first upload.
    return _text(common_lines(node, authorities, owner_pid), ["DisableNetwork 1"], service_lines)


def client_torrc(
    node: NodeSpec,
    authorities: Sequence[AuthorityId],
    owner_pid: int,
    socks_port: int,
    control_port: int,
    extra_lines: Sequence[str] = (),
) -> str:
    """The client keeps fixed SOCKS and control ports so a restarted client is found again."""
    common = common_lines(node, authorities, owner_pid, control_port)
    return _text(
        [line for line in common if line != "SocksPort 0"],
        [f"SocksPort 127.0.0.1:{socks_port} IsolateSOCKSAuth ExtendedErrors", "DisableNetwork 1"],
        list(extra_lines),
    )


def bandwidth_file_text(fingerprints: Iterable[str], timestamp: int) -> str:
    """A V3BandwidthsFile (bandwidth-file-spec 1.0.0) giving every relay a measured bandwidth."""
    lines = [str(timestamp)] + [f"node_id=${fp} bw={BANDWIDTH_KBPS}" for fp in fingerprints]
    return "\n".join(lines) + "\n"


def _text(*groups: list[str]) -> str:
    return "\n".join(line for group in groups for line in group) + "\n"
