"""A total wall-clock deadline for one model call, retries and re-ask included.

An HTTP timeout bounds each read, not the call: an endpoint that sends its headers and then a
byte every second never trips it. So every call gets a deadline, enforced twice:
- around the call (`run_within`): the call runs in a worker thread and the caller stops waiting at
  the deadline whatever the worker is stuck in (slow DNS, an SDK that swallows our error), so the
  engine always moves on in time; the call's connections are then shut, which ends the worker's
  read even while a server sends its headers a byte at a time;
- in the HTTP client (`deadline_hooks`): each request's timeouts are cut to the time left, each
  request gets a connection of its own (so the call knows which sockets to shut), and a reply's
  body is abandoned as soon as a chunk arrives after the deadline.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx2  # what the openai SDK sends through; its client takes the hooks below

from simulator.engines.fallback import DeadlineExceeded

T = TypeVar("T")


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


@dataclass
class _Call:
    """One model call in flight: its deadline, and the sockets it opened (shut when it is abandoned)."""

    ends: float
    sockets: list[socket.socket] = field(default_factory=list)
    abandoned: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def opened(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self.lock:
            self.sockets.append(sock)
            late = self.abandoned
        if late:
            _shut(sock)

    def abandon(self) -> None:
        with self.lock:
            self.abandoned = True
            sockets = list(self.sockets)
        for sock in sockets:
            _shut(sock)

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: note each connection this call opens."""
        if event == "connection.connect_tcp.complete":
            stream = info.get("return_value")
            self.opened(stream.get_extra_info("socket") if stream is not None else None)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)  # the blocked read in the worker returns at once


# The model call running in this context, if any.
_current: contextvars.ContextVar[_Call | None] = contextvars.ContextVar("model_call", default=None)


def run_within(deadline: Deadline, call: Callable[[], T]) -> T:
    """`call()` in a worker thread; DeadlineExceeded if it has not finished by the deadline.

    A worker still running then is abandoned and its connections shut, so it ends at once.
    An error that arrives after the deadline is reported as the deadline, whatever the SDK made of it.
    """
    outcome: dict[str, Any] = {}
    finished = threading.Event()
    context = contextvars.copy_context()
    state = _Call(deadline.ends)

    def work() -> None:
        _current.set(state)
        try:
            outcome["value"] = call()
        except BaseException as exc:  # handed to the caller's thread, which decides what it means
            outcome["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=context.run, args=(work,), name="model-call", daemon=True).start()
    if not finished.wait(max(deadline.remaining(), 0.0)):
        state.abandon()
        raise deadline.exceeded()
    error = outcome.get("error")
    if error is not None:
        if deadline.expired():
            raise deadline.exceeded() from error
        raise error
    return outcome["value"]


# ---------------------------------------------------------------- the HTTP client's half


def _bound_request(request: Any) -> None:
    """Request hook: no single wait (connect, write, read, pool) may outlast the call's deadline,
    and the request goes on a connection of its own, which the call can shut when abandoned."""
    call = _current.get()
    if call is None:
        return
    left = call.ends - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("the call's deadline passed before the request was sent")
    timeouts = dict(request.extensions.get("timeout") or {})
    for phase in ("connect", "read", "write", "pool"):
        value = timeouts.get(phase)
        timeouts[phase] = left if value is None else min(float(value), left)
    request.extensions["timeout"] = timeouts
    request.extensions["trace"] = call.trace
    request.headers["Connection"] = "close"  # never a pooled connection another call may be using


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
    call = _current.get()
    if call is not None:
        response.stream = _DeadlineBody(response.stream, call.ends)


def deadline_hooks() -> dict[str, list[Callable[[Any], None]]]:
    """Event hooks for the SDK's HTTP client (httpx-style `event_hooks`)."""
    return {"request": [_bound_request], "response": [_guard_body]}
