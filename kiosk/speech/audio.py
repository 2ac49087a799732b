"""Audio in: any WAV to 16 kHz mono int16, checked, with errors a person can act on."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kiosk.speech.types import SAMPLE_RATE, SpeechError

Pcm = npt.NDArray[np.int16]


def read_wav(path: Path) -> Pcm:
    """The file's audio as 16 kHz mono int16, whatever its rate, width or channel count."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            frames = wav.readframes(wav.getnframes())
    except FileNotFoundError as exc:
        raise SpeechError(f"{path} does not exist") from exc
    except (wave.Error, EOFError) as exc:
        raise SpeechError(
            f"{path} is not a WAV file ({exc or type(exc).__name__}); "
            "convert it first, e.g. sox IN OUT.wav"
        ) from exc
    if not frames:
        raise SpeechError(f"{path} holds no audio")
    if width not in (1, 2, 3, 4):
        raise SpeechError(f"{path}: {8 * width}-bit samples are not supported")
    samples = _to_float(frames, width)
    samples = samples.reshape(-1, channels).mean(axis=1)
    return to_int16(resample(samples, rate, SAMPLE_RATE))


def _to_float(frames: bytes, width: int) -> npt.NDArray[np.float64]:
    if width == 1:
        return (np.frombuffer(frames, dtype=np.uint8).astype(np.float64) - 128) / 128
    if width == 2:
        return np.frombuffer(frames, dtype="<i2").astype(np.float64) / 32768
    if width == 3:
        raw = np.frombuffer(frames, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        value = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        value = np.where(value & 0x800000, value - (1 << 24), value)
        return value.astype(np.float64) / (1 << 23)
    return np.frombuffer(frames, dtype="<i4").astype(np.float64) / (1 << 31)


def resample(samples: npt.NDArray[np.float64], rate: int, target: int) -> npt.NDArray[np.float64]:
    """Band-limited resampling (windowed-sinc low-pass, then linear interpolation)."""
    if rate == target or len(samples) == 0:
        return samples
    if rate > target:  # low-pass below the new Nyquist frequency first, to avoid aliasing
        cutoff = 0.5 * target / rate
        taps = np.arange(-32, 33)
        kernel = 2 * cutoff * np.sinc(2 * cutoff * taps) * np.hamming(len(taps))
        samples = np.convolve(samples, kernel / kernel.sum(), mode="same")
    duration = len(samples) / rate
    count = max(1, round(duration * target))
    positions = np.arange(count) * (rate / target)
    resampled: npt.NDArray[np.float64] = np.interp(positions, np.arange(len(samples)), samples)
    return resampled


def to_int16(samples: npt.NDArray[np.float64]) -> Pcm:
    return np.clip(np.round(samples * 32767), -32768, 32767).astype(np.int16)


def write_wav(path: Path, pcm: Pcm, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(pcm.astype("<i2").tobytes())


def chunks(pcm: Pcm, milliseconds: int = 100) -> list[bytes]:
    """The audio cut into microphone-sized chunks, as the capture stream delivers it."""
    step = SAMPLE_RATE * milliseconds // 1000
    return [pcm[i : i + step].tobytes() for i in range(0, len(pcm), step)]


def rms(chunk: bytes) -> float:
    """Loudness of a chunk, 0.0 to 1.0 (for the level meter and silence detection)."""
    data = np.frombuffer(chunk, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(data**2)) / 32768) if len(data) else 0.0
