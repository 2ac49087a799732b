"""The visit's encrypted record: the only place the UI touches the session store.

A :class:`VisitRecorder` owns one :class:`~kiosk.storage.sessions.SessionStore`
on one worker thread (the store is not thread-safe, and a SQLite connection
belongs to the thread that opened it). The UI thread only queues jobs, so it
never waits on the disk. Values go to the store only through ``put``, sealed
under the visit's own data key; ending the visit crypto-shreds it.

If the disk fails (full, read-only, gone), the recorder stops saving for the
rest of the run, tells the window by :attr:`VisitRecorder.storage_failed` (the
window raises a staff alert) and logs the error's class only: the visit carries
on in memory and nothing already committed is touched.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import Settings
from kiosk.storage.audit import append, audit_secret, subject_for
from kiosk.storage.db import database_path, open_database, transaction
from kiosk.storage.errors import StorageError
from kiosk.storage.keys import KeyEncryptionKey, load_or_replace_kek
from kiosk.storage.sessions import SessionStore

__all__ = ["RECORD_KINDS", "SWEEP_INTERVAL_MS", "VisitRecorder", "open_recorder"]

log = logging.getLogger(__name__)

RECORD_KINDS = frozenset({"answer", "question", "outcome"})
SWEEP_INTERVAL_MS = 10 * 60 * 1000
"""Kept-for-follow-up sessions past their retention are shredded this often."""

_STORAGE_FAILURES = (StorageError, OSError, sqlite3.Error)
Job = Callable[[], None]


class VisitRecorder(QObject):
    """Record one visit at a time, encrypted, from a single worker thread.

    ``open_db`` opens the database; it runs on the worker thread, which then
    recovers sessions left by a crash and sweeps expired ones. Construction
    waits (up to ``start_timeout`` seconds) for the database to open, so a
    caller learns at once whether saving works; a failure to open raises
    :class:`StorageError` and leaves no thread behind.
    """

    storage_failed = Signal()
    """Emitted once, when saving stops working: the visit carries on in memory."""

    def __init__(
        self,
        open_db: Callable[[], sqlite_utils.Database],
        kek: KeyEncryptionKey,
        key_dir: Path,
        *,
        clock: Callable[[], float] = time.time,
        sweep_interval_ms: int = SWEEP_INTERVAL_MS,
        start_timeout: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue[Job | threading.Event | None] = queue.Queue()
        self.memory_only = False
        """True once saving has failed: nothing more is written this run."""
        self.db: sqlite_utils.Database | None = None
        self.store: SessionStore | None = None
        self._secret = b""
        self._session_id: str | None = None
        self._started = threading.Event()
        self._start_error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(open_db, kek, key_dir, clock), name="visit-store", daemon=True
        )
        self._thread.start()
        if not self._started.wait(start_timeout):
            self._jobs.put(None)
            raise StorageError("the kiosk database did not open in time; visits are not saved")
        if self._start_error is not None:
            self._thread.join(5)
            error = self._start_error
            self._start_error = None
            if isinstance(error, StorageError):
                raise error
            raise StorageError(f"the kiosk database cannot be used ({type(error).__name__})")
        self._jobs.put(self._recover)
        self.sweep_timer = QTimer(self)
        self.sweep_timer.setInterval(sweep_interval_ms)
        self.sweep_timer.timeout.connect(self.sweep)
        self.sweep_timer.start()

    # --- the UI thread's side: queue a job and return at once ---------------------

    def start_visit(self) -> None:
        """A visitor started: begin an encrypted session (ending any left open)."""
        self._submit(self._start_visit)

    def record(self, kind: str, value: dict[str, Any]) -> None:
        """Seal ``value`` into the live visit's session as a record of ``kind``."""
        if kind not in RECORD_KINDS:
            raise ValueError(f"record kind {kind!r} is not one of {sorted(RECORD_KINDS)}")
        self._submit(lambda: self._record(kind, value))

    def end_visit(self) -> None:
        """The visit ended (finished, timed out, reset): crypto-shred its session."""
        self._submit(self._end_visit)

    def sweep(self) -> None:
        """Shred kept-for-follow-up sessions whose retention has passed."""
        self._submit(self._sweep)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every job queued so far has run (tests, and shutdown). False on timeout."""
        if not self._thread.is_alive():
            return True
        done = threading.Event()
        self._jobs.put(done)
        return done.wait(timeout)

    def shutdown(self, timeout: float = 5.0) -> None:
        """End the live visit, stop the worker and close the database."""
        if getattr(self, "sweep_timer", None) is not None:
            self.sweep_timer.stop()
        if not self._thread.is_alive():
            return
        self._jobs.put(self._end_visit)
        self._jobs.put(None)
        self._thread.join(timeout)

    @property
    def live_session_id(self) -> str | None:
        """The live visit's opaque session id (read after :meth:`flush`; for tests)."""
        return self._session_id

    def _submit(self, job: Job) -> None:
        if not self.memory_only and self._thread.is_alive():
            self._jobs.put(job)

    # --- the worker thread's side ----------------------------------------------------

    def _run(
        self,
        open_db: Callable[[], sqlite_utils.Database],
        kek: KeyEncryptionKey,
        key_dir: Path,
        clock: Callable[[], float],
    ) -> None:
        try:
            self.db = open_db()
            self.store = SessionStore(self.db, kek, clock)
            self._secret = audit_secret(key_dir)
        except BaseException as exc:  # reported to the constructor, which raises it
            self._start_error = exc
            self._close()
            self._started.set()
            return
        self._started.set()
        while True:
            job = self._jobs.get()
            if job is None:
                break
            if isinstance(job, threading.Event):  # a flush: everything before it has run
                job.set()
                continue
            if self.memory_only:
                continue
            try:
                job()
            except Exception as exc:  # any failure means: stop saving, keep the visit going
                self._failed(exc)
        self._close()

    def _recover(self) -> None:
        assert self.store is not None
        self.store.recover_orphans()
        self.store.sweep()

    def _sweep(self) -> None:
        assert self.store is not None
        self.store.sweep()

    def _start_visit(self) -> None:
        assert self.store is not None
        if self._session_id is not None:
            self._end_visit()
        session_id = self.store.begin()
        self._session_id = session_id
        self._audit("session_started", session_id)

    def _record(self, kind: str, value: dict[str, Any]) -> None:
        assert self.store is not None
        if self._session_id is None:
            return  # no visit is live (it ended, or never started): nothing to attach to
        self.store.put(self._session_id, kind, value)

    def _end_visit(self) -> None:
        assert self.store is not None
        session_id, self._session_id = self._session_id, None
        if session_id is None:
            return
        self.store.end(session_id)
        self._audit("session_ended", session_id)
        self._checkpoint()  # the audit entry came after the shred's checkpoint: leave no WAL

    def _checkpoint(self) -> None:
        assert self.db is not None
        busy, _, _ = self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            log.warning("visit_storage_checkpoint_busy")

    def _audit(self, event: str, session_id: str) -> None:
        assert self.db is not None
        with transaction(self.db, f"note {event.replace('_', ' ')} in the audit log"):
            append(self.db, event, subject_for(self._secret, session_id))

    def _failed(self, exc: BaseException) -> None:
        # the class only: a message could one day carry a value; staff read the alert
        log.error(
            "visit_storage_failed error=%s; visits carry on without saving", type(exc).__name__
        )
        self.memory_only = True
        session_id, self._session_id = self._session_id, None
        if session_id is not None and self.store is not None:
            try:  # best effort; if the disk refuses, the next start shreds it
                self.store.end(session_id)
            except _STORAGE_FAILURES as again:
                log.warning("visit_storage_shred_deferred error=%s", type(again).__name__)
        self.storage_failed.emit()

    def _close(self) -> None:
        if self.db is not None:
            try:
                self.db.conn.close()
            except sqlite3.Error as exc:
                log.warning("visit_storage_close_failed error=%s", type(exc).__name__)
        self.db, self.store = None, None


def open_recorder(settings: Settings) -> tuple[VisitRecorder | None, list[str]]:
    """The kiosk's recorder, or None (visits kept in memory only), and staff-facing problems.

    Loads the storage key (a damaged key file is moved aside and replaced) and
    opens the database in ``settings.data_dir``. Problems are logged here.
    """
    problems: list[str] = []
    try:
        kek, key_problems = load_or_replace_kek(settings.keys_dir)
        for problem in key_problems:
            log.error("storage_key_problem: %s", problem)
        problems += key_problems

        def open_db() -> sqlite_utils.Database:
            db, db_problems = open_database(database_path(settings.data_dir))
            for problem in db_problems:
                log.error("storage_database_problem: %s", problem)
            problems.extend(db_problems)
            return db

        recorder = VisitRecorder(open_db, kek, settings.keys_dir)
    except _STORAGE_FAILURES as exc:
        log.error("visit_storage_unavailable error=%s; visits are not saved", type(exc).__name__)
        problems.append(str(exc) if isinstance(exc, StorageError) else type(exc).__name__)
        return None, problems
    return recorder, problems
