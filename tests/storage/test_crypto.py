"""Seal/open round trips, wrong associated data and bit flips (hypothesis), key wrapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.storage.crypto import (
    NONCE_BYTES,
    new_key,
    open_sealed,
    record_aad,
    seal,
    unwrap_key,
    wrap_key,
)
from kiosk.storage.errors import RecordQuarantined, StorageError

keys = st.binary(min_size=32, max_size=32)
row_ids = st.integers(min_value=1, max_value=2**62)
session_ids = st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
tables = st.sampled_from(["records", "sessions", "notes"])


@given(keys, st.binary(max_size=2048), st.binary(max_size=128))
def test_round_trip(key: bytes, plaintext: bytes, aad: bytes) -> None:
    nonce, ciphertext = seal(key, plaintext, aad)
    assert len(nonce) == NONCE_BYTES
    assert len(ciphertext) == len(plaintext) + 16
    assert open_sealed(key, nonce, ciphertext, aad) == plaintext


@given(keys, st.binary(max_size=256), tables, row_ids, session_ids, st.data())
def test_wrong_associated_data_fails(
    key: bytes,
    plaintext: bytes,
    table: str,
    row_id: int,
    session_id: str,
    data: st.DataObject,
) -> None:
    nonce, ciphertext = seal(key, plaintext, record_aad(table, row_id, session_id))
    other_table = data.draw(tables.filter(lambda t: t != table))
    other_row = data.draw(row_ids.filter(lambda r: r != row_id))
    other_session = data.draw(session_ids.filter(lambda s: s != session_id))
    for aad in (
        record_aad(other_table, row_id, session_id),
        record_aad(table, other_row, session_id),
        record_aad(table, row_id, other_session),
    ):
        with pytest.raises(RecordQuarantined):
            open_sealed(key, nonce, ciphertext, aad)


@given(keys, st.binary(max_size=256), st.data())
def test_bit_flip_anywhere_fails(key: bytes, plaintext: bytes, data: st.DataObject) -> None:
    aad = record_aad("records", 7, "ab" * 16)
    nonce, ciphertext = seal(key, plaintext, aad)
    record = bytearray(nonce + ciphertext)
    bit = data.draw(st.integers(min_value=0, max_value=len(record) * 8 - 1))
    record[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(RecordQuarantined):
        open_sealed(key, bytes(record[:NONCE_BYTES]), bytes(record[NONCE_BYTES:]), aad)


@given(keys, st.binary(min_size=1, max_size=256), st.data())
def test_truncated_ciphertext_fails(key: bytes, plaintext: bytes, data: st.DataObject) -> None:
    aad = record_aad("records", 1, "cd" * 16)
    nonce, ciphertext = seal(key, plaintext, aad)
    cut = data.draw(st.integers(min_value=0, max_value=len(ciphertext) - 1))
    with pytest.raises(RecordQuarantined):
        open_sealed(key, nonce, ciphertext[:cut], aad)


def test_wrong_key_and_bad_nonce_fail() -> None:
    key = new_key()
    nonce, ciphertext = seal(key, b"hello", b"aad")
    with pytest.raises(RecordQuarantined):
        open_sealed(new_key(), nonce, ciphertext, b"aad")
    with pytest.raises(RecordQuarantined, match="nonce"):
        open_sealed(key, nonce[:-1], ciphertext, b"aad")


def test_nonces_are_unique() -> None:
    key = new_key()
    nonces = {seal(key, b"x", b"")[0] for _ in range(2000)}
    assert len(nonces) == 2000


def test_aad_fields_cannot_run_together() -> None:
    assert record_aad("records", 1, "2a") != record_aad("records1", 2, "a")
    assert record_aad("records", 12, "3") != record_aad("records", 1, "23")


def test_new_key_is_random_256_bits() -> None:
    assert len(new_key()) == 32
    assert new_key() != new_key()


@given(keys, keys)
def test_wrap_round_trip(kek: bytes, data_key: bytes) -> None:
    wrapped = wrap_key(kek, data_key)
    assert wrapped != data_key
    assert unwrap_key(kek, wrapped) == data_key


def test_unwrap_with_other_kek_or_altered_fails() -> None:
    kek, data_key = new_key(), new_key()
    wrapped = wrap_key(kek, data_key)
    with pytest.raises(StorageError, match="unreadable by design"):
        unwrap_key(new_key(), wrapped)
    altered = bytes([wrapped[0] ^ 1]) + wrapped[1:]
    with pytest.raises(StorageError):
        unwrap_key(kek, altered)
    with pytest.raises(StorageError):
        unwrap_key(kek, wrapped[:-8])


@given(st.text(max_size=40), st.integers(min_value=0, max_value=2**62), st.text(max_size=40))
def test_the_per_session_aad_builder_matches_record_aad(table: str, row: int, session: str) -> None:
    from kiosk.storage.crypto import aad_for_session, record_aad

    assert aad_for_session(table, session)(row) == record_aad(table, row, session)
