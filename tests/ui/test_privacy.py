"""Privacy scan: a whole visit through the real app leaves no trace of the visitor on disk.

The window is built by ``make_window`` (real SQLite, real AES-GCM, the real
intent model when it is built), its data, key, temp, config and cache folders
all inside ``tmp_path``, and every log record written to a file there. The
visitor's words and answers carry marker strings; every byte under
``tmp_path`` is scanned for them, in UTF-8, UTF-16 and lowercase, while the
visit is live and after it ends.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.config import Settings
from kiosk.core.clock import FakeClock
from kiosk.core.session import Screen
from kiosk.storage.db import database_path, open_database
from kiosk.storage.errors import StorageError
from kiosk.storage.keys import load_kek
from kiosk.storage.sessions import SessionStore
from kiosk.ui.launch import make_window
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.visit_store import VisitRecorder
from kiosk.ui.widgets import KEY_NAMES

Tap = Callable[[str], None]

NAME = "zebediah quibble"
PHONE = "zero seven seven zero zero nine zero zero four six one"  # the Ask keys have no digits
POSTCODE = "WX9 7ZQ"
QUESTION = f"my name is {NAME} phone {PHONE}"
MARKERS = (NAME, PHONE, POSTCODE, POSTCODE.replace(" ", ""), "zebediah", "quibble")


def encodings(marker: str) -> set[bytes]:
    forms = {marker, marker.lower(), marker.upper()}
    return {form.encode(codec) for form in forms for codec in ("utf-8", "utf-16-le", "utf-16-be")}


def scan(root: Path) -> list[str]:
    """Every (file, marker) where a marker's bytes appear anywhere under ``root``."""
    found = []
    needles = {marker: encodings(marker) for marker in MARKERS}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        data = path.read_bytes()
        lowered = data.lower()
        for marker, forms in needles.items():
            if any(form in data or form.lower() in lowered for form in forms):
                found.append(f"{path.relative_to(root)}: {marker!r}")
    return found


def test_the_scan_finds_markers_in_every_encoding(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"x" + NAME.upper().encode("utf-16-le") + b"y")
    (tmp_path / "b").write_bytes(POSTCODE.lower().encode("utf-16-be"))
    expected = ["a: 'zebediah quibble'", "a: 'zebediah'", "a: 'quibble'", "b: 'WX9 7ZQ'"]
    assert scan(tmp_path) == expected


def flush(window: KioskWindow) -> VisitRecorder:
    recorder = window.recorder
    assert recorder is not None
    assert recorder.flush(), "the storage worker did not drain its queue"
    return recorder


def reader(settings: Settings) -> tuple[sqlite3.Connection, SessionStore]:
    """A second connection with the key file: what someone holding both could read."""
    conn = sqlite3.connect(str(database_path(settings.data_dir)), isolation_level=None)
    return conn, SessionStore(sqlite_utils.Database(conn), load_kek(settings.keys_dir))


def count(settings: Settings, table: str) -> int:
    conn = sqlite3.connect(str(database_path(settings.data_dir)))
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for var, name in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "xdg-data"),
    ):
        (tmp_path / name).mkdir()
        monkeypatch.setenv(var, str(tmp_path / name))
    return Settings(
        data_dir=tmp_path / "data",
        key_dir=tmp_path / "keys",
        fullscreen=False,
        speech_enabled=False,
    )


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "logs" / "kiosk.log"
    path.parent.mkdir()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


@pytest.fixture
def window(qtbot, settings: Settings, log_file: Path) -> Iterator[KioskWindow]:
    _app, win = make_window(settings, FakeClock(today=dt.date(2026, 11, 30)))
    qtbot.addWidget(win)
    win.resize(1920, 1080)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    QApplication.instance().removeEventFilter(win)


@pytest.fixture
def tap(qtbot, window: KioskWindow) -> Tap:
    def press(name: str) -> None:
        qtbot.mouseClick(window.find_button(name), Qt.MouseButton.LeftButton)

    return press


def ask_on_the_keys(qtbot, window: KioskWindow, tap: Tap) -> bool:  # type: ignore[no-untyped-def]
    """Type QUESTION on the on-screen keys and ask; False when the Ask box is off."""
    if window.classifier is None:
        return False
    tap("ask_box")
    for char in QUESTION:
        tap(f"tkey_{KEY_NAMES.get(char, char)}")
    tap("ask_submit")
    qtbot.waitUntil(lambda: window.session.place.screen is not Screen.ASK, timeout=20_000)
    screen = window.session.place.screen
    if screen is Screen.NO_MATCH:
        tap("no_match_browse")
    elif screen is Screen.CLARIFY:
        tap("clarify_other")
    elif screen is not Screen.HOME:
        tap("start_again")
    assert window.session.place.screen is Screen.HOME
    return True


def to_the_outcome(tap: Tap) -> None:
    tap("tile_bins")
    tap("service_bins.missed")
    tap("option_recent")
    tap("option_yes")
    for char in POSTCODE:
        tap("key_space" if char == " " else f"key_{char}")
    tap("continue")


