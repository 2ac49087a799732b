"""Text to speech with espeak-ng voices: through pyttsx3, or the espeak-ng command.

Both synthesisers write a WAV file and never play it: the :class:`~kiosk.speech.player.Player`
plays it in its own process so a touch can stop it at once (barge-in). Writing the
file and playing it ourselves avoids pyttsx3's ``say()``, which blocks and shells
out to ``aplay``.

pyttsx3 facts this module relies on (checked against pyttsx3 2.99 + espeak-ng 1.51):

- libespeak-ng is initialised once per process and the driver's synthesis callback
  is process-global, so one engine (``pyttsx3.init("espeak")``, which pyttsx3 itself
  caches) is created and reused, and every call holds one process-wide lock.
  Reuse is reliable: alternating en/cy/pl/... calls give the same audio as the
  espeak-ng command. (A fresh engine per call also worked, ~11 ms a call after the
  first, but gains nothing.)
- One ``save_to_file`` per ``runAndWait``: the driver keeps only the last one queued.
- ``runAndWait`` is not a promise that the file exists: espeak-ng synthesises on its
  own thread and the driver returns after one 10 ms poll, so a text taking longer
  (a few hundred characters) came back as an empty file. We wait for the
  ``finished-utterance`` event, which the driver sends after writing the file.
- ``runAndWait`` starts by cancelling anything espeak-ng still has queued, and the
  rate and volume are queued commands, so they were dropped at random (a new rate
  took effect on some calls only). Setting them before ``runAndWait`` and waiting
  until espeak-ng's queue is empty makes them apply every time.
- The driver prints "Audio saved to ..." to stdout; it is filtered out here.
- If the file cannot be written, the driver only reports it inside the callback,
  so the audio goes to a temporary file we created ourselves (proving the folder is
  writable) and is then moved into place atomically.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kiosk.speech.types import SpeechError

log = logging.getLogger(__name__)

KIOSK_VOICES: dict[str, str] = {
    "en": "en-gb",
    "cy": "cy",
    "pl": "pl",
    "ur": "ur",
    "pa": "pa",
    "ar": "ar",
    "ro": "ro",
    "bn": "bn",
}
"""Kiosk language code to the espeak-ng language whose voice reads it."""

DEFAULT_RATE = 150
"""Words per minute: slower than espeak-ng's 175, for clarity."""

INSTALL_HINT = "install the Debian package espeak-ng (sudo apt-get install espeak-ng)"

# libespeak-ng holds one synthesiser per process (one voice, one callback), so every
# Pyttsx3Synthesiser shares this lock: module state only because the library is.
_ESPEAK_LOCK = threading.Lock()


def _check_settings(rate: int, volume: float) -> None:
    if not 80 <= rate <= 450:
        raise ValueError(f"rate {rate} words per minute is outside espeak-ng's 80-450")
    if not 0.0 <= volume <= 1.0:
        raise ValueError(f"volume {volume} is outside 0.0-1.0")


def _normalise(lang: str) -> str:
    return lang.strip().lower().replace("_", "-")


def pick_voice(lang: str, by_language: dict[str, str]) -> str | None:
    """The voice for a kiosk language code (``en``, ``cy``, ``pt-br``...), or None.

    ``by_language`` maps lower-case espeak-ng language codes to voice ids. The kiosk's
    own choice comes first (``en`` is read in British English), then the code itself,
    then its base language, then any regional variant of it (``fr`` finds ``fr-fr``).
    """
    code = _normalise(lang)
    if not code:
        return None
    base = code.split("-")[0]
    for candidate in (KIOSK_VOICES.get(code), code, KIOSK_VOICES.get(base), base):
        if candidate and candidate in by_language:
            return by_language[candidate]
    for language in sorted(by_language):
        if language.startswith(base + "-"):
            return by_language[language]
    return None


def _no_voice(lang: str, known: Iterable[str]) -> SpeechError:
    available = ", ".join(known) or "none"
    return SpeechError(
        f"no espeak-ng voice for language '{lang}' (kiosk languages with a voice here: "
        f"{available}; `espeak-ng --voices` lists every voice installed)"
    )


def _check_text(text: str) -> None:
    if not text.strip():
        raise SpeechError("there is no text to speak")


