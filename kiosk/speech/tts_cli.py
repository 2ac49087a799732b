"""`kiosk speech say "text" --lang LANG [--out FILE.wav]`: an IT check of the kiosk's voice."""

from __future__ import annotations

import sys
import tempfile
import time
import wave
from pathlib import Path

from kiosk.speech.player import Player
from kiosk.speech.tts import DEFAULT_RATE, default_synthesiser


def cmd_say(
    text: str,
    lang: str,
    out: str | None,
    play: bool,
    *,
    rate: int = DEFAULT_RATE,
    volume: float = 1.0,
) -> int:
    """Synthesise ``text`` to ``out`` (or a temporary file), optionally play it; 0 if all worked.

    Prints the engine and voice, the speech's duration and the time to first audio
    (the synthesis time: the kiosk starts playing as soon as the WAV is written).
    Raises :class:`~kiosk.speech.types.SpeechError` when synthesis is impossible.
    Returns 1 when the speech was made but could not be played (no sound device).
    """
    synthesiser = default_synthesiser(rate, volume)
    voice = synthesiser.voice_for(lang)
    with tempfile.TemporaryDirectory(prefix="kiosk-say-") as scratch:
        target = Path(out) if out else Path(scratch) / "say.wav"
        started = time.perf_counter()
        synthesiser.synthesise(text, lang, target)
        took_ms = (time.perf_counter() - started) * 1000
        with wave.open(str(target), "rb") as wav:
            seconds = wav.getnframes() / wav.getframerate()
        print(f"voice: {voice} ({synthesiser.voice_name(lang)}) via {synthesiser.engine}")
        print(
            f"audio: {seconds:.2f} s at {rate} words/min"
            + (f", written to {target}" if out else "")
        )
        print(f"time to first audio (synthesis): {took_ms:.0f} ms")
        if play:
            return _play(target)
    return 0


def _play(path: Path) -> int:
    player = Player()
    player.play(path)
    try:
        player.wait()
    except KeyboardInterrupt:
        player.stop()
        return 130
    if player.last_error:
        print(
            f"kiosk: speech was made but could not be played: {player.last_error}; "
            "check the sound device (aplay -l), or use --out FILE.wav to check synthesis alone",
            file=sys.stderr,
        )
        return 1
    return 0
