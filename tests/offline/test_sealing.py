"""Sealing: AES-256-GCM and SM4-GCM, a fresh nonce for every write, the identity bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from offline import AES_256_GCM, SM4_GCM, DamagedFile
from offline.sealing import SealBroken, Sealer


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
def test_round_trip_with_fresh_nonces(cipher: str) -> None:
    sealer = Sealer(cipher, os.urandom(32), "store-1")
    text = "王小明 330402199001011237".encode()
    first, second = sealer.seal(text, "x"), sealer.seal(text, "x")
    assert first != second and first[:12] != second[:12], "a fresh nonce every time"
    assert sealer.unseal(first, "x") == text


@pytest.mark.parametrize("cipher", [AES_256_GCM, SM4_GCM])
def test_the_identity_is_bound(cipher: str) -> None:
    key = os.urandom(32)
    sealed = Sealer(cipher, key, "store-1").seal_file(b"data", "archive|2026-10")
    with pytest.raises(DamagedFile, match="authentication failed"):
        Sealer(cipher, key, "store-1").unseal_file(sealed, "archive|2026-11", Path("f"))
    with pytest.raises(DamagedFile):
        Sealer(cipher, key, "store-2").unseal_file(sealed, "archive|2026-10", Path("f"))
    with pytest.raises(SealBroken):
        Sealer(cipher, os.urandom(32), "store-1").unseal(sealed[5:], "file|archive|2026-10")


def test_the_ciphers_differ_and_are_told_apart() -> None:
    key = os.urandom(32)
    sealed = Sealer(SM4_GCM, key, "s").seal_file(b"data", "f")
    with pytest.raises(DamagedFile, match="another cipher"):
        Sealer(AES_256_GCM, key, "s").unseal_file(sealed, "f", Path("f"))


def test_keys_must_be_256_bits() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Sealer(AES_256_GCM, b"short", "s")
    with pytest.raises(ValueError, match="unknown cipher"):
        Sealer("DES", os.urandom(32), "s")


def test_every_snapshot_write_uses_a_new_nonce(open_store, folder) -> None:
    store = open_store()
    store.set_setting("a", 1)
    store.checkpoint()
    first = max(folder.glob("working-*.snap")).read_bytes()
    store.checkpoint()
    second = max(folder.glob("working-*.snap")).read_bytes()
    assert first[5:17] != second[5:17]
