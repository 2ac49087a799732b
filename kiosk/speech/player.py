"""Playing synthesised speech off the calling thread, stoppable at once (barge-in).

The default backend runs ``aplay`` (Debian alsa-utils) as a child process: ``play``
returns as soon as it has started, and ``stop`` ends it within 100 ms whatever
state it is in (SIGTERM, then SIGKILL after a short grace). A separate process
also means a fault in the sound stack cannot take the kiosk down. When aplay is
not installed but PortAudio sees an output device, sounddevice plays instead.

No sound (no card, as in CI; a missing aplay; a device that fails) never raises:
the reason is logged once, ``last_error`` says what it was, and the kiosk carries
on showing the text.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kiosk.speech.types import SpeechError

log = logging.getLogger(__name__)

PATH_FIELD = "{path}"
"""Placeholder in a player command that becomes the WAV file's path."""

STOP_GRACE_S = 0.03
"""How long ``stop`` lets the player exit on SIGTERM before it sends SIGKILL."""

_NO_DEVICE_HINTS = ("audio open error", "no soundcards", "Unknown PCM")

Backend = Literal["aplay", "command", "sounddevice", "none"]


@dataclass
class _Playback:
    """One ``play`` call: its process (None for sounddevice) and how it ended."""

    process: subprocess.Popen[bytes] | None
    done: threading.Event = field(default_factory=threading.Event)
    stopped: bool = False


def _sounddevice_output(device: str | None) -> bool:
    """Whether PortAudio has an output device (False without libportaudio or devices)."""
    try:
        import sounddevice as sd

        sd.query_devices(device, "output")
    except Exception:
        return False
    return True


class Player:
    """Plays WAV files one at a time; a new ``play`` or a ``stop`` cuts off the current one.

    ``command`` replaces aplay, e.g. ``["paplay", "{path}"]`` or, in tests,
    ``["sleep", "5"]``: ``{path}`` in any argument becomes the file's path (a
    command without it gets no path). ``device`` is an ALSA device for aplay's
    ``-D`` (``null`` discards the audio) or a PortAudio device for sounddevice.
    """

    def __init__(self, command: Sequence[str] | None = None, device: str | None = None) -> None:
        self._lock = threading.Lock()  # guards the fields below
        # play and stop run one at a time, so a stop (a touch on the UI thread) that
        # races a play (a worker) always finds and ends the process that play started.
        self._switching = threading.Lock()
        self._current: _Playback | None = None
        self._reported: set[str] = set()
        self._device = device
        self.last_error: str | None = None
        """Why the last playback made no sound, or None if it worked (for `kiosk doctor`)."""
        self._command: list[str] = []
        self.backend: Backend
        if command is not None:
            self.backend, self._command = "command", list(command)
        elif shutil.which("aplay"):
            device_args = ["-D", device] if device else []
            self.backend, self._command = "aplay", ["aplay", "-q", *device_args, PATH_FIELD]
        elif _sounddevice_output(device):
            self.backend = "sounddevice"
        else:
            self.backend = "none"

    def play(self, path: Path | str) -> None:
        """Start playing ``path`` and return at once, stopping anything already playing.

        Raises :class:`SpeechError` only if the file does not exist; a missing sound
        device is logged (once) and playback is silent.
        """
        path = Path(path)
        if not path.exists():
            raise SpeechError(f"cannot play {path}: it does not exist")
        with self._switching:
            self._stop()
            if self.backend == "none":
                self._failed("no aplay (install the Debian package alsa-utils) and no sound device")
            elif self.backend == "sounddevice":
                self._play_sounddevice(path)
            else:
                self._play_command(path)

    def _play_command(self, path: Path) -> None:
        args = [arg.replace(PATH_FIELD, str(path)) for arg in self._command]
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        except OSError as exc:
            self._failed(f"cannot run {args[0]}: {exc.strerror or exc}")
            return
        playback = _Playback(process)
        with self._lock:
            self._current = playback
        threading.Thread(
            target=self._watch, args=(playback,), name="kiosk-player", daemon=True
        ).start()

    def _watch(self, playback: _Playback) -> None:
        """Wait for the player process; report a failure that was not our own stop."""
        assert playback.process is not None
        _, stderr = playback.process.communicate()
        playback.done.set()
        code = playback.process.returncode
        if code == 0:
            self.last_error = None
        elif not playback.stopped:
            lines = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = lines[-1] if lines else f"the player exited with status {code}"
            if any(hint in reason for hint in _NO_DEVICE_HINTS):
                reason = f"no usable sound device ({reason})"
            self._failed(reason)

    def _play_sounddevice(self, path: Path) -> None:
        from kiosk.speech.audio import read_wav
        from kiosk.speech.types import SAMPLE_RATE

        try:
            import sounddevice as sd

            sd.play(read_wav(path), SAMPLE_RATE, device=self._device)
        except Exception as exc:  # PortAudio errors: no device, device gone, busy
            self._failed(f"sound output failed: {exc}")
            return
        with self._lock:
            self._current = _Playback(None)
        self.last_error = None

    def _failed(self, reason: str) -> None:
        self.last_error = reason
        with self._lock:
            first = reason not in self._reported
            self._reported.add(reason)
        if first:  # once per distinct reason, not on every phrase
            log.warning("speech cannot be played (%s); showing text only", reason)

    def is_playing(self) -> bool:
        """True while audio is playing (False once it ends, is stopped, or failed)."""
        with self._lock:
            playback = self._current
        if playback is None or playback.stopped or playback.done.is_set():
            return False
        if playback.process is not None:
            return playback.process.poll() is None
        return _sounddevice_active()

    @property
    def pid(self) -> int | None:
        """Process id of the latest player process (None with sounddevice or before play)."""
        with self._lock:
            playback = self._current
        if playback is None or playback.process is None:
            return None
        return playback.process.pid

    def stop(self) -> None:
        """Stop playback now (barge-in): returns within 100 ms with the player process gone."""
        with self._switching:
            self._stop()

    def _stop(self) -> None:
        with self._lock:
            playback = self._current
            if playback is None or playback.stopped:
                return
            playback.stopped = True
        process = playback.process
        if process is None:
            try:
                import sounddevice as sd

                sd.stop()
            except Exception as exc:
                log.debug("sounddevice stop failed: %s", exc)
            return
        if process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            # aplay ignores SIGTERM while blocked reading its input; SIGKILL does not wait.
            process.kill()
            try:
                process.wait(1.0)
            except subprocess.TimeoutExpired:
                log.warning("player process %d did not exit after SIGKILL", process.pid)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends; True if it has, False if ``timeout`` ran out first."""
        with self._lock:
            playback = self._current
        if playback is None or playback.stopped:
            return True
        if playback.process is not None:
            return playback.done.wait(timeout) or playback.stopped
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.is_playing():
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.01)
        return True


def _sounddevice_active() -> bool:
    try:
        import sounddevice as sd

        return bool(sd.get_stream().active)
    except Exception:  # no stream started, or PortAudio gone
        return False
