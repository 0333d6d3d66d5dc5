"""Honest fallback: bounded retries, a circuit breaker, and a one-line reason for every failure.

A dead endpoint must cost seconds, not minutes. Rate limits (429) and server errors (5xx) are
retried a bounded number of times with a short, capped backoff, and never past the call's deadline;
timeouts, refused connections and rejected keys are not retried at all. After `threshold` transport
failures in a row the breaker opens and the engine stops calling for `cooldown` seconds; then one
trial call decides whether it closes again. A reply that arrives but cannot be used (empty,
malformed) says nothing about the endpoint being down: it is counted apart and never opens the breaker.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import openai
from pydantic import ValidationError

T = TypeVar("T")


class EmptyReply(Exception):
    """The model answered with nothing usable."""


class MalformedReply(Exception):
    """The model's reply could not be read as what was asked for (after the one re-ask)."""


class BreakerOpen(Exception):
    """The engine is pausing calls after repeated failures."""


class DeadlineExceeded(Exception):
    """A model call ran past its total deadline (a trickling reply is still too slow)."""


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and what caused it: SDKs wrap transport errors, and the cause says what happened."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 8:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _status_code(exc: BaseException) -> int | None:
    code = getattr(exc, "status_code", None)
    if code is None:
        code = getattr(getattr(exc, "response", None), "status_code", None)
    return code if isinstance(code, int) else None


def failure_kind(exc: BaseException) -> str:
    """What kind of failure this is, judged by what it is (its class family, HTTP status, cause),
    never by how an SDK happens to build its exception objects: those details change between releases.

    One of: breaker, deadline, timeout, connection, auth, forbidden, not_found, rate_limit, status,
    empty, malformed, other.
    """
    for link in _chain(exc):
        if isinstance(link, BreakerOpen):
            return "breaker"
        if isinstance(link, DeadlineExceeded):
            return "deadline"
        if isinstance(link, EmptyReply):
            return "empty"
        if isinstance(
            link, MalformedReply | ValidationError | json.JSONDecodeError | openai.APIResponseValidationError
        ):
            return "malformed"
        code = _status_code(link) if isinstance(link, openai.APIError) else None
        if code is not None:
            return {401: "auth", 403: "forbidden", 404: "not_found", 429: "rate_limit"}.get(code, "status")
        if isinstance(link, openai.APITimeoutError | TimeoutError) or "Timeout" in type(link).__name__:
            return "timeout"
        if isinstance(link, openai.APIConnectionError | ConnectionError) or any(
            word in type(link).__name__ for word in ("ConnectError", "RemoteProtocolError", "NetworkError")
        ):
            return "connection"
    return "other"


TRANSPORT_KINDS = frozenset(
    {"deadline", "timeout", "connection", "auth", "forbidden", "not_found", "rate_limit", "status"}
)
# The endpoint answered, but not with something usable: worth one more try, not a reason to stop calling.
BAD_REPLY_KINDS = frozenset({"empty", "malformed"})


def describe_failure(exc: BaseException, timeout: float | None = None) -> str:
    """What went wrong, in one short line a user can act on. Never includes a key or a request body."""
    kind = failure_kind(exc)
    if kind in ("breaker", "deadline"):
        return next(str(link) for link in _chain(exc) if isinstance(link, BreakerOpen | DeadlineExceeded))
    if kind == "timeout":
        return f"the model did not answer within {timeout:g}s" if timeout else "the request timed out"
    if kind == "status":
        return f"the endpoint returned an error (HTTP {_status_code(exc) or 'unknown'})"
    return _REASONS.get(kind) or f"the model call failed ({type(exc).__name__})"


_REASONS = {
    "connection": "could not reach the endpoint (connection refused or dropped)",
    "auth": "the endpoint rejected the API key (HTTP 401)",
    "forbidden": "the key may not use this model (HTTP 403)",
    "not_found": "the model or endpoint was not found (HTTP 404)",
    "rate_limit": "rate limited by the endpoint (HTTP 429), still after retrying",
    "empty": "the model returned an empty reply",
    "malformed": "the model's reply was malformed",
}


def retryable(exc: BaseException) -> bool:
    kind = failure_kind(exc)
    return kind == "rate_limit" or (kind == "status" and (_status_code(exc) or 0) >= 500)


def retry_after(exc: BaseException) -> float | None:
    """The seconds the server asked us to wait (its Retry-After header), if it said."""
    response = getattr(exc, "response", None)
    header = response.headers.get("retry-after") if response is not None else None
    try:
        return max(float(header), 0.0) if header else None
    except ValueError:
        return None


def backoff_seconds(exc: BaseException, attempt: int, base: float = 0.5, cap: float = 4.0) -> float:
    """Retry-After when the server sends one, else exponential; never more than `cap`."""
    asked = retry_after(exc)
    return min(asked if asked is not None else base * 2**attempt, cap)


def call_with_retries(
    call: Callable[[], T],
    retries: int,
    sleep: Callable[[float], None] = time.sleep,
    cap: float = 4.0,
    time_left: Callable[[], float] | None = None,
) -> T:
    """`call()`, retried on 429/5xx. With `time_left` (the call's deadline), a wait that would
    outlast it, or a Retry-After longer than what is left, is not waited for: the call gives up."""
    for attempt in range(retries + 1):
        try:
            return call()
        except Exception as exc:
            if attempt >= retries or not retryable(exc):
                raise
            wait = backoff_seconds(exc, attempt, cap=cap)
            if time_left is not None:
                asked = retry_after(exc) or 0.0
                if max(wait, asked) >= time_left():
                    raise DeadlineExceeded(_too_late(exc, asked)) from exc
            sleep(wait)
    raise AssertionError("unreachable")  # the loop either returns or raises


def _too_late(exc: BaseException, asked: float) -> str:
    if asked:
        return (
            f"{describe_failure(exc).split(',')[0]}, asking to wait {asked:g}s: "
            "longer than the call's deadline allows"
        )
    return f"{describe_failure(exc)}, and no time was left to retry within the call's deadline"


class CircuitBreaker:
    """Counts failures in a row; when open, `check()` raises BreakerOpen until the cool-down ends."""

    def __init__(
        self, threshold: int = 3, cooldown: float = 120.0, clock: Callable[[], float] = time.monotonic
    ):
        self.threshold = threshold
        self.cooldown = cooldown
        self.clock = clock
        self.failures = 0
        self.bad_replies = 0  # replies that came back unusable: counted here, never opening the breaker
        self.opened_at: float | None = None
        self.last_reason = ""
        self._lock = threading.Lock()

    def check(self) -> None:
        with self._lock:
            if self.opened_at is None:
                return
            waited = self.clock() - self.opened_at
            if waited >= self.cooldown:
                # Half-open: let one call through; one more failure opens the breaker again.
                self.opened_at = None
                self.failures = self.threshold - 1
                return
            left = self.cooldown - waited
            raise BreakerOpen(
                f"paused calling the model for {left:.0f}s after {self.threshold} failures in a row "
                f"(last: {self.last_reason})"
            )

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self.opened_at = None

    def failed(self, reason: str) -> None:
        with self._lock:
            self.failures += 1
            self.last_reason = reason
            if self.failures >= self.threshold:
                self.opened_at = self.clock()

    def bad_reply(self) -> None:
        """The endpoint answered, with nothing usable: it is up, so the count of failures stays as it was."""
        with self._lock:
            self.bad_replies += 1
