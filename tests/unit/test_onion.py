import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from oniondex.onion import OnionAddressError, normalise_onion, onion_from_pubkey, pubkey_from_onion

# The example from Tor's rend-spec-v3 and the Tor Project's own onion.
TORPROJECT = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion"


def _pubkey(seed: int) -> bytes:
    key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(str(seed).encode()).digest())
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_known_address_is_valid():
    assert normalise_onion(TORPROJECT.upper()) == TORPROJECT


def test_round_trip_from_key():
    pub = _pubkey(1)
    name = onion_from_pubkey(pub)
    assert len(name) == 62
    assert pubkey_from_onion(name) == pub


def test_subdomain_is_dropped():
    assert normalise_onion("www." + TORPROJECT) == TORPROJECT


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("expyuzz4wqqyqhjn.onion", "v2"),
        (TORPROJECT[:10] + ("a" if TORPROJECT[10] != "a" else "b") + TORPROJECT[11:], "checksum"),
        ("example.com", "not an .onion"),
        ("abc.onion", "not a v3"),
    ],
)
def test_rejections_say_why(host, reason):
    with pytest.raises(OnionAddressError, match=reason):
        normalise_onion(host)


def test_wrong_version_byte():
    pub = _pubkey(2)
    raw = pub + b"\x00\x00" + b"\x04"
    name = base64.b32encode(raw).decode().lower() + ".onion"
    with pytest.raises(OnionAddressError, match="version byte 4"):
        normalise_onion(name)
