"""The audit log: chained, without visitor data, and it says which entry was tampered with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.storage.audit import append, audit_secret, minute, subject_for, verify

SCHEMA = (
    "CREATE TABLE audit (id INTEGER PRIMARY KEY, minute TEXT NOT NULL, event TEXT NOT NULL,"
    " subject TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)"
)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    database = sqlite_utils.Database(tmp_path / "kiosk.db")
    database.execute(SCHEMA)
    return database


def fill(db: sqlite_utils.Database, count: int = 5) -> None:
    for n in range(count):
        append(db, "session_started" if n % 2 == 0 else "session_ended", f"s{n}", now=0)


def test_an_intact_log_verifies(db: sqlite_utils.Database) -> None:
    fill(db)
    assert verify(db) == []
    assert [r["id"] for r in db["audit"].rows] == [1, 2, 3, 4, 5]


def test_a_deleted_entry_is_named(db: sqlite_utils.Database) -> None:
    fill(db)
    db.execute("DELETE FROM audit WHERE id = 3")
    assert verify(db) == ["entry 3 deleted (the log jumps to entry 4)"]


def test_several_deleted_entries(db: sqlite_utils.Database) -> None:
    fill(db, 6)
    db.execute("DELETE FROM audit WHERE id IN (2, 3, 4)")
    assert verify(db) == ["entries 2 to 4 deleted (the log jumps to entry 5)"]


def test_an_edited_entry_is_named(db: sqlite_utils.Database) -> None:
    fill(db)
    db.execute("UPDATE audit SET event = 'staff_viewed' WHERE id = 2")
    assert verify(db) == ["entry 2 was edited (its contents do not match its hash)"]


def test_a_rewritten_hash_breaks_the_next_link(db: sqlite_utils.Database) -> None:
    fill(db)
    db.execute("UPDATE audit SET event = 'x', hash = 'f' || substr(hash, 2) WHERE id = 2")
    problems = verify(db)
    assert "entry 2 was edited (its contents do not match its hash)" in problems
    assert "entry 3 does not follow entry 2" in problems


def test_entries_hold_only_minutes_and_keyed_subjects(
    tmp_path: Path, db: sqlite_utils.Database
) -> None:
    secret = audit_secret(tmp_path / "keys")
    session_id = "visit-1234-abcd"
    append(db, "session_ended", subject_for(secret, session_id), now=1_800_000_123.0)
    row = next(iter(db["audit"].rows))
    assert row["minute"] == minute(1_800_000_123.0) and row["minute"].endswith("Z")
    assert len(row["minute"]) == len("2027-01-15T08:02Z")
    assert session_id not in str(row) and row["subject"] == subject_for(secret, session_id)
    assert subject_for(secret, session_id) != subject_for(os.urandom(32), session_id)


def test_the_audit_secret_is_private_and_stable(tmp_path: Path) -> None:
    key_dir = tmp_path / "keys"
    first = audit_secret(key_dir)
    assert audit_secret(key_dir) == first and len(first) == 32
    assert stat.S_IMODE((key_dir / "audit.key").stat().st_mode) == 0o600
    assert stat.S_IMODE(key_dir.stat().st_mode) == 0o700


def test_event_names_cannot_smuggle_text(db: sqlite_utils.Database) -> None:
    with pytest.raises(ValueError):
        append(db, "visitor said: my name is Jo")
