"""Our own vectors from the specs, and encoder/decoder round trips."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oniondex.entities.base58coins import validate_base58
from oniondex.entities.cashaddr import validate_cashaddr
from oniondex.entities.codecs import (
    CodecError,
    base58check_decode,
    base58check_encode,
    cashaddr_decode,
    cashaddr_encode,
    convertbits,
    eip55,
    five_bit_bytes,
    monero_decode,
    monero_encode,
    segwit_decode,
    segwit_encode,
)
from oniondex.entities.monero import validate_monero
from oniondex.entities.segwit import validate_segwit
from oniondex.onion import normalise_onion, onion_from_pubkey

# EIP-55 (eips.ethereum.org/EIPS/eip-55, "Test Cases").
EIP55_CASES = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]
# CashAddr spec "Larger test vectors": (kind, hash size) -> address, all for one 0xF5BF48B3… prefix pattern.
CASHADDR_CASES = [
    ("bitcoincash", 0, "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9", "qr6m7j9njldwwzlg9v7v53unlr4jkmx6eylep8ekg2"),
    ("bchtest", 1, "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9", "pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t"),
    ("pref", 1, "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9", "pr6m7j9njldwwzlg9v7v53unlr4jkmx6ey65nvtks5"),
    ("prefix", 15, "F5BF48B397DAE70BE82B3CCA4793F8EB2B6CDAC9", "0r6m7j9njldwwzlg9v7v53unlr4jkmx6ey3qnjwsrf"),
    ("bitcoincash", 0, "7ADBF6C17084BC86C1706827B41A56F5CA32865925E946EA",
     "q9adhakpwzztepkpwp5z0dq62m6u5v5xtyj7j3h2ws4mr9g0"),
    ("bitcoincash", 0, "3A84F9CF51AAE98A3BB3A78BF16A6183790B18719126325BFC0C075B",
     "qgagf7w02x4wnz3mkwnchut2vxphjzccwxgjvvjmlsxqwkcw59jxxuz"),
    ("bitcoincash", 0, "3173EF6623C6B48FFD1A3DCC0CC6489B0A07BB47A37F47CFEF4FE69DE825C060",
     "qvch8mmxy0rtfrlarg7ucrxxfzds5pamg73h7370aa87d80gyhqxq5nlegake"),
]  # fmt: skip


@pytest.mark.parametrize("address", EIP55_CASES)
def test_eip55_spec_cases(address: str) -> None:
    assert eip55(bytes.fromhex(address[2:])) == address


@pytest.mark.parametrize(("prefix", "kind", "hexhash", "payload"), CASHADDR_CASES)
def test_cashaddr_spec_cases(prefix: str, kind: int, hexhash: str, payload: str) -> None:
    assert cashaddr_encode(prefix, kind, bytes.fromhex(hexhash)) == payload
    assert cashaddr_decode(f"{prefix}:{payload}") == (prefix, kind, bytes.fromhex(hexhash))


def test_cashaddr_encode_rejects_unknown_hash_sizes() -> None:
    with pytest.raises(CodecError):
        cashaddr_encode("bitcoincash", 0, bytes(21))


def test_base58check_known_vector() -> None:
    # Bitcoin's all-zero hash160 P2PKH address, a well-known burn address.
    assert base58check_encode(b"\x00", bytes(20)) == "1111111111111111111114oLvT2"
    assert base58check_decode("1111111111111111111114oLvT2") == bytes(21)


def test_segwit_encode_follows_bip350() -> None:
    # BIP-350 test vector: witness v1, 32-byte program.
    program = bytes.fromhex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")
    assert segwit_encode("bc", 1, program) == "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
    with pytest.raises(CodecError):
        segwit_encode("bc", 0, bytes(25))  # v0 programs are 20 or 32 bytes


def test_monero_spec_address_round_trips() -> None:
    address = "42ey1afDFnn4886T7196doS9GPMzexD9gXpsZJDwVjeRVdFCSoHnv7KPbBeGpzJBzHRCAs9UxqeoyFQMYbqSWYTfJJQAWDm"
    data = monero_decode(address)
    assert monero_encode(data[:1], data[1:33], data[33:65]) == address


VERSIONS = [b"\x00", b"\x05", b"\x30", b"\x1e", b"\x4c", b"\x41", b"\x1c\xb8"]


@given(st.sampled_from(VERSIONS), st.binary(min_size=20, max_size=20))
def test_base58check_round_trip(version: bytes, payload: bytes) -> None:
    address = base58check_encode(version, payload)
    assert base58check_decode(address) == version + payload
    assert validate_base58("BTC", address) is None or version in (b"\x00", b"\x05")


@given(st.sampled_from(["bc", "ltc"]), st.sampled_from([(0, 20), (0, 32), (1, 32), (2, 2), (16, 40)]), st.data())
def test_segwit_round_trip(hrp: str, version_size: tuple[int, int], data: st.DataObject) -> None:
    witver, size = version_size
    program = data.draw(st.binary(min_size=size, max_size=size))
    address = segwit_encode(hrp, witver, program)
    assert segwit_decode(hrp, address) == (witver, program)
    assert validate_segwit("LTC" if hrp == "ltc" else "BTC", address.upper()) is not None


@given(st.sampled_from([0, 1]), st.binary(min_size=20, max_size=20))
def test_cashaddr_round_trip(kind: int, digest: bytes) -> None:
    payload = cashaddr_encode("bitcoincash", kind, digest)
    found = validate_cashaddr(payload.upper())
    assert found is not None
    assert (found.value, found.hash) == (payload, digest)


KEY = st.binary(min_size=32, max_size=32)


@given(st.sampled_from([b"\x12", b"\x2a", b"\x13"]), KEY, KEY, st.binary(min_size=8, max_size=8))
def test_monero_round_trip(netbyte: bytes, spend: bytes, view: bytes, payment_id: bytes) -> None:
    payment_id = payment_id if netbyte == b"\x13" else b""
    found = validate_monero(monero_encode(netbyte, spend, view, payment_id))
    assert found is not None
    assert found.payment_id == payment_id


@given(st.binary(min_size=32, max_size=32))
def test_onion_round_trip(pubkey: bytes) -> None:
    host = onion_from_pubkey(pubkey)
    assert normalise_onion(host.upper()) == host


def test_five_bit_bytes_is_convertbits() -> None:
    """The int-based 5-to-8-bit conversion gives convertbits' bytes, and fails where it fails."""
    rng = random.Random(17)
    for _ in range(3000):
        values = [rng.randrange(32) for _ in range(rng.randrange(0, 70))]
        if values and rng.random() < 0.05:
            values[rng.randrange(len(values))] = rng.choice([-1, 32])
        try:
            expected: bytes | str = bytes(convertbits(values, 5, 8, False))
        except CodecError as error:
            expected = str(error)
        try:
            got: bytes | str = five_bit_bytes(values)
        except CodecError as error:
            got = str(error)
        assert got == expected
