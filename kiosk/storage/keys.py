"""The key-encryption key (KEK): load it, check it, rotate it.

The KEK wraps every session's data key. It comes from systemd credentials
(``$CREDENTIALS_DIRECTORY/kiosk-storage-key``) when present, else from
``<key_dir>/storage.key``, created on first run: 32 random bytes, file mode 0600
in a directory of its own with mode 0700, written atomically.

If the key file is lost or replaced, sessions wrapped under the old key cannot
be read again; that is by design (they are shredded at the next start).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from kiosk.storage.crypto import KEY_BYTES, new_key, unwrap_key, wrap_key
from kiosk.storage.db import transaction
from kiosk.storage.errors import KeyFileError, StorageError

__all__ = [
    "CREDENTIAL_NAME",
    "KEY_FILENAME",
    "OLD_KEY_FILENAME",
    "KeyEncryptionKey",
    "check_keys",
    "default_key_dir",
    "kek_id",
    "load_kek",
    "load_or_replace_kek",
    "rotate",
]

log = logging.getLogger("kiosk.storage")

KEY_FILENAME = "storage.key"
OLD_KEY_FILENAME = "storage.key.old"
CREDENTIAL_NAME = "kiosk-storage-key"
_MAKE_KEY = f"head -c {KEY_BYTES} /dev/urandom"


def kek_id(key: bytes) -> str:
    """A non-secret id for a KEK: the first 16 hex digits of its sha256."""
    return hashlib.sha256(key).hexdigest()[:16]


@dataclass(frozen=True)
class KeyEncryptionKey:
    """A key-encryption key and its id. The key bytes never appear in ``repr``."""

    id: str
    key: bytes = field(repr=False)

    @classmethod
    def from_bytes(cls, key: bytes) -> KeyEncryptionKey:
        """Build a KEK from 32 key bytes, deriving its id."""
        if len(key) != KEY_BYTES:
            raise ValueError(f"a key-encryption key must be {KEY_BYTES} bytes")
        return cls(kek_id(key), key)


def default_key_dir(data_dir: Path) -> Path:
    """The key directory used when the config names none: ``<data_dir>/keys``."""
    return data_dir / "keys"


def _credential_path(env: Mapping[str, str]) -> Path | None:
    folder = env.get("CREDENTIALS_DIRECTORY")
    if not folder:
        return None
    path = Path(folder) / CREDENTIAL_NAME
    return path if path.exists() else None


def _read_key(path: Path, fix: str) -> KeyEncryptionKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"the storage key file {path} cannot be read ({exc.strerror}). Fix: {fix}",
            path,
        ) from exc
    if len(data) != KEY_BYTES:
        raise KeyFileError(
            f"the storage key file {path} holds {len(data)} bytes, expected {KEY_BYTES} "
            f"random bytes. Fix: {fix}",
            path,
        )
    return KeyEncryptionKey.from_bytes(data)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_tmp(folder: Path, name: str, data: bytes) -> Path:
    tmp = folder / f".{name}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o600)
    return tmp


def _write_atomic(path: Path, data: bytes, *, replace: bool) -> bool:
    """Write ``data`` to ``path`` (mode 0600) atomically; ``False`` if it exists and not replace."""
    tmp = _write_tmp(path.parent, path.name, data)
    try:
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # fails if another process created the key first
            except FileExistsError:
                return False
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def _ensure_dir(key_dir: Path) -> None:
    if not key_dir.exists():
        key_dir.mkdir(parents=True, mode=0o700)
        os.chmod(key_dir, 0o700)


def _file_fix(path: Path) -> str:
    return (
        f"restore the right key file, or move {path} aside and restart so a new key is "
        "created (sessions sealed under the old key then become unreadable, by design)"
    )


def load_kek(key_dir: Path, env: Mapping[str, str] = os.environ) -> KeyEncryptionKey:
    """Load the KEK: systemd credential if present, else ``key_dir/storage.key``.

    On first run the key file is created (directory 0700, file 0600, atomic write).
    Raises :class:`KeyFileError` naming the path and the fix when the file is
    unreadable or not exactly 32 bytes.
    """
    cred = _credential_path(env)
    if cred is not None:
        return _read_key(
            cred,
            f"provision the systemd credential {CREDENTIAL_NAME} with exactly {KEY_BYTES} "
            f"random bytes (e.g. `{_MAKE_KEY}`), or remove it to use {key_dir / KEY_FILENAME}",
        )
    path = key_dir / KEY_FILENAME
    if not path.exists():
        try:
            _ensure_dir(key_dir)
            if _write_atomic(path, new_key(), replace=False):
                log.info("storage_key_created")
        except OSError as exc:
            raise KeyFileError(
                f"the storage key file {path} cannot be created ({exc.strerror}). Fix: make "
                f"{key_dir} a folder the kiosk user can write, mode 0700",
                path,
            ) from exc
    return _read_key(path, _file_fix(path))


def load_or_replace_kek(
    key_dir: Path,
    env: Mapping[str, str] = os.environ,
    now: Callable[[], dt.datetime] = dt.datetime.now,
) -> tuple[KeyEncryptionKey, list[str]]:
    """Load the KEK for a kiosk start; a bad key file is moved aside and a new key made.

    Returns the KEK and staff-facing problems. Sessions sealed under the bad key
    stay unreadable, by design, and are shredded at start; the kiosk starts fresh
    and works. A bad systemd credential cannot be replaced here, so its
    :class:`KeyFileError` is raised.
    """
    try:
        return load_kek(key_dir, env), []
    except KeyFileError as exc:
        path = key_dir / KEY_FILENAME
        if exc.path != path or not path.exists():
            raise
        aside = key_dir / f"{KEY_FILENAME}.bad-{now().strftime('%Y%m%d-%H%M%S')}"
        try:
            os.replace(path, aside)
        except OSError:
            raise exc from None
        log.error("storage_key_file_replaced moved_to=%s", aside)
        kek = load_kek(key_dir, env)
        return kek, [
            f"{exc} The bad key file was moved aside to {aside} and a new key was created; "
            "sessions sealed under the old key cannot be read (by design)."
        ]


def check_keys(key_dir: Path, env: Mapping[str, str] = os.environ) -> list[str]:
    """Problems with the key setup, each with its fix; an empty list means all is well."""
    cred = _credential_path(env)
    if cred is not None:
        try:
            _read_key(cred, "provision the credential again")
        except KeyFileError as exc:
            return [str(exc)]
        return []
    problems: list[str] = []
    path = key_dir / KEY_FILENAME
    uid = os.geteuid()
    if not key_dir.exists():
        return [f"no key directory {key_dir}: the kiosk creates it (and the key) on first start"]
    dir_stat = key_dir.stat()
    if dir_stat.st_mode & 0o077:
        problems.append(
            f"key directory {key_dir} has mode {stat.S_IMODE(dir_stat.st_mode):04o}, so other "
            f"users can reach it. Fix: chmod 700 {key_dir}"
        )
    if dir_stat.st_uid != uid:
        problems.append(
            f"key directory {key_dir} belongs to uid {dir_stat.st_uid}, not the kiosk user "
            f"(uid {uid}). Fix: chown the directory to the kiosk user"
        )
    if not path.exists():
        problems.append(f"no key file at {path}: the kiosk creates one on first start")
        return problems
    if path.is_symlink() or not path.is_file():
        problems.append(f"{path} is not a regular file. Fix: replace it with the real key file")
        return problems
    file_stat = path.stat()
    if file_stat.st_mode & 0o077:
        problems.append(
            f"key file {path} has mode {stat.S_IMODE(file_stat.st_mode):04o}, so other users "
            f"can read it. Fix: chmod 600 {path}"
        )
    if file_stat.st_uid != uid:
        problems.append(
            f"key file {path} belongs to uid {file_stat.st_uid}, not the kiosk user "
            f"(uid {uid}). Fix: chown it to the kiosk user"
        )
    try:
        _read_key(path, _file_fix(path))
    except KeyFileError as exc:
        problems.append(str(exc))
    if (key_dir / OLD_KEY_FILENAME).exists():
        problems.append(
            f"{key_dir / OLD_KEY_FILENAME} exists: a key rotation was interrupted. "
            "Fix: run `kiosk keys rotate` again to finish it"
        )
    return problems


def rotate(db: sqlite_utils.Database, old: KeyEncryptionKey, key_dir: Path) -> KeyEncryptionKey:
    """Re-wrap every live session's data key under a new KEK and install it as the key file.

    ``old`` must be the key in ``key_dir/storage.key``. The old key is kept as
    ``storage.key.old`` until the database transaction that re-wraps every session
    has committed, then removed. Running it again after an interruption finishes
    the job (sessions still under the ``.old`` key are re-wrapped too). Returns the
    new KEK; a running :class:`~kiosk.storage.sessions.SessionStore` must be told
    about it with ``use_kek``.
    """
    path = key_dir / KEY_FILENAME
    old_path = key_dir / OLD_KEY_FILENAME
    current = _read_key(path, _file_fix(path))
    if current.id != old.id:
        raise KeyFileError(
            f"the key in {path} (id {current.id}) is not the key in use (id {old.id}); "
            "rotation refused. Fix: rotate on the kiosk whose key file this is "
            "(keys from systemd credentials are rotated by provisioning a new credential)",
            path,
        )
    olds = {old.id: old}
    if old_path.exists():
        previous = _read_key(old_path, f"remove {old_path} if no session still needs it")
        olds[previous.id] = previous
    else:
        _write_atomic(old_path, old.key, replace=True)
    new = KeyEncryptionKey.from_bytes(new_key())
    _write_atomic(path, new.key, replace=True)
    try:
        count = 0
        with transaction(db, "re-wrap the session keys") as conn:
            rows = conn.execute("SELECT id, wrapped_key, kek_id FROM sessions").fetchall()
            for session_id, wrapped, wrapped_under in rows:
                if wrapped_under not in olds:
                    continue  # already unreadable (an older lost key); shredded by its owner
                data_key = unwrap_key(olds[wrapped_under].key, wrapped)
                conn.execute(
                    "UPDATE sessions SET wrapped_key = ?, kek_id = ? WHERE id = ?",
                    (wrap_key(new.key, data_key), new.id, session_id),
                )
                count += 1
    except (StorageError, OSError):
        # The database still holds the old wrapping: put the old key file back.
        _write_atomic(path, current.key, replace=True)
        raise
    old_path.unlink()
    _fsync_dir(key_dir)
    log.info("storage_key_rotated sessions=%d new_kek=%s", count, new.id)
    return new
