"""Open the kiosk database: pragmas, migrations, refusal of newer versions, corrupt-file recovery.

One SQLite file in the data directory (:data:`DB_FILENAME`), opened in WAL mode
with ``synchronous=FULL``, ``secure_delete=ON`` and foreign keys on. The
connection is in autocommit mode; every write goes through :func:`transaction`,
which takes the write lock up front (``BEGIN IMMEDIATE``) and turns SQLite
failures (disk full, read-only) into a :class:`StorageError` a person can act on.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from kiosk.storage.errors import DatabaseRefused, StorageError

__all__ = [
    "DB_FILENAME",
    "LATEST_VERSION",
    "MIGRATIONS",
    "Migration",
    "database_path",
    "open_database",
    "schema_version",
    "transaction",
]

log = logging.getLogger("kiosk.storage")

DB_FILENAME = "kiosk.db"

Migration = tuple[int, str, Callable[[sqlite_utils.Database], None]]
"""``(version, description, apply)``: ``apply`` runs inside the migration's transaction."""

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def database_path(data_dir: Path) -> Path:
    """Where the kiosk database lives inside ``Settings.data_dir``."""
    return data_dir / DB_FILENAME


def _migration_1(db: sqlite_utils.Database) -> None:
    # Only random ids, coarse minutes, non-personal labels and ciphertext: nothing
    # personal in columns, indexes or table names.
    db.execute(
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            wrapped_key BLOB NOT NULL,
            kek_id TEXT NOT NULL,
            created_minute TEXT NOT NULL,
            keep_until TEXT
        )
        """
    )
    # AUTOINCREMENT: a record id is never reused, so an old sealed row can never
    # be replayed under a later record's id (the AAD binds the id).
    db.execute(
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            nonce BLOB NOT NULL,
            ciphertext BLOB NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX records_session ON records(session_id)")
    db.execute(
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            session_id TEXT,
            record_id INTEGER,
            minute TEXT NOT NULL,
            reason TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            minute TEXT NOT NULL,
            event TEXT NOT NULL,
            subject TEXT NOT NULL,
            prev TEXT NOT NULL,
            hash TEXT NOT NULL
        )
        """
    )


MIGRATIONS: list[Migration] = [
    (1, "sessions, records, quarantine and audit tables", _migration_1),
]
"""Every schema change, in order. Append; never edit or reorder a released entry."""

LATEST_VERSION = max(version for version, _, _ in MIGRATIONS)


