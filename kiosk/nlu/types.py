"""What the intent classifier returns, and the protocol every classifier follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

OUT_OF_SCOPE = "out_of_scope"


class Decision(StrEnum):
    """What the kiosk should do with a result."""

    CONFIDENT = "confident"
    """Open the intent's service straight away."""
    CLARIFY = "clarify"
    """Ask "Did you mean ... or ...?" with the two best intents."""
    OUT_OF_SCOPE = "out_of_scope"
    """Say the kiosk cannot help with that here; offer browsing and staff."""


@dataclass(frozen=True)
class Alternative:
    intent: str
    confidence: float


@dataclass(frozen=True)
class IntentResult:
    """A classification: the chosen intent (or ``out_of_scope``) and the runners-up."""

    text: str
    intent: str
    confidence: float
    alternatives: tuple[Alternative, ...] = field(default_factory=tuple)
    decision: Decision = Decision.CONFIDENT

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "alternatives": [
                {"intent": a.intent, "confidence": round(a.confidence, 4)}
                for a in self.alternatives
            ],
        }


class IntentClassifier(Protocol):
    """Maps what a visitor typed or said to an intent id from the catalogue."""

    def classify(self, text: str, lang: str) -> IntentResult: ...
