"""Audio sources: a WAV standing in for the microphone; a missing microphone fails cleanly."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from kiosk.speech.audio import write_wav
from kiosk.speech.capture import MicrophoneError, MicSource, WavSource, input_devices


def test_wav_source_gives_100ms_chunks_then_trailing_silence(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    write_wav(path, (np.ones(8000) * 1000).astype(np.int16))
    parts = list(WavSource(path, trailing_silence_s=1.0).chunks())
    assert len(parts) == 15 and all(len(p) == 3200 for p in parts)
    assert np.frombuffer(parts[-1], dtype=np.int16).max() == 0


def test_wav_source_in_real_time_can_be_stopped(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    write_wav(path, np.zeros(16000 * 5, dtype=np.int16))
    source = WavSource(path, realtime=True)
    started = time.monotonic()
    got = 0
    for _ in source.chunks():
        got += 1
        if got == 3:
            source.stop()
    assert got == 3 and time.monotonic() - started < 1.0


def test_a_missing_microphone_is_a_clear_error() -> None:
    if input_devices():
        pytest.skip("this machine has a microphone")
    with pytest.raises(MicrophoneError, match="kiosk doctor"):
        MicSource("no-such-device-42")
