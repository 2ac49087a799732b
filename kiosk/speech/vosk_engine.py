"""Vosk: the primary recogniser, one model folder per language (``kiosk models install``).

Streaming. ``feed`` passes each chunk to Kaldi and returns:

* a partial hypothesis (``final`` False) whenever the partial text changes,
  for the live caption;
* a final hypothesis at an endpoint, which is whichever comes first of
  Vosk's own (its decoder's trailing-silence rules, from the model's
  ``conf/model.conf``) and the kiosk's :class:`~kiosk.speech.endpoint.Endpointer`
  (``silence_ms`` of quiet after speech, or 15 s of audio). Recognition then
  carries on with the next utterance, as with the PocketSphinx engine.

Vosk also ends an "utterance" after about five seconds of nothing but
silence, with empty text; that is not passed on, since nobody has spoken
yet (the kiosk's endpointer still ends the wait after ``max_ms``).

Grammar mode. ``start(grammar=[...])`` restricts recognition to the phrases
(normalised as :func:`kiosk.speech.grammar.normalise` does). Phrases holding
a word the model's vocabulary lacks are dropped (logged), since Vosk would
silently drop just the word; ``[unk]`` is added when the model has it, so
out-of-grammar speech can come back as ``[unk]`` rather than as the nearest
phrase. Only models with a lookahead graph (``graph/HCLr.fst`` +
``graph/Gr.fst``, the "small" models) can switch grammar at run time; with a
static ``graph/HCLG.fst`` the grammar is ignored and recognition is open
(map the words with :func:`kiosk.speech.grammar.match_option` either way).

Confidence, 0.0 to 1.0, is the mean of Vosk's per-word confidences (word
posteriors from the lattice, ``SetWords(True)``); ``[unk]`` words count as 0.
In grammar mode a result that is not made of whole phrases (Vosk stopped
inside one) gets 0.0, as PocketSphinx's does. Empty text has confidence 0.0.
Partial results are not scored (0.0): asking Vosk for per-word scores on
partials (``SetPartialWords``) holds them back until word boundaries settle,
which on the Korean test model delayed the first partial from 0.6 s to 1.9 s
into an utterance; a live caption that lags the speaker is worse than an
unscored one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.speech.endpoint import Endpointer
from kiosk.speech.grammar import UNKNOWN, grammar_phrases, is_phrase_sequence, words
from kiosk.speech.types import SAMPLE_RATE, Hypothesis, SpeechError

log = logging.getLogger(__name__)

ENGINE = "vosk"
INSTALL_HINT = "kiosk models install MODEL_FOLDER_OR_ZIP --lang {lang}"
_NO_WORD_SCORES = 0.5
"""Confidence reported when Vosk gives text without per-word scores (not expected)."""


def load_vosk_model(model_dir: Path, language: str = "LANG") -> Any:
    """Load a Vosk model folder, silencing Kaldi's log; SpeechError says what to do if it fails."""
    model_dir = Path(model_dir)
    hint = INSTALL_HINT.format(lang=language)
    if not model_dir.is_dir():
        raise SpeechError(f"no Vosk model folder at {model_dir}; install one with `{hint}`")
    if not (model_dir / "am" / "final.mdl").is_file() and not (model_dir / "final.mdl").is_file():
        raise SpeechError(
            f"{model_dir} is not a Vosk model folder (it has no am/final.mdl); "
            f"install a model with `{hint}`"
        )
    try:
        import vosk
    except ImportError as exc:
        raise SpeechError(
            "the vosk package is not installed; reinstall the kiosk (pip install civic-kiosk)"
        ) from exc
    vosk.SetLogLevel(-1)  # Kaldi's LOG lines; warnings and errors still reach stderr
    try:
        return vosk.Model(str(model_dir))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        from kiosk.speech.models import check_layout

        missing = check_layout(model_dir)
        why = f"missing: {'; '.join(missing)}" if missing else str(exc)
        raise SpeechError(
            f"Vosk could not load the model in {model_dir} ({why}); the folder may be "
            f"incomplete or damaged: reinstall it with `{hint}`"
        ) from exc


