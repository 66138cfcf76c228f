"""A JSON answer written in parts, so that it holds a chunk of its lists, not their items: the
adoption dry run (``app/adoption/answer.py``) and the publication diff
(``app/publications/diff_answer.py``). Each writes its keys in its model's order and the items of
each list a chunk at a time with orjson — compact, non-ASCII as UTF-8, strings the way pydantic
writes them — so that the bytes are those of the model answered whole."""

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

PIECE_BYTES = 64 * 1024  # the least a part of the answer holds (``joined``)


def items(chunks: Iterable[list[Any]]) -> Iterator[bytes]:
    """The elements of one JSON list, a chunk at a time (the brackets are the caller's)."""
    comma = b""
    for chunk in chunks:
        if chunk:
            yield comma + orjson.dumps(chunk)[1:-1]
            comma = b","


def key(name: str) -> bytes:
    """``,"name":`` — a key after the first."""
    return b"," + orjson.dumps(name) + b":"


def joined(pieces: Iterable[bytes], size: int = PIECE_BYTES) -> Iterator[bytes]:
    """The pieces joined into parts of at least ``size`` bytes (the last one excepted): the
    answer's gzip flushes every part, a few brackets are not worth one."""
    held: list[bytes] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(held)
            held, length = [], 0
    if held:
        yield b"".join(held)
