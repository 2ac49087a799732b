"""An append-only, hash-chained audit log that holds nothing about any visitor.

Each entry is (minute, event, subject, prev, hash): the time to the minute only,
an event name such as ``session_ended``, and as subject a keyed hash of the
session id (or ``-``), so entries about one visit can be grouped without the
id itself being stored. ``hash`` is SHA-256 over the entry and the previous
entry's hash, so editing or deleting an entry breaks the chain from there on;
:func:`verify` says which entry.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
AUDIT_KEY_NAME = "audit.key"


def minute(now: float | None = None) -> str:
    """UTC time to the minute, e.g. ``2026-11-28T17:05Z``."""
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(time.time() if now is None else now))


def audit_secret(key_dir: Path) -> bytes:
    """The secret for keyed subject hashes (``audit.key``, 0600, created on first use).

    Kept apart from the storage key so key rotation never changes past subjects.
    """
    path = key_dir / AUDIT_KEY_NAME
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except FileNotFoundError:
        pass
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    os.replace(temp, path)
    return secret


def subject_for(secret: bytes, session_id: str) -> str:
    """A keyed hash of a session id: the same visit groups together, the id is not stored."""
    return hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()[:32]


def entry_hash(entry_id: int, at: str, event: str, subject: str, prev: str) -> str:
    text = f"{entry_id}|{at}|{event}|{subject}|{prev}"
    return hashlib.sha256(text.encode()).hexdigest()


def append(db: Any, event: str, subject: str = "-", now: float | None = None) -> int:
    """Add an entry (in the caller's transaction, if any). Returns its id."""
    if not event.replace("_", "").isalnum():
        raise ValueError(f"audit event names are plain words, not {event!r}")
    conn = db.conn
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    entry_id, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = minute(now)
    conn.execute(
        "INSERT INTO audit (id, minute, event, subject, prev, hash) VALUES (?, ?, ?, ?, ?, ?)",
        (entry_id, at, event, subject, prev, entry_hash(entry_id, at, event, subject, prev)),
    )
    return int(entry_id)


def verify(db: Any) -> list[str]:
    """Every break in the chain, in plain words (an empty list: the log is intact)."""
    problems: list[str] = []
    expected_prev, expected_id = GENESIS, 1
    rows = db.conn.execute(
        "SELECT id, minute, event, subject, prev, hash FROM audit ORDER BY id"
    ).fetchall()
    for entry_id, at, event, subject, prev, stored in rows:
        if entry_id != expected_id:
            missing = (
                f"entry {expected_id}"
                if entry_id == expected_id + 1
                else f"entries {expected_id} to {entry_id - 1}"
            )
            problems.append(f"{missing} deleted (the log jumps to entry {entry_id})")
        elif prev != expected_prev:
            problems.append(f"entry {entry_id} does not follow entry {entry_id - 1}")
        if entry_hash(entry_id, at, event, subject, prev) != stored:
            problems.append(f"entry {entry_id} was edited (its contents do not match its hash)")
        expected_prev, expected_id = stored, entry_id + 1
    return problems
