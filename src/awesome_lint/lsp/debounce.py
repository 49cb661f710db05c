"""Debouncing: a document is linted once its changes pause for ``delay`` seconds, never twice at
the same time, and a lint that outlasts the pause is followed by one more (not by one per
change made meanwhile): a huge file is linted at most once per interval."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class Debouncer:
    """Calls ``run(key)`` once the pokes of ``key`` pause for ``delay`` seconds."""

    def __init__(self, delay: float, run: Callable[[str], Awaitable[None]]) -> None:
        self.delay = delay
        self.run = run
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._again: set[str] = set()

    def poke(self, key: str) -> None:
        """``key`` changed: (re)start its pause."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._timers[key] = asyncio.get_running_loop().call_later(self.delay, self._fire, key)

    def forget(self, key: str) -> None:
        """``key`` is gone (closed): no run is due for it any more."""
        timer = self._timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self._again.discard(key)

    def _fire(self, key: str) -> None:
        self._timers.pop(key, None)
        if key in self._running:  # after the run under way, once more
            self._again.add(key)
            return
        self._running[key] = asyncio.get_running_loop().create_task(self._run(key))

    async def _run(self, key: str) -> None:
        try:
            await self.run(key)
        finally:
            del self._running[key]
            if key in self._again:
                self._again.discard(key)
                self.poke(key)

    async def idle(self) -> None:
        """Wait until no run is due or under way (the tests wait so)."""
        while self._timers or self._running:
            if self._running:
                await asyncio.gather(*self._running.values(), return_exceptions=True)
            else:
                await asyncio.sleep(self.delay)
