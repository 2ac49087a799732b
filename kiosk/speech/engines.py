"""Which recogniser serves which language: Vosk when a model is installed, else PocketSphinx.

Order of preference for a language:

1. Vosk, when IT has installed a Vosk model for it (``kiosk models install``);
2. PocketSphinx, for English only (its wheel bundles a US English model);
3. nothing: the kiosk hides the microphone for that language (Welsh today).
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable
from pathlib import Path

from kiosk.speech import sphinx_engine
from kiosk.speech.types import Recogniser, SpeechError

log = logging.getLogger(__name__)

ENGINES = ("vosk", "pocketsphinx")
INSTALL_HINT = "kiosk models install MODEL_FOLDER_OR_ZIP --lang {lang}"


def recogniser_for(
    lang: str,
    models_dir: Path,
    prefer: str | None = None,
    model: Path | None = None,
    silence_ms: int = 800,
) -> Recogniser | None:
    """A loaded recogniser for ``lang``, or None when no engine can serve it.

    ``prefer`` forces an engine ("vosk" or "pocketsphinx") and ``model`` a Vosk
    model folder; either raises :class:`SpeechError` saying why when it cannot
    be honoured. ``silence_ms`` is the pause that ends an utterance. Without
    them, an installed Vosk model wins and PocketSphinx
    is the fallback for English, also (with a logged warning) when the Vosk
    model is damaged or fails to load. A damaged Vosk model for a language
    PocketSphinx cannot serve raises :class:`SpeechError` naming the fix.
    """
    if prefer is not None and prefer not in ENGINES:
        raise SpeechError(f"unknown speech engine '{prefer}'; choose one of {', '.join(ENGINES)}")
    if model is not None and prefer == "pocketsphinx":
        raise SpeechError(
            "--model names a Vosk model folder; it cannot be used with --engine pocketsphinx"
        )
    if model is not None or prefer == "vosk":
        folder = model if model is not None else _installed_vosk_model(lang, models_dir)
        if folder is None:
            raise SpeechError(
                f"no Vosk model is installed for '{lang}' in {models_dir}; install one with "
                f"`{INSTALL_HINT.format(lang=lang)}`"
            )
        return _load_vosk(folder, lang, silence_ms)
    if prefer == "pocketsphinx":
        return sphinx_engine.SphinxRecogniser(
            lang, silence_ms=silence_ms
        )  # its SpeechError names the problem

    fallback = sphinx_engine.supports(lang) and _sphinx_available()
    try:
        folder = _installed_vosk_model(lang, models_dir)
        if folder is not None:
            return _load_vosk(folder, lang, silence_ms)
    except SpeechError as exc:
        if not fallback:
            raise
        log.warning("the Vosk model for %s cannot be used (%s); using PocketSphinx", lang, exc)
    return sphinx_engine.SphinxRecogniser(lang, silence_ms=silence_ms) if fallback else None


def engine_report(languages: Iterable[str], models_dir: Path) -> dict[str, str | None]:
    """For staff and doctor output: each language's engine name, or None (microphone hidden).

    Cheap: it checks what is installed without loading any model. A damaged
    Vosk model does not count (``kiosk models list`` says what is wrong).
    """
    report: dict[str, str | None] = {}
    for lang in languages:
        try:
            vosk_folder = _installed_vosk_model(lang, models_dir)
        except SpeechError:
            vosk_folder = None
        if vosk_folder is not None and _vosk_available():
            report[lang] = "vosk"
        elif sphinx_engine.supports(lang) and _sphinx_available():
            report[lang] = "pocketsphinx"
        else:
            report[lang] = None
    return report


def languages_with_recogniser(languages: Iterable[str], models_dir: Path) -> list[str]:
    """The languages (of those given) that some engine can recognise."""
    return [lang for lang, engine in engine_report(languages, models_dir).items() if engine]


def installed_vosk_languages(models_dir: Path) -> list[str]:
    """Languages with a Vosk model recorded as installed (whether or not it still loads)."""
    try:
        from kiosk.speech.models import read_manifest
    except ImportError:
        return []
    try:
        return sorted(read_manifest(models_dir))
    except SpeechError:
        return []


def _installed_vosk_model(lang: str, models_dir: Path) -> Path | None:
    """The installed Vosk model folder for ``lang``, None if none (or no Vosk support).

    Raises :class:`SpeechError` when the installed model is missing or damaged.
    """
    try:
        from kiosk.speech.models import vosk_model_for
    except ImportError:  # a build without Vosk model support: PocketSphinx only
        return None
    return vosk_model_for(lang, models_dir)


def _load_vosk(folder: Path, lang: str, silence_ms: int = 800) -> Recogniser:
    if not _vosk_available():
        raise SpeechError("the vosk package is not installed; reinstall the kiosk to get it")
    try:
        from kiosk.speech.vosk_engine import VoskRecogniser
    except ImportError as exc:
        raise SpeechError(f"the Vosk engine cannot be loaded ({exc})") from exc
    return VoskRecogniser(
        folder, lang, silence_ms
    )  # its SpeechError names a missing or broken folder


def _vosk_available() -> bool:
    return importlib.util.find_spec("vosk") is not None


def _sphinx_available() -> bool:
    return importlib.util.find_spec("pocketsphinx") is not None
