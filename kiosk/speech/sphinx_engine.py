"""PocketSphinx: the English fallback recogniser, working from a fresh install.

The ``pocketsphinx`` wheel bundles a US English acoustic model, language model
and dictionary, so English speech works before IT installs a Vosk model. The
kiosk uses it only when no Vosk model exists for English (see
:func:`kiosk.speech.engines.recogniser_for`).

Two passes. While the visitor speaks, audio is decoded as it arrives (live
cepstral mean normalisation), which gives partial results and the endpoint.
At the endpoint the utterance is decoded once more as one block, normalised by
its own cepstral mean (``process_raw(audio, full_utt=True)``), and that is the
final result. Live normalisation starts from a generic estimate and needs a
few utterances to adapt, so the second pass matters most for the first thing a
visitor says: on the pocketsphinx-testdata recordings it cut a fresh decoder's
word error rate from 0.40 to about 0.23, for about twice the decoding time
(still well under real time). Each utterance's mean then seeds the live
normalisation of the next, so later partial results improve too.
``rescore=False`` keeps the single pass.

Confidence, 0.0 to 1.0, is the mean *word posterior probability* of the final
hypothesis: after an utterance ends, PocketSphinx computes a word lattice and,
for each recognised word, the probability that the word is right given all the
competing paths (``Decoder.seg()[i].prob``, already converted from the log
domain). Fillers (silence, breath, noise) are left out. This is the usual
per-word confidence of Sphinx decoders; the whole-utterance posterior
(``Decoder.get_prob()``) is not used because it shrinks towards 0 as sentences
get longer. Partial hypotheses are not scored (confidence 0.0) because the
lattice only exists once the utterance has ended.

Endpointing is the kiosk's :class:`~kiosk.speech.endpoint.Endpointer` (800 ms
of quiet after speech, or 15 s of audio), as for Vosk.

Grammar mode (``start(grammar=[...])``) compiles the phrases, normalised as
:func:`kiosk.speech.grammar.words` does, into a JSGF grammar of one phrase per
utterance. Phrases with a word missing from PocketSphinx's dictionary are
skipped with a logged warning; if none is left, recognition is open. Unlike
Vosk there is no ``[unk]``: PocketSphinx always picks the closest phrase, so
out-of-grammar speech can still yield one, with word posteriors near 1.0 when
the grammar leaves a single path. When its best path stops inside a phrase,
the result keeps the words heard but reports confidence 0.0 (map them with
:func:`kiosk.speech.grammar.match_option` either way).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from kiosk.speech.audio import rms
from kiosk.speech.endpoint import Endpointer
from kiosk.speech.grammar import is_phrase_sequence, words
from kiosk.speech.types import SAMPLE_RATE, Hypothesis, SpeechError

log = logging.getLogger(__name__)

_NO_SIGNAL = 1e-4
"""Loudness (0..1) below which an utterance holds no signal at all (a muted or digital-silent
input, about 3 of 32768 steps): its mean is degenerate, and decoding it yields stray words."""

ENGINE = "pocketsphinx"
LANGUAGES = ("en",)
"""The bundled model is US English; it serves every English variant (en, en-GB...)."""


def supports(language: str) -> bool:
    """Whether the bundled PocketSphinx model can recognise this language code."""
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] in LANGUAGES


def _is_filler(word: str) -> bool:
    return not word or word.startswith(("<", "[", "++"))


WARM_UP_S = 5.0
"""Speech after which the decoder's live normalisation is seeded well enough."""