def test_a_whole_visit_leaves_nothing_readable_behind(
    qtbot,  # type: ignore[no-untyped-def]
    window: KioskWindow,
    tap: Tap,
    settings: Settings,
    tmp_path: Path,
    log_file: Path,
) -> None:
    assert window.recorder is not None and not window.session.staff_alert
    tap("start")
    asked = ask_on_the_keys(qtbot, window, tap)
    assert asked or not (settings.models_dir / "nlu" / "manifest.json").is_file()
    to_the_outcome(tap)
    assert window.session.place.page == "check"
    tap("confirm")
    assert window.session.place.page == "reported"

    # live: the record exists, sealed, and nothing readable is on disk
    recorder = flush(window)
    session_id = recorder.live_session_id
    assert session_id is not None
    assert scan(tmp_path) == []
    conn, store = reader(settings)
    try:
        records = store.records(session_id)
    finally:
        conn.close()
    kinds = [kind for _, kind, _ in records]
    values = [value for _, _, value in records]
    assert kinds == (["question"] if asked else []) + ["answer"] * 3 + ["outcome"]
    assert {"service": "bins.missed", "page": "postcode", "value": POSTCODE} in values
    if asked:
        assert values[0] == {"text": QUESTION}
    assert values[-1] == {"service": "bins.missed", "page": "reported"}
    assert count(settings, "sessions") == 1

    tap("finished")
    tap("face_3")
    assert window.session.place.screen is Screen.ATTRACT
    flush(window)
    assert recorder.live_session_id is None

    # ended: shredded, the WAL checkpointed, and the key file opens nothing
    assert scan(tmp_path) == []
    assert count(settings, "sessions") == 0 and count(settings, "records") == 0
    wal = database_path(settings.data_dir).with_name("kiosk.db-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    conn, store = reader(settings)
    try:
        with pytest.raises(StorageError):
            store.records(session_id)
    finally:
        conn.close()
    events = [
        row[0]
        for row in sqlite3.connect(str(database_path(settings.data_dir))).execute(
            "SELECT event FROM audit ORDER BY id"
        )
    ]
    assert events == ["session_started", "session_ended"]
    logged = log_file.read_text(encoding="utf-8")
    assert session_id not in logged


def test_a_timed_out_visit_is_shredded(
    window: KioskWindow, tap: Tap, settings: Settings, tmp_path: Path
) -> None:
    tap("start")
    to_the_outcome(tap)
    flush(window)
    assert count(settings, "records") == 3  # when, put out, postcode
    clock = window.clock
    assert isinstance(clock, FakeClock)
    clock.advance(window.settings.idle_after_s + window.settings.idle_countdown_s + 1)
    window.tick()
    assert window.session.place.screen is Screen.ATTRACT
    flush(window)
    assert count(settings, "sessions") == 0 and count(settings, "records") == 0
    assert scan(tmp_path) == []


def test_a_storage_failure_keeps_the_visit_going_in_memory(
    qtbot,  # type: ignore[no-untyped-def]
    window: KioskWindow,
    tap: Tap,
    settings: Settings,
    tmp_path: Path,
    log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tap("start")
    recorder = flush(window)
    assert recorder.store is not None and count(settings, "sessions") == 1

    def disk_full(*_args: object) -> int:
        raise StorageError("could not save a record: the disk is full")

    monkeypatch.setattr(recorder.store, "put", disk_full)
    to_the_outcome(tap)
    flush(window)
    assert recorder.memory_only
    qtbot.waitUntil(lambda: window.alert_bar.isVisible(), timeout=5_000)
    assert window.alert_key == "alert-storage-unavailable"
    alert = " ".join(label.text() for label in window.alert_bar.findChildren(QLabel))
    assert "cannot save to its disk" in alert
    tap("confirm")
    assert window.session.place.page == "reported"  # the visit carried on
    # what was committed is untouched by the failure; the half-visit was shredded
    assert count(settings, "sessions") == 0 and count(settings, "records") == 0
    logged = log_file.read_text(encoding="utf-8")
    assert "visit_storage_failed error=StorageError" in logged
    assert "disk is full" not in logged
    tap("finished")
    tap("face_3")
    assert window.session.place.screen is Screen.ATTRACT
    tap("start")  # later visits are not saved, and nothing breaks
    flush(window)
    assert count(settings, "sessions") == 0
    assert scan(tmp_path) == []


def test_a_session_left_by_a_crash_is_shredded_at_the_next_start(
    qtbot,  # type: ignore[no-untyped-def]
    settings: Settings,
    log_file: Path,
) -> None:
    db, _ = open_database(database_path(settings.data_dir))
    store = SessionStore(db, load_kek(settings.keys_dir))
    left = store.begin()
    store.put(left, "answer", {"value": POSTCODE})
    db.conn.close()  # the process died here
    _app, win = make_window(settings, FakeClock(today=dt.date(2026, 11, 30)))
    qtbot.addWidget(win)
    try:
        flush(win)
        assert count(settings, "sessions") == 0 and count(settings, "records") == 0
    finally:
        win.close()
        QApplication.instance().removeEventFilter(win)


def test_a_database_that_cannot_open_means_memory_only_and_a_staff_alert(
    qtbot,  # type: ignore[no-untyped-def]
    settings: Settings,
    log_file: Path,
) -> None:
    database_path(settings.data_dir).mkdir(parents=True)  # a folder where the file should be
    _app, win = make_window(settings, FakeClock(today=dt.date(2026, 11, 30)))
    qtbot.addWidget(win)
    try:
        assert win.recorder is None
        win.show()
        qtbot.waitExposed(win)
        assert win.session.staff_alert and win.alert_key == "alert-storage-unavailable"
        qtbot.mouseClick(win.find_button("start"), Qt.MouseButton.LeftButton)
        assert win.session.place.screen is Screen.HOME
    finally:
        win.close()
        QApplication.instance().removeEventFilter(win)
