"""Protocols and messages shared by every speech engine."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

SAMPLE_RATE = 16_000
"""Every recogniser takes 16 kHz, mono, signed 16-bit little-endian PCM."""


class SpeechError(Exception):
    """Bad audio, a missing or broken model, no device: the message says what to do."""


@dataclass(frozen=True)
class Hypothesis:
    """What the recogniser heard so far (``final`` False) or for a whole utterance."""

    text: str
    confidence: float
    """0.0 to 1.0; engines without a score report their best estimate."""
    final: bool


class Recogniser(Protocol):
    """Streaming speech to text for one language."""

    engine: str
    """'vosk' or 'pocketsphinx' (shown in staff and doctor output)."""
    language: str

    def start(self, grammar: Sequence[str] | None = None) -> None:
        """Begin an utterance. ``grammar`` restricts recognition to these phrases."""

    def feed(self, chunk: bytes) -> Hypothesis | None:
        """Add audio. Returns a partial result, a final one at an endpoint, or None."""

    def finish(self) -> Hypothesis:
        """End the utterance and return its final result."""


class Synthesiser(Protocol):
    """Text to speech, to a WAV file (played separately, so it can be stopped)."""

    def synthesise(self, text: str, lang: str, out: Path) -> Path: ...

    def languages(self) -> list[str]: ...
