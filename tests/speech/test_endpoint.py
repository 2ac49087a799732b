"""The loudness endpointer, with synthetic 100 ms chunks of tone, hiss and digital silence."""

from __future__ import annotations

import numpy as np
import pytest

from kiosk.speech.audio import rms
from kiosk.speech.endpoint import Endpointer
from kiosk.speech.types import SAMPLE_RATE

CHUNK_MS = 100


def chunk(amplitude: float, ms: int = CHUNK_MS) -> bytes:
    """A chunk of 300 Hz tone at ``amplitude`` (0 gives digital silence)."""
    t = np.arange(SAMPLE_RATE * ms // 1000) / SAMPLE_RATE
    return (amplitude * 32767 * np.sin(2 * np.pi * 300 * t)).astype("<i2").tobytes()


SPEECH = chunk(0.3)
QUIET = chunk(0.0)
HISS = chunk(0.01)  # below the 0.02 threshold: room noise, not speech


def feed(endpointer: Endpointer, chunks: list[bytes]) -> list[bool]:
    return [endpointer.update(c) for c in chunks]


def test_the_synthetic_chunks_sit_either_side_of_the_threshold() -> None:
    assert rms(SPEECH) > 0.2
    assert 0.0 < rms(HISS) < 0.02
    assert rms(QUIET) == 0.0


def test_silence_after_speech_ends_the_utterance_after_silence_ms() -> None:
    ep = Endpointer(silence_ms=800)
    results = feed(ep, [SPEECH] * 5 + [QUIET] * 7)
    assert not any(results)
    assert ep.speech_started
    assert ep.update(QUIET)  # the 8th quiet chunk: 800 ms
    assert ep.ended


def test_no_speech_means_no_end_however_long_the_silence_before_max() -> None:
    ep = Endpointer(silence_ms=300, max_ms=15_000)
    assert not any(feed(ep, [QUIET] * 50 + [HISS] * 50))  # 10 s of nothing
    assert not ep.speech_started
    assert ep.elapsed_ms == pytest.approx(10_000)


def test_a_pause_shorter_than_silence_ms_does_not_end_it_and_resets_the_count() -> None:
    ep = Endpointer(silence_ms=500)
    pattern = [SPEECH, SPEECH] + [HISS] * 4 + [SPEECH] + [HISS] * 4
    assert not any(feed(ep, pattern))  # two 400 ms pauses, never 500 ms in a row
    assert ep.update(HISS)


def test_max_ms_of_audio_ends_it_with_or_without_speech() -> None:
    talker = Endpointer(silence_ms=800, max_ms=2_000)
    results = feed(talker, [SPEECH] * 20)
    assert results[:19] == [False] * 19 and results[19]
    nobody = Endpointer(silence_ms=800, max_ms=1_000)
    assert feed(nobody, [QUIET] * 10)[-1]


def test_it_stays_ended_until_reset_then_starts_afresh() -> None:
    ep = Endpointer(silence_ms=200)
    feed(ep, [SPEECH, QUIET, QUIET])
    assert ep.ended
    assert ep.update(SPEECH)  # still ended: the utterance is over
    ep.reset()
    assert not ep.ended and not ep.speech_started and ep.elapsed_ms == 0
    assert not ep.update(QUIET)


def test_chunk_length_not_call_count_measures_time() -> None:
    ep = Endpointer(silence_ms=800)
    ep.update(chunk(0.3, ms=20))
    assert not ep.update(chunk(0.0, ms=790))
    assert ep.update(chunk(0.0, ms=10))
    assert ep.elapsed_ms == pytest.approx(820)


def test_threshold_is_configurable() -> None:
    strict = Endpointer(silence_ms=100, speech_threshold=0.5)
    assert not any(feed(strict, [SPEECH, QUIET, QUIET]))  # 0.3 tone is not "speech" here
    assert not strict.speech_started


@pytest.mark.parametrize(
    "kwargs",
    [{"silence_ms": 0}, {"max_ms": -1}, {"speech_threshold": 0.0}, {"speech_threshold": 1.5}],
)
def test_nonsense_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Endpointer(**kwargs)  # type: ignore[arg-type]
