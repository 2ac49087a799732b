"""`kiosk keys check` and `kiosk keys rotate`: functions for the CLI to call.

Exit codes: 0 all well / rotated; 1 ``check`` found problems (each printed with
its fix); 2 the command was refused (the message on stderr says why and what to do).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from kiosk.storage.db import database_path, open_database
from kiosk.storage.errors import StorageError
from kiosk.storage.keys import check_keys, load_kek, rotate

__all__ = ["cmd_check", "cmd_rotate"]


def cmd_check(key_dir: Path, env: Mapping[str, str] = os.environ) -> int:
    """Print the key file's problems and fixes (or that all is well)."""
    problems = check_keys(key_dir, env)
    if not problems:
        print(f"Storage key OK ({key_dir})")
        return 0
    for problem in problems:
        print(f"- {problem}")
    return 1


def cmd_rotate(data_dir: Path, key_dir: Path, env: Mapping[str, str] = os.environ) -> int:
    """Re-wrap every live session key under a new key-encryption key."""
    try:
        old = load_kek(key_dir, env)
        db, problems = open_database(database_path(data_dir))
        for problem in problems:
            print(f"kiosk: {problem}", file=sys.stderr)
        try:
            new = rotate(db, old, key_dir)
            live = db.conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
        finally:
            db.conn.close()
    except StorageError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    print(f"Rotated the storage key: {old.id} -> {new.id}; {live} session(s) re-wrapped")
    return 0
