"""End of utterance by loudness: speech, then enough quiet (or too much audio altogether).

Engines have their own endpointers (Vosk's come from its decoder's trailing
silence rules), but they only see phones, not the room. This one is the
kiosk's guarantee on top: once someone has spoken, ``silence_ms`` of quiet
ends the utterance, and no utterance outlasts ``max_ms`` of audio, even when
nobody speaks or the room never goes quiet. Pure Python (plus numpy via
:func:`kiosk.speech.audio.rms`), so it is tested with synthetic chunks.
"""

from __future__ import annotations

from kiosk.speech.audio import rms
from kiosk.speech.types import SAMPLE_RATE

_BYTES_PER_MS = SAMPLE_RATE * 2 / 1000
"""16-bit mono: 32 bytes of PCM per millisecond."""


class Endpointer:
    """Decides, chunk by chunk, when an utterance has ended.

    ``update`` returns True once speech (a chunk at least ``speech_threshold``
    loud, as :func:`~kiosk.speech.audio.rms` measures it, 0.0 to 1.0) has been
    heard and quiet has then lasted ``silence_ms``; or once ``max_ms`` of audio
    has been fed since the last :meth:`reset`, speech or not. It keeps
    returning True until :meth:`reset`. A loud chunk during the quiet restarts
    the silence count.
    """

    def __init__(
        self, silence_ms: int = 800, speech_threshold: float = 0.02, max_ms: int = 15_000
    ) -> None:
        if silence_ms <= 0 or max_ms <= 0:
            raise ValueError("silence_ms and max_ms must be positive")
        if not 0.0 < speech_threshold < 1.0:
            raise ValueError("speech_threshold is a loudness between 0.0 and 1.0")
        self.silence_ms = silence_ms
        self.speech_threshold = speech_threshold
        self.max_ms = max_ms
        self.reset()

    def reset(self) -> None:
        """Forget everything heard: the next chunk starts a new utterance."""
        self._elapsed_ms = 0.0
        self._quiet_ms = 0.0
        self._speech_started = False
        self._ended = False

    @property
    def speech_started(self) -> bool:
        """Whether a chunk loud enough to be speech has been heard since the last reset."""
        return self._speech_started

    @property
    def elapsed_ms(self) -> float:
        """Milliseconds of audio fed since the last reset."""
        return self._elapsed_ms

    @property
    def ended(self) -> bool:
        """Whether the utterance has ended (what the last :meth:`update` returned)."""
        return self._ended

    def update(self, chunk: bytes) -> bool:
        """Add a chunk of 16 kHz mono int16 PCM; True when the utterance has ended."""
        ms = len(chunk) / _BYTES_PER_MS
        self._elapsed_ms += ms
        if self._ended:
            return True
        if rms(chunk) >= self.speech_threshold:
            self._speech_started = True
            self._quiet_ms = 0.0
        elif self._speech_started:
            self._quiet_ms += ms
        silent_long_enough = self._speech_started and self._quiet_ms >= self.silence_ms
        self._ended = silent_long_enough or self._elapsed_ms >= self.max_ms
        return self._ended
