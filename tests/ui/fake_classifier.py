"""A small fake intent classifier for UI tests of the Ask box's screens (not of the model)."""

from __future__ import annotations

import threading

from kiosk.nlu.types import OUT_OF_SCOPE, Alternative, Decision, IntentResult

# what the fake answers, by the exact text typed; anything else is out of scope
FAKE_ANSWERS: dict[str, tuple[Decision, tuple[str, ...]]] = {
    "bin not emptied": (Decision.CONFIDENT, ("bins.missed", "bins.new_bin")),
    "bin not emptied at an1 2tw": (Decision.CONFIDENT, ("bins.missed", "bins.new_bin")),
    "bins": (Decision.CLARIFY, ("bins.new_bin", "bins.collection_day", "bins.missed")),
    "biniau": (Decision.CLARIFY, ("bins.new_bin", "bins.collection_day")),
    "staff": (Decision.CONFIDENT, ("kiosk.staff",)),
    "cymraeg": (Decision.CONFIDENT, ("kiosk.language",)),
    "nowhere to sleep": (Decision.CONFIDENT, ("housing.homeless",)),
}


class FakeClassifier:
    """Answers from FAKE_ANSWERS; can be held back (``go``) or made to fail (``fail``)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []
        """(text, lang, name of the thread it ran on)"""
        self.go = threading.Event()
        self.go.set()
        self.fail = False

    def classify(self, text: str, lang: str) -> IntentResult:
        self.calls.append((text, lang, threading.current_thread().name))
        assert self.go.wait(10), "the test never released the classifier"
        if self.fail:
            raise RuntimeError("the model fell over")
        decision, ranked = FAKE_ANSWERS.get(text, (Decision.OUT_OF_SCOPE, ("register.birth",)))
        alternatives = tuple(Alternative(i, 0.5 - n * 0.1) for n, i in enumerate(ranked))
        intent = OUT_OF_SCOPE if decision is Decision.OUT_OF_SCOPE else ranked[0]
        return IntentResult(text, intent, 0.5, alternatives, decision)
