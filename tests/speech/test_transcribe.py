"""`kiosk speech transcribe`: real files through the real engine choice, and clear errors."""

from __future__ import annotations

import json
import logging
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kiosk.speech.audio import read_wav, resample, to_int16
from kiosk.speech.engines import engine_report, recogniser_for
from kiosk.speech.models import bundled_korean_model, folder_bytes
from kiosk.speech.sphinx_engine import SphinxRecogniser
from kiosk.speech.transcribe import cmd_transcribe, transcribe_file
from kiosk.speech.types import SAMPLE_RATE, SpeechError

KEYS = {"text", "confidence", "engine", "audio_s", "decode_s", "rtf"}

Say = Callable[..., Path]
"""The ``say`` fixture (conftest.py): text -> a flite WAV."""


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    """A models folder with no Vosk model in it: English falls back to PocketSphinx."""
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def test_transcribe_file_reports_text_engine_and_timing(say: Say, models_dir: Path) -> None:
    result = transcribe_file(say("I want to pay my council tax"), "en", models_dir)
    print(result)
    assert set(result) == KEYS
    assert result["text"] == "i want to pay my council tax"
    assert result["engine"] == "pocketsphinx"
    assert 0.5 < result["confidence"] <= 1.0
    assert 1.0 < result["audio_s"] < 4.0
    assert result["rtf"] == pytest.approx(result["decode_s"] / result["audio_s"], abs=0.002)
    assert 0.0 < result["rtf"] < 1.0


def test_any_rate_and_channel_count_is_converted(
    say: Say, models_dir: Path, tmp_path: Path
) -> None:
    mono = read_wav(say("I want to join the library")).astype(np.float64) / 32768
    stereo_44k = to_int16(resample(mono, SAMPLE_RATE, 44_100))
    path = tmp_path / "stereo-44k.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44_100)
        wav.writeframes(np.repeat(stereo_44k[:, None], 2, axis=1).astype("<i2").tobytes())
    result = transcribe_file(path, "en", models_dir)
    assert result["text"] == "i want to join the library"
    assert result["audio_s"] == pytest.approx(len(mono) / SAMPLE_RATE, abs=0.01)


