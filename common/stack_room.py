"""Room on CPython's frame stack for each request (config/wsgi.py) and each test
(tests/conftest.py).

CPython (3.11 to 3.13) keeps Python frames in 16 KiB chunks of memory: a call that crosses
a chunk's end maps a new one, and its return unmaps it at once. A request through the
middleware, views and templates is deep enough to cross one some 200 times, each time two
system calls and fresh pages: a tenth of the processor time of a test that makes requests
(over the IDOR sweeps, 20 s of system time in 122 s of processor time, 1 s with the room).
A frame asking for half a MiB of value stack (a larger stack size than its code needs)
makes CPython open a chunk of 1 MiB, and every frame of the request (or of the test, its
fixtures included) then fits in that one chunk, kept until the call returns. What runs is
unchanged; a Python that keeps its frames otherwise only reserves the unused slots.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

Result = TypeVar("Result")

# Slots of the value stack, 8 bytes each: some 0.5 MiB.
ROOM_IN_SLOTS = 66_000


def with_room_on_the_stack(function: Callable[..., Result]) -> Callable[..., Result]:
    """function, called from a frame that opens a 1 MiB chunk of the frame stack."""

    def run(*args: Any, **kwargs: Any) -> Result:
        return function(*args, **kwargs)

    run.__code__ = run.__code__.replace(co_stacksize=run.__code__.co_stacksize + ROOM_IN_SLOTS)
    return functools.wraps(function)(run)