@contextlib.contextmanager
def _temporary_wav(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out``, moved onto ``out`` when the block succeeds."""
    folder = out.parent
    if not folder.is_dir():
        raise SpeechError(f"cannot write {out}: the folder {folder} does not exist")
    try:
        handle, name = tempfile.mkstemp(suffix=".wav", prefix=".tts-", dir=folder)
    except OSError as exc:
        raise SpeechError(f"cannot write {out}: {exc.strerror or exc}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _check_wav(temporary)
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)


def _check_wav(path: Path) -> None:
    try:
        with wave.open(str(path), "rb") as wav:
            frames = wav.getnframes()
    except (OSError, wave.Error, EOFError) as exc:
        raise SpeechError(f"espeak-ng did not produce a WAV file ({exc})") from exc
    if frames == 0:
        raise SpeechError("espeak-ng produced no audio for this text")


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Drop pyttsx3's "Audio saved to ..." line; anything else printed meanwhile is kept."""
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer):
            yield
    finally:
        kept = [
            line
            for line in buffer.getvalue().splitlines(keepends=True)
            if not line.startswith("Audio saved to ")
        ]
        if kept:
            sys.stdout.write("".join(kept))


class _VoiceTable:
    """Languages to espeak-ng voices, shared by both synthesisers."""

    _by_language: dict[str, str]

    def languages(self) -> list[str]:
        """Kiosk languages (of en, cy, pl, ur, pa, ar, ro, bn) with a voice on this machine."""
        return [lang for lang in KIOSK_VOICES if pick_voice(lang, self._by_language)]

    def voice_for(self, lang: str) -> str:
        """The espeak-ng voice used for ``lang`` (e.g. ``gmw/en`` or ``en-gb`` for ``en``)."""
        voice = pick_voice(lang, self._by_language)
        if voice is None:
            raise _no_voice(lang, self.languages())
        return voice


class Pyttsx3Synthesiser(_VoiceTable):
    """espeak-ng voices through pyttsx3: one reused engine, thread-safe, WAV out.

    ``rate`` is in words per minute and ``volume`` from 0.0 to 1.0 (both from config).
    Raises :class:`SpeechError` at construction when pyttsx3 or espeak-ng is missing.
    """

    engine = "pyttsx3"

    def __init__(self, rate: int = DEFAULT_RATE, volume: float = 1.0) -> None:
        _check_settings(rate, volume)
        self.rate = rate
        self.volume = volume
        with _ESPEAK_LOCK:
            self._engine, self._espeak = _load_engine()
            if self._engine.isBusy():
                # A new driver starts "busy", so property changes would wait in its queue
                # until runAndWait; one empty run makes later changes apply immediately.
                self._engine.runAndWait()
            voices = list(self._engine.getProperty("voices"))
        self._by_language: dict[str, str] = {}
        self._names: dict[str, str] = {}
        for voice in voices:
            self._names[str(voice.id)] = str(voice.name)
            for language in voice.languages or ():
                self._by_language.setdefault(_normalise(str(language)), str(voice.id))
        if not self._by_language:
            raise SpeechError(f"espeak-ng reports no voices: {INSTALL_HINT}")

    def voice_name(self, lang: str) -> str:
        """A readable name for the voice, e.g. ``English (Great Britain)``."""
        voice = self.voice_for(lang)
        return self._names.get(voice, voice)

    def synthesise(self, text: str, lang: str, out: Path) -> Path:
        """Speak ``text`` in ``lang`` into the WAV file ``out`` (22.05 kHz mono) and return it."""
        _check_text(text)
        voice = self.voice_for(lang)
        out = Path(out)
        with _temporary_wav(out) as temporary, _ESPEAK_LOCK:
            engine = self._engine
            # Set every time: another synthesiser may share the process-wide engine.
            engine.setProperty("voice", voice)
            engine.setProperty("rate", self.rate)
            engine.setProperty("volume", self.volume)
            self._wait_until_applied()
            finished = threading.Event()
            token = engine.connect("finished-utterance", lambda **_: finished.set())
            try:
                with _quiet_stdout():
                    engine.save_to_file(text, str(temporary))
                    engine.runAndWait()
                    # runAndWait can return before espeak-ng's own thread has finished
                    # a long text (the driver polls for 10 ms); the file is complete
                    # only once the utterance is reported finished.
                    if not finished.wait(_timeout_s(text)):
                        engine.stop()
                        raise SpeechError(
                            f"espeak-ng did not finish {len(text)} characters in "
                            f"{_timeout_s(text):.0f} s; try `kiosk speech say` to check it"
                        )
            finally:
                engine.disconnect(token)
        return out

    def _wait_until_applied(self) -> None:
        """Let espeak-ng's queue take the new voice settings before synthesis starts.

        runAndWait begins by cancelling whatever espeak-ng still has queued, and the
        rate and volume are queued commands: without this wait they were dropped at
        random (a rate of 240 came out at the previous call's 120).
        """
        deadline = time.monotonic() + 2.0
        while self._espeak.IsPlaying() and time.monotonic() < deadline:
            time.sleep(0.001)


