"""Audio capture: the microphone (sounddevice/PortAudio) or a WAV file standing in for it.

Both deliver 100 ms chunks of 16 kHz mono int16 to a callback-free iterator, so
the recogniser loop is the same for a real visitor and for a test that feeds a
recording. A microphone that is missing, or unplugged mid-utterance, raises
:class:`MicrophoneError`: the kiosk hides the microphone and carries on by touch.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kiosk.speech.audio import chunks, read_wav, resample, to_int16
from kiosk.speech.types import SAMPLE_RATE, SpeechError

CHUNK_MS = 100


class MicrophoneError(SpeechError):
    """No usable microphone: none found, or it stopped delivering audio."""


class AudioSource(Protocol):
    """Where utterance audio comes from."""

    def chunks(self) -> Iterator[bytes]:
        """100 ms chunks of 16 kHz mono int16 until stopped or the source ends."""

    def stop(self) -> None: ...


class WavSource:
    """A recording played as if spoken into the microphone (optionally in real time)."""

    def __init__(self, path: Path, realtime: bool = False, trailing_silence_s: float = 1.0) -> None:
        pcm = read_wav(path)
        silence = np.zeros(int(SAMPLE_RATE * trailing_silence_s), dtype=np.int16)
        self._chunks = chunks(np.concatenate([pcm, silence]), CHUNK_MS)
        self._realtime = realtime
        self._stopped = threading.Event()

    def chunks(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            if self._stopped.is_set():
                return
            if self._realtime:
                time.sleep(CHUNK_MS / 1000)
            yield chunk

    def stop(self) -> None:
        self._stopped.set()


def input_devices() -> list[dict[str, Any]]:
    """Microphones PortAudio can see ([] when PortAudio or the devices are missing)."""
    try:
        import sounddevice as sd

        return [dict(d) for d in sd.query_devices() if int(d["max_input_channels"]) > 0]
    except Exception:  # no libportaudio2, no sound server: simply no microphones
        return []


class MicSource:
    """The configured microphone, resampled to 16 kHz mono whatever it runs at."""

    def __init__(self, device: str | int | None = None, timeout_s: float = 2.0) -> None:
        try:
            import sounddevice as sd

            info = sd.query_devices(device, "input")
        except Exception as exc:
            raise MicrophoneError(
                f"no microphone {'named ' + repr(device) if device else ''} is available ({exc}); "
                "check the cable and the 'microphone' setting, then run `kiosk doctor`"
            ) from exc
        self._sd = sd
        self._device = device
        self._rate = int(info["default_samplerate"]) or SAMPLE_RATE
        self._timeout = timeout_s
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._stream: Any = None

    def _callback(self, data: Any, frames: int, when: Any, status: Any) -> None:
        self._queue.put(bytes(data))

    def chunks(self) -> Iterator[bytes]:
        block = self._rate * CHUNK_MS // 1000
        try:
            self._stream = self._sd.RawInputStream(
                samplerate=self._rate,
                blocksize=block,
                device=self._device,
                channels=1,
                dtype="int16",
                callback=self._callback,
            )
            self._stream.start()
        except Exception as exc:
            raise MicrophoneError(f"the microphone could not be opened ({exc})") from exc
        try:
            while True:
                try:
                    raw = self._queue.get(timeout=self._timeout)
                except queue.Empty as exc:
                    raise MicrophoneError(
                        "the microphone stopped sending audio (unplugged?)"
                    ) from exc
                if raw is None:
                    return
                samples = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768
                yield to_int16(resample(samples, self._rate, SAMPLE_RATE)).tobytes()
        finally:
            self._close()

    def stop(self) -> None:
        self._queue.put(None)

    def _close(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:  # an unplugged device can fail to close: nothing left to do
                pass
            self._stream = None
