"""Storage fixtures: a real SQLite file in tmp_path, a real key file, a hand-moved clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.storage.db import open_database
from kiosk.storage.keys import KeyEncryptionKey, load_kek
from kiosk.storage.sessions import SessionStore


class FakeTime:
    """Epoch seconds that only move when told to."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "kiosk.db"


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    database, problems = open_database(db_path)
    assert problems == []
    yield database
    database.conn.close()


@pytest.fixture
def kek(key_dir: Path) -> KeyEncryptionKey:
    return load_kek(key_dir, env={})


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def store(db: sqlite_utils.Database, kek: KeyEncryptionKey, clock: FakeTime) -> SessionStore:
    return SessionStore(db, kek, clock=clock)
