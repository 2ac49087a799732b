"""Sentence embeddings: the e5 tokenizer plus the ONNX encoder, run by onnxruntime."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kiosk.nlu.tokenizer import Tokenizer, load_vocabulary

QUERY_PREFIX = "query: "
"""multilingual-e5 expects this prefix on short queries."""
MAX_TOKENS = 128
"""A kiosk request fits easily; longer input is cut (keeps latency and memory bounded)."""


def make_session(path: Path, threads: int = 1):  # type: ignore[no-untyped-def]
    """An onnxruntime session on the CPU with a fixed number of threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class Encoder:
    """Texts -> L2-normalised 384-dimensional embeddings."""

    def __init__(self, model_path: Path, vocab_path: Path, threads: int = 1) -> None:
        self.tokenizer = Tokenizer(load_vocabulary(vocab_path))
        self.session = make_session(model_path, threads)

    def token_ids(self, text: str) -> list[int]:
        return self.tokenizer.encode(QUERY_PREFIX + text, MAX_TOKENS)

    def embed(
        self, texts: Sequence[str], batch_size: int = 64, output: str = "embedding"
    ) -> npt.NDArray[np.float32]:
        """One row per text, in input order: ``features`` (for the heads) or ``embedding``.

        Texts of equal token length share a batch, so no padding is needed.
        """
        width = self.session.get_outputs()[1 if output == "features" else 0].shape[1]
        out = np.zeros((len(texts), width), dtype=np.float32)
        by_length: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
        for index, text in enumerate(texts):
            ids = self.token_ids(text)
            by_length[len(ids)].append((index, ids))
        for group in by_length.values():
            for start in range(0, len(group), batch_size):
                chunk = group[start : start + batch_size]
                batch = np.array([ids for _, ids in chunk], dtype=np.int64)
                (vectors,) = self.session.run([output], {"input_ids": batch})
                out[[index for index, _ in chunk]] = vectors
        return out
