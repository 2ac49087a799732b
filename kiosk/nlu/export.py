"""Turn the 4-bit e5 weights into an ONNX encoder graph, with onnx and numpy only.

The graph takes token ids [batch, tokens] (all rows the same length: the
caller batches texts of equal length, so no padding mask is needed) and
returns L2-normalised mean-pooled sentence embeddings [batch, 384].

The weights stay 4-bit: the big matrices use onnxruntime's ``MatMulNBits``
(block size 32, zero point 8, the same Q4_0 scheme, repacked to its nibble
order) and the word-embedding table is gathered as packed bytes and unpacked
in the graph, so the model file is about the size of the original (~72 MB).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from kiosk.nlu.e5_file import QK, E5Weights, Q4Matrix

OPSET = 18
MS_DOMAIN = "com.microsoft"


def _repack_for_matmulnbits(matrix: Q4Matrix) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 (byte j = w[j] | w[j+16] << 4) -> MatMulNBits (byte i = w[2i] | w[2i+1] << 4)."""
    codes = matrix.nibbles()  # [rows, cols] 0..15
    rows, cols = codes.shape
    pairs = codes.reshape(rows, cols // QK, QK // 2, 2)
    packed = (pairs[..., 0] | (pairs[..., 1] << 4)).astype(np.uint8)
    scales = matrix.scales.astype(np.float32).reshape(-1)
    return packed, scales


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, hint: str, value: np.ndarray) -> str:
        name = self.name(hint)
        self.inits.append(numpy_helper.from_array(value, name))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str, domain: str = "", **attrs: Any) -> str:
        out = self.name(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], domain=domain, **attrs))
        return out

    def linear(self, x: str, matrix: Q4Matrix, bias: np.ndarray, hint: str) -> str:
        packed, scales = _repack_for_matmulnbits(matrix)
        n, k = matrix.shape
        y = self.op(
            "MatMulNBits",
            [x, self.const(f"{hint}_w", packed), self.const(f"{hint}_s", scales)],
            hint,
            domain=MS_DOMAIN,
            K=k,
            N=n,
            bits=4,
            block_size=QK,
        )
        return self.op("Add", [y, self.const(f"{hint}_b", bias.astype(np.float32))], hint + "_add")

    def layer_norm(
        self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float, hint: str
    ) -> str:
        return self.op(
            "LayerNormalization",
            [x, self.const(hint + "_g", weight.astype(np.float32)), self.const(hint + "_b", bias)],
            hint,
            axis=-1,
            epsilon=eps,
        )


FEATURE_LAYERS = 4
"""How many of the last layers' mean-pooled states make up the ``features`` output."""


