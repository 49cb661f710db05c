"""Bounds on the offline work for one file: CPU time scaled to its size, and memory.

mistune is quadratic on some inputs (``"*a " * n + "b" + " a*" * n``: 48 KB take ~12 s), and a
pull request chooses the input. :class:`Budget` runs a watchdog thread beside the work: it reads
the worker thread's own CPU clock (so a loaded machine, a profiler or a slow disk never trip it)
and the process's resident memory, and when either runs over, it raises :class:`BudgetExceeded`
in the worker (``PyThreadState_SetAsyncExc``: delivered between two bytecodes of the worker,
whichever thread it is — no signal, so it works inside the editor's server too). Code that runs
long in C without bytecodes (a backtracking ``re`` match) holds the interpreter lock and starves
the watchdog; it only notices signals. So in the main thread a CPU-time timer
(``ITIMER_VIRTUAL``, :data:`GRACE` seconds after the allowance) backs the watchdog up; elsewhere
only the watchdog runs (our own regexes are linear, tests hold them to it; a plugin's C loop in
a server thread cannot be cut short).

The allowance grows with the input (:func:`cpu_allowance`, :func:`memory_allowance`), so that an
ordinary large list always passes: awesome-go (0.4 MB) needs ~0.5 s of the 9 s it is allowed,
a 50,000-entry list (5.7 MB) ~10 s of 62 s. The network phase has a wall-clock deadline of its
own (``[links] deadline``).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

#: CPU seconds for one phase of one file (parse and check, or fix), plus a per-size allowance.
BASE_SECONDS = 5.0
SECONDS_PER_100_KB = 1.0
#: Memory above what the process used when the phase began: a base plus a multiple of the input.
#: An ordinary list needs ~43 bytes per byte of input (a 100,000-entry list of 6.6 MB: ~285 MB
#: above the start), so 40 lets every list under the 10 MB input limit through; 10 MB of blank
#: lines (~67 per byte) are still stopped.
BASE_MEMORY = 100 * 1024 * 1024
MEMORY_PER_INPUT_BYTE = 40
#: How often the watchdog looks (seconds of wall-clock time), and the CPU seconds after the
#: allowance at which the main thread's timer goes off if the watchdog could not act.
POLL_INTERVAL = 0.01
GRACE = 0.5
#: How often the watchdog raises again while the work goes on after the first time.
REFIRE_INTERVAL = 0.2


class BudgetExceeded(BaseException):
    """The work ran over its budget. A BaseException, so that no ``except Exception`` on the way
    (a rule, the engine's crash guard) takes it for an ordinary error."""

    def __init__(self, message: str = "over budget") -> None:
        super().__init__(message)
        self.message = message


def cpu_allowance(size: int) -> float:
    """CPU seconds for one phase of the work on an input of ``size`` bytes."""
    return BASE_SECONDS + SECONDS_PER_100_KB * size / 100_000


def memory_allowance(size: int) -> int:
    """Bytes of memory the work on an input of ``size`` bytes may add."""
    return BASE_MEMORY + MEMORY_PER_INPUT_BYTE * size


def _thread_cpu_clock(ident: int) -> Callable[[], float]:
    """A function reading the CPU time of thread ``ident`` (the whole process where the
    platform cannot read one thread's clock)."""
    try:
        clock = time.pthread_getcpuclockid(ident)
    except (AttributeError, OSError):
        return time.process_time
    return lambda: time.clock_gettime(clock)


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_memory() -> int | None:
    """The process's resident memory in bytes, or None where it cannot be read cheaply."""
    try:
        fd = os.open("/proc/self/statm", os.O_RDONLY)
        try:
            return int(os.read(fd, 128).split()[1]) * _PAGE
        finally:
            os.close(fd)
    except (OSError, ValueError, IndexError):
        return None


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Make thread ``ident`` raise ``exception`` at its next bytecode (None: cancel that)."""
    import ctypes  # only when a budget actually runs out

    set_async = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async(ctypes.c_ulong(ident), ctypes.py_object(exception) if exception else None)


def _can_use_timer() -> bool:
    """Whether the CPU-time timer can back the watchdog up: POSIX, the main thread, and no
    handler of SIGVTALRM set outside Python."""
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGVTALRM")
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGVTALRM) is not None
            and signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0))


class _Expired(BudgetExceeded):
    """Raised in the worker by the watchdog; turned into a BudgetExceeded with a message."""


class Budget:
    """``with Budget(size, what=...)``: the body runs within its CPU and memory allowance, or
    raises :class:`BudgetExceeded` with a one-line message (``what`` names the work)."""

    def __init__(self, size: int, *, what: str = "parse and check",
                 seconds: float | None = None, memory: int | None = None) -> None:
        self.seconds = cpu_allowance(size) if seconds is None else seconds
        self.memory = memory_allowance(size) if memory is None else memory
        self.what = what
        self.reason = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._active = False
        self._fired = False
        self._thread: threading.Thread | None = None
        self._previous: Any = None  # the main thread's SIGVTALRM handler while the timer is set

    def __enter__(self) -> Budget:
        if self.seconds <= 0:
            return self
        ident = threading.get_ident()
        clock = _thread_cpu_clock(ident)
        started = clock()
        memory_start = resident_memory()
        self._active = True

        def watch() -> None:
            interval = POLL_INTERVAL
            while not self._stop.wait(interval):
                # Once over, again and again while the work goes on: the exception may have
                # been swallowed (an ``except BaseException``, a destructor).
                reason = self.reason or self._over(clock() - started, memory_start)
                if reason:
                    self._fire(reason, ident)
                    interval = REFIRE_INTERVAL

        self._thread = threading.Thread(target=watch, name="awesome-lint-budget", daemon=True)
        self._thread.start()
        if _can_use_timer():
            def expire(signum: int, frame: FrameType | None) -> None:
                if self._active:
                    self.reason = f"took more than {self.seconds:g} s of CPU time to {self.what}"
                    self._fired = True
                    raise _Expired

            self._previous = signal.signal(signal.SIGVTALRM, expire)
            signal.setitimer(signal.ITIMER_VIRTUAL, self.seconds + GRACE, REFIRE_INTERVAL)
        return self

    def _over(self, cpu: float, memory_start: int | None) -> str:
        """Why the work is over budget, or "" while it is within."""
        if cpu > self.seconds:
            return f"took more than {self.seconds:g} s of CPU time to {self.what}"
        used = resident_memory() if memory_start is not None else None
        if used is not None and memory_start is not None and used - memory_start > self.memory:
            return f"needed more than {self.memory / 1e6:.0f} MB of memory to {self.what}"
        return ""

    def _fire(self, reason: str, ident: int) -> None:
        with self._lock:
            if self._active:
                self.reason = reason
                self._fired = True
                _raise_in(ident, _Expired)

    def _disarm(self) -> None:
        if self._previous is not None:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, self._previous)
            self._previous = None
        with self._lock:
            self._active = False
            if self._fired:  # fired, maybe not delivered yet: cancel it
                _raise_in(threading.get_ident(), None)
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        while True:
            try:
                self._disarm()
                break
            except _Expired:  # landed while disarming: it did run out
                kind = _Expired
        if kind is not None and issubclass(kind, _Expired):
            raise BudgetExceeded(f"{self.reason}; not checked (pathological Markdown?)") from None
