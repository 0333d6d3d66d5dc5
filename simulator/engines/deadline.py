"""A total wall-clock deadline for one model call, retries and re-ask included.

An HTTP timeout bounds each read, not the call: an endpoint that sends its headers and then a
byte every second never trips it. So every call gets a deadline, enforced twice:
- in the HTTP client (`deadline_hooks`): each request's timeouts are cut to the time left, and the
  reply's body is abandoned (its connection closed) as soon as a chunk arrives after the deadline;
- around the call (`run_within`): the call runs in a worker thread and the caller stops waiting at
  the deadline whatever the worker is stuck in (slow DNS, headers sent a byte at a time, an SDK
  that swallows our error), so the engine always moves on in time.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx2  # what the openai SDK sends through; its client takes the hooks below

from simulator.engines.fallback import DeadlineExceeded

T = TypeVar("T")

# The deadline (time.monotonic() value) of the model call running in this context, if any.
_current: contextvars.ContextVar[float | None] = contextvars.ContextVar("model_call_deadline", default=None)


@dataclass(frozen=True)
class Deadline:
    seconds: float
    ends: float  # on the time.monotonic() clock

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(seconds, time.monotonic() + seconds)

    def remaining(self) -> float:
        return self.ends - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(f"the model did not finish within {self.seconds:g}s")


def run_within(deadline: Deadline, call: Callable[[], T]) -> T:
    """`call()` in a worker thread; DeadlineExceeded if it has not finished by the deadline.

    A worker still running then is abandoned: the HTTP hooks end its request at its next read.
    An error that arrives after the deadline is reported as the deadline, whatever the SDK made of it.
    """
    outcome: dict[str, Any] = {}
    finished = threading.Event()
    context = contextvars.copy_context()

    def work() -> None:
        _current.set(deadline.ends)
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread, which decides what it means
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=context.run, args=(work,), name="model-call", daemon=True).start()
    if not finished.wait(max(deadline.remaining(), 0.0)):
        raise deadline.exceeded()
    error = outcome.get("error")
    if error is not None:
        if deadline.expired():
            raise deadline.exceeded() from error
        raise error
    return outcome["value"]


# ---------------------------------------------------------------- the HTTP client's half


def _cut_timeouts(request: Any) -> None:
    """Request hook: no single wait (connect, write, read, pool) may outlast the call's deadline."""
    ends = _current.get()
    if ends is None:
        return
    left = ends - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("the call's deadline passed before the request was sent")
    timeouts = dict(request.extensions.get("timeout") or {})
    for phase in ("connect", "read", "write", "pool"):
        value = timeouts.get(phase)
        timeouts[phase] = left if value is None else min(float(value), left)
    request.extensions["timeout"] = timeouts


class _DeadlineBody(httpx2.SyncByteStream):
    """A reply body that stops at the deadline, however steadily the bytes trickle in."""

    def __init__(self, inner: Any, ends: float):
        self._inner = inner
        self._ends = ends

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            if time.monotonic() >= self._ends:
                self.close()  # drops the connection rather than reading the rest of a trickle
                raise DeadlineExceeded("the reply was still arriving at the call's deadline")
            yield chunk

    def close(self) -> None:
        self._inner.close()

    @property
    def elapsed(self) -> Any:  # the client's timing of the response, read back through the body
        return getattr(self._inner, "elapsed", None)


def _guard_body(response: Any) -> None:
    """Response hook: the body is read under the same deadline as the request."""
    ends = _current.get()
    if ends is not None:
        response.stream = _DeadlineBody(response.stream, ends)


def deadline_hooks() -> dict[str, list[Callable[[Any], None]]]:
    """Event hooks for the SDK's HTTP client (httpx-style `event_hooks`)."""
    return {"request": [_cut_timeouts], "response": [_guard_body]}
