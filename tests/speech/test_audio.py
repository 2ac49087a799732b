"""WAV input of any shape becomes 16 kHz mono int16; bad files get clear errors."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from kiosk.speech.audio import chunks, read_wav, rms, write_wav
from kiosk.speech.types import SAMPLE_RATE, SpeechError


def tone(path: Path, rate: int, channels: int, width: int, seconds: float = 0.5) -> None:
    t = np.arange(int(rate * seconds)) / rate
    wave_ = 0.5 * np.sin(2 * np.pi * 440 * t)
    frames = np.repeat(wave_[:, None], channels, axis=1).reshape(-1)
    if width == 1:
        data = (frames * 127 + 128).astype(np.uint8).tobytes()
    elif width == 2:
        data = (frames * 32767).astype("<i2").tobytes()
    else:
        data = (frames * (2**31 - 1)).astype("<i4").tobytes()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        wav.writeframes(data)


@pytest.mark.parametrize(
    ("rate", "channels", "width"), [(16000, 1, 2), (44100, 2, 2), (8000, 1, 1), (48000, 2, 4)]
)
def test_any_wav_becomes_16k_mono(tmp_path: Path, rate: int, channels: int, width: int) -> None:
    path = tmp_path / "in.wav"
    tone(path, rate, channels, width)
    pcm = read_wav(path)
    assert pcm.dtype == np.int16
    assert abs(len(pcm) - SAMPLE_RATE // 2) <= 2
    assert 0.3 < np.abs(pcm).max() / 32768 < 0.6  # the tone survives, no clipping
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / len(pcm) - 440) < 5


def test_not_a_wav(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(b"ID3\x03not audio at all")
    with pytest.raises(SpeechError, match="is not a WAV file"):
        read_wav(path)


def test_empty_wav(tmp_path: Path) -> None:
    path = tmp_path / "empty.wav"
    write_wav(path, np.zeros(0, dtype=np.int16))
    with pytest.raises(SpeechError, match="holds no audio"):
        read_wav(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="does not exist"):
        read_wav(tmp_path / "nope.wav")


def test_chunks_and_level() -> None:
    pcm = (np.ones(16000) * 16384).astype(np.int16)
    parts = chunks(pcm, 100)
    assert len(parts) == 10 and all(len(p) == 3200 for p in parts)
    assert rms(parts[0]) == pytest.approx(0.5, abs=1e-3)
    assert rms(b"") == 0.0