class SphinxRecogniser:
    """Streaming English recognition with the PocketSphinx model bundled in its wheel.

    Loading takes about 0.2 s. One instance decodes one stream at a time.
    ``feed`` returns a partial hypothesis whenever the partial text changes
    and a final one when the endpointer hears the end of an utterance;
    recognition then carries on with the next utterance. Final results come
    from a second, whole-utterance pass (see the module docstring) when
    ``rescore`` is True; the default (None) does that only until the decoder
    has heard ``WARM_UP_S`` of speech: a fresh decoder's live normalisation
    misleads it (measured: 9/10 flite phrases right without the second pass on
    a fresh decoder, 10/10 with it), but once seeded the single pass is as good
    (16/16 against 14/16) and about 200 ms faster at the end of each utterance.
    """

    engine = ENGINE

    def __init__(
        self, language: str = "en", rescore: bool | None = None, silence_ms: int = 800
    ) -> None:
        if not supports(language):
            raise SpeechError(
                f"PocketSphinx only has an English model, not '{language}'; install a Vosk "
                f"model for '{language}' with `kiosk models install MODEL --lang {language}`"
            )
        self.language = language
        self.rescore = rescore
        self._heard_s = 0.0
        try:
            from pocketsphinx import Decoder

            self._decoder: Any = Decoder(loglevel="ERROR")
        except ImportError as exc:
            raise SpeechError(
                "the pocketsphinx package is not installed; reinstall the kiosk "
                "(pip install civic-kiosk) to get its bundled English model"
            ) from exc
        except (RuntimeError, ValueError, OSError) as exc:
            raise SpeechError(
                f"the PocketSphinx English model could not be loaded ({exc}); "
                "reinstall the pocketsphinx package"
            ) from exc
        self.grammar: list[str] | None = None
        """The phrases in force since the last ``start`` (None: open vocabulary)."""
        self._searches: dict[tuple[str, ...], tuple[str | None, list[str] | None]] = {}
        self._endpointer = Endpointer(silence_ms=silence_ms)
        self._in_utterance = False
        self._audio: list[bytes] = []
        self._cmn: str | None = None
        self._last_partial = ""

    # -- the Recogniser protocol ------------------------------------------------

    def start(self, grammar: Sequence[str] | None = None) -> None:
        """Begin an utterance, restricted to ``grammar``'s phrases when given."""
        if self._in_utterance:
            self._abandon()
        search, self.grammar = self._search_for(grammar)
        try:
            self._decoder.activate_search(search)
        except (KeyError, RuntimeError) as exc:
            raise SpeechError(f"PocketSphinx could not switch grammar ({exc})") from exc
        self._begin()

    def feed(self, chunk: bytes) -> Hypothesis | None:
        """Add 16 kHz mono int16 audio; a changed partial, a final at an endpoint, or None."""
        if len(chunk) % 2:
            raise SpeechError("audio chunks must be 16-bit samples (an even number of bytes)")
        if not self._in_utterance:
            self._begin()
        if not chunk:
            return None
        try:
            self._decoder.process_raw(chunk, False, False)
        except RuntimeError as exc:
            raise SpeechError(f"PocketSphinx could not decode the audio ({exc})") from exc
        self._audio.append(chunk)
        if self._endpointer.update(chunk):
            final = self._end_utt()
            self._begin()
            return final
        hyp = self._decoder.hyp()
        text = hyp.hypstr.strip() if hyp is not None and hyp.hypstr else ""
        if text == self._last_partial:
            return None
        self._last_partial = text
        return Hypothesis(text, 0.0, final=False)

    def finish(self) -> Hypothesis:
        """End the utterance and return its final result (empty text when nothing was heard)."""
        if not self._in_utterance:
            return Hypothesis("", 0.0, final=True)
        return self._end_utt()

    # -- vocabulary ---------------------------------------------------------------

    def unknown_words(self, phrase: str) -> list[str]:
        """The words of ``phrase`` (normalised) missing from PocketSphinx's dictionary."""
        return [w for w in words(phrase) if self._decoder.lookup_word(w) is None]

    # -- internals --------------------------------------------------------------

    def _begin(self) -> None:
        try:
            if self._cmn is not None:
                self._decoder.set_cmn(self._cmn)
            self._decoder.start_utt()
        except RuntimeError as exc:
            raise SpeechError(f"PocketSphinx could not start listening ({exc})") from exc
        self._endpointer.reset()
        self._in_utterance = True
        self._audio = []
        self._last_partial = ""

    def _abandon(self) -> None:
        """Drop an unfinished utterance without decoding it again."""
        self._in_utterance = False
        self._audio = []
        try:
            self._decoder.end_utt()
        except RuntimeError as exc:
            raise SpeechError(f"PocketSphinx could not stop listening ({exc})") from exc

    def _end_utt(self) -> Hypothesis:
        try:
            self._decoder.end_utt()
        except RuntimeError as exc:
            raise SpeechError(f"PocketSphinx could not finish the utterance ({exc})") from exc
        finally:
            self._in_utterance = False
        audio, self._audio = b"".join(self._audio), []
        if rms(audio) < _NO_SIGNAL:
            return Hypothesis("", 0.0, final=True)
        warming_up = self._heard_s < WARM_UP_S
        self._heard_s += len(audio) / (2 * SAMPLE_RATE)
        if self.rescore or (self.rescore is None and warming_up):
            self._decode_whole(audio)
        hyp = self._decoder.hyp()
        text = hyp.hypstr.strip() if hyp is not None and hyp.hypstr else ""
        if not text:
            return Hypothesis("", 0.0, final=True)
        if self.grammar is not None and not is_phrase_sequence(text, self.grammar):
            return Hypothesis(text, 0.0, final=True)  # stopped inside a phrase: no match
        return Hypothesis(text, self._word_posterior(), final=True)

    def _decode_whole(self, audio: bytes) -> None:
        """Decode the utterance again in one block, normalised by its own cepstral mean.

        Streaming switches PocketSphinx's feature extraction to live
        normalisation for good, so it is reinitialised (instant) to get the
        configured batch normalisation back. The utterance's mean then seeds
        live normalisation for the next utterance's partial results.
        """
        try:
            self._decoder.reinit_feat()
            self._decoder.start_utt()
            self._decoder.process_raw(audio, False, True)
            self._decoder.end_utt()
            self._cmn = self._decoder.get_cmn()
        except RuntimeError as exc:
            raise SpeechError(f"PocketSphinx could not decode the utterance ({exc})") from exc

    def _word_posterior(self) -> float:
        try:
            segments = [(str(s.word), float(s.prob)) for s in self._decoder.seg()]
        except (RuntimeError, ValueError):  # no lattice (e.g. a very short utterance)
            return 0.0
        scored = [min(1.0, max(0.0, p)) for word, p in segments if not _is_filler(word)]
        return round(sum(scored) / len(scored), 4) if scored else 0.0

    def _search_for(self, grammar: Sequence[str] | None) -> tuple[str | None, list[str] | None]:
        """The search to activate (None: the open language model) and its phrases."""
        if not grammar:
            return None, None
        key = tuple(grammar)
        if key not in self._searches:
            self._searches[key] = self._add_grammar(key)
        return self._searches[key]

    def _add_grammar(self, grammar: tuple[str, ...]) -> tuple[str | None, list[str] | None]:
        usable: dict[str, None] = {}  # ordered and unique
        for phrase in grammar:
            phrase_words = words(phrase)
            unknown = self.unknown_words(phrase)
            if not phrase_words:
                log.warning("grammar phrase %r has no words; skipped", phrase)
            elif unknown:
                log.warning(
                    "grammar phrase %r skipped: PocketSphinx's English dictionary lacks %s",
                    phrase,
                    ", ".join(repr(w) for w in unknown),
                )
            else:
                usable[" ".join(phrase_words)] = None
        if not usable:
            log.warning(
                "no grammar phrase can be recognised by PocketSphinx (%s); "
                "listening with the open English language model instead",
                " | ".join(grammar),
            )
            return None, None
        name = f"kiosk_grammar_{len(self._searches)}"
        jsgf = f"#JSGF V1.0;\ngrammar kiosk;\npublic <phrase> = {' | '.join(usable)};\n"
        try:
            self._decoder.add_jsgf_string(name, jsgf)
        except (ValueError, RuntimeError) as exc:
            raise SpeechError(f"PocketSphinx could not compile the grammar ({exc})") from exc
        return name, list(usable)
