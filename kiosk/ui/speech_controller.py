"""Listening and speaking for the window, off the UI thread, reported back with signals.

Listening: a Python thread pulls 100 ms chunks from an audio source (the
microphone, or a WAV file in tests and demos), feeds the language's recogniser
and emits the level, live partial text and the final hypothesis.

Speaking: text is synthesised to a temporary WAV in a worker thread and played
by the player; any touch stops it at once (barge-in).

Nothing heard or said is kept: transcripts go to the window and are dropped.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.speech.audio import rms
from kiosk.speech.capture import AudioSource, MicrophoneError
from kiosk.speech.types import Hypothesis, Recogniser, SpeechError

log = logging.getLogger(__name__)

RecogniserFactory = Callable[[str], Recogniser | None]
SourceFactory = Callable[[], AudioSource]


class SpeechController(QObject):
    """One microphone and one voice for the kiosk window."""

    level = Signal(float)
    partial = Signal(str)
    heard = Signal(object)  # Hypothesis
    listening_changed = Signal(bool)
    failed = Signal(str)  # a reason for the log; the window hides the microphone
    speaking_changed = Signal(bool)

    def __init__(
        self,
        recogniser_for: RecogniserFactory,
        source: SourceFactory,
        synthesiser: Any = None,
        player: Any = None,
    ) -> None:
        super().__init__()
        self._recogniser_for = recogniser_for
        self._source_factory = source
        self._recognisers: dict[str, Recogniser | None] = {}
        self._source: AudioSource | None = None
        self._thread: threading.Thread | None = None
        self._synthesiser = synthesiser
        self._player = player
        self._speak_ticket = 0
        self._lock = threading.Lock()
        self.microphone_ok = True

    # --- listening ---------------------------------------------------------------

    def recogniser(self, lang: str) -> Recogniser | None:
        """The language's recogniser (loaded once), or None when it has none."""
        if lang not in self._recognisers:
            try:
                self._recognisers[lang] = self._recogniser_for(lang)
            except SpeechError as exc:
                log.warning("no recogniser for %s: %s", lang, exc)
                self._recognisers[lang] = None
        return self._recognisers[lang]

    def can_listen(self, lang: str) -> bool:
        return self.microphone_ok and self.recogniser(lang) is not None

    @property
    def listening(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def listen(self, lang: str, grammar: Sequence[str] | None = None) -> None:
        """Start listening for one utterance (stops any speech first: barge-in)."""
        self.stop_speaking()
        recogniser = self.recogniser(lang)
        if recogniser is None or self.listening:
            return
        try:
            self._source = self._source_factory()
        except MicrophoneError as exc:
            self.microphone_ok = False
            self.failed.emit(str(exc))
            return
        self._thread = threading.Thread(
            target=self._run,
            args=(recogniser, self._source, grammar),
            daemon=True,
            name="kiosk-listen",
        )
        self.listening_changed.emit(True)
        self._thread.start()

    def stop_listening(self) -> None:
        if self._source is not None:
            self._source.stop()

    def _run(
        self, recogniser: Recogniser, source: AudioSource, grammar: Sequence[str] | None
    ) -> None:
        final: Hypothesis | None = None
        try:
            recogniser.start(grammar)
            for chunk in source.chunks():
                self.level.emit(rms(chunk))
                result = recogniser.feed(chunk)
                if result is None:
                    continue
                if result.final:
                    final = result
                    break
                self.partial.emit(result.text)
            if final is None:
                final = recogniser.finish()
        except MicrophoneError as exc:
            self.microphone_ok = False
            self.failed.emit(str(exc))
        except Exception as exc:  # a recogniser fault must not take the kiosk down
            log.exception("speech recognition failed")
            self.failed.emit(type(exc).__name__)
        finally:
            source.stop()
            self.listening_changed.emit(False)
        if final is not None:
            self.heard.emit(final)

    # --- speaking -----------------------------------------------------------------

    @property
    def can_speak(self) -> bool:
        return self._synthesiser is not None and self._player is not None

    def speak(self, text: str, lang: str) -> None:
        """Read text aloud (replacing anything being read)."""
        if not self.can_speak or not text.strip():
            return
        self.stop_speaking()
        with self._lock:
            self._speak_ticket += 1
            ticket = self._speak_ticket
        threading.Thread(
            target=self._synthesise_and_play,
            args=(text, lang, ticket),
            daemon=True,
            name="kiosk-speak",
        ).start()

    def _synthesise_and_play(self, text: str, lang: str, ticket: int) -> None:
        try:
            folder = Path(tempfile.mkdtemp(prefix="kiosk-tts-"))
            wav = self._synthesiser.synthesise(text, lang, folder / "speech.wav")
        except SpeechError as exc:
            log.warning("read-aloud unavailable: %s", exc)
            return
        with self._lock:
            if ticket != self._speak_ticket:  # stopped or replaced while synthesising
                return
            self._player.play(wav)
        self.speaking_changed.emit(True)

    def stop_speaking(self) -> None:
        """Barge-in: stop reading aloud at once."""
        with self._lock:
            self._speak_ticket += 1
            if self._player is not None:
                self._player.stop()
        self.speaking_changed.emit(False)

    def shutdown(self) -> None:
        self.stop_listening()
        self.stop_speaking()
