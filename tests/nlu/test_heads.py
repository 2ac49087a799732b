"""The trainable heads: features, training, and the ONNX graph matching numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
from hypothesis import given
from hypothesis import strategies as st

from kiosk.nlu.build import build_heads_model
from kiosk.nlu.classifier import ngram_batch
from kiosk.nlu.export import save_model
from kiosk.nlu.heads import NGRAM_BUCKETS, Heads, ngram_features, train_dense, train_sparse


def test_ngram_features_fold_accents_and_case() -> None:
    a_ids, a_w = ngram_features("Tŷ Bach")
    b_ids, _b_w = ngram_features("ty bach")
    assert sorted(a_ids.tolist()) == sorted(b_ids.tolist())
    assert abs(float(np.linalg.norm(a_w)) - 1.0) < 1e-5


@given(st.text(max_size=2000))
def test_ngram_features_are_never_empty_and_in_range(text: str) -> None:
    ids, weights = ngram_features(text)
    assert len(ids) == len(weights) >= 1
    assert ids.min() >= 0 and ids.max() < NGRAM_BUCKETS


def toy() -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((3, 16)).astype(np.float32)
    y = np.repeat(np.arange(3), 40)
    x = centres[y] + 0.1 * rng.standard_normal((120, 16)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    texts = [f"{['bins', 'council tax', 'library'][c]} please {i}" for i, c in enumerate(y)]
    return x, y, texts


def test_heads_learn_a_separable_problem() -> None:
    x, y, texts = toy()
    dw, db = train_dense(x, y, 3, steps=200)
    assert ((x @ dw + db).argmax(1) == y).mean() == 1.0
    feats = [ngram_features(t) for t in texts]
    sw, sb = train_sparse(feats, y, 3, epochs=5)
    logits = np.stack([w @ sw[i] for i, w in feats]) + sb
    assert (logits.argmax(1) == y).mean() == 1.0


def test_onnx_heads_match_numpy(tmp_path: Path) -> None:
    x, y, texts = toy()
    dw, db = train_dense(x, y, 3, steps=50)
    sw, sb = train_sparse([ngram_features(t) for t in texts], y, 3, epochs=2)
    heads = Heads(["a", "b", "c"], dw, db, sw, sb, alpha=0.7, threshold=0.4)
    save_model(build_heads_model(heads, 16), tmp_path / "heads.onnx")
    session = ort.InferenceSession(str(tmp_path / "heads.onnx"), providers=["CPUExecutionProvider"])
    ids, weights = ngram_batch(texts[:10])
    (onnx_probs,) = session.run(
        ["probabilities"], {"features": x[:10], "ngram_ids": ids, "ngram_weights": weights}
    )
    numpy_probs = heads.probabilities(x[:10], [ngram_features(t) for t in texts[:10]])
    assert np.allclose(onnx_probs, numpy_probs, atol=2e-3)  # sparse weights are fp16 in ONNX
    assert np.allclose(onnx_probs.sum(1), 1.0, atol=1e-4)
