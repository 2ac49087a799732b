"""Listening and speaking for the window, off the UI thread, reported back with signals.

Listening: a Python thread pulls 100 ms chunks from an audio source (the
microphone, or a WAV file in tests and demos), feeds the language's recogniser
and reports the level, live partial text and the final hypothesis. Each
utterance has a ticket: what a thread reports is checked against it on the UI
thread, so the words of an utterance the visitor walked away from (a new page,
``cancel_listening``) never reach the new screen.

Speaking: text is synthesised to a temporary WAV in a worker thread and played
by the player; any touch stops it at once (barge-in). The WAV is written to
memory-backed storage where the system has it (``/dev/shm``) and deleted as
soon as the next phrase replaces it, so what is read aloud never lingers on disk.

Nothing heard or said is kept: transcripts go to the window and are dropped.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.speech.audio import rms
from kiosk.speech.capture import AudioSource, MicrophoneError
from kiosk.speech.types import Hypothesis, Recogniser, SpeechError

log = logging.getLogger(__name__)

RecogniserFactory = Callable[[str], Recogniser | None]
SourceFactory = Callable[[], AudioSource]
RecogniserStatus = Literal["ready", "none", "loading"]

_MEMORY_TMP = Path("/dev/shm")


class SpeechController(QObject):
    """One microphone and one voice for the kiosk window.

    Signals are emitted on the UI thread. ``failed`` carries a reason for the
    log (never the visitor's words); afterwards :meth:`can_listen` says whether
    the microphone is still offered. ``availability_changed`` fires when that
    may have changed without a failure (a recogniser finished loading, the
    microphone probe found none).
    """

    level = Signal(float)
    partial = Signal(str)
    heard = Signal(object)  # Hypothesis
    listening_changed = Signal(bool)
    failed = Signal(str)
    speaking_changed = Signal(bool)
    availability_changed = Signal()

    # from the listening thread, tagged with the utterance's ticket (see _accept)
    _level_from_thread = Signal(int, float)
    _partial_from_thread = Signal(int, str)
    _ended_in_thread = Signal(int, object, str, bool)  # ticket, Hypothesis|None, error, mic
    _loaded_in_thread = Signal()
    _played_in_thread = Signal(int)

    def __init__(
        self,
        recogniser_for: RecogniserFactory,
        source: SourceFactory,
        synthesiser: Any = None,
        player: Any = None,
        microphone_present: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        self._recogniser_for = recogniser_for
        self._source_factory = source
        self._microphone_present = microphone_present
        self._recognisers: dict[str, Recogniser | None] = {}
        self._loading: set[str] = set()
        self._load_lock = threading.Lock()
        self._source: AudioSource | None = None
        self._thread: threading.Thread | None = None
        self._listen_ticket = 0
        self._listening_ticket: int | None = None
        self._listening_lang = ""
        self._synthesiser = synthesiser
        self._player = player
        self._speak_ticket = 0
        self._speaking_ticket: int | None = None
        self._played_ticket: int | None = None
        self._speech_dir: Path | None = None
        self._lock = threading.Lock()
        self.microphone_ok = True
        """False once the microphone is found missing or fails: hidden for the rest of the run."""
        self._level_from_thread.connect(self._relay_level)
        self._partial_from_thread.connect(self._relay_partial)
        self._ended_in_thread.connect(self._relay_ended)
        self._loaded_in_thread.connect(self.availability_changed.emit)
        self._played_in_thread.connect(self._relay_played)

    # --- recognisers -------------------------------------------------------------

    def preload(self, languages: Iterable[str]) -> None:
        """Load the languages' recognisers (and probe the microphone) in a background thread.

        Until a language's recogniser is loaded :meth:`can_listen` is False for
        it, so the UI thread never waits for a model; ``availability_changed``
        fires as each one arrives.
        """
        wanted = []
        with self._load_lock:
            for lang in languages:
                if lang not in self._recognisers and lang not in self._loading:
                    self._loading.add(lang)
                    wanted.append(lang)

        def run() -> None:
            if self._microphone_present is not None:
                try:
                    present = self._microphone_present()
                except Exception:  # a probe that breaks counts as no microphone
                    log.exception("the microphone probe failed")
                    present = False
                if not present:
                    log.warning("no microphone found; the kiosk works by touch only")
                    self.microphone_ok = False
                    self._loaded_in_thread.emit()
            for lang in wanted:
                self._load(lang)
                self._loaded_in_thread.emit()

        threading.Thread(target=run, daemon=True, name="kiosk-speech-load").start()

    def _load(self, lang: str) -> Recogniser | None:
        try:
            recogniser = self._recogniser_for(lang)
        except SpeechError as exc:
            log.warning("no recogniser for %s: %s", lang, exc)
            recogniser = None
        except Exception:  # a broken engine must not take the kiosk down
            log.exception("the recogniser for %s failed to load", lang)
            recogniser = None
        with self._load_lock:
            self._recognisers[lang] = recogniser
            self._loading.discard(lang)
        return recogniser

    def status(self, lang: str) -> RecogniserStatus:
        """'ready' (a recogniser exists), 'none' (no engine serves it) or 'loading'.

        A language never asked for before is loaded here, on the calling thread.
        """
        with self._load_lock:
            if lang in self._recognisers:
                return "ready" if self._recognisers[lang] is not None else "none"
            if lang in self._loading:
                return "loading"
            self._loading.add(lang)
        return "ready" if self._load(lang) is not None else "none"

    def recogniser(self, lang: str) -> Recogniser | None:
        """The language's recogniser (loaded once), or None when it has none (or is loading)."""
        self.status(lang)
        with self._load_lock:
            return self._recognisers.get(lang)

    def can_listen(self, lang: str) -> bool:
        """Whether to offer the microphone in this language now."""
        return self.microphone_ok and self.status(lang) == "ready"

    # --- listening ---------------------------------------------------------------

    @property
    def listening(self) -> bool:
        return self._listening_ticket is not None

    def listen(self, lang: str, grammar: Sequence[str] | None = None) -> None:
        """Start listening for one utterance (stops any speech first: barge-in).

        Results arrive as ``partial`` and ``heard``; ``listening_changed(False)``
        comes first when it ends. ``grammar`` restricts recognition to phrases.
        """
        self.stop_speaking()
        if self.listening or not self.can_listen(lang):
            return
        recogniser = self.recogniser(lang)
        assert recogniser is not None
        try:
            source = self._source_factory()
        except MicrophoneError as exc:
            self._microphone_failed(str(exc))
            return
        self._listen_ticket += 1
        ticket = self._listen_ticket
        self._listening_ticket = ticket
        self._listening_lang = lang
        self._source = source
        previous = self._thread  # a cancelled utterance may still be winding down
        self._thread = threading.Thread(
            target=self._run,
            args=(ticket, recogniser, source, grammar, previous),
            daemon=True,
            name="kiosk-listen",
        )
        self.listening_changed.emit(True)
        self._thread.start()

    def stop_listening(self) -> None:
        """The visitor has finished: stop the audio; what was heard so far is recognised."""
        if self._source is not None:
            self._source.stop()

    def cancel_listening(self) -> None:
        """Stop at once and drop the utterance (the visitor moved on or started typing)."""
        if self._source is not None:
            self._source.stop()
            self._source = None
        self._listen_ticket += 1
        if self._listening_ticket is not None:
            self._listening_ticket = None
            self.listening_changed.emit(False)

    def _current(self, ticket: int) -> bool:
        return ticket == self._listen_ticket

    def _run(
        self,
        ticket: int,
        recogniser: Recogniser,
        source: AudioSource,
        grammar: Sequence[str] | None,
        previous: threading.Thread | None,
    ) -> None:
        if previous is not None:
            previous.join()  # one recogniser decodes one stream at a time
        final: Hypothesis | None = None
        error, microphone = "", False
        try:
            if not self._current(ticket):
                return
            recogniser.start(grammar)
            for chunk in source.chunks():
                if not self._current(ticket):
                    return  # cancelled: the next start() drops the half utterance
                self._level_from_thread.emit(ticket, rms(chunk))
                result = recogniser.feed(chunk)
                if result is None:
                    continue
                if result.final:
                    final = result
                    break
                self._partial_from_thread.emit(ticket, result.text)
            if final is None and self._current(ticket):
                final = recogniser.finish()
        except MicrophoneError as exc:
            error, microphone = str(exc), True
        except Exception as exc:  # a recogniser fault must not take the kiosk down
            log.exception("speech recognition failed")
            error = f"speech recognition failed ({type(exc).__name__})"
        finally:
            source.stop()
            self._ended_in_thread.emit(ticket, final, error, microphone)

    @Slot(int, float)
    def _relay_level(self, ticket: int, value: float) -> None:
        if ticket == self._listening_ticket:
            self.level.emit(value)

    @Slot(int, str)
    def _relay_partial(self, ticket: int, text: str) -> None:
        if ticket == self._listening_ticket:
            self.partial.emit(text)

    @Slot(int, object, str, bool)
    def _relay_ended(self, ticket: int, final: object, error: str, microphone: bool) -> None:
        if microphone:  # even for a cancelled utterance: the device is gone either way
            self._microphone_failed(error)
        if ticket != self._listening_ticket:
            return
        self._listening_ticket = None
        self._source = None
        self.listening_changed.emit(False)
        if error and not microphone:
            with self._load_lock:  # a recogniser that broke is not offered again
                self._recognisers[self._listening_lang] = None
            self.failed.emit(error)
        elif isinstance(final, Hypothesis):
            self.heard.emit(final)

    def _microphone_failed(self, reason: str) -> None:
        was_ok, self.microphone_ok = self.microphone_ok, False
        if was_ok:
            log.warning("the microphone failed (%s); the kiosk works by touch only", reason)
        if self._listening_ticket is not None:
            self._listening_ticket = None
            self._source = None
            self.listening_changed.emit(False)
        self.failed.emit(reason)

    # --- speaking -----------------------------------------------------------------

    @property
    def can_speak(self) -> bool:
        return self._synthesiser is not None and self._player is not None

    @property
    def speaking(self) -> bool:
        """True from :meth:`speak` until the phrase has played, or is stopped."""
        with self._lock:
            ticket = self._speaking_ticket
            if ticket is None or ticket != self._speak_ticket:
                return False
            if self._played_ticket != ticket:
                return True  # still being synthesised
        return bool(self._player.is_playing())

    def speak(self, text: str, lang: str) -> None:
        """Read text aloud (replacing anything being read)."""
        if not self.can_speak or not text.strip():
            return
        self.stop_speaking()
        with self._lock:
            self._speak_ticket += 1
            ticket = self._speak_ticket
            self._speaking_ticket = ticket
        threading.Thread(
            target=self._synthesise_and_play,
            args=(text, lang, ticket),
            daemon=True,
            name="kiosk-speak",
        ).start()

    def _folder(self) -> Path:
        if self._speech_dir is None:
            base = _MEMORY_TMP if _MEMORY_TMP.is_dir() else None
            self._speech_dir = Path(tempfile.mkdtemp(prefix="kiosk-tts-", dir=base))
        return self._speech_dir

    def _synthesise_and_play(self, text: str, lang: str, ticket: int) -> None:
        try:
            with self._lock:
                folder = self._folder()
            wav = self._synthesiser.synthesise(text, lang, folder / f"speech-{ticket}.wav")
        except (SpeechError, OSError) as exc:
            log.warning("read-aloud unavailable: %s", exc)
            return
        with self._lock:
            for old in folder.glob("speech-*.wav"):  # what an earlier phrase left behind
                if old != wav:
                    old.unlink(missing_ok=True)
            if ticket != self._speak_ticket:  # stopped or replaced while synthesising
                Path(wav).unlink(missing_ok=True)
                return
            self._player.play(wav)
            self._played_ticket = ticket
        self._played_in_thread.emit(ticket)

    @Slot(int)
    def _relay_played(self, ticket: int) -> None:
        if ticket == self._speak_ticket:
            self.speaking_changed.emit(True)

    def stop_speaking(self) -> None:
        """Barge-in: stop reading aloud at once (cheap when nothing is being read)."""
        with self._lock:
            if self._speaking_ticket is None:
                return
            self._speak_ticket += 1
            self._speaking_ticket = None
            if self._player is not None:
                self._player.stop()
        self.speaking_changed.emit(False)

    def shutdown(self) -> None:
        self.cancel_listening()
        self.stop_speaking()
        with self._lock:
            if self._speech_dir is not None:
                shutil.rmtree(self._speech_dir, ignore_errors=True)
                self._speech_dir = None
