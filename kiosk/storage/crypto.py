"""Sealing records (AES-256-GCM) and wrapping data keys (AES key wrap, RFC 3394).

A record is sealed under its session's data key with a fresh random 96-bit
nonce, and with associated data that binds it to its table, row id and session
id (:func:`record_aad`), so a row copied, swapped or replayed elsewhere fails
to open.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import (
    InvalidUnwrap,
    aes_key_unwrap,
    aes_key_wrap,
)

from kiosk.storage.errors import RecordQuarantined, StorageError

__all__ = [
    "KEY_BYTES",
    "NONCE_BYTES",
    "new_key",
    "open_sealed",
    "record_aad",
    "seal",
    "unwrap_key",
    "wrap_key",
]

KEY_BYTES = 32
"""AES-256: data keys and key-encryption keys are both 32 bytes."""
NONCE_BYTES = 12
"""96-bit GCM nonces, random per record."""
TAG_BYTES = 16
_AAD_PREFIX = b"civic-kiosk/record/v1"


def new_key() -> bytes:
    """Return a fresh random 256-bit key."""
    return os.urandom(KEY_BYTES)


def _check_key(key: bytes, what: str) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError(f"{what} must be {KEY_BYTES} bytes, not {len(key)}")


class Sealer:
    """AES-256-GCM under one data key, set up once for many records of a session."""

    def __init__(self, key: bytes) -> None:
        _check_key(key, "a data key")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
        """Encrypt bound to ``aad``; return ``(nonce, ciphertext)`` (tag at the end)."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, aad)

    def open_quickly(self, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
        """Like :meth:`open` without the friendly length checks, for bulk reads: raises
        ``InvalidTag`` or ``ValueError`` for any damage (the caller then calls
        :meth:`open` on that one record to get the reason)."""
        return self._aead.decrypt(nonce, ciphertext, aad)

    def open(self, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
        """Decrypt, or raise :class:`RecordQuarantined` if anything differs from the seal."""
        if len(nonce) != NONCE_BYTES:
            raise RecordQuarantined(f"nonce is {len(nonce)} bytes, expected {NONCE_BYTES}")
        if len(ciphertext) < TAG_BYTES:
            raise RecordQuarantined(f"ciphertext is {len(ciphertext)} bytes, shorter than its tag")
        try:
            return self._aead.decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise RecordQuarantined("authentication tag did not match") from None


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt ``plaintext`` under ``key`` bound to ``aad``; return ``(nonce, ciphertext)``.

    The ciphertext carries the 16-byte GCM tag at its end.
    """
    return Sealer(key).seal(plaintext, aad)


def open_sealed(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Decrypt a record sealed by :func:`seal`.

    Raises :class:`RecordQuarantined` if the nonce, ciphertext or associated data
    differ in any way from what was sealed (tampering, truncation, a swapped row).
    """
    return Sealer(key).open(nonce, ciphertext, aad)


def aad_for_session(table: str, session_id: str) -> Callable[[int], bytes]:
    """``record_aad`` with the table and session fixed (the same bytes, built faster)."""
    head = b"".join(
        struct.pack(">I", len(p)) + p for p in (_AAD_PREFIX, table.encode("utf-8"))
    ) + struct.pack(">I", 8)
    session = session_id.encode("utf-8")
    tail = struct.pack(">I", len(session)) + session
    pack = struct.Struct(">q").pack
    return lambda row_id: head + pack(row_id) + tail


def record_aad(table: str, row_id: int, session_id: str) -> bytes:
    """Associated data binding a sealed value to ``table``, ``row_id`` and ``session_id``.

    Fields are length-prefixed so no two different triples encode the same bytes.
    """
    parts = [_AAD_PREFIX, table.encode("utf-8"), struct.pack(">q", row_id)]
    parts.append(session_id.encode("utf-8"))
    return b"".join(struct.pack(">I", len(p)) + p for p in parts)


def wrap_key(kek: bytes, data_key: bytes) -> bytes:
    """Wrap ``data_key`` under the key-encryption key ``kek`` (AES key wrap)."""
    _check_key(kek, "a key-encryption key")
    _check_key(data_key, "a data key")
    return aes_key_wrap(kek, data_key)


def unwrap_key(kek: bytes, wrapped: bytes) -> bytes:
    """Unwrap a data key wrapped by :func:`wrap_key`.

    Raises :class:`StorageError` if ``kek`` is not the key it was wrapped under,
    or the wrapped bytes were altered.
    """
    _check_key(kek, "a key-encryption key")
    try:
        key = aes_key_unwrap(kek, wrapped)
    except (InvalidUnwrap, ValueError):
        raise StorageError(
            "a session's data key cannot be unwrapped: it was wrapped under a different "
            "key-encryption key, or altered; that session is unreadable by design"
        ) from None
    if len(key) != KEY_BYTES:
        raise StorageError(f"an unwrapped data key is {len(key)} bytes, expected {KEY_BYTES}")
    return key
