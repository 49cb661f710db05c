"""Running the network's coroutines: each in a fresh event loop, with the cycle collector on."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["run_collecting"]

T = TypeVar("T")


def run_collecting(main: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(main)`` with the cycle collector running, then as it was.

    The offline phases pause the collector (their trees have no cycles, and a document the size
    of awesome-go costs ~20 ms per full collection); asyncio and aiohttp make cycles (futures,
    callbacks, connections), so only the network runs with it.
    """
    paused = not gc.isenabled()
    gc.enable()
    try:
        return asyncio.run(main)
    finally:
        if paused:
            gc.disable()
