"""End to end: a spoken kiosk request (flite) -> PocketSphinx -> the real intent model.

This is what happens when an English visitor speaks before IT has installed a
Vosk model: the transcript goes straight into the ONNX intent classifier.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.nlu.classifier import OnnxIntentClassifier
from kiosk.speech.audio import chunks, read_wav
from kiosk.speech.sphinx_engine import SphinxRecogniser
from kiosk.speech.types import SAMPLE_RATE
from kiosk.speech.wer import score_recordings

REQUESTS = [
    ("I want to pay my council tax", "council_tax.pay"),
    ("my bin wasn't emptied", "bins.missed"),
    ("I have nowhere to sleep tonight", "housing.homeless"),
    ("I want to join the library", "library.join"),
    ("can I speak to someone", "kiosk.staff"),
]
VOICES = ["slt", "rms"]
"""flite's two 16 kHz voices, one female (slt) and one male (rms)."""

Say = Callable[..., Path]
"""The ``say`` fixture (conftest.py): text -> a flite WAV."""


@pytest.mark.parametrize("voice", VOICES)
def test_spoken_requests_reach_the_right_intent(
    say: Say, classifier: OnnxIntentClassifier, voice: str
) -> None:
    recogniser = SphinxRecogniser("en")
    audio_s = decode_s = 0.0
    right = 0
    pairs = []
    for phrase, expected in REQUESTS:
        pcm = read_wav(say(phrase, voice))
        began = time.perf_counter()
        recogniser.start()
        for chunk in chunks(pcm):
            recogniser.feed(chunk)
        heard = recogniser.finish()
        decode_s += time.perf_counter() - began
        audio_s += len(pcm) / SAMPLE_RATE
        result = classifier.classify(heard.text, "en")
        right += result.intent == expected
        pairs.append((phrase, heard.text))
        mark = "ok " if result.intent == expected else "MISS"
        print(
            f"{mark} {voice}: {phrase!r} -> {heard.text!r} (conf {heard.confidence:.2f}) "
            f"-> {result.intent} {result.confidence:.2f} {result.decision.value}"
        )
    rtf = decode_s / audio_s
    wer = score_recordings(pairs)["wer"]
    print(f"{voice}: {right}/{len(REQUESTS)} intents right, WER {wer:.3f}, RTF {rtf:.3f}")
    assert right >= 4
    assert rtf < 1.0, "recognition must keep up with speech"


def test_an_urgent_request_is_never_lost(say: Say, classifier: OnnxIntentClassifier) -> None:
    """Homelessness tonight must reach its triage in every voice."""
    recogniser = SphinxRecogniser("en")
    for voice in VOICES:
        recogniser.start()
        for chunk in chunks(read_wav(say("I have nowhere to sleep tonight", voice))):
            recogniser.feed(chunk)
        text = recogniser.finish().text
        assert classifier.classify(text, "en").intent == "housing.homeless", (voice, text)
