from __future__ import annotations

import pytest


@pytest.fixture
def page_factory():
    from oniondex.page import Page

    def make(html: str, url: str = "http://example.onion/page", content_type: str = "text/html") -> Page:
        return Page(url, html.encode("utf-8"), content_type)

    return make


@pytest.fixture(scope="session")
def pgp_key() -> dict[str, str]:
    """A fresh Ed25519 OpenPGP key made with PGPy: armored public block, fingerprint, user id."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgpy
        from pgpy.constants import EllipticCurveOID, HashAlgorithm, KeyFlags, PubKeyAlgorithm

        key = pgpy.PGPKey.new(PubKeyAlgorithm.EdDSA, EllipticCurveOID.Ed25519)
        uid = pgpy.PGPUID.new("Ice King", email="iceking@example.org")
        key.add_uid(uid, usage={KeyFlags.Sign}, hashes=[HashAlgorithm.SHA256])
        armored = str(key.pubkey)
    return {
        "armored": armored,
        "fingerprint": str(key.fingerprint).replace(" ", ""),
        "user_id": "Ice King <iceking@example.org>",
        "created": key.created.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
