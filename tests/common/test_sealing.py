"""Sealed streams: what goes in comes out with the key, and nothing else opens or passes."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet

from common import sealing
from common.sealing import SealedReader, SealedWriter, SealingError, is_sealed

KEY = Fernet.generate_key().decode()


def _seal(data: bytes, *, key: str = KEY) -> bytes:
    raw = io.BytesIO()
    writer = SealedWriter(raw, key=key)
    writer.write(data)
    writer.close()
    return raw.getvalue()


def test_it_round_trips_a_stream_of_several_chunks(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK", 1000)
    data = bytes(range(256)) * 20  # 5,120 bytes: six chunks
    sealed = _seal(data)
    reader = SealedReader(io.BytesIO(sealed), key=KEY)
    assert reader.read(7) + reader.read() == data


def test_it_keeps_no_plaintext_in_the_sealed_bytes():
    sealed = _seal(b"Almat Zhumagulov, ward 4")
    assert b"Zhumagulov" not in sealed
    assert is_sealed(io.BytesIO(sealed))


def test_it_refuses_another_key():
    sealed = _seal(b"secret")
    with pytest.raises(SealingError, match="does not open with this key"):
        SealedReader(io.BytesIO(sealed), key=Fernet.generate_key().decode()).read()


def test_it_refuses_a_stream_cut_off_before_its_last_chunk(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK", 100)
    sealed = _seal(b"x" * 1000)
    first_two_chunks = io.BytesIO(sealed)
    reader = SealedReader(first_two_chunks, key=KEY)
    reader.read(150)
    cut = sealed[: first_two_chunks.tell()]
    with pytest.raises(SealingError, match="cut off"):
        SealedReader(io.BytesIO(cut), key=KEY).read()


def test_it_refuses_chunks_out_of_order(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK", 100)
    sealed = _seal(b"a" * 100 + b"b" * 100 + b"c" * 50)
    body = io.BytesIO(sealed[len(sealing.MAGIC) :])
    chunks = []
    while length := body.read(4):
        chunks.append(length + body.read(int.from_bytes(length, "big")))
    swapped = sealing.MAGIC + chunks[1] + chunks[0] + b"".join(chunks[2:])
    with pytest.raises(SealingError, match="out of order"):
        SealedReader(io.BytesIO(swapped), key=KEY).read()


def test_it_explains_a_key_that_is_not_a_fernet_key():
    with pytest.raises(SealingError, match="not a Fernet key"):
        SealedWriter(io.BytesIO(), key="hunter2")
