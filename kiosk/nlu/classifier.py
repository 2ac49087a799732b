"""The intent classifier as used by the kiosk: encoder + heads, both run by onnxruntime.

Files in the model folder (written by ``kiosk nlu build``):

    encoder.onnx    4-bit multilingual-e5-small (ids -> features)
    vocab.npz       its SentencePiece vocabulary
    heads.onnx      the two trained heads and their average (-> probabilities)
    manifest.json   names, versions, sha256 of every file, data hash, thresholds

Every file is checked against the manifest when the model loads; a missing or
corrupt file raises :class:`ModelError` naming it and the command that rebuilds it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kiosk.nlu.heads import MAX_FEATURES, ngram_features
from kiosk.nlu.types import OUT_OF_SCOPE, Alternative, Decision, IntentResult

REBUILD = "kiosk nlu build"
MODEL_FILES = ("encoder.onnx", "vocab.npz", "heads.onnx")

URGENT_INTENTS = ("housing.homeless", "housing.repair")
"""Intents whose journeys begin with emergency triage: never lost to a clarification."""

# A safety net under the model: words that must always reach the urgent path.
_URGENT_PATTERNS = {
    "housing.homeless": re.compile(
        r"nowhere to (sleep|stay|live)|sleeping rough|homeless|on the streets? tonight|"
        r"digartref|unman i gysgu|nunlle i gysgu|cysgu (ar y stryd|allan)",
        re.IGNORECASE,
    ),
    "housing.repair": re.compile(
        r"smell(s|ing)? (of )?gas|gas smell|gas leak|arogl nwy|ogla nwy|gollwng nwy|"
        r"water (pouring|coming) through|flood(ed|ing)? (in )?(my|the) (flat|house|home|kitchen)",
        re.IGNORECASE,
    ),
}


class ModelError(Exception):
    """The intent model cannot be used; the message names the file and the fix."""


def urgent_intent(text: str) -> str | None:
    """An urgent intent named outright in the text, whatever the model says."""
    for intent, pattern in _URGENT_PATTERNS.items():
        if pattern.search(text[:2000]):
            return intent
    return None


def ngram_batch(texts: list[str]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Padded n-gram ids and weights for a batch (padding: id 0 with weight 0)."""
    feats = [ngram_features(t) for t in texts]
    width = min(MAX_FEATURES, max(len(ids) for ids, _ in feats))
    ids = np.zeros((len(texts), width), dtype=np.int64)
    weights = np.zeros((len(texts), width), dtype=np.float32)
    for row, (i, w) in enumerate(feats):
        ids[row, : len(i)] = i
        weights[row, : len(w)] = w
    return ids, weights


@dataclass(frozen=True)
class Policy:
    """How probabilities become a decision."""

    threshold: float
    """Below this top probability the request is out of scope."""
    clarify_margin: float = 0.15
    """Top two within this margin (and both in scope): ask which one."""


def decide(
    text: str, labels: list[str], probs: npt.NDArray[np.float32], policy: Policy
) -> IntentResult:
    """Turn one row of probabilities into a result (urgent intents win ties)."""
    order = np.argsort(-probs)
    ranked = [(labels[i], float(probs[i])) for i in order if labels[i] != OUT_OF_SCOPE]
    alternatives = tuple(Alternative(intent, conf) for intent, conf in ranked[:3])
    forced = urgent_intent(text)
    if forced is not None and forced in labels:
        confidence = max(float(probs[labels.index(forced)]), policy.threshold)
        return IntentResult(text, forced, confidence, alternatives, Decision.CONFIDENT)
    top_label, top = labels[order[0]], float(probs[order[0]])
    if top_label == OUT_OF_SCOPE or top < policy.threshold:
        return IntentResult(
            text,
            OUT_OF_SCOPE,
            1.0 - top if top_label != OUT_OF_SCOPE else top,
            alternatives,
            Decision.OUT_OF_SCOPE,
        )
    (first, p1), (second, p2) = ranked[0], ranked[1]
    if p1 - p2 < policy.clarify_margin and p2 >= policy.threshold / 2:
        # a close call involving an urgent journey goes straight to its triage,
        # if the urgent reading is itself credible
        if first in URGENT_INTENTS:
            return IntentResult(text, first, p1, alternatives, Decision.CONFIDENT)
        if second in URGENT_INTENTS and p2 >= policy.threshold:
            return IntentResult(text, second, p2, alternatives, Decision.CONFIDENT)
        return IntentResult(text, first, p1, alternatives, Decision.CLARIFY)
    return IntentResult(text, first, p1, alternatives, Decision.CONFIDENT)


class OnnxIntentClassifier:
    """The real classifier: loads a built model folder once, then classifies quickly."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        from kiosk.nlu.encoder import Encoder, make_session

        manifest = read_manifest(folder)
        verify_files(folder, manifest)
        try:
            self.encoder = Encoder(folder / "encoder.onnx", folder / "vocab.npz", threads)
            self.heads = make_session(folder / "heads.onnx", threads)
        except Exception as exc:  # onnxruntime raises its own types for a bad file
            raise ModelError(
                f"the intent model in {folder} cannot be loaded ({exc}); run `{REBUILD}`"
            ) from exc
        self.labels: list[str] = list(manifest["labels"])
        self.policy = Policy(float(manifest["threshold"]), float(manifest["clarify_margin"]))
        self.manifest = manifest

    def probabilities(self, texts: list[str]) -> npt.NDArray[np.float32]:
        features = self.encoder.embed(texts)
        ids, weights = ngram_batch(texts)
        (probs,) = self.heads.run(
            ["probabilities"], {"features": features, "ngram_ids": ids, "ngram_weights": weights}
        )
        return np.asarray(probs, dtype=np.float32)

    def classify(self, text: str, lang: str) -> IntentResult:
        clean = text.strip()
        if not clean:
            return IntentResult(text, OUT_OF_SCOPE, 1.0, (), Decision.OUT_OF_SCOPE)
        return decide(text, self.labels, self.probabilities([clean])[0], self.policy)

    def classify_many(self, texts: list[str]) -> list[IntentResult]:
        results: list[IntentResult] = [
            IntentResult(t, OUT_OF_SCOPE, 1.0, (), Decision.OUT_OF_SCOPE) for t in texts
        ]
        live = [i for i, t in enumerate(texts) if t.strip()]
        if live:
            probs = self.probabilities([texts[i].strip() for i in live])
            for row, index in enumerate(live):
                results[index] = decide(texts[index], self.labels, probs[row], self.policy)
        return results


def read_manifest(folder: Path) -> dict:  # type: ignore[type-arg]
    path = folder / "manifest.json"
    if not path.is_file():
        raise ModelError(f"{path} is missing: no intent model has been built; run `{REBUILD}`")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["labels"], manifest["threshold"], manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(f"{path} is damaged ({exc}); run `{REBUILD}`") from exc
    return manifest  # type: ignore[no-any-return]


def verify_files(folder: Path, manifest: dict) -> None:  # type: ignore[type-arg]
    """Every model file exists and matches its recorded size and sha256."""
    from kiosk.nlu.e5_file import file_sha256

    for name in MODEL_FILES:
        path = folder / name
        expected = manifest["files"].get(name)
        if not path.is_file():
            raise ModelError(f"{path} is missing; run `{REBUILD}`")
        if expected is None:
            raise ModelError(f"{folder / 'manifest.json'} does not list {name}; run `{REBUILD}`")
        if path.stat().st_size != expected["bytes"] or file_sha256(path) != expected["sha256"]:
            raise ModelError(f"{path} is corrupt (its checksum does not match); run `{REBUILD}`")
