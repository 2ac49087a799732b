"""Sessions: sealed records, quarantine, crypto-shred, retention, orphans, write failures."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.storage.crypto import record_aad, unwrap_key
from kiosk.storage.db import open_database
from kiosk.storage.errors import StorageError
from kiosk.storage.keys import KeyEncryptionKey, load_kek
from kiosk.storage.sessions import SessionStore

from .conftest import FakeTime

MARKER = "MARKER-Blodwen-Pritchard-07700900123"


def _raw_bytes(db_path: Path) -> bytes:
    parts = [db_path.read_bytes()]
    for side in ("-wal", "-shm"):
        p = db_path.with_name(db_path.name + side)
        if p.exists():
            parts.append(p.read_bytes())
    return b"".join(parts)


def test_round_trip_and_nothing_personal_in_clear(
    store: SessionStore, db: sqlite_utils.Database, db_path: Path
) -> None:
    sid = store.begin()
    a = store.put(sid, "answer", {"name": MARKER, "postcode": "SA1 1AA"})
    b = store.put(sid, "transcript", f"my name is {MARKER}")
    assert store.records(sid) == [
        (a, "answer", {"name": MARKER, "postcode": "SA1 1AA"}),
        (b, "transcript", f"my name is {MARKER}"),
    ]
    assert MARKER.encode() not in _raw_bytes(db_path)
    assert b"SA1 1AA" not in _raw_bytes(db_path)
    row = db.conn.execute("SELECT nonce, ciphertext FROM records WHERE id = ?", (a,)).fetchone()
    assert len(row[0]) == 12 and len(row[1]) > 16


def test_each_session_gets_its_own_key(
    store: SessionStore, db: sqlite_utils.Database, kek: KeyEncryptionKey
) -> None:
    s1, s2 = store.begin(), store.begin()
    assert s1 != s2 and len(s1) == 32
    wrapped = dict(db.conn.execute("SELECT id, wrapped_key FROM sessions").fetchall())
    k1, k2 = unwrap_key(kek.key, wrapped[s1]), unwrap_key(kek.key, wrapped[s2])
    assert k1 != k2 and len(k1) == 32
    assert k1 not in wrapped[s1]


def test_aad_really_includes_the_row_id(store: SessionStore, db: sqlite_utils.Database) -> None:
    from kiosk.storage.crypto import open_sealed

    sid = store.begin()
    rid = store.put(sid, "answer", "x")
    nonce, ct = db.conn.execute(
        "SELECT nonce, ciphertext FROM records WHERE id = ?", (rid,)
    ).fetchone()
    key = store._data_key(sid)
    assert open_sealed(key, nonce, ct, record_aad("records", rid, sid)) == b'"x"'
    with pytest.raises(StorageError):
        open_sealed(key, nonce, ct, record_aad("records", rid + 1, sid))


def test_swapped_row_is_quarantined_and_the_rest_still_open(
    store: SessionStore, db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    sid = store.begin()
    a = store.put(sid, "answer", "first " + MARKER)
    b = store.put(sid, "answer", "second")
    c = store.put(sid, "answer", "third")
    db.conn.execute(
        "UPDATE records SET nonce = (SELECT nonce FROM records WHERE id = ?), "
        "ciphertext = (SELECT ciphertext FROM records WHERE id = ?) WHERE id = ?",
        (a, a, b),
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.storage"):
        opened = store.records(sid)
    assert opened == [(a, "answer", "first " + MARKER), (c, "answer", "third")]
    assert db.conn.execute("SELECT count(*) FROM records WHERE id = ?", (b,)).fetchone()[0] == 0
    q = db.conn.execute("SELECT session_id, record_id, reason FROM quarantine").fetchall()
    assert q == [(sid, b, "authentication tag did not match")]
    assert "quarantined" in caplog.text and MARKER not in caplog.text
    assert "second" not in caplog.text
    assert store.records(sid) == opened  # stable afterwards


def test_row_replayed_into_another_session_is_quarantined(
    store: SessionStore, db: sqlite_utils.Database
) -> None:
    s1, s2 = store.begin(), store.begin()
    r1 = store.put(s1, "answer", "belongs to s1")
    store.put(s2, "answer", "belongs to s2")
    db.conn.execute("UPDATE records SET session_id = ? WHERE id = ?", (s2, r1))
    assert [v for _, _, v in store.records(s2)] == ["belongs to s2"]
    assert store.records(s1) == []


@pytest.mark.parametrize("column", ["nonce", "ciphertext"])
def test_tampered_or_truncated_record_quarantined(
    store: SessionStore, db: sqlite_utils.Database, column: str
) -> None:
    sid = store.begin()
    good = store.put(sid, "answer", "good")
    bad = store.put(sid, "answer", "bad")
    flipped = store.put(sid, "answer", "flipped")
    db.conn.execute(f"UPDATE records SET {column} = substr({column}, 1, 5) WHERE id = ?", (bad,))
    value = bytearray(
        db.conn.execute(f"SELECT {column} FROM records WHERE id = ?", (flipped,)).fetchone()[0]
    )
    value[-1] ^= 0x01
    db.conn.execute(f"UPDATE records SET {column} = ? WHERE id = ?", (bytes(value), flipped))
    assert store.records(sid) == [(good, "answer", "good")]
    assert db.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 2


def test_end_shreds_everything(
    store: SessionStore,
    db: sqlite_utils.Database,
    db_path: Path,
    kek: KeyEncryptionKey,
) -> None:
    sid = store.begin()
    for i in range(50):  # enough to spill over several pages
        store.put(sid, "transcript", f"{MARKER} {i} " + "x" * 200)
    (wrapped,) = db.conn.execute("SELECT wrapped_key FROM sessions WHERE id = ?", (sid,)).fetchone()
    ciphertexts = [r[0] for r in db.conn.execute("SELECT ciphertext FROM records").fetchall()]
    other = store.begin()
    store.put(other, "answer", "another visitor")

    assert store.end(sid) is True

    assert (
        db.conn.execute("SELECT count(*) FROM records WHERE session_id = ?", (sid,)).fetchone()[0]
        == 0
    )
    assert db.conn.execute("SELECT count(*) FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == 0
    assert sid not in store.live_sessions()
    with pytest.raises(StorageError, match="ended"):
        store.records(sid)
    # With the key file in hand, nothing of the session is left to unwrap or open.
    assert load_kek(db_path.parent.parent / "keys", env={}) == kek
    for (left,) in db.conn.execute("SELECT wrapped_key FROM sessions").fetchall():
        assert unwrap_key(kek.key, left) != unwrap_key(kek.key, wrapped)
    raw = _raw_bytes(db_path)
    assert MARKER.encode() not in raw
    assert wrapped not in raw
    assert not any(ct[:32] in raw for ct in ciphertexts)
    wal = db_path.with_name(db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert store.records(other)[0][2] == "another visitor"


def test_kept_session_survives_end_until_sweep(
    store: SessionStore, db: sqlite_utils.Database, kek: KeyEncryptionKey, clock: FakeTime
) -> None:
    sid = store.begin()
    store.put(sid, "answer", "follow me up")
    keep_until = store.keep_for_follow_up(sid, hours=24)
    assert keep_until == "2027-01-16T08:00:00Z"  # 1_800_000_000 + 24 h, UTC
    assert store.end(sid) is False
    assert sid not in store.live_sessions()
    assert store.records(sid)[0][2] == "follow me up"  # staff can still read it
    clock.advance(23 * 3600)
    assert store.sweep() == 0
    assert store.recover_orphans() == 0
    clock.advance(3600)
    assert store.sweep() == 1
    assert db.conn.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    assert store.sweep() == 0


def test_sweep_only_touches_expired_sessions(store: SessionStore, clock: FakeTime) -> None:
    short, long_, live = store.begin(), store.begin(), store.begin()
    store.keep_for_follow_up(short, hours=1)
    store.keep_for_follow_up(long_, hours=48)
    clock.advance(2 * 3600)
    assert store.sweep() == 1
    assert store.records(long_) == [] and store.records(live) == []
    with pytest.raises(StorageError):
        store.records(short)


def test_keep_unknown_session_refused(store: SessionStore) -> None:
    with pytest.raises(StorageError, match="no longer exists"):
        store.keep_for_follow_up("0" * 32)


def test_recover_orphans_shreds_sessions_of_a_previous_process(
    db_path: Path, kek: KeyEncryptionKey, clock: FakeTime
) -> None:
    db, _ = open_database(db_path)
    before = SessionStore(db, kek, clock=clock)
    orphans = [before.begin() for _ in range(3)]
    for sid in orphans:
        before.put(sid, "answer", MARKER)
    kept = before.begin()
    before.keep_for_follow_up(kept)
    db.conn.close()  # the process "dies"; its keys are gone

    db, _ = open_database(db_path)
    after = SessionStore(db, kek, clock=clock)
    mine = after.begin()
    assert after.recover_orphans() == 3
    assert {r[0] for r in db.conn.execute("SELECT id FROM sessions").fetchall()} == {mine, kept}
    assert db.conn.execute("SELECT count(*) FROM records").fetchone()[0] == 0
    assert after.recover_orphans() == 0
    db.conn.close()


def test_wrong_key_file_old_sessions_unreadable_kiosk_works(
    db_path: Path, key_dir: Path, kek: KeyEncryptionKey
) -> None:
    db, _ = open_database(db_path)
    old = SessionStore(db, kek)
    sid = old.begin()
    old.put(sid, "answer", "sealed under the lost key")
    old.keep_for_follow_up(sid)
    (key_dir / "storage.key").unlink()  # key file lost: a new one is made

    store = SessionStore(db, load_kek(key_dir, env={}))
    with pytest.raises(StorageError, match="unreadable by design"):
        store.records(sid)
    fresh = store.begin()
    store.put(fresh, "answer", "works")
    assert store.records(fresh)[0][2] == "works"
    db.conn.close()


def test_read_only_database_put_fails_cleanly(
    store: SessionStore, db: sqlite_utils.Database
) -> None:
    sid = store.begin()
    first = store.put(sid, "answer", "committed before the fault")
    db.conn.execute("PRAGMA query_only = ON")  # SQLITE_READONLY on every write
    with pytest.raises(StorageError) as err:
        store.put(sid, "answer", "lost to the fault")
    assert "read-only" in str(err.value) and "in memory" in str(err.value)
    assert store.records(sid) == [(first, "answer", "committed before the fault")]
    db.conn.execute("PRAGMA query_only = OFF")
    assert not db.conn.in_transaction
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.put(sid, "answer", "after recovery")
    assert len(store.records(sid)) == 2


def test_read_only_database_file(tmp_path: Path, kek: KeyEncryptionKey) -> None:
    path = tmp_path / "ro" / "kiosk.db"
    db, _ = open_database(path)
    store = SessionStore(db, kek)
    sid = store.begin()
    first = store.put(sid, "answer", "before")
    db.conn.close()
    # A connection that can only read, as when the file or its disk became read-only.
    import sqlite3

    ro = sqlite_utils.Database(
        sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    )
    store._db = ro  # same process, same in-memory keys, database now read-only
    with pytest.raises(StorageError, match="read-only"):
        store.put(sid, "answer", "after")
    assert store.records(sid) == [(first, "answer", "before")]
    ro.conn.close()


def test_disk_full_put_fails_cleanly(store: SessionStore, db: sqlite_utils.Database) -> None:
    sid = store.begin()
    kept = [store.put(sid, "answer", f"small {i}") for i in range(3)]
    pages = db.conn.execute("PRAGMA page_count").fetchone()[0]
    db.conn.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    with pytest.raises(StorageError) as err:
        for _ in range(50):
            store.put(sid, "transcript", "y" * 5000)
    assert "full" in str(err.value) and "free some space" in str(err.value)
    opened = store.records(sid)
    assert [r[0] for r in opened][:3] == kept
    assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_unknown_session_and_bad_kind(store: SessionStore) -> None:
    with pytest.raises(StorageError):
        store.put("f" * 32, "answer", "x")
    sid = store.begin()
    with pytest.raises(ValueError):
        store.put(sid, "Mrs Jones's answer", "x")
