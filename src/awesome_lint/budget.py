"""A time budget for the work on one file, so that pathological Markdown cannot hang a run.

mistune is quadratic on some inputs (``"*a " * n + "b" + " a*" * n``: 48 KB take ~12 s), and a
rule with a backtracking regex could be worse. :func:`time_budget` interrupts the work with
SIGALRM (``setitimer``) and turns it into a :class:`~awesome_lint.source.SourceError` naming the
file, which the runner reports like any other file that could not be checked.

The budget is a constant, :data:`BUDGET` seconds (about 100 times what awesome-go's 0.4 MB README
takes to parse and check); it is not an option, since no real list comes near it. It applies
only on POSIX and in the main thread (where Python delivers signals); elsewhere there is none.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from awesome_lint.source import SourceError

#: Seconds for parsing and checking one file (and again for fixing it, with --fix).
BUDGET = 5.0


class _Expired(BaseException):
    """Raised by the SIGALRM handler. A BaseException, so that no ``except Exception`` on the
    way (a rule, the engine's crash guard) takes it for an ordinary error."""


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Expired


def _can_interrupt() -> bool:
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) is not None)  # None: a handler set outside Python


@contextmanager
def time_budget(path: str, seconds: float | None = None) -> Iterator[None]:
    """Run the body within ``seconds`` (default :data:`BUDGET`), or raise a one-line
    :class:`SourceError` for ``path``. The previous SIGALRM handler and timer are restored."""
    seconds = BUDGET if seconds is None else seconds
    if seconds <= 0 or not _can_interrupt():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    except _Expired:
        raise SourceError(path, f"took longer than {seconds:g} s to parse and check; not "
                                "checked (pathological Markdown?)") from None
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _Expired:  # it went off just as the body ended: the work is done anyway
            signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay > 0:  # someone else's timer: give it back what is left of it
            left = max(old_delay - (time.monotonic() - started), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)
