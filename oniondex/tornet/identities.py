"""Keys made before any tor starts: authority v3 identities (tor-gencert) and relay fingerprints."""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

from oniondex.tornet.errors import TorNetError

if TYPE_CHECKING:
    from oniondex.tornet.torrc import NodeSpec

TOR = "tor"
TOR_GENCERT = "tor-gencert"
_CERT_MONTHS = "12"
_FINGERPRINT_RE = re.compile(r"^fingerprint ([0-9A-F]{40})$", re.MULTILINE)
_TIMEOUT = 60


def _run(argv: list[str], stdin: bytes = b"") -> None:
    try:
        subprocess.run(argv, input=stdin, capture_output=True, check=True, timeout=_TIMEOUT)  # noqa: S603
    except FileNotFoundError as exc:
        raise TorNetError(f"{argv[0]} is not installed (Debian: apt-get install tor)") from exc
    except subprocess.CalledProcessError as exc:
        output = (exc.stdout + exc.stderr).decode(errors="replace")[-2000:]
        raise TorNetError(f"{argv[0]} failed with exit code {exc.returncode}:\n{output}") from exc


def prepare_datadir(node: NodeSpec) -> None:
    (node.datadir / "keys").mkdir(mode=0o700, parents=True, exist_ok=True)
    node.datadir.chmod(0o700)


def make_authority_v3ident(node: NodeSpec) -> str:
    """Create the authority's v3 identity, signing key and certificate; returns its v3ident."""
    prepare_datadir(node)
    keys = node.datadir / "keys"
    cert = keys / "authority_certificate"
    _run(
        [
            TOR_GENCERT,
            "--create-identity-key",
            "-m",
            _CERT_MONTHS,
            "-a",
            f"127.0.0.1:{node.dir_port}",
            "-i",
            str(keys / "authority_identity_key"),
            "-s",
            str(keys / "authority_signing_key"),
            "-c",
            str(cert),
            "--passphrase-fd",
            "0",
        ]
    )
    match = _FINGERPRINT_RE.search(cert.read_text())
    if match is None:
        raise TorNetError(f"no fingerprint line in {cert}")
    return match.group(1)


def make_relay_fingerprint(node: NodeSpec) -> str:
    """Create the relay identity keys in the node's DataDirectory; returns its RSA fingerprint."""
    prepare_datadir(node)
    empty = node.datadir / "empty-torrc"
    empty.write_text("")
    _run(
        [
            TOR,
            "--list-fingerprint",
            "-f",
            str(empty),
            "--defaults-torrc",
            str(empty),
            "--DataDirectory",
            str(node.datadir),
            "--Nickname",
            node.nickname,
            "--Address",
            "127.0.0.1",
            "--ORPort",
            f"127.0.0.1:{node.or_port}",
            "--ContactInfo",
            "oniondex-tornet@localhost",
            "--ExitRelay",
            "0",
        ]
    )
    _nickname, fingerprint = (node.datadir / "fingerprint").read_text().split(maxsplit=1)
    return fingerprint.replace(" ", "").strip()