def _minute(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


@contextmanager
def transaction(db: sqlite_utils.Database, what: str) -> Iterator[sqlite3.Connection]:
    """Run a write transaction; on a SQLite failure roll back and raise :class:`StorageError`.

    ``what`` completes "could not ..." in the message (e.g. ``"save a record"``).
    Nothing committed earlier is affected by a failed transaction.
    """
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise StorageError(_explain(db, what, exc)) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        _rollback(conn)
        raise StorageError(_explain(db, what, exc)) from exc
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            log.warning("storage_rollback_failed")


def _db_file(db: sqlite_utils.Database) -> str:
    try:
        for _, name, file in db.conn.execute("PRAGMA database_list").fetchall():
            if name == "main":
                return str(file) or "(in memory)"
    except sqlite3.Error:
        pass
    return "the kiosk database"


def _explain(db: sqlite_utils.Database, what: str, exc: sqlite3.Error) -> str:
    text = str(exc)
    where = _db_file(db)
    if "full" in text:
        fix = f"the disk holding {where} is full; free some space"
    elif "readonly" in text or "read-only" in text:
        fix = f"{where} is read-only; check the file and folder permissions and the disk"
    elif "locked" in text or "busy" in text:
        fix = f"{where} is locked by another process; make sure only one kiosk runs"
    else:
        fix = f"check the disk and {where}"
    return (
        f"could not {what} ({text}): {fix}. Nothing already saved was changed; "
        "the visit carries on in memory."
    )


def schema_version(db: sqlite_utils.Database) -> int:
    """The highest migration applied to ``db`` (0 for a new, empty database)."""
    return _version(db.conn)


def _version(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if row is None:
        return 0
    value = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    return int(value or 0)


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc)
    return "not a database" in text or "malformed" in text


def _inspect(path: Path) -> str | None:
    """Check an existing file without changing it: ``None`` if usable, else why it is corrupt.

    Raises :class:`DatabaseRefused` for a newer schema, :class:`StorageError` when the
    file cannot be opened for a reason other than corruption (locked, permissions).
    """
    # Read-only: never checkpoints or rewrites anything, so a refused file stays as it was.
    uri = f"file:{quote(str(path))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5)
    except sqlite3.Error as exc:
        raise StorageError(
            f"the kiosk database {path} cannot be opened ({exc}); check its permissions"
        ) from exc
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            first = rows[0][0] if rows else "no result"
            return f"failed its integrity check ({first})"
        version = _version(conn)
    except sqlite3.Error as exc:
        if _is_corruption(exc):
            return f"is not a readable SQLite database ({exc})"
        raise StorageError(f"the kiosk database {path} cannot be read ({exc})") from exc
    finally:
        conn.close()
    if version > LATEST_VERSION:
        raise DatabaseRefused(
            f"the kiosk database {path} is at schema version {version}, but this kiosk "
            f"only knows up to version {LATEST_VERSION}: it was written by a newer kiosk. "
            "It has been left untouched. Fix: install the newer kiosk version again, or "
            "point data_dir at a different folder."
        )
    return None


def _move_aside(path: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def _apply_pragmas(db: sqlite_utils.Database, path: Path) -> None:
    conn = db.conn
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    actual = {
        "journal_mode": str(mode).lower(),
        "synchronous": conn.execute("PRAGMA synchronous").fetchone()[0],
        "secure_delete": conn.execute("PRAGMA secure_delete").fetchone()[0],
        "foreign_keys": conn.execute("PRAGMA foreign_keys").fetchone()[0],
    }
    wanted: dict[str, object] = {
        "journal_mode": "wal",
        "synchronous": 2,
        "secure_delete": 1,
        "foreign_keys": 1,
    }
    wrong = [f"{k}={actual[k]!r} (wanted {v!r})" for k, v in wanted.items() if actual[k] != v]
    if wrong:
        raise StorageError(
            f"the kiosk database {path} refused its safety settings: {', '.join(wrong)}; "
            "check that the folder is on a local, writable disk"
        )


def _migrate(db: sqlite_utils.Database, now: dt.datetime) -> list[str]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_minute TEXT NOT NULL)"
    )
    applied: list[str] = []
    current = schema_version(db)
    for version, description, apply in MIGRATIONS:
        if version <= current:
            continue
        with transaction(db, f"apply database migration {version} ({description})") as conn:
            apply(db)
            conn.execute(
                "INSERT INTO schema_version (version, description, applied_minute) "
                "VALUES (?, ?, ?)",
                (version, description, _minute(now)),
            )
        applied.append(f"{version}: {description}")
        log.info("storage_migration_applied version=%d", version)
    return applied


def open_database(
    path: Path, *, now: Callable[[], dt.datetime] = dt.datetime.now
) -> tuple[sqlite_utils.Database, list[str]]:
    """Open (creating if needed) the kiosk database at ``path`` and bring its schema up to date.

    Returns the database and a list of staff-facing problems found on the way
    (for example a corrupt file that was moved aside). A file that is not SQLite,
    or fails its integrity check, is renamed ``<name>.corrupt-YYYYmmdd-HHMMSS``
    (with its ``-wal``/``-shm`` files) and a new database is created in its place.

    Raises :class:`DatabaseRefused` if the file was written by a newer kiosk (it is
    not modified), and :class:`StorageError` if it cannot be opened at all.
    """
    problems: list[str] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if not path.is_file():
            raise StorageError(f"the kiosk database {path} is not a file; move it away")
        reason = _inspect(path)
        if reason is not None:
            moved = _move_aside(path, now())
            message = (
                f"the kiosk database {reason}; it was moved aside to {moved} and a new, "
                "empty database was created (sessions in the old one are lost)"
            )
            log.error("storage_database_moved_aside moved_to=%s", moved)
            problems.append(message)
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    except sqlite3.Error as exc:
        raise StorageError(f"the kiosk database {path} cannot be opened ({exc})") from exc
    db = sqlite_utils.Database(conn)
    try:
        _apply_pragmas(db, path)
        _migrate(db, now())
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(f"the kiosk database {path} cannot be prepared ({exc})") from exc
    except BaseException:
        conn.close()
        raise
    return db, problems
