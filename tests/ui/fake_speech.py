"""Small fakes for the UI's speech tests: a scripted recogniser, an audio source, a voice.

They stand in for the engines only in tests about the screens (the microphone
button, the meter, "Did you say…?", read aloud, barge-in). The claim that real
speech reaches the right journey is tested with the real recogniser and the
real intent model (tests/ui/test_speech_ui.py, TestRealSpeech).
"""

from __future__ import annotations

import threading
import time
import wave
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from kiosk.speech.capture import MicrophoneError
from kiosk.speech.types import SAMPLE_RATE, Hypothesis

CHUNK = (np.sin(np.arange(1600) / 5) * 6000).astype("<i2").tobytes()
"""100 ms of a loud tone: the meter moves."""


class FakeRecogniser:
    """Partial results from a script, then a final one at ``final_at`` or when finished.

    ``utterances`` is a queue: each ``start`` takes the next (partials, final,
    final_at); without one it hears nothing. ``grammars`` records what each
    utterance was restricted to.
    """

    engine = "fake"

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self.utterances: list[tuple[list[str], Hypothesis, int | None]] = []
        self.grammars: list[list[str] | None] = []
        self._partials: list[str] = []
        self._final = Hypothesis("", 0.0, final=True)
        self._final_at: int | None = None
        self._fed = 0

    def will_hear(
        self,
        text: str,
        confidence: float = 0.9,
        partials: Sequence[str] = (),
        final_at: int | None = None,
    ) -> None:
        """Script the next utterance; ``final_at`` None waits for the visitor to tap stop."""
        self.utterances.append((list(partials), Hypothesis(text, confidence, True), final_at))

    def start(self, grammar: Sequence[str] | None = None) -> None:
        self.grammars.append(list(grammar) if grammar is not None else None)
        if self.utterances:
            self._partials, self._final, self._final_at = self.utterances.pop(0)
        else:
            self._partials, self._final, self._final_at = [], Hypothesis("", 0.0, True), None
        self._fed = 0

    def feed(self, chunk: bytes) -> Hypothesis | None:
        self._fed += 1
        if self._final_at is not None and self._fed >= self._final_at:
            return self._final
        if self._fed <= len(self._partials):
            return Hypothesis(self._partials[self._fed - 1], 0.0, final=False)
        return None

    def finish(self) -> Hypothesis:
        return self._final


class FakeSource:
    """A microphone that sends a loud tone every 10 ms until stopped (or fails, if told to)."""

    def __init__(self, fail_after: int | None = None) -> None:
        self.fail_after = fail_after
        self.stopped = threading.Event()

    def chunks(self) -> Iterator[bytes]:
        sent = 0
        while not self.stopped.is_set():
            if self.fail_after is not None and sent >= self.fail_after:
                raise MicrophoneError("the microphone stopped sending audio (unplugged?)")
            yield CHUNK
            sent += 1
            time.sleep(0.01)

    def stop(self) -> None:
        self.stopped.set()


class FakeSynthesiser:
    """Writes a short silent WAV and remembers what it was asked to say, and in which language."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def synthesise(self, text: str, lang: str, out: Path) -> Path:
        self.said.append((text, lang))
        with wave.open(str(out), "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(b"\0\0" * 1600)
        return out

    def languages(self) -> list[str]:
        return ["en", "cy"]


class FakePlayer:
    """'Plays' until stopped: ``played`` lists the files, ``stops`` counts barge-ins."""

    def __init__(self) -> None:
        self.played: list[Path] = []
        self.stops = 0
        self._playing = False

    def play(self, path: Path) -> None:
        assert Path(path).exists()
        self.played.append(Path(path))
        self._playing = True

    def stop(self) -> None:
        if self._playing:
            self.stops += 1
        self._playing = False

    def is_playing(self) -> bool:
        return self._playing
