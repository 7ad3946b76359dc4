"""Address encodings, both ways, from their specs: Base58Check, bech32/bech32m (BIP-173, BIP-350),
CashAddr (Bitcoin Cash spec), Monero base58 (8-byte blocks + Keccak-256 checksum) and EIP-55.

Decoders raise `CodecError` with the reason; they never accept what the matching encoder cannot produce.
Encoders are used by the tests and the sample darknet to build valid addresses.
"""

from __future__ import annotations

import functools
import hashlib
import operator

from Crypto.Hash import keccak

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(BECH32_CHARSET)}
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3
# Decoding longer base58 strings is quadratic; no address we know is longer than 120 characters.
MAX_B58_LEN = 128


class CodecError(ValueError):
    """A string that does not decode under the named encoding; the message says why."""


def keccak256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


# --- Base58 / Base58Check (Bitcoin) ---------------------------------------------------------------


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rem = divmod(number, 58)
        out.append(B58_ALPHABET[rem])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def _b58_number(text: str) -> int:
    """The integer a base58 string spells (Bitcoin's alphabet, which Monero's blocks share)."""
    number = 0
    for char in text:
        if char not in _B58_INDEX:
            raise CodecError(f"{char!r} is not a base58 character")
        number = number * 58 + _B58_INDEX[char]
    return number


def b58decode(text: str) -> bytes:
    if len(text) > MAX_B58_LEN:
        raise CodecError(f"base58 string of {len(text)} characters is longer than any address")
    number = _b58_number(text)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def base58check_encode(version: bytes, payload: bytes) -> str:
    data = version + payload
    return b58encode(data + sha256d(data)[:4])


def base58check_decode(text: str) -> bytes:
    """version + payload of a Base58Check string; CodecError if the 4-byte checksum fails."""
    raw = b58decode(text)
    if len(raw) < 5:
        raise CodecError("too short for Base58Check")
    data, checksum = raw[:-4], raw[-4:]
    if sha256d(data)[:4] != checksum:
        raise CodecError("Base58Check checksum mismatch")
    return data


# --- bech32 / bech32m (BIP-173, BIP-350) ----------------------------------------------------------


def _generator_table(generator: tuple[int, ...]) -> tuple[int, ...]:
    """The XOR of the generator terms each 5-bit top value selects: one lookup a step, not five tests."""
    return tuple(
        functools.reduce(operator.xor, (term for i, term in enumerate(generator) if top >> i & 1), 0)
        for top in range(32)
    )


_BECH32_TOP = _generator_table((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3))


def _bech32_polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        chk = (chk & 0x1FFFFFF) << 5 ^ value ^ _BECH32_TOP[chk >> 25]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def bech32_create(hrp: str, data: list[int], const: int) -> str:
    values = _hrp_expand(hrp) + data
    polymod = _bech32_polymod([*values, 0, 0, 0, 0, 0, 0]) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_CHARSET[d] for d in data + checksum)


def bech32_decode(text: str) -> tuple[str, list[int], int]:
    """(hrp, data without checksum, constant) of a bech32 or bech32m string (BIP-173 rules)."""
    if not (text.isascii() and text.isprintable()) or " " in text:  # ASCII 32-126, then not 32
        raise CodecError("character outside US-ASCII 33-126")
    if text.lower() != text and text.upper() != text:
        raise CodecError("mixed case")
    text = text.lower()
    pos = text.rfind("1")
    if pos < 1 or pos + 7 > len(text) or len(text) > 90:
        raise CodecError("bad separator position or overall length")
    if not _BECH32_INDEX.keys() >= set(text[pos + 1 :]):
        raise CodecError("character outside the bech32 alphabet")
    hrp, data = text[:pos], [_BECH32_INDEX[x] for x in text[pos + 1 :]]
    const = _bech32_polymod(_hrp_expand(hrp) + data)
    if const not in (BECH32_CONST, BECH32M_CONST):
        raise CodecError("bech32/bech32m checksum mismatch")
    return hrp, data[:-6], const


