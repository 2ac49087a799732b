"""Visitor sessions: one random data key each, sealed records, crypto-shred at the end.

A session's data key is wrapped by the key-encryption key in the ``sessions``
row and held unwrapped only in this process's memory. Ending a session forgets
the key and deletes the wrapped key and every record (``secure_delete`` zeroes
the freed pages, and a WAL checkpoint truncates the log), so nothing can be
decrypted afterwards. A session staff flagged "keep for follow-up" survives its
end until ``keep_until`` and is then shredded by :meth:`SessionStore.sweep`.

Writes that fail (disk full, database read-only) raise :class:`StorageError`;
nothing committed is damaged and the caller keeps the visit in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import sqlite_utils
from cryptography.exceptions import InvalidTag

from kiosk.storage.crypto import (
    Sealer,
    aad_for_session,
    new_key,
    record_aad,
    seal,
    unwrap_key,
    wrap_key,
)
from kiosk.storage.db import transaction
from kiosk.storage.errors import RecordQuarantined, StorageError
from kiosk.storage.keys import KeyEncryptionKey

__all__ = ["RECORDS_TABLE", "SessionStore"]

log = logging.getLogger("kiosk.storage")

RECORDS_TABLE = "records"
_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _iso_second(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso_minute(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


class SessionStore:
    """Encrypted per-visitor storage over a database from :func:`~kiosk.storage.db.open_database`.

    ``clock`` returns seconds since the epoch (``time.time`` or a fake in tests).
    Not thread-safe: use it from one worker thread.
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        kek: KeyEncryptionKey,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._kek = kek
        self._clock = clock
        self._keys: dict[str, bytes] = {}

    @property
    def kek_id(self) -> str:
        """Id of the key-encryption key new sessions are wrapped under."""
        return self._kek.id

    def use_kek(self, kek: KeyEncryptionKey) -> None:
        """Switch to a new KEK after :func:`~kiosk.storage.keys.rotate` (live keys stay)."""
        self._kek = kek

    def begin(self) -> str:
        """Start a session with a fresh random 256-bit data key; return its opaque id."""
        session_id = secrets.token_hex(16)
        data_key = new_key()
        with transaction(self._db, "start a session") as conn:
            conn.execute(
                "INSERT INTO sessions (id, wrapped_key, kek_id, created_minute, keep_until) "
                "VALUES (?, ?, ?, ?, NULL)",
                (
                    session_id,
                    wrap_key(self._kek.key, data_key),
                    self._kek.id,
                    _iso_minute(self._clock()),
                ),
            )
        self._keys[session_id] = data_key
        return session_id

    def put(self, session_id: str, kind: str, value: dict[str, Any] | str) -> int:
        """Seal ``value`` (JSON) into a new record of ``kind``; return the record id.

        ``kind`` is a non-personal label such as ``"answer"`` or ``"transcript"``
        (lowercase letters, digits, underscores). The ciphertext is bound to the
        records table, its own row id and ``session_id``.
        """
        if not _KIND.match(kind):
            raise ValueError(f"record kind {kind!r} must be a short lowercase label")
        data_key = self._data_key(session_id)
        plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        with transaction(self._db, "save a record") as conn:
            # Insert a placeholder to learn the row id, then seal with it in the AAD;
            # both happen in one transaction, so the placeholder is never committed.
            cursor = conn.execute(
                "INSERT INTO records (session_id, kind, nonce, ciphertext) VALUES (?, ?, ?, ?)",
                (session_id, kind, b"", b""),
            )
            record_id = cursor.lastrowid
            assert record_id is not None
            nonce, ciphertext = seal(
                data_key, plaintext, record_aad(RECORDS_TABLE, record_id, session_id)
            )
            conn.execute(
                "UPDATE records SET nonce = ?, ciphertext = ? WHERE id = ?",
                (nonce, ciphertext, record_id),
            )
        return record_id

    def records(self, session_id: str) -> list[tuple[int, str, Any]]:
        """Open every record of the session, oldest first, as ``(id, kind, value)``.

        A record that fails to open is moved to quarantine (its row deleted, a
        content-free note kept), logged without content and skipped.
        """
        sealer = Sealer(self._data_key(session_id))
        aad_of = aad_for_session(RECORDS_TABLE, session_id)
        rows = self._db.conn.execute(
            "SELECT id, kind, nonce, ciphertext FROM records WHERE session_id = ? ORDER BY id",
            (session_id,),
        ).fetchall()
        opened: list[tuple[int, str, Any]] = []
        decrypt, loads = sealer.open_quickly, json.loads  # the hot loop of a read
        for record_id, kind, nonce, ciphertext in rows:
            aad = aad_of(record_id)
            try:
                value = loads(decrypt(nonce, ciphertext, aad).decode())
            except (InvalidTag, ValueError, TypeError):
                try:  # find out why, for the quarantine note
                    value = loads(sealer.open(nonce, ciphertext, aad))
                except RecordQuarantined as exc:
                    self._quarantine(session_id, record_id, exc.reason)
                    continue
                except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                    self._quarantine(session_id, record_id, "opened but is not valid JSON")
                    continue
            opened.append((record_id, kind, value))
        return opened

    def end(self, session_id: str) -> bool:
        """End a session: forget its key and shred it, unless kept for follow-up.

        Returns ``True`` if it was shredded, ``False`` if it is kept until its
        ``keep_until`` (the in-memory key is forgotten either way).
        """
        self._keys.pop(session_id, None)
        row = self._db.conn.execute(
            "SELECT keep_until FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is not None and row[0] is not None and row[0] > _iso_second(self._clock()):
            return False
        self.shred(session_id)
        return True

    def shred(self, session_id: str) -> None:
        """Delete the session's wrapped key and records now, and checkpoint the WAL."""
        self._shred([session_id], "shred a session")

    def keep_for_follow_up(self, session_id: str, hours: float = 24.0) -> str:
        """Keep the session for ``hours`` after now (staff follow-up); return keep_until."""
        if hours <= 0:
            raise ValueError("hours must be positive")
        keep_until = _iso_second(self._clock() + hours * 3600)
        with transaction(self._db, "keep the session for follow-up") as conn:
            changed = conn.execute(
                "UPDATE sessions SET keep_until = ? WHERE id = ?", (keep_until, session_id)
            ).rowcount
        if changed != 1:
            raise StorageError("that session no longer exists, so it cannot be kept")
        return keep_until

    def sweep(self) -> int:
        """Shred every kept session whose retention has passed; return how many."""
        now = _iso_second(self._clock())
        ids = [
            str(r[0])
            for r in self._db.conn.execute(
                "SELECT id FROM sessions WHERE keep_until IS NOT NULL AND keep_until <= ?",
                (now,),
            ).fetchall()
        ]
        for session_id in ids:
            self._keys.pop(session_id, None)
        if ids:
            self._shred(ids, "shred expired follow-up sessions")
            log.info("storage_sessions_swept count=%d", len(ids))
        return len(ids)

    def recover_orphans(self) -> int:
        """At start: shred sessions left by a previous process (crash, power cut).

        Every session whose key is not in this process's memory is shredded,
        except those kept for follow-up whose retention has not passed.
        Returns how many were shredded.
        """
        now = _iso_second(self._clock())
        ids = [
            str(r[0])
            for r in self._db.conn.execute(
                "SELECT id FROM sessions WHERE keep_until IS NULL OR keep_until <= ?", (now,)
            ).fetchall()
            if r[0] not in self._keys
        ]
        if ids:
            self._shred(ids, "shred sessions left by a previous run")
            log.info("storage_orphans_shredded count=%d", len(ids))
        return len(ids)

    def live_sessions(self) -> list[str]:
        """Ids of the sessions whose data keys this process holds."""
        return list(self._keys)

    def _data_key(self, session_id: str) -> bytes:
        key = self._keys.get(session_id)
        if key is not None:
            return key
        row = self._db.conn.execute(
            "SELECT wrapped_key, kek_id FROM sessions WHERE id = ?", (session_id,)
        ).fetchone()
        if row is None:
            raise StorageError("that session has ended or never existed; it cannot be read")
        wrapped, wrapped_under = row
        if wrapped_under != self._kek.id:
            raise StorageError(
                f"that session's key is wrapped under key {wrapped_under}, not the current "
                f"key {self._kek.id}; it is unreadable by design"
            )
        return unwrap_key(self._kek.key, bytes(wrapped))

    def _shred(self, session_ids: list[str], what: str) -> None:
        with transaction(self._db, what) as conn:
            for session_id in session_ids:
                conn.execute("DELETE FROM records WHERE session_id = ?", (session_id,))
                conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        self._checkpoint()

    def _checkpoint(self) -> None:
        try:
            busy, _, _ = self._db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error as exc:
            log.warning("storage_checkpoint_failed error=%s", exc)
            return
        if busy:
            log.warning("storage_checkpoint_busy")

    def _quarantine(self, session_id: str, record_id: int, reason: str) -> None:
        log.warning("storage_record_quarantined record_id=%d reason=%s", record_id, reason)
        try:
            with transaction(self._db, "quarantine a record") as conn:
                conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
                conn.execute(
                    "INSERT INTO quarantine (session_id, record_id, minute, reason) "
                    "VALUES (?, ?, ?, ?)",
                    (session_id, record_id, _iso_minute(self._clock()), reason),
                )
        except StorageError as exc:
            log.warning("storage_quarantine_failed record_id=%d error=%s", record_id, exc)
