"""Opening the database: pragmas, migrations, newer-version refusal, corrupt files moved aside."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.storage.db import LATEST_VERSION, MIGRATIONS, open_database, schema_version
from kiosk.storage.errors import DatabaseRefused

FIXED_NOW = dt.datetime(2026, 3, 4, 5, 6, 7)


def test_pragmas_in_force(db: sqlite_utils.Database) -> None:
    conn = db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_pragmas_in_force_after_reopen(db_path: Path) -> None:
    first, _ = open_database(db_path)
    first.conn.close()
    again, problems = open_database(db_path)
    assert problems == []
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    again.conn.close()


def test_migration_1_creates_the_tables(db: sqlite_utils.Database) -> None:
    assert schema_version(db) == LATEST_VERSION == MIGRATIONS[-1][0]
    assert {"sessions", "records", "quarantine", "audit", "schema_version"} <= set(db.table_names())
    audit = [(c.name, c.type, c.notnull, c.is_pk) for c in db["audit"].columns]
    assert audit == [
        ("id", "INTEGER", False, True),
        ("minute", "TEXT", True, False),
        ("event", "TEXT", True, False),
        ("subject", "TEXT", True, False),
        ("prev", "TEXT", True, False),
        ("hash", "TEXT", True, False),
    ]
    assert {c.name for c in db["sessions"].columns} == {
        "id",
        "wrapped_key",
        "kek_id",
        "created_minute",
        "keep_until",
    }
    assert {c.name for c in db["records"].columns} == {
        "id",
        "session_id",
        "kind",
        "nonce",
        "ciphertext",
    }
    fks = db.table("records").foreign_keys
    assert [(f.column, f.other_table, f.other_column) for f in fks] == [
        ("session_id", "sessions", "id")
    ]


def test_foreign_keys_cascade(db: sqlite_utils.Database) -> None:
    conn = db.conn
    conn.execute("INSERT INTO sessions VALUES ('s1', x'00', 'k', '2026-01-01T00:00Z', NULL)")
    conn.execute(
        "INSERT INTO records (session_id, kind, nonce, ciphertext) VALUES ('s1','a',x'',x'')"
    )
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO records (session_id, kind, nonce, ciphertext) VALUES ('no','a',x'',x'')"
        )
    conn.execute("DELETE FROM sessions WHERE id = 's1'")
    assert conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0


def test_migrations_run_once(db_path: Path) -> None:
    first, _ = open_database(db_path)
    first.conn.close()
    again, _ = open_database(db_path)
    rows = again.conn.execute("SELECT version, description FROM schema_version").fetchall()
    assert rows == [(v, d) for v, d, _ in MIGRATIONS]
    again.conn.close()


def test_newer_version_refused_and_untouched(db_path: Path) -> None:
    db, _ = open_database(db_path)
    db.conn.execute(
        "INSERT INTO schema_version VALUES (?, 'from the future', '2030-01-01T00:00Z')",
        (LATEST_VERSION + 1,),
    )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseRefused) as err:
        open_database(db_path)
    message = str(err.value)
    assert str(db_path) in message
    assert f"version {LATEST_VERSION + 1}" in message
    assert "newer kiosk" in message
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before
    assert list(db_path.parent.glob("*.corrupt-*")) == []


def test_not_sqlite_moved_aside(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is a shopping list, not a database\n" * 100)
    db, problems = open_database(db_path, now=lambda: FIXED_NOW)
    moved = db_path.with_name("kiosk.db.corrupt-20260304-050607")
    assert moved.read_bytes().startswith(b"this is a shopping list")
    assert len(problems) == 1
    assert str(moved) in problems[0] and "moved aside" in problems[0]
    assert schema_version(db) == LATEST_VERSION
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.conn.close()


def _filled_database(db_path: Path) -> None:
    db, _ = open_database(db_path)
    db.conn.execute("INSERT INTO sessions VALUES ('s', x'00', 'k', 'm', NULL)")
    for i in range(400):
        db.conn.execute(
            "INSERT INTO records (session_id, kind, nonce, ciphertext) VALUES ('s','a',?,?)",
            (b"n" * 12, bytes([i % 256]) * 300),
        )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()


def test_truncated_database_moved_aside(db_path: Path) -> None:
    _filled_database(db_path)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    db, problems = open_database(db_path, now=lambda: FIXED_NOW)
    assert len(problems) == 1 and "moved aside" in problems[0]
    assert db_path.with_name("kiosk.db.corrupt-20260304-050607").exists()
    assert db.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    db.conn.close()


def test_corrupt_pages_moved_aside_with_wal_and_shm(db_path: Path) -> None:
    _filled_database(db_path)
    data = bytearray(db_path.read_bytes())
    page = 4096
    data[page * 2 : page * 4] = b"\xff" * (page * 2)  # trash b-tree pages
    db_path.write_bytes(bytes(data))
    wal = db_path.with_name("kiosk.db-wal")
    wal.write_bytes(b"")
    db, problems = open_database(db_path, now=lambda: FIXED_NOW)
    moved = db_path.with_name("kiosk.db.corrupt-20260304-050607")
    assert moved.exists() and problems
    assert moved.with_name(moved.name + "-wal").exists()
    db.conn.close()


def test_two_corruptions_in_one_second_keep_both(db_path: Path) -> None:
    for _ in range(2):
        db_path.parent.mkdir(parents=True, exist_ok=True)
        for side in ("-wal", "-shm"):
            db_path.with_name(db_path.name + side).unlink(missing_ok=True)
        db_path.write_bytes(b"garbage" * 1000)
        db, _ = open_database(db_path, now=lambda: FIXED_NOW)
        db.conn.close()
    assert len(list(db_path.parent.glob("kiosk.db.corrupt-20260304-050607*"))) >= 2


def test_empty_file_is_a_fresh_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    db, problems = open_database(db_path)
    assert problems == []
    assert schema_version(db) == LATEST_VERSION
    db.conn.close()
