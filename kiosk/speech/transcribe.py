"""`kiosk speech transcribe`: recognise a WAV file exactly as the kiosk hears a visitor.

The file goes through the same streaming interface as the microphone, in
100 ms chunks, so endpointing, partial results and timing match live use.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from kiosk.speech.audio import chunks, read_wav
from kiosk.speech.engines import (
    INSTALL_HINT,
    engine_report,
    installed_vosk_languages,
    recogniser_for,
)
from kiosk.speech.types import SAMPLE_RATE, Hypothesis, SpeechError

CHUNK_MS = 100
KNOWN_LANGUAGES = ("en", "cy", "pl", "ur", "pa", "ar", "ro", "bn")
"""Languages checked, with every installed one, when explaining which have a recogniser."""


def transcribe_file(
    path: Path,
    lang: str,
    models_dir: Path,
    engine: str | None = None,
    model: Path | None = None,
    grammar: list[str] | None = None,
) -> dict[str, Any]:
    """Recognise ``path``; returns {text, confidence, engine, audio_s, decode_s, rtf}.

    Any WAV rate, width and channel count is converted to 16 kHz mono. The
    text joins every utterance's final result with spaces; ``confidence`` is
    their mean, weighted by word count. ``decode_s`` excludes model loading;
    ``rtf`` (real-time factor) is ``decode_s / audio_s``. Raises
    :class:`SpeechError` for a missing, non-WAV or empty file, and when no
    recogniser exists for ``lang``.
    """
    path = Path(path)
    if not path.exists():
        raise SpeechError(f"{path} does not exist")
    if not path.is_file():
        raise SpeechError(f"{path} is not a file; give a WAV file")
    try:
        pcm = read_wav(path)
    except OSError as exc:
        raise SpeechError(f"{path} cannot be read ({exc})") from exc
    recogniser = recogniser_for(lang, models_dir, prefer=engine, model=model)
    if recogniser is None:
        raise SpeechError(_no_recogniser_message(lang, models_dir))

    finals: list[Hypothesis] = []
    began = time.perf_counter()
    recogniser.start(grammar=grammar or None)
    for chunk in chunks(pcm, CHUNK_MS):
        hypothesis = recogniser.feed(chunk)
        if hypothesis is not None and hypothesis.final:
            finals.append(hypothesis)
    finals.append(recogniser.finish())
    decode_s = time.perf_counter() - began

    heard = [h for h in finals if h.text.strip()]
    text = " ".join(h.text.strip() for h in heard)
    weights = [len(h.text.split()) for h in heard]
    confidence = (
        sum(h.confidence * w for h, w in zip(heard, weights, strict=True)) / sum(weights)
        if heard
        else 0.0
    )
    audio_s = len(pcm) / SAMPLE_RATE
    return {
        "text": text,
        "confidence": round(confidence, 3),
        "engine": recogniser.engine,
        "audio_s": round(audio_s, 3),
        "decode_s": round(decode_s, 3),
        "rtf": round(decode_s / audio_s, 3) if audio_s else 0.0,
    }


def _no_recogniser_message(lang: str, models_dir: Path) -> str:
    languages = list(dict.fromkeys([*KNOWN_LANGUAGES, *installed_vosk_languages(models_dir)]))
    served = [
        f"{code} ({name})" for code, name in engine_report(languages, models_dir).items() if name
    ]
    have = ", ".join(served) if served else "none"
    return (
        f"no speech recogniser for '{lang}': no Vosk model is installed for it in {models_dir} "
        f"and PocketSphinx only knows English. Languages with a recogniser: {have}. "
        f"Install a Vosk model with `{INSTALL_HINT.format(lang=lang)}`"
    )


def cmd_transcribe(
    file: str,
    lang: str,
    models_dir: Path,
    engine: str | None,
    model: str | None,
    grammar: str | None,
    as_json: bool,
) -> int:
    """`kiosk speech transcribe FILE --lang LANG [--engine] [--model] [--grammar "a|b"] [--json]`.

    Prints the result as one JSON object (``as_json``) or a friendly line and
    returns 0; a :class:`SpeechError` propagates for the CLI to print.
    """
    phrases = [p.strip() for p in grammar.split("|") if p.strip()] if grammar else None
    result = transcribe_file(
        Path(file),
        lang,
        models_dir,
        engine=engine,
        model=Path(model) if model else None,
        grammar=phrases,
    )
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        heard = f"“{result['text']}”" if result["text"] else "(no speech recognised)"
        print(
            f"{heard}\n  engine {result['engine']}, confidence {result['confidence']:.2f}, "
            f"{result['audio_s']:.2f} s of audio decoded in {result['decode_s']:.2f} s "
            f"(real-time factor {result['rtf']:.2f})"
        )
    return 0