def convertbits(data: list[int] | bytes, frombits: int, tobits: int, pad: bool) -> list[int]:
    acc = bits = 0
    ret: list[int] = []
    maxv = (1 << tobits) - 1
    for value in data:
        if value < 0 or value >> frombits:
            raise CodecError("value out of range in bit conversion")
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            ret.append((acc >> bits) & maxv)
    if pad and bits:
        ret.append((acc << (tobits - bits)) & maxv)
    elif not pad and (bits >= frombits or ((acc << (tobits - bits)) & maxv)):
        raise CodecError("invalid padding")
    return ret


_BASE32_DIGITS = "0123456789abcdefghijklmnopqrstuv"  # what int(text, 32) reads


def five_bit_bytes(values: list[int]) -> bytes:
    """`bytes(convertbits(values, 5, 8, False))` (same result, same errors) through one int read by
    `int(digits, 32)`: the per-value Python loop was most of a segwit or CashAddr address's decoding."""
    if not values:
        return b""
    if min(values) < 0 or max(values) > 31:
        raise CodecError("value out of range in bit conversion")
    spare = 5 * len(values) % 8
    number = int("".join(map(_BASE32_DIGITS.__getitem__, values)), 32)
    if spare >= 5 or number & ((1 << spare) - 1):
        raise CodecError("invalid padding")
    return (number >> spare).to_bytes(5 * len(values) // 8, "big")


def segwit_encode(hrp: str, witver: int, program: bytes) -> str:
    """A segwit address: bech32 for witness version 0, bech32m for 1-16 (BIP-350)."""
    const = BECH32_CONST if witver == 0 else BECH32M_CONST
    address = bech32_create(hrp, [witver, *convertbits(program, 8, 5, True)], const)
    segwit_decode(hrp, address)  # refuse to produce what decoding rejects (bad lengths, versions)
    return address


def segwit_decode(hrp: str, address: str) -> tuple[int, bytes]:
    """(witness version, program) for a segwit address with the given hrp; CodecError otherwise."""
    got_hrp, data, const = bech32_decode(address)
    if got_hrp != hrp:
        raise CodecError(f"human-readable part {got_hrp!r}, expected {hrp!r}")
    if not data:
        raise CodecError("empty data part")
    witver = data[0]
    program = five_bit_bytes(data[1:])
    if witver > 16:
        raise CodecError(f"witness version {witver} > 16")
    if not 2 <= len(program) <= 40:
        raise CodecError(f"witness program of {len(program)} bytes")
    if witver == 0 and len(program) not in (20, 32):
        raise CodecError(f"v0 witness program of {len(program)} bytes (20 or 32 allowed)")
    if (witver == 0) != (const == BECH32_CONST):
        raise CodecError("v0 needs bech32 and v1+ needs bech32m (BIP-350)")
    return witver, program


# --- CashAddr (Bitcoin Cash) ----------------------------------------------------------------------

_CASHADDR_SIZES = {20: 0, 24: 1, 28: 2, 32: 3, 40: 4, 48: 5, 56: 6, 64: 7}


_CASHADDR_TOP = _generator_table((0x98F2BC8E61, 0x79B76D99E2, 0xF33E5FB3C4, 0xAE2EABE2A8, 0x1E4F43E470))


def _cashaddr_polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        chk = ((chk & 0x07FFFFFFFF) << 5) ^ value ^ _CASHADDR_TOP[chk >> 35]
    return chk ^ 1


def _cashaddr_prefix(prefix: str) -> list[int]:
    return [ord(x) & 31 for x in prefix] + [0]


def cashaddr_encode(prefix: str, kind: int, hash160: bytes) -> str:
    """The CashAddr payload (no `prefix:`); kind 0 = P2PKH, 1 = P2SH. Any spec hash size works."""
    if len(hash160) not in _CASHADDR_SIZES or not 0 <= kind <= 15:
        raise CodecError(f"no CashAddr encoding for kind {kind} with a {len(hash160)}-byte hash")
    version = (kind << 3) | _CASHADDR_SIZES[len(hash160)]
    data = convertbits(bytes([version]) + hash160, 8, 5, True)
    polymod = _cashaddr_polymod([*_cashaddr_prefix(prefix.lower()), *data, 0, 0, 0, 0, 0, 0, 0, 0])
    checksum = [(polymod >> 5 * (7 - i)) & 31 for i in range(8)]
    return "".join(BECH32_CHARSET[d] for d in data + checksum)


def cashaddr_decode(address: str, default_prefix: str = "bitcoincash") -> tuple[str, int, bytes]:
    """(prefix, kind, hash) of `[prefix:]payload`; mixed case and bad checksums are rejected."""
    if address.lower() != address and address.upper() != address:
        raise CodecError("mixed case")
    address = address.lower()
    prefix, _, payload = address.rpartition(":")
    prefix = prefix or default_prefix
    if not payload or any(x not in _BECH32_INDEX for x in payload) or len(payload) > 120:
        raise CodecError("payload outside the CashAddr alphabet or too long")
    data = [_BECH32_INDEX[x] for x in payload]
    if _cashaddr_polymod(_cashaddr_prefix(prefix) + data) != 0:
        raise CodecError("CashAddr checksum mismatch")
    raw = five_bit_bytes(data[:-8])
    version, body = raw[0], raw[1:]
    if version & 0x80:
        raise CodecError("reserved version bit set")
    if _CASHADDR_SIZES.get(len(body)) != version & 7:
        raise CodecError(f"size bits {version & 7} disagree with a {len(body)}-byte hash")
    return prefix, version >> 3, body


# --- Monero base58 (8-byte blocks) ----------------------------------------------------------------

_XMR_FULL_BLOCK = 8
_XMR_BLOCK_CHARS = (0, 2, 3, 5, 6, 7, 9, 10, 11)
_XMR_CHARS_TO_BYTES = {c: n for n, c in enumerate(_XMR_BLOCK_CHARS)}


def xmr_b58encode(data: bytes) -> str:
    out = []
    for start in range(0, len(data), _XMR_FULL_BLOCK):
        block = data[start : start + _XMR_FULL_BLOCK]
        number, chars = int.from_bytes(block, "big"), []
        for _ in range(_XMR_BLOCK_CHARS[len(block)]):
            number, rem = divmod(number, 58)
            chars.append(B58_ALPHABET[rem])
        out.append("".join(reversed(chars)))
    return "".join(out)


def xmr_b58decode(text: str) -> bytes:
    if len(text) > MAX_B58_LEN:
        raise CodecError("Monero base58 string longer than any address")
    out = bytearray()
    for start in range(0, len(text), 11):
        block = text[start : start + 11]
        size = _XMR_CHARS_TO_BYTES.get(len(block))
        if size is None or not size:
            raise CodecError(f"a final block of {len(block)} characters is impossible")
        number = _b58_number(block)
        if number >> (8 * size):
            raise CodecError("block overflows its byte size")
        out += number.to_bytes(size, "big")
    return bytes(out)


def monero_encode(netbyte: bytes, spend: bytes, view: bytes, payment_id: bytes = b"") -> str:
    data = netbyte + spend + view + payment_id
    return xmr_b58encode(data + keccak256(data)[:4])


def monero_decode(text: str) -> bytes:
    """netbyte + keys (+ payment id) of a Monero address; CodecError if the Keccak checksum fails."""
    raw = xmr_b58decode(text)
    data, checksum = raw[:-4], raw[-4:]
    if len(raw) < 5 or keccak256(data)[:4] != checksum:
        raise CodecError("Monero Keccak-256 checksum mismatch")
    return data


# --- EIP-55 ---------------------------------------------------------------------------------------


def eip55(addr20: bytes) -> str:
    """`0x` + the EIP-55 mixed-case checksum form of a 20-byte address."""
    if len(addr20) != 20:
        raise CodecError(f"an Ethereum address has 20 bytes, got {len(addr20)}")
    hexaddr = addr20.hex()
    digest = keccak256(hexaddr.encode("ascii")).hex()
    return "0x" + "".join(c.upper() if int(digest[i], 16) >= 8 else c for i, c in enumerate(hexaddr))
