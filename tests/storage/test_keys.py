"""The key-encryption key: first-run creation, permissions, problems, credentials, rotation."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.storage.crypto import unwrap_key
from kiosk.storage.errors import KeyFileError, StorageError
from kiosk.storage.keys import (
    CREDENTIAL_NAME,
    KEY_FILENAME,
    OLD_KEY_FILENAME,
    KeyEncryptionKey,
    check_keys,
    kek_id,
    load_kek,
    rotate,
)
from kiosk.storage.sessions import SessionStore


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_first_run_creates_key_0600_in_dir_0700(key_dir: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        kek = load_kek(key_dir, env={})
    finally:
        os.umask(old_umask)
    path = key_dir / KEY_FILENAME
    assert _mode(key_dir) == 0o700
    assert _mode(path) == 0o600
    assert path.read_bytes() == kek.key and len(kek.key) == 32
    assert kek.id == kek_id(kek.key) and len(kek.id) == 16
    assert [p.name for p in key_dir.iterdir()] == [KEY_FILENAME]  # no temp file left
    assert load_kek(key_dir, env={}) == kek
    assert check_keys(key_dir, env={}) == []


def test_key_never_in_repr(kek: KeyEncryptionKey) -> None:
    assert kek.key.hex() not in repr(kek)
    assert repr(kek.key) not in repr(kek)


def test_too_open_key_file_and_dir_reported(key_dir: Path, kek: KeyEncryptionKey) -> None:
    path = key_dir / KEY_FILENAME
    os.chmod(path, 0o644)
    os.chmod(key_dir, 0o755)
    problems = check_keys(key_dir, env={})
    assert any(f"chmod 600 {path}" in p and "0644" in p for p in problems)
    assert any(f"chmod 700 {key_dir}" in p for p in problems)


def test_wrong_owner_reported(key_dir: Path, kek: KeyEncryptionKey) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    os.chown(key_dir / KEY_FILENAME, 4242, 4242)
    problems = check_keys(key_dir, env={})
    assert any("uid 4242" in p and "chown" in p for p in problems)


def test_missing_key_reported(key_dir: Path) -> None:
    assert "first start" in check_keys(key_dir, env={})[0]
    key_dir.mkdir()
    assert any("no key file" in p for p in check_keys(key_dir, env={}))


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_wrong_length_key_file(key_dir: Path, size: int) -> None:
    key_dir.mkdir(mode=0o700)
    path = key_dir / KEY_FILENAME
    path.write_bytes(b"k" * size)
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError) as err:
        load_kek(key_dir, env={})
    assert str(path) in str(err.value)
    assert f"holds {size} bytes" in str(err.value)
    assert "Fix:" in str(err.value)
    assert err.value.path == path
    assert any(str(path) in p and "expected 32" in p for p in check_keys(key_dir, env={}))


def test_unreadable_key_file(key_dir: Path) -> None:
    key_dir.mkdir()
    (key_dir / KEY_FILENAME).mkdir()  # a directory where the file should be: unreadable
    with pytest.raises(KeyFileError) as err:
        load_kek(key_dir, env={})
    assert str(key_dir / KEY_FILENAME) in str(err.value)


def test_credentials_directory_used_when_set(tmp_path: Path, key_dir: Path) -> None:
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / CREDENTIAL_NAME).write_bytes(b"\x07" * 32)
    env = {"CREDENTIALS_DIRECTORY": str(creds)}
    kek = load_kek(key_dir, env=env)
    assert kek.key == b"\x07" * 32
    assert not key_dir.exists()  # no key file created when systemd provides one
    assert check_keys(key_dir, env=env) == []
    (creds / CREDENTIAL_NAME).write_bytes(b"short")
    with pytest.raises(KeyFileError, match=CREDENTIAL_NAME):
        load_kek(key_dir, env=env)
    assert CREDENTIAL_NAME in check_keys(key_dir, env=env)[0]


def test_credentials_directory_without_the_credential_falls_back(
    tmp_path: Path, key_dir: Path
) -> None:
    env = {"CREDENTIALS_DIRECTORY": str(tmp_path / "empty")}
    kek = load_kek(key_dir, env=env)
    assert (key_dir / KEY_FILENAME).read_bytes() == kek.key


def test_rotation_under_a_live_session(
    db: sqlite_utils.Database, kek: KeyEncryptionKey, key_dir: Path
) -> None:
    store = SessionStore(db, kek)
    live = store.begin()
    store.put(live, "answer", {"postcode": "CF10 1AA"})
    kept = store.begin()
    store.put(kept, "transcript", "I need a parking permit")
    store.keep_for_follow_up(kept)
    store.end(kept)  # kept: key only in the database now

    new = rotate(db, kek, key_dir)

    assert new.id != kek.id
    assert load_kek(key_dir, env={}) == new
    assert not (key_dir / OLD_KEY_FILENAME).exists()
    assert _mode(key_dir / KEY_FILENAME) == 0o600
    rows = db.conn.execute("SELECT wrapped_key, kek_id FROM sessions").fetchall()
    assert {r[1] for r in rows} == {new.id}
    for wrapped, _ in rows:
        with pytest.raises(StorageError):
            unwrap_key(kek.key, wrapped)  # the old key can no longer unwrap
    # The live store keeps working (its data key is in memory) and adopts the new KEK.
    assert store.records(live)[0][2] == {"postcode": "CF10 1AA"}
    store.use_kek(new)
    store.put(live, "answer", "second")
    assert [v for _, _, v in store.records(live)] == [{"postcode": "CF10 1AA"}, "second"]
    # A fresh process with only the new key file reads the kept session.
    fresh = SessionStore(db, load_kek(key_dir, env={}))
    assert fresh.records(kept)[0][2] == "I need a parking permit"
    assert fresh.records(live)[1][2] == "second"
    # The old key cannot open anything any more.
    with pytest.raises(StorageError, match="unreadable by design"):
        SessionStore(db, kek).records(kept)


def test_rotation_refuses_a_key_that_is_not_the_key_file(
    db: sqlite_utils.Database, kek: KeyEncryptionKey, key_dir: Path
) -> None:
    stranger = KeyEncryptionKey.from_bytes(b"\x01" * 32)
    with pytest.raises(KeyFileError, match="rotation refused"):
        rotate(db, stranger, key_dir)
    assert load_kek(key_dir, env={}) == kek


def test_interrupted_rotation_is_finished_by_running_again(
    db: sqlite_utils.Database, kek: KeyEncryptionKey, key_dir: Path
) -> None:
    store = SessionStore(db, kek)
    sid = store.begin()
    store.put(sid, "answer", "kept through two rotations")
    store.keep_for_follow_up(sid)
    # Simulate a crash after the new key file was installed, before the database commit.
    (key_dir / OLD_KEY_FILENAME).write_bytes(kek.key)
    half = KeyEncryptionKey.from_bytes(os.urandom(32))
    (key_dir / KEY_FILENAME).write_bytes(half.key)
    assert any("interrupted" in p for p in check_keys(key_dir, env={}))

    final = rotate(db, load_kek(key_dir, env={}), key_dir)

    assert not (key_dir / OLD_KEY_FILENAME).exists()
    assert SessionStore(db, final).records(sid)[0][2] == "kept through two rotations"


def test_rotation_failure_restores_the_old_key_file(
    db: sqlite_utils.Database, kek: KeyEncryptionKey, key_dir: Path
) -> None:
    store = SessionStore(db, kek)
    sid = store.begin()
    store.put(sid, "answer", "still here")
    db.conn.execute("PRAGMA query_only = ON")  # the database refuses writes
    with pytest.raises(StorageError, match="could not re-wrap"):
        rotate(db, kek, key_dir)
    db.conn.execute("PRAGMA query_only = OFF")
    assert load_kek(key_dir, env={}) == kek
    assert SessionStore(db, kek).records(sid)[0][2] == "still here"


def test_bad_key_file_replaced_at_start(key_dir: Path) -> None:
    import datetime as dt

    from kiosk.storage.keys import load_or_replace_kek

    key_dir.mkdir(mode=0o700)
    bad = key_dir / KEY_FILENAME
    bad.write_bytes(b"not a key")
    kek, problems = load_or_replace_kek(
        key_dir, env={}, now=lambda: dt.datetime(2026, 1, 2, 3, 4, 5)
    )
    aside = key_dir / "storage.key.bad-20260102-030405"
    assert aside.read_bytes() == b"not a key"
    assert bad.read_bytes() == kek.key
    assert len(problems) == 1 and str(bad) in problems[0] and str(aside) in problems[0]
    assert load_or_replace_kek(key_dir, env={}) == (kek, [])


def test_keys_cli(tmp_path: Path, key_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.storage.db import database_path, open_database
    from kiosk.storage.keys_cli import cmd_check, cmd_rotate

    data_dir = tmp_path / "data"
    db, _ = open_database(database_path(data_dir))
    kek = load_kek(key_dir, env={})
    store = SessionStore(db, kek)
    sid = store.begin()
    store.put(sid, "answer", "survives rotation")
    assert cmd_check(key_dir, env={}) == 0
    assert cmd_rotate(data_dir, key_dir, env={}) == 0
    assert "1 session(s) re-wrapped" in capsys.readouterr().out
    assert SessionStore(db, load_kek(key_dir, env={})).records(sid)[0][2] == "survives rotation"
    os.chmod(key_dir / KEY_FILENAME, 0o640)
    assert cmd_check(key_dir, env={}) == 1
    assert "chmod 600" in capsys.readouterr().out
    (key_dir / KEY_FILENAME).write_bytes(b"short")
    assert cmd_rotate(data_dir, key_dir, env={}) == 2
    assert str(key_dir / KEY_FILENAME) in capsys.readouterr().err
    db.conn.close()
