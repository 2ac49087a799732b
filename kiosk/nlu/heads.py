"""The trained parts of the classifier: two linear heads and their ensemble.

- an embedding head: softmax regression on the e5 sentence embedding;
- an n-gram head: softmax regression on hashed character and word n-grams,
  which catches misspellings, local words and exact phrases the encoder blurs.

Their probabilities are averaged (weight ``alpha`` on the embedding head);
the top probability against ``threshold`` decides out-of-scope. Training is
plain numpy (full-batch Adam for the dense head, lazy mini-batch Adam for the
sparse one), deterministic for a given seed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
I64 = npt.NDArray[np.int64]

NGRAM_BUCKETS = 1 << 17
MAX_FEATURES = 512
"""Per text; keeps huge inputs cheap (features of the first characters only)."""
_WORD = re.compile(r"\w+", re.UNICODE)


def _fold(text: str) -> str:
    """Lower case without accents, so 'tŷ' and 'ty', 'Café' and 'cafe' share n-grams."""
    decomposed = unicodedata.normalize("NFKD", text[:1000].lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def ngram_features(text: str) -> tuple[I64, F32]:
    """Hashed n-gram ids and weights (log counts, L2-normalised). Never empty."""
    words = _WORD.findall(_fold(text))
    grams: dict[int, float] = {}

    def add(gram: str) -> None:
        key = zlib.crc32(gram.encode("utf-8")) % (NGRAM_BUCKETS - 1) + 1
        grams[key] = grams.get(key, 0.0) + 1.0

    for word in words:
        add("w:" + word)
        padded = f"<{word}>"
        for size in (2, 3, 4, 5):
            for start in range(max(1, len(padded) - size + 1)):
                add(padded[start : start + size])
    for first, second in itertools.pairwise(words):
        add(f"b:{first} {second}")
    if not grams:
        grams[0] = 1.0  # bucket 0: "nothing recognisable"
    items = list(grams.items())[:MAX_FEATURES]
    ids = np.array([k for k, _ in items], dtype=np.int64)
    weights = np.log1p(np.array([v for _, v in items], dtype=np.float32))
    weights /= float(np.linalg.norm(weights)) or 1.0
    return ids, weights


def _softmax(logits: F32) -> F32:
    shifted: F32 = (logits - logits.max(axis=1, keepdims=True)).astype(np.float32)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


@dataclass
class _Adam:
    lr: float
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self) -> None:
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.t: dict[str, np.ndarray | int] = {}

    def step(self, name: str, param: np.ndarray, grad: np.ndarray, rows: I64 | None = None) -> None:
        if name not in self.m:
            self.m[name] = np.zeros_like(param)
            self.v[name] = np.zeros_like(param)
            self.t[name] = np.zeros(param.shape[0], dtype=np.int64) if rows is not None else 0
        m, v = self.m[name], self.v[name]
        if rows is None:
            step = int(self.t[name]) + 1
            self.t[name] = step
            t = step
            m *= self.beta1
            m += (1 - self.beta1) * grad
            v *= self.beta2
            v += (1 - self.beta2) * grad * grad
            param -= (
                self.lr * (m / (1 - self.beta1**t)) / (np.sqrt(v / (1 - self.beta2**t)) + self.eps)
            )
            return
        counts = self.t[name]
        assert isinstance(counts, np.ndarray)
        counts[rows] += 1
        steps = counts[rows][:, None].astype(np.float32)
        m[rows] = self.beta1 * m[rows] + (1 - self.beta1) * grad
        v[rows] = self.beta2 * v[rows] + (1 - self.beta2) * grad * grad
        m_hat = m[rows] / (1 - self.beta1**steps)
        v_hat = v[rows] / (1 - self.beta2**steps)
        param[rows] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def train_dense(
    x: F32,
    y: I64,
    classes: int,
    *,
    l2: float = 1e-4,
    steps: int = 400,
    lr: float = 0.05,
    scale: float = 20.0,
    seed: int = 0,
) -> tuple[F32, F32]:
    """Softmax regression on (scaled) embeddings; returns weights [D, C] and bias [C]."""
    rng = np.random.default_rng(seed)
    weights = (rng.standard_normal((x.shape[1], classes)) * 0.01).astype(np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    xs = (x * scale).astype(np.float32)
    onehot = np.eye(classes, dtype=np.float32)[y]
    adam = _Adam(lr)
    for _ in range(steps):
        probs = _softmax(xs @ weights + bias)
        grad = (probs - onehot) / len(x)
        adam.step("w", weights, xs.T @ grad + l2 * weights)
        adam.step("b", bias, grad.sum(axis=0))
    return weights * scale, bias


def _sparse_logits(weights: F32, bias: F32, feats: list[tuple[I64, F32]]) -> F32:
    logits = np.empty((len(feats), weights.shape[1]), dtype=np.float32)
    for row, (ids, vals) in enumerate(feats):
        logits[row] = vals @ weights[ids]
    return logits + bias


def train_sparse(
    feats: list[tuple[I64, F32]],
    y: I64,
    classes: int,
    *,
    epochs: int = 12,
    batch: int = 64,
    lr: float = 0.02,
    l2: float = 1e-6,
    seed: int = 0,
) -> tuple[F32, F32]:
    """Softmax regression on hashed n-grams (lazy Adam: only touched rows move)."""
    rng = np.random.default_rng(seed)
    weights = np.zeros((NGRAM_BUCKETS, classes), dtype=np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    onehot = np.eye(classes, dtype=np.float32)[y]
    adam = _Adam(lr)
    order = np.arange(len(feats))
    for _ in range(epochs):
        rng.shuffle(order)
        for start in range(0, len(order), batch):
            chosen = order[start : start + batch]
            chunk = [feats[i] for i in chosen]
            grad_out = (_softmax(_sparse_logits(weights, bias, chunk)) - onehot[chosen]) / len(
                chosen
            )
            all_ids = np.concatenate([ids for ids, _ in chunk])
            contrib = np.concatenate(
                [vals[:, None] * grad_out[r] for r, (_, vals) in enumerate(chunk)]
            )
            rows, inverse = np.unique(all_ids, return_inverse=True)
            grad = np.zeros((len(rows), classes), dtype=np.float32)
            np.add.at(grad, inverse, contrib)
            grad += l2 * weights[rows]
            adam.step("w", weights, grad, rows)
            adam.step("b", bias, grad_out.sum(axis=0))
    return weights, bias


@dataclass
class Heads:
    """Both heads and the ensemble's settings."""

    labels: list[str]
    dense_w: F32
    dense_b: F32
    sparse_w: F32
    sparse_b: F32
    alpha: float = 0.5
    threshold: float = 0.5

    def probabilities(self, embeddings: F32, feats: list[tuple[I64, F32]]) -> F32:
        dense = _softmax(embeddings @ self.dense_w + self.dense_b)
        sparse = _softmax(_sparse_logits(self.sparse_w, self.sparse_b, feats))
        mixed: F32 = self.alpha * dense + (1 - self.alpha) * sparse
        return mixed
