"""``kiosk nlu bench-clinc``: the kiosk's intent pipeline on the CLINC150 benchmark.

The same pipeline as the kiosk model (4-bit e5 encoder, embedding head and
n-gram head averaged, threshold for out-of-scope), trained on ``train`` +
``oos_train`` with ``out_of_scope`` as a class. The ensemble weight and the
threshold are chosen on ``val`` + ``oos_val`` only; ``test`` + ``oos_test`` are
read once, for the reported figures. Speed and memory are measured in a fresh
process that loads the built model the way the kiosk does and classifies the
test queries one at a time on one thread.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.nlu.types import OUT_OF_SCOPE

PAPER = {
    "BERT (paper, oos-threshold)": (96.2, 52.3),
    "BERT (paper, oos-train)": (96.9, 40.3),
    "MLP on USE (paper)": (93.4, 49.1),
    "Rasa (paper)": (90.9, 31.2),
    "FastText (paper)": (88.6, 28.3),
}
GOALS = {"in_scope": 96.2, "oos_recall": 60.0, "p50_ms": 10.0, "load_s": 1.5, "rss_mb": 300.0}


def _load(path: Path) -> dict[str, list[tuple[str, str]]]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {
            k: [(str(t), OUT_OF_SCOPE if i == "oos" else str(i)) for t, i in v]
            for k, v in raw.items()
        }
    except (OSError, ValueError, TypeError) as exc:
        raise SystemExit(f"kiosk: {path} is not CLINC150 data_full.json ({exc})") from exc


def _scores(probs: np.ndarray, y: np.ndarray, oos: int, threshold: float) -> tuple[float, float]:
    top = probs.argmax(axis=1)
    rejected = (probs.max(axis=1) < threshold) | (top == oos)
    predicted = np.where(rejected, oos, top)
    in_scope = y != oos
    accuracy = float((predicted[in_scope] == y[in_scope]).mean())
    recall = float((predicted[~in_scope] == oos).mean())
    return accuracy, recall


def run_clinc_bench(data_path: Path, models_dir: Path, *, as_json: bool = False) -> int:
    from kiosk.nlu.build import _stamp, build_encoder_files, build_heads_model
    from kiosk.nlu.classifier import MODEL_FILES
    from kiosk.nlu.encoder import Encoder
    from kiosk.nlu.heads import (
        Heads,
        _softmax,
        _sparse_logits,
        ngram_features,
        train_dense,
        train_sparse,
    )

    say = (lambda line: print(line, file=sys.stderr, flush=True)) if as_json else print
    data = _load(data_path)
    encoder_dir = models_dir / "nlu"
    if not (encoder_dir / "encoder.onnx").is_file():
        build_encoder_files(encoder_dir, say)
    encoder = Encoder(encoder_dir / "encoder.onnx", encoder_dir / "vocab.npz", threads=2)
    labels = sorted({i for _, i in data["train"]} | {OUT_OF_SCOPE})
    oos = labels.index(OUT_OF_SCOPE)

    def split(*names: str) -> tuple[np.ndarray, list[Any], np.ndarray, list[str]]:
        rows = [row for name in names for row in data[name]]
        texts = [t for t, _ in rows]
        say(f"embedding {len(texts)} utterances ({' + '.join(names)})")
        return (
            encoder.embed(texts),
            [ngram_features(t) for t in texts],
            np.array([labels.index(i) for _, i in rows]),
            texts,
        )

    x_tr, f_tr, y_tr, _ = split("train", "oos_train")
    x_va, f_va, y_va, _ = split("val", "oos_val")
    x_te, f_te, y_te, texts_te = split("test", "oos_test")
    say("training the heads on train + oos_train")
    started = time.monotonic()
    dw, db = train_dense(x_tr, y_tr, len(labels), l2=3e-4)
    sw, sb = train_sparse(f_tr, y_tr, len(labels))
    train_s = time.monotonic() - started

    def mix(x: np.ndarray, f: list[Any], alpha: float) -> np.ndarray:
        return alpha * _softmax(x @ dw + db) + (1 - alpha) * _softmax(_sparse_logits(sw, sb, f))

    best = (-1.0, 0.5, 0.5)
    for alpha in (0.5, 0.6, 0.7, 0.85, 1.0):
        probs = mix(x_va, f_va, alpha)
        for threshold in np.arange(0.05, 0.9, 0.01):
            accuracy, recall = _scores(probs, y_va, oos, float(threshold))
            score = (accuracy * (y_va != oos).sum() + recall * (y_va == oos).sum()) / len(y_va)
            if score > best[0]:
                best = (score, alpha, float(threshold))
    _, alpha, threshold = best
    accuracy, recall = _scores(mix(x_te, f_te, alpha), y_te, oos, threshold)

    with tempfile.TemporaryDirectory(prefix="clinc-model-") as temp:
        folder = Path(temp)
        for name in ("encoder.onnx", "vocab.npz"):
            shutil.copyfile(encoder_dir / name, folder / name)
        heads = Heads(labels, dw, db, sw, sb, alpha, threshold)
        from kiosk.nlu.export import save_model

        save_model(build_heads_model(heads, x_tr.shape[1]), folder / "heads.onnx")
        manifest = {
            "labels": labels,
            "threshold": threshold,
            "clarify_margin": 0.0,
            "alpha": alpha,
            "files": {n: _stamp(folder, n) for n in MODEL_FILES},
        }
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        queries = folder / "queries.txt"
        queries.write_text("\n".join(t.replace("\n", " ") for t in texts_te), encoding="utf-8")
        say("measuring load time, latency and memory in a fresh process (one thread)")
        measured = subprocess.run(
            [sys.executable, "-m", "kiosk.nlu.speed", str(folder), str(queries)],
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if measured.returncode != 0:
            raise RuntimeError(f"the speed measurement failed:\n{measured.stderr}")
        speed = json.loads(measured.stdout)

    report = {
        "in_scope_accuracy": round(accuracy * 100, 2),
        "out_of_scope_recall": round(recall * 100, 2),
        "alpha": alpha,
        "threshold": round(threshold, 2),
        "train_seconds": round(train_s, 1),
        **speed,
        "paper": {
            k: {"in_scope_accuracy": a, "out_of_scope_recall": r} for k, (a, r) in PAPER.items()
        },
        "goals": GOALS,
    }
    if as_json:
        print(json.dumps(report))
        return 0
    print("\nCLINC150 Full, test + oos_test (threshold and weights chosen on val only)\n")
    print(f"{'':34} {'in-scope acc':>12} {'oos recall':>11}")
    print(f"{'Civic Kiosk (e5-q4 + n-grams)':34} {accuracy * 100:11.1f}% {recall * 100:10.1f}%")
    for name, (a, r) in PAPER.items():
        print(f"{name:34} {a:11.1f}% {r:10.1f}%")
    print(
        f"\nlatency per query (1 thread): p50 {speed['p50_ms']:.1f} ms, "
        f"p99 {speed['p99_ms']:.1f} ms; model load {speed['load_s']:.2f} s; "
        f"peak RSS {speed['rss_mb']:.0f} MB"
    )
    checks = [
        ("in-scope accuracy", accuracy * 100 >= GOALS["in_scope"], f">= {GOALS['in_scope']}%"),
        ("out-of-scope recall", recall * 100 >= GOALS["oos_recall"], f">= {GOALS['oos_recall']}%"),
        ("p50 latency", speed["p50_ms"] <= GOALS["p50_ms"], f"<= {GOALS['p50_ms']} ms"),
        ("load time", speed["load_s"] <= GOALS["load_s"], f"<= {GOALS['load_s']} s"),
        ("peak RSS", speed["rss_mb"] <= GOALS["rss_mb"], f"<= {GOALS['rss_mb']:.0f} MB"),
    ]
    for name, ok, goal in checks:
        print(f"  {'meets ' if ok else 'MISSES'} goal {name} {goal}")
    return 0


def measure_speed(folder: Path, queries: Path) -> dict[str, float]:
    """Load the model and classify each query alone (called in a fresh process)."""
    from kiosk.nlu.classifier import OnnxIntentClassifier

    started = time.perf_counter()
    classifier = OnnxIntentClassifier(folder, threads=1)
    load_s = time.perf_counter() - started
    texts = queries.read_text(encoding="utf-8").splitlines()
    times = []
    for text in texts:
        t0 = time.perf_counter()
        classifier.classify(text, "en")
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {
        "queries": len(texts),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(float(np.percentile(times, 99)), 2),
        "load_s": round(load_s, 3),
        "rss_mb": round(peak_rss_mb(), 1),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, because ru_maxrss survives exec on
    Linux and would report the (much larger) parent that spawned this process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
