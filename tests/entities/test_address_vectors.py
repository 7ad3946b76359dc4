"""Every labelled vector in tests/data/vectors/address-vectors.json, plus vectors of our own from the specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from oniondex.entities.base58coins import is_wif_private_key
from oniondex.entities.codecs import BECH32_CONST, BECH32M_CONST, CodecError, bech32_decode
from oniondex.entities.validate import validate_address
from oniondex.onion import is_valid_onion

# Public spec vectors, copied into the repository with their provenance (tests/data/vectors/README.md).
VECTORS_FILE = Path(__file__).resolve().parents[1] / "data" / "vectors" / "address-vectors.json"
VECTORS: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
NETWORK_ALIASES = {"custom-prefix": "custom-prefix"}


def _id(vector: dict[str, Any]) -> str:
    return f"{vector['coin']}-{vector['kind']}-{vector['address'][:24]}"


def _generic_valid(vector: dict[str, Any]) -> bool:
    want = BECH32_CONST if vector["kind"] == "bech32_string" else BECH32M_CONST
    try:
        return bech32_decode(vector["address"])[2] == want
    except CodecError:
        return False


def _coin_valid(vector: dict[str, Any]) -> bool:
    found = validate_address(vector["coin"], vector["address"], strict=True)
    if found is None:
        return False
    network = vector.get("network")
    if network is not None and found.network != NETWORK_ALIASES.get(network, network):
        return False
    return vector["kind"] == "any" or found.kind == vector["kind"]


def accepts(vector: dict[str, Any]) -> bool:
    if vector["coin"] == "generic":
        return _generic_valid(vector)
    if vector["coin"] == "TOR":
        return is_valid_onion(vector["address"])
    if vector["kind"] == "wif_privkey":
        return is_wif_private_key(vector["address"])
    return _coin_valid(vector)


def test_the_shared_file_has_all_329_vectors() -> None:
    assert len(VECTORS) == 329
    assert sum(v["valid"] for v in VECTORS) == 184


@pytest.mark.parametrize("vector", VECTORS, ids=[_id(v) for v in VECTORS])
def test_shared_vector(vector: dict[str, Any]) -> None:
    assert accepts(vector) is vector["valid"], vector.get("note", "")


@pytest.mark.parametrize(
    "address",
    [v["address"] for v in VECTORS if v["coin"] == "ETH" and "all-lowercase" in v.get("note", "")],
)
def test_policy_all_lowercase_eth_is_accepted_as_unchecksummed(address: str) -> None:
    found = validate_address("ETH", address)
    assert found is not None
    assert not found.checksummed  # type: ignore[attr-defined]
    assert found.value == address.lower()


def test_policy_all_uppercase_eth_body_is_unchecksummed_but_0X_prefix_is_not() -> None:
    body = "D1220A0CF47C7B9BE7A2E6BA89F429762E7B9ADB"
    assert validate_address("ETH", "0x" + body) is not None
    assert validate_address("ETH", "0X" + body) is None


def test_bitcoin_wif_keys_are_not_addresses() -> None:
    for vector in VECTORS:
        if vector["kind"] == "wif_privkey":
            assert validate_address("BTC", vector["address"]) is None