def build_encoder(weights: E5Weights) -> onnx.ModelProto:
    """The encoder as an ONNX model.

    Outputs ``embedding`` (the model's normalised sentence embedding) and
    ``features``: the normalised mean-pooled states of the last
    ``FEATURE_LAYERS`` layers side by side, which a linear head separates
    better than the last layer alone.
    """
    g = _Graph()
    hidden, heads = weights.hidden, weights.heads
    head_dim = hidden // heads
    f32 = weights.f32

    ids = "input_ids"
    word = weights.q4["emb.word"]
    table = g.const("word_packed", word.packed)  # [V, blocks, 16]
    table_scales = g.const("word_scales", word.scales.astype(np.float32)[..., None])
    packed = g.op("Gather", [table, ids], "word_rows")  # [B, T, blocks, 16]
    low = g.op("BitwiseAnd", [packed, g.const("mask", np.array(15, dtype=np.uint8))], "low")
    high = g.op(
        "BitShift",
        [packed, g.const("four", np.array(4, dtype=np.uint8))],
        "high",
        direction="RIGHT",
    )
    codes = g.op("Concat", [low, high], "codes", axis=-1)  # [B, T, blocks, 32]
    centred = g.op(
        "Sub",
        [
            g.op("Cast", [codes], "codes_f", to=TensorProto.FLOAT),
            g.const("eight", np.array(8.0, dtype=np.float32)),
        ],
        "centred",
    )
    scaled = g.op("Mul", [centred, g.op("Gather", [table_scales, ids], "word_s")], "scaled")
    shape_bth = g.op(
        "Concat",
        [g.op("Shape", [ids], "ids_shape"), g.const("h", np.array([hidden], dtype=np.int64))],
        "bth",
        axis=0,
    )
    x = g.op("Reshape", [scaled, shape_bth], "word_emb")

    seq_len = g.op(
        "Gather", [g.op("Shape", [ids], "shape2"), g.const("one", np.array(1))], "seq_len"
    )
    positions = g.op(
        "Range",
        [
            g.const("zero", np.array(0, dtype=np.int64)),
            seq_len,
            g.const("step", np.array(1, dtype=np.int64)),
        ],
        "positions",
    )
    pos = g.op("Gather", [g.const("pos_table", f32["emb.pos"]), positions], "pos_emb")
    x = g.op("Add", [x, pos], "add_pos")
    x = g.op("Add", [x, g.const("type0", f32["emb.type"][0].astype(np.float32))], "add_type")
    x = g.layer_norm(x, f32["emb.ln.w"], f32["emb.ln.b"], weights.eps, "emb_ln")

    split_heads = g.const("split", np.array([0, 0, heads, head_dim], dtype=np.int64))
    merge_heads = g.const("merge", np.array([0, 0, hidden], dtype=np.int64))
    scale = g.const("scale", np.array(1.0 / math.sqrt(head_dim), dtype=np.float32))
    half = g.const("half", np.array(0.5, dtype=np.float32))
    one = g.const("onef", np.array(1.0, dtype=np.float32))
    rsqrt2 = g.const("rsqrt2", np.array(1.0 / math.sqrt(2.0), dtype=np.float32))
    layer_outputs: list[str] = []
    for layer in range(weights.layers):
        p = f"l{layer}."

        def proj(part: str, inp: str, p: str = p) -> str:
            return g.linear(inp, weights.q4[p + part + ".w"], f32[p + part + ".b"], p + part)

        def heads_first(t: str, p: str = p) -> str:
            return g.op(
                "Transpose",
                [g.op("Reshape", [t, split_heads], p + "split")],
                p + "tr",
                perm=[0, 2, 1, 3],
            )

        q = heads_first(proj("q", x))
        k = heads_first(proj("k", x))
        v = heads_first(proj("v", x))
        kt = g.op("Transpose", [k], p + "kt", perm=[0, 1, 3, 2])
        scores = g.op("Mul", [g.op("MatMul", [q, kt], p + "qk"), scale], p + "scores")
        probs = g.op("Softmax", [scores], p + "probs", axis=-1)
        ctx = g.op("MatMul", [probs, v], p + "ctx")
        ctx = g.op(
            "Reshape",
            [g.op("Transpose", [ctx], p + "ctx_t", perm=[0, 2, 1, 3]), merge_heads],
            p + "ctx_m",
        )
        attn = proj("ao", ctx)
        x = g.layer_norm(
            g.op("Add", [x, attn], p + "res1"),
            f32[p + "aln.w"],
            f32[p + "aln.b"],
            weights.eps,
            p + "aln",
        )
        mid = proj("fi", x)
        erf = g.op("Erf", [g.op("Mul", [mid, rsqrt2], p + "erf_in")], p + "erf")
        gelu = g.op(
            "Mul",
            [g.op("Mul", [mid, half], p + "half"), g.op("Add", [erf, one], p + "erf1")],
            p + "gelu",
        )
        out = proj("fo", gelu)
        x = g.layer_norm(
            g.op("Add", [x, out], p + "res2"),
            f32[p + "oln.w"],
            f32[p + "oln.b"],
            weights.eps,
            p + "oln",
        )
        if layer >= weights.layers - FEATURE_LAYERS:
            layer_outputs.append(x)

    axis1 = g.const("axis1", np.array([1], dtype=np.int64))
    axis_last = g.const("axis_last", np.array([-1], dtype=np.int64))
    tiny = g.const("tiny", np.array(1e-12, dtype=np.float32))

    def pooled_unit(state: str, hint: str) -> str:
        pooled = g.op("ReduceMean", [state, axis1], hint + "_pool", keepdims=0)
        norm = g.op("ReduceL2", [pooled, axis_last], hint + "_norm", keepdims=1)
        return g.op("Div", [pooled, g.op("Max", [norm, tiny], hint + "_safe")], hint)

    g.nodes.append(helper.make_node("Identity", [pooled_unit(x, "final")], ["embedding"]))
    units = [pooled_unit(state, f"layer{i}") for i, state in enumerate(layer_outputs)]
    g.nodes.append(helper.make_node("Concat", units, ["features"], axis=-1))

    graph = helper.make_graph(
        g.nodes,
        "multilingual_e5_small_q4",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])],
        [
            helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden]),
            helper.make_tensor_value_info(
                "features", TensorProto.FLOAT, ["batch", hidden * FEATURE_LAYERS]
            ),
        ],
        g.inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(MS_DOMAIN, 1)],
        producer_name="civic-kiosk",
    )
    model.ir_version = 9
    return model


def save_model(model: onnx.ModelProto, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    onnx.save_model(model, str(temp))
    temp.replace(path)
