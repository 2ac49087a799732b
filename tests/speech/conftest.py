"""Real speech for the recogniser tests: recorded English, flite voices, the real intent model.

Nothing is faked. Recordings come from the Debian package pocketsphinx-testdata
and synthesised phrases from Debian flite; only their absence skips a test.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.nlu.classifier import OnnxIntentClassifier

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
FLITE_VOICE = "slt"
"""flite's 16 kHz US female voice (its default, "kal", is an 8 kHz diphone voice)."""

Say = Callable[..., Path]


@pytest.fixture(scope="session")
def classifier(intent_classifier: OnnxIntentClassifier) -> OnnxIntentClassifier:
    return intent_classifier


@pytest.fixture(scope="session")
def testdata() -> Path:
    """Real recorded English with transcripts (LibriVox clips, card names, "go forward")."""
    if not (TESTDATA / "librivox" / "transcription").is_file():
        pytest.skip(
            "Debian package pocketsphinx-testdata is not installed "
            "(./dev.sh installs it as root: apt-get install pocketsphinx-testdata)"
        )
    return TESTDATA


@pytest.fixture(scope="session")
def say(tmp_path_factory: pytest.TempPathFactory) -> Say:
    """``say(text, voice=FLITE_VOICE)``: a WAV of flite speaking ``text`` (cached per session)."""
    flite = shutil.which("flite")
    if flite is None:
        pytest.skip("flite is not installed (./dev.sh installs it as root: apt-get install flite)")
    folder = tmp_path_factory.mktemp("flite")
    made: dict[tuple[str, str], Path] = {}

    def synthesise(text: str, voice: str = FLITE_VOICE) -> Path:
        if (text, voice) not in made:
            out = folder / f"{len(made):02d}-{voice}.wav"
            subprocess.run(
                [flite, "-voice", voice, "-t", text, "-o", str(out)], check=True, timeout=30
            )
            made[text, voice] = out
        return made[text, voice]

    return synthesise