def _timeout_s(text: str) -> float:
    # espeak-ng runs at hundreds of times real time (4,600 characters in about 1 s).
    return 10.0 + len(text) / 200


def _load_engine() -> tuple[Any, Any]:
    try:
        import pyttsx3
    except ImportError as exc:
        raise SpeechError(
            "pyttsx3 is not installed: pip install pyttsx3 (in the kiosk's environment)"
        ) from exc
    try:
        engine = pyttsx3.init("espeak")
        from pyttsx3.drivers import _espeak  # loaded by init; IsPlaying is not on the engine
    except Exception as exc:  # RuntimeError or OSError when libespeak-ng is absent
        raise SpeechError(f"espeak-ng is not available to pyttsx3 ({exc}): {INSTALL_HINT}") from exc
    return engine, _espeak


class EspeakSynthesiser(_VoiceTable):
    """The ``espeak-ng`` command (``-v VOICE -s RATE -a AMPLITUDE -w OUT``), one process a call.

    The fallback when pyttsx3 cannot load: no shared library state, so calls from
    several threads simply run in parallel.
    """

    engine = "espeak-ng"

    def __init__(
        self, rate: int = DEFAULT_RATE, volume: float = 1.0, executable: str = "espeak-ng"
    ) -> None:
        _check_settings(rate, volume)
        self.rate = rate
        self.volume = volume
        found = shutil.which(executable)
        if found is None:
            raise SpeechError(f"the {executable} command was not found: {INSTALL_HINT}")
        self._executable = found
        self._by_language = self._list_voices()

    def _list_voices(self) -> dict[str, str]:
        try:
            listing = subprocess.run(
                [self._executable, "--voices"], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SpeechError(
                f"{self._executable} --voices failed ({exc}): {INSTALL_HINT}"
            ) from exc
        by_language: dict[str, str] = {}
        # "Pty Language Age/Gender VoiceName File Other Languages": -v takes the language.
        for line in listing.stdout.splitlines()[1:]:
            fields = line.split()
            if len(fields) >= 2:
                by_language.setdefault(_normalise(fields[1]), fields[1])
        if not by_language:
            raise SpeechError(f"{self._executable} reports no voices: {INSTALL_HINT}")
        return by_language

    def voice_name(self, lang: str) -> str:
        """The voice as espeak-ng names it on the command line."""
        return self.voice_for(lang)

    def synthesise(self, text: str, lang: str, out: Path) -> Path:
        """Speak ``text`` in ``lang`` into the WAV file ``out`` (22.05 kHz mono) and return it."""
        _check_text(text)
        voice = self.voice_for(lang)
        out = Path(out)
        amplitude = round(self.volume * 100)  # espeak-ng's normal level is 100
        with _temporary_wav(out) as temporary:
            # Text on stdin, so a phrase starting with "-" is never read as an option.
            command = [self._executable, "-v", voice, "-s", str(self.rate), "-a", str(amplitude)]
            command += ["-b", "1", "--stdin", "-w", str(temporary)]
            try:
                done = subprocess.run(
                    command, input=text.encode("utf-8"), capture_output=True, timeout=120
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise SpeechError(f"espeak-ng failed: {exc}") from exc
            if done.returncode != 0:
                reason = done.stderr.decode("utf-8", "replace").strip() or "no message"
                raise SpeechError(f"espeak-ng failed (exit {done.returncode}): {reason}")
        return out


def default_synthesiser(
    rate: int = DEFAULT_RATE, volume: float = 1.0
) -> Pyttsx3Synthesiser | EspeakSynthesiser:
    """The synthesiser the kiosk uses: pyttsx3 when it loads, else the espeak-ng command.

    pyttsx3 is tried first because it is the adapter the kiosk is specified with
    and needs no process per phrase; the command is the fallback when pyttsx3 or
    libespeak-ng will not load. Both read with the same espeak-ng voices, give the
    same audio and take about 10 ms for a short sentence. Raises
    :class:`SpeechError` naming the package to install when neither works.
    """
    try:
        return Pyttsx3Synthesiser(rate, volume)
    except SpeechError as first:
        try:
            synthesiser = EspeakSynthesiser(rate, volume)
        except SpeechError:
            raise first from None
        log.warning("pyttsx3 unavailable (%s); reading aloud with the espeak-ng command", first)
        return synthesiser