def test_grammar_restricts_the_answer(say: Say, models_dir: Path) -> None:
    result = transcribe_file(say("no"), "en", models_dir, grammar=["yes", "no", "start again"])
    assert result["text"] == "no"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is not a WAV file"),
        (b"ID3\x03\x00 this is an mp3, honest", "is not a WAV file"),
        (b"text, not audio\n", "is not a WAV file"),
    ],
)
def test_non_wav_and_empty_files_give_a_clear_error(
    tmp_path: Path, models_dir: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "speech.wav"
    path.write_bytes(content)
    with pytest.raises(SpeechError, match=message):
        transcribe_file(path, "en", models_dir)


def test_a_wav_without_audio_gives_a_clear_error(tmp_path: Path, models_dir: Path) -> None:
    path = tmp_path / "empty.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
    with pytest.raises(SpeechError, match="holds no audio"):
        transcribe_file(path, "en", models_dir)


def test_missing_files_and_folders_give_a_clear_error(tmp_path: Path, models_dir: Path) -> None:
    with pytest.raises(SpeechError, match="does not exist"):
        transcribe_file(tmp_path / "nope.wav", "en", models_dir)
    with pytest.raises(SpeechError, match="is not a file"):
        transcribe_file(tmp_path, "en", models_dir)


def test_welsh_has_no_recogniser_and_the_error_says_what_to_do(say: Say, models_dir: Path) -> None:
    with pytest.raises(SpeechError) as caught:
        transcribe_file(say("bore da"), "cy", models_dir)
    message = str(caught.value)
    print(message)
    assert "no speech recogniser for 'cy'" in message
    assert "en (pocketsphinx)" in message
    assert "kiosk models install" in message and "--lang cy" in message


def test_engine_choice_without_a_vosk_model(models_dir: Path) -> None:
    assert engine_report(["en", "en-GB", "cy"], models_dir) == {
        "en": "pocketsphinx",
        "en-GB": "pocketsphinx",
        "cy": None,
    }
    assert recogniser_for("cy", models_dir) is None
    english = recogniser_for("en", models_dir)
    assert isinstance(english, SphinxRecogniser) and english.engine == "pocketsphinx"


def register_vosk_model(models_dir: Path, lang: str, folder: Path) -> None:
    """Record ``folder`` (linked, not copied: it is 260 MB) as the installed Vosk model."""
    speech = models_dir / "speech"
    speech.mkdir(exist_ok=True)
    (speech / f"vosk-{lang}").symlink_to(folder, target_is_directory=True)
    manifest = speech / "manifest.json"
    models = json.loads(manifest.read_text())["models"] if manifest.exists() else {}
    size = folder_bytes(folder) if folder.is_dir() else 0
    models[lang] = {"engine": "vosk", "folder": f"vosk-{lang}", "sha256": "-", "bytes": size}
    manifest.write_text(json.dumps({"models": models}))


def test_an_installed_vosk_model_wins(say: Say, models_dir: Path) -> None:
    try:
        korean = bundled_korean_model()
    except SpeechError as exc:
        pytest.skip(str(exc))
    register_vosk_model(models_dir, "ko", korean)
    assert engine_report(["ko", "en", "cy"], models_dir) == {
        "ko": "vosk",
        "en": "pocketsphinx",
        "cy": None,
    }
    recogniser = recogniser_for("ko", models_dir)
    assert recogniser is not None and recogniser.engine == "vosk"
    assert recogniser.language == "ko"
    with pytest.raises(SpeechError, match=r"with a recogniser: en \(pocketsphinx\), ko \(vosk\)"):
        transcribe_file(say("bore da"), "cy", models_dir)


def test_a_damaged_vosk_model_falls_back_to_pocketsphinx_for_english_only(
    models_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    register_vosk_model(models_dir, "en", tmp_path / "deleted-model")
    register_vosk_model(models_dir, "cy", tmp_path / "deleted-model")
    with caplog.at_level(logging.WARNING, logger="kiosk.speech.engines"):
        english = recogniser_for("en", models_dir)
    assert english is not None and english.engine == "pocketsphinx"
    assert "cannot be used" in caplog.text and "reinstall" in caplog.text
    with pytest.raises(SpeechError, match=r"vosk-cy.*missing.*kiosk models install"):
        recogniser_for("cy", models_dir)
    with pytest.raises(SpeechError, match="missing"):
        recogniser_for("en", models_dir, prefer="vosk")
    assert engine_report(["en", "cy"], models_dir) == {"en": "pocketsphinx", "cy": None}


def test_impossible_engine_requests_are_refused_clearly(models_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match=r"no Vosk model is installed for 'en'.*models install"):
        recogniser_for("en", models_dir, prefer="vosk")
    with pytest.raises(SpeechError, match="cannot be used with --engine pocketsphinx"):
        recogniser_for("en", models_dir, prefer="pocketsphinx", model=tmp_path)
    with pytest.raises(SpeechError, match="only has an English model"):
        recogniser_for("cy", models_dir, prefer="pocketsphinx")
    with pytest.raises(SpeechError, match="unknown speech engine 'whisper'"):
        recogniser_for("en", models_dir, prefer="whisper")
    with pytest.raises(SpeechError, match="Vosk"):
        recogniser_for("en", models_dir, model=tmp_path / "not-a-model")


def test_cmd_transcribe_prints_json(
    say: Say, models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(say("yes"))
    code = cmd_transcribe(path, "en", models_dir, None, None, "yes | no | start again", True)
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and set(result) == KEYS
    assert result["text"] == "yes" and result["engine"] == "pocketsphinx"


def test_cmd_transcribe_prints_a_friendly_line(
    say: Say, models_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cmd_transcribe(
        str(say("can I speak to someone")), "en", models_dir, "pocketsphinx", None, None, False
    )
    out = capsys.readouterr().out
    print(out)
    assert code == 0
    assert "“can i speak to someone”" in out and "engine pocketsphinx" in out
    assert "real-time factor" in out


def test_the_configured_silence_reaches_the_recogniser(tmp_path: Path) -> None:
    recogniser = recogniser_for("en", tmp_path, silence_ms=300)
    assert recogniser is not None and recogniser.engine == "pocketsphinx"
    assert recogniser._endpointer.silence_ms == 300  # type: ignore[attr-defined]
