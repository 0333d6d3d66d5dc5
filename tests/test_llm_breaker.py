"""Bounded retries and the circuit breaker on their own (the engine's use of them: test_llm_fallback)."""

from __future__ import annotations

import httpx2
import openai
import pytest

from simulator.engines.fallback import (
    BreakerOpen,
    CircuitBreaker,
    EmptyReply,
    MalformedReply,
    backoff_seconds,
    call_with_retries,
    describe_failure,
    failure_kind,
)

REQUEST = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")


def status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx2.Response(
        status, headers=headers or {}, request=REQUEST, json={"error": {"message": "x"}}
    )
    kinds = {401: openai.AuthenticationError, 429: openai.RateLimitError, 500: openai.InternalServerError}
    return kinds.get(status, openai.APIStatusError)(f"HTTP {status}", response=response, body=None)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limits_are_retried_with_capped_backoff_then_succeed() -> None:
    attempts: list[int] = []
    waits: list[float] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise status_error(429, {"retry-after": "30"})
        return "ok"

    assert call_with_retries(flaky, retries=2, sleep=waits.append, cap=4.0) == "ok"
    assert len(attempts) == 3
    assert waits == [4.0, 4.0]  # the server asked for 30 s; a dead endpoint must cost seconds


def test_server_errors_back_off_exponentially_and_give_up_after_the_retries() -> None:
    waits: list[float] = []
    with pytest.raises(openai.InternalServerError):
        call_with_retries(lambda: (_ for _ in ()).throw(status_error(500)), retries=2, sleep=waits.append)
    assert waits == [0.5, 1.0]


@pytest.mark.parametrize(
    "error",
    [
        status_error(401),
        openai.APITimeoutError(request=REQUEST),
        openai.APIConnectionError(request=REQUEST),
        MalformedReply("bad"),
    ],
)
def test_timeouts_refusals_and_bad_keys_are_not_retried(error: Exception) -> None:
    attempts: list[int] = []

    def failing() -> None:
        attempts.append(1)
        raise error

    with pytest.raises(type(error)):
        call_with_retries(failing, retries=3, sleep=lambda s: None)
    assert len(attempts) == 1


def test_backoff_reads_retry_after() -> None:
    assert backoff_seconds(status_error(429, {"retry-after": "1.5"}), attempt=0) == 1.5
    assert backoff_seconds(status_error(429), attempt=2) == 2.0


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (openai.APITimeoutError(request=REQUEST), "the model did not answer within 20s"),
        (openai.APIConnectionError(request=REQUEST), "could not reach the endpoint"),
        (status_error(401), "rejected the API key (HTTP 401)"),
        (status_error(429), "rate limited by the endpoint (HTTP 429)"),
        (status_error(500), "the endpoint returned an error (HTTP 500)"),
        (EmptyReply(), "the model returned an empty reply"),
        (MalformedReply("x"), "the model's reply was malformed"),
        (KeyError("choices"), "the model call failed (KeyError)"),
    ],
)
def test_every_failure_has_one_plain_line(error: Exception, line: str) -> None:
    assert line in describe_failure(error, timeout=20)


def _wrapped(cause: BaseException) -> Exception:
    """An error as a different SDK release might raise it: a generic wrapper around the real cause."""
    try:
        raise cause
    except BaseException as exc:
        wrapper = RuntimeError("request failed")
        wrapper.__cause__ = exc
        return wrapper


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (_wrapped(ConnectionRefusedError(111, "Connection refused")), "connection"),
        (_wrapped(TimeoutError("read timed out")), "timeout"),
        (_wrapped(httpx2.ConnectError("boom")), "connection"),
        (_wrapped(httpx2.ReadTimeout("slow")), "timeout"),
        (_wrapped(status_error(503)), "status"),
        (_wrapped(status_error(429)), "rate_limit"),
    ],
)
def test_errors_are_classified_by_what_they_are_not_by_how_the_sdk_wraps_them(
    error: Exception, kind: str
) -> None:
    assert failure_kind(error) == kind
    assert "RuntimeError" not in describe_failure(error, timeout=20)


def test_breaker_opens_after_the_threshold_and_half_opens_after_the_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown=60, clock=clock)
    for _ in range(2):
        breaker.failed("could not reach the endpoint")
        breaker.check()  # still closed
    breaker.failed("could not reach the endpoint")
    with pytest.raises(BreakerOpen, match="paused calling the model for 60s after 3 failures in a row"):
        breaker.check()
    clock.now += 59
    with pytest.raises(BreakerOpen):
        breaker.check()
    clock.now += 1
    breaker.check()  # one trial call is let through
    breaker.failed("still down")
    with pytest.raises(BreakerOpen, match="last: still down"):
        breaker.check()  # one more failure opens it again at once
    clock.now += 60
    breaker.check()
    breaker.succeeded()
    breaker.failed("a blip")
    breaker.check()  # a success reset the count
