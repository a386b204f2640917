"""Authenticated encryption of everything the store writes.

AES-256-GCM by default; SM4-GCM where commercial cryptography rules require the national
algorithms. Every seal uses a fresh random nonce, and binds the store's identity and the
logical name of what is sealed (a file, a journal record) as associated data, so a file
moved, swapped or replayed under another name fails to open instead of being misread.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from offline.errors import DamagedFile

AES_256_GCM = "AES-256-GCM"
SM4_GCM = "SM4-GCM"
CIPHER_IDS = {AES_256_GCM: 1, SM4_GCM: 2}
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
FILE_MAGIC = b"CDS1"
_FILE_PREFIX = len(FILE_MAGIC) + 1
_DOMAIN = "counterdesk-offline/1"


class SealBroken(Exception):
    """The sealed bytes do not authenticate under this key and identity."""


class _Aead(Protocol):
    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes: ...


class _Sm4Gcm:
    """SM4 in GCM mode with the AESGCM calling convention (ciphertext then tag)."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def encrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated_data or b"")
        body = encryptor.update(data) + encryptor.finalize()
        return body + encryptor.tag

    def decrypt(self, nonce: bytes, data: bytes, associated_data: bytes | None) -> bytes:
        if len(data) < TAG_BYTES:
            raise InvalidTag()
        body, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(associated_data or b"")
        return decryptor.update(body) + decryptor.finalize()


def _aead_for(cipher: str, key: bytes) -> _Aead:
    if len(key) != KEY_BYTES:
        raise ValueError(f"the data key must be {KEY_BYTES} bytes, got {len(key)}")
    if cipher == AES_256_GCM:
        return AESGCM(key)
    if cipher == SM4_GCM:
        # SM4 takes 128-bit keys: derive one from the 256-bit data key with HKDF over SM3,
        # so the national-algorithm profile uses no foreign primitive either.
        sub = HKDF(hashes.SM3(), 16, None, f"{_DOMAIN} sm4-gcm key".encode()).derive(key)
        return _Sm4Gcm(sub)
    raise ValueError(f"unknown cipher {cipher!r}: choose {AES_256_GCM} or {SM4_GCM}")


class Sealer:
    """Seals and opens bytes for one store with one data key."""

    def __init__(self, cipher: str, key: bytes, store_id: str) -> None:
        self.cipher = cipher
        self._cipher_id = bytes([CIPHER_IDS[cipher]]) if cipher in CIPHER_IDS else b""
        self._aead = _aead_for(cipher, key)
        self.store_id = store_id

    def _associated(self, identity: str) -> bytes:
        return f"{_DOMAIN}|{self.cipher}|{self.store_id}|{identity}".encode()

    def seal(self, plaintext: bytes, identity: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, self._associated(identity))

    def unseal(self, blob: bytes, identity: str) -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise SealBroken("too short")
        try:
            return self._aead.decrypt(
                blob[:NONCE_BYTES], blob[NONCE_BYTES:], self._associated(identity)
            )
        except InvalidTag as exc:
            raise SealBroken("authentication failed") from exc

    def seal_file(self, plaintext: bytes, identity: str) -> bytes:
        """A whole file: magic and cipher in clear (and authenticated), then the seal."""
        prefix = FILE_MAGIC + self._cipher_id
        return prefix + self.seal(plaintext, f"file|{identity}")

    def unseal_file(self, data: bytes, identity: str, path: Path) -> bytes:
        if len(data) < _FILE_PREFIX or data[: len(FILE_MAGIC)] != FILE_MAGIC:
            raise DamagedFile(path, "not a counterdesk store file, or its start is damaged")
        if data[len(FILE_MAGIC) : _FILE_PREFIX] != self._cipher_id:
            raise DamagedFile(path, "sealed with another cipher, or its start is damaged")
        try:
            return self.unseal(data[_FILE_PREFIX:], f"file|{identity}")
        except SealBroken as exc:
            raise DamagedFile(
                path, "authentication failed: altered, damaged or not this store's file"
            ) from exc
