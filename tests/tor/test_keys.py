"""Key files in Tor's format give each service exactly the name its seed implies — and Tor agrees."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from oniondex.onion import onion_from_pubkey, pubkey_from_onion
from oniondex.tornet import TorNet, onion_for_seed, write_hs_keys
from oniondex.tornet.keys import HOSTNAME_FILE, PUBLIC_KEY_FILE, SECRET_KEY_FILE, expanded_secret_key, public_key
from sample_darknet import build_world

pytestmark = pytest.mark.tor

# RFC 8032 section 7.1, TEST 1: secret key seed and its public key.
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


def test_public_key_matches_rfc8032_vector() -> None:
    assert public_key(RFC8032_SEED) == RFC8032_PUBLIC


def test_expanded_key_is_clamped_sha512_of_seed() -> None:
    expanded = expanded_secret_key(RFC8032_SEED)
    digest = hashlib.sha512(RFC8032_SEED).digest()
    assert len(expanded) == 64
    assert expanded[32:] == digest[32:]
    assert expanded[0] & 7 == 0
    assert expanded[31] & 0xC0 == 0x40
    assert expanded[1:31] == digest[1:31]


def test_key_files_have_tor_headers_and_sizes(tmp_path: Path) -> None:
    name = write_hs_keys(tmp_path / "hs", RFC8032_SEED)
    secret = (tmp_path / "hs" / SECRET_KEY_FILE).read_bytes()
    public = (tmp_path / "hs" / PUBLIC_KEY_FILE).read_bytes()
    assert secret == b"== ed25519v1-secret: type0 ==\x00\x00\x00" + expanded_secret_key(RFC8032_SEED)
    assert public == b"== ed25519v1-public: type0 ==\x00\x00\x00" + RFC8032_PUBLIC
    assert (tmp_path / "hs" / HOSTNAME_FILE).read_text() == name + "\n"
    assert (tmp_path / "hs").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "hs" / SECRET_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_name_is_onion_from_pubkey(tmp_path: Path) -> None:
    name = write_hs_keys(tmp_path, RFC8032_SEED)
    assert name == onion_from_pubkey(RFC8032_PUBLIC) == onion_for_seed(RFC8032_SEED)
    assert pubkey_from_onion(name) == RFC8032_PUBLIC


def test_sample_darknet_names_are_their_key_names() -> None:
    sites = build_world().sites
    assert sites
    assert {onion_for_seed(site.key_seed) for site in sites.values()} == set(sites)


def test_seed_must_be_32_bytes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        write_hs_keys(tmp_path, b"short")


def test_tor_publishes_exactly_the_names_the_keys_imply(
    tornet: TorNet, service_seeds: list[bytes], truth: dict
) -> None:
    served = [host for host, site in truth["sites"].items() if site["status"] != "dead"]
    expected = [onion_for_seed(seed) for seed in service_seeds] + served
    assert tornet.onion_names == expected
    # HS_DESC UPLOADED events named exactly these services ...
    assert tornet.published == set(expected)
    # ... and the hostname files (deleted before start) are the ones Tor wrote from our key files.
    written = {p.read_text().strip() for d in tornet.onion_host_dirs for p in d.glob(f"hs/*/{HOSTNAME_FILE}")}
    assert written == set(expected)
