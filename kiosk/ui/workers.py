"""Work that must not block the UI thread, run in a thread pool, reporting back by signal.

A job's signals object is created on the UI thread, so a slot on a window
(which lives there too) runs on the UI thread through a queued connection,
whichever pool thread emitted it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, Signal

from kiosk.nlu.types import IntentClassifier

log = logging.getLogger(__name__)


class ClassifySignals(QObject):
    answered = Signal(int, object)
    """(ticket, IntentResult)"""
    failed = Signal(int, str)
    """(ticket, the exception's type name: never the visitor's words)"""


class ClassifyJob(QRunnable):
    """Classify one request. ``ticket`` lets the window ignore an answer that came too late."""

    def __init__(self, classifier: IntentClassifier, text: str, lang: str, ticket: int) -> None:
        super().__init__()
        self.classifier = classifier
        self.text = text
        self.lang = lang
        self.ticket = ticket
        self.signals = ClassifySignals()
        self.done = False
        """Set once run() has nothing left to do; the window then lets the job go."""

    def run(self) -> None:
        try:
            result = self.classifier.classify(self.text, self.lang)
        except Exception as exc:  # any failure must reach the UI, never kill a pool thread
            self.text = ""
            self.done = True
            self.signals.failed.emit(self.ticket, type(exc).__name__)
            return
        self.text = ""  # the job may outlive the request: keep no words in it
        self.done = True
        self.signals.answered.emit(self.ticket, result)