class VoskRecogniser:
    """Streaming recognition for one language with a Vosk model folder.

    The model loads once, here (about a second for a small model); ``model``
    lets several recognisers share one already loaded with
    :func:`load_vosk_model` (Vosk models are read-only and thread-safe).
    One instance decodes one stream at a time.
    """

    engine = ENGINE

    def __init__(
        self, model_dir: Path, language: str, silence_ms: int = 800, *, model: Any = None
    ) -> None:
        self.model_dir = Path(model_dir)
        self.language = language
        self.silence_ms = silence_ms
        began = time.perf_counter()
        self._model: Any = model if model is not None else load_vosk_model(model_dir, language)
        self.load_seconds = time.perf_counter() - began
        """How long loading the model took (0 when it was passed in)."""
        graph = self.model_dir / "graph"
        self.supports_grammar = (graph / "HCLr.fst").is_file() and not (
            graph / "HCLG.fst"
        ).is_file()
        """Whether ``start(grammar)`` really restricts recognition (lookahead models only)."""
        self.supports_unknown = self._knows(UNKNOWN)
        """Whether the model has ``[unk]``, for out-of-grammar speech."""
        self.grammar: list[str] | None = None
        """The phrases in force since the last ``start`` (None: open vocabulary)."""
        self._endpointer = Endpointer(silence_ms=silence_ms)
        self._decoder: Any = None
        self._last_partial = ""

    # -- the Recogniser protocol ------------------------------------------------

    def start(self, grammar: Sequence[str] | None = None) -> None:
        """Begin an utterance; ``grammar`` restricts it to these phrases (see the module doc)."""
        phrases = self._usable_phrases(grammar) if grammar else []
        self.grammar = phrases or None
        try:
            if phrases:
                allowed = [*phrases, UNKNOWN] if self.supports_unknown else phrases
                spec = json.dumps(allowed, ensure_ascii=False)
                self._decoder = _new_decoder(self._model, spec)
            else:
                self._decoder = _new_decoder(self._model, None)
        except Exception as exc:
            raise SpeechError(f"Vosk could not start listening ({exc})") from exc
        self._next_utterance()

    def feed(self, chunk: bytes) -> Hypothesis | None:
        """Add 16 kHz mono int16 audio; a changed partial, a final at an endpoint, or None."""
        if len(chunk) % 2:
            raise SpeechError("audio chunks must be 16-bit samples (an even number of bytes)")
        if self._decoder is None:
            self.start(self.grammar)
        if not chunk:
            return None
        try:
            vosk_endpoint = bool(self._decoder.AcceptWaveform(chunk))
        except Exception as exc:
            raise SpeechError(f"Vosk could not decode the audio ({exc})") from exc
        quiet_after_speech = self._endpointer.update(chunk)
        if vosk_endpoint:
            final = self._final(self._decoder.Result())
            if final.text or quiet_after_speech:
                self._next_utterance()
                return final
            # Vosk's "nothing but silence" endpoint: nobody has spoken yet, keep listening.
        if quiet_after_speech:
            final = self._final(self._decoder.FinalResult())
            self._decoder.Reset()
            self._next_utterance()
            return final
        partial = json.loads(self._decoder.PartialResult())
        text = str(partial.get("partial", "")).strip()
        if text == self._last_partial:
            return None
        self._last_partial = text
        return Hypothesis(text, 0.0, final=False)  # unscored: see the module docstring

    def finish(self) -> Hypothesis:
        """End the utterance and return its final result (empty text when nothing was heard)."""
        if self._decoder is None:
            return Hypothesis("", 0.0, final=True)
        final = self._final(self._decoder.FinalResult())
        self._decoder.Reset()
        self._next_utterance()
        return final

    # -- vocabulary ---------------------------------------------------------------

    def unknown_words(self, phrase: str) -> list[str]:
        """The words of ``phrase`` (normalised) that this model cannot recognise."""
        return [w for w in words(phrase) if not self._knows(w)]

    # -- internals --------------------------------------------------------------

    def _knows(self, word: str) -> bool:
        return int(self._model.vosk_model_find_word(word)) >= 0

    def _usable_phrases(self, grammar: Sequence[str]) -> list[str]:
        if not self.supports_grammar:
            log.info(
                "the Vosk model in %s has a static graph (HCLG.fst): grammar ignored, "
                "listening with the open vocabulary",
                self.model_dir,
            )
            return []
        usable: list[str] = []
        for phrase in grammar_phrases({"": list(grammar)}):
            unknown = self.unknown_words(phrase)
            if unknown:
                log.warning(
                    "grammar phrase %r skipped: the %s Vosk model's vocabulary lacks %s",
                    phrase,
                    self.language,
                    ", ".join(repr(w) for w in unknown),
                )
            else:
                usable.append(phrase)
        if not usable:
            log.warning(
                "no grammar phrase can be recognised by the %s Vosk model (%s); "
                "listening with the open vocabulary instead",
                self.language,
                " | ".join(grammar),
            )
        return usable

    def _next_utterance(self) -> None:
        self._endpointer.reset()
        self._last_partial = ""

    def _final(self, raw: str) -> Hypothesis:
        result = json.loads(raw)
        text = str(result.get("text", "")).strip()
        confidence = self._confidence(text, result.get("result"))
        if self.grammar is not None and not is_phrase_sequence(text, self.grammar):
            confidence = 0.0  # stopped inside a phrase, or [unk]: the grammar was not matched
        return Hypothesis(text, confidence, final=True)

    @staticmethod
    def _confidence(text: str, scored: object) -> float:
        if not text:
            return 0.0
        if not isinstance(scored, list) or not scored:
            return _NO_WORD_SCORES
        scores = [
            0.0 if item.get("word") == UNKNOWN else float(item.get("conf", 0.0))
            for item in scored
            if isinstance(item, dict)
        ]
        if not scores:
            return _NO_WORD_SCORES
        return round(min(1.0, max(0.0, sum(scores) / len(scores))), 4)


def _new_decoder(model: Any, grammar_json: str | None) -> Any:
    import vosk

    decoder = (
        vosk.KaldiRecognizer(model, SAMPLE_RATE)
        if grammar_json is None
        else vosk.KaldiRecognizer(model, SAMPLE_RATE, grammar_json)
    )
    decoder.SetWords(True)  # per-word confidences for final results (not partials: they lag)
    return decoder
