"""Encrypting a stream too large to hold in memory, with a Fernet key from the environment.

Fernet seals whole messages, so the stream is cut into chunks of CHUNK bytes, each sealed
on its own and written as a 4-byte length and the token. Each chunk's plaintext starts
with its index and whether it is the last one, so chunks cannot be reordered, dropped or
cut off at the end without the reader noticing.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"ADVOCASE-SEALED-1\n"
CHUNK = 4 * 1024 * 1024
_HEADER = struct.Struct(">QB")  # chunk index, last-chunk flag
_LENGTH = struct.Struct(">I")


class SealingError(Exception):
    pass


def is_sealed(handle: BinaryIO) -> bool:
    """Whether the file starts as a sealed stream (the position is left at the start)."""
    start = handle.read(len(MAGIC))
    handle.seek(0)
    return start == MAGIC


def _fernet(key: str) -> Fernet:
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as error:
        raise SealingError(
            "The encryption key is not a Fernet key (32 url-safe base64-encoded bytes; "
            'make one with python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())").'
        ) from error


class SealedWriter:
    """A write-only file object that seals what is written to ``raw``."""

    def __init__(self, raw: BinaryIO, *, key: str) -> None:
        self._raw = raw
        self._fernet = _fernet(key)
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        raw.write(MAGIC)

    def write(self, data: bytes) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plaintext: bytes, *, last: bool) -> None:
        token = self._fernet.encrypt(_HEADER.pack(self._index, int(last)) + plaintext)
        self._raw.write(_LENGTH.pack(len(token)) + token)
        self._index += 1

    def flush(self) -> None:
        self._raw.flush()

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._raw.flush()
            self._closed = True


class SealedReader:
    """A read-only file object over a sealed stream; refuses a tampered or cut-off one."""

    def __init__(self, raw: BinaryIO, *, key: str) -> None:
        self._raw = raw
        self._fernet = _fernet(key)
        if raw.read(len(MAGIC)) != MAGIC:
            raise SealingError("Not a sealed Advocase stream.")
        self._buffer = bytearray()
        self._index = 0
        self._done = False

    def _next_chunk(self) -> None:
        length_bytes = self._raw.read(_LENGTH.size)
        if len(length_bytes) < _LENGTH.size:
            raise SealingError("The sealed stream is cut off before its last chunk.")
        (length,) = _LENGTH.unpack(length_bytes)
        token = self._raw.read(length)
        try:
            plaintext = self._fernet.decrypt(token)
        except InvalidToken as error:
            raise SealingError(
                "The sealed stream does not open with this key, or it was altered."
            ) from error
        index, last = _HEADER.unpack(plaintext[: _HEADER.size])
        if index != self._index:
            raise SealingError("The sealed stream's chunks are out of order.")
        self._index += 1
        self._buffer += plaintext[_HEADER.size :]
        self._done = bool(last)

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data
