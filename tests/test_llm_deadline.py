"""One total deadline per model call, and a breaker that hears of transport failures only.

Deadlines here are one or two seconds, not the default. Nothing is timed: a call that gave up is
seen in its reason, in what the model or the server was asked, and in the server seeing the client
hang up.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import httpx2
import openai
import pytest
from fake_openai_server import FakeOpenAIServer
from langchain_core.messages import BaseMessage
from llm_fakes import Reply, ScriptedChatModel, in_order, verdict_fields, verdict_message
from llm_session import SCRIPT, fare_request

from simulator.catalog import load_personas, load_rubrics
from simulator.engines.base import SlotContext
from simulator.engines.fallback import DeadlineExceeded, call_with_retries, describe_failure, failure_kind
from simulator.engines.openai_engine import OpenAIEngine, engine_from_settings
from simulator.engines.settings import EngineSettings
from simulator.script import script_setup

RUBRICS = load_rubrics()
PERSONAS = load_personas()
ROUND_ONE = script_setup(SCRIPT, PERSONAS, "t").round_one
REQUEST = fare_request(ROUND_ONE, SCRIPT.job)
KEY = "sk-server-key-for-deadline-tests-0123456789"


def ctx() -> SlotContext:
    return SlotContext(
        job=SCRIPT.job, round_one=ROUND_ONE, skills=["SQL"], pressure="realistic", rng=random.Random(5)
    )


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds a fake model's call until the test ends: a call that never comes back by itself."""
    event = threading.Event()
    yield event
    event.set()


def scripted(responder: object, timeout: float = 1.0) -> tuple[OpenAIEngine, ScriptedChatModel]:
    model = ScriptedChatModel(responder=responder)
    engine = OpenAIEngine(model, RUBRICS, settings=EngineSettings(timeout=timeout, api_key=KEY))
    return engine, model


# ---------------------------------------------------------------- the deadline


def test_a_rate_limit_asking_longer_than_the_deadline_is_not_waited_for() -> None:
    response = httpx2.Response(
        429,
        headers={"retry-after": "120"},
        request=httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions"),
        json={"error": {"message": "slow down"}},
    )
    attempts: list[int] = []
    waits: list[float] = []

    def limited() -> str:
        attempts.append(1)
        raise openai.RateLimitError("HTTP 429", response=response, body=None)

    with pytest.raises(DeadlineExceeded) as raised:
        call_with_retries(limited, retries=2, sleep=waits.append, time_left=lambda: 2.0)
    assert (attempts, waits) == ([1], [])  # no waiting, no second try
    assert failure_kind(raised.value) == "deadline"  # counted by the breaker as a transport failure
    assert describe_failure(raised.value) == (
        "rate limited by the endpoint (HTTP 429), asking to wait 120s: longer than the call's deadline allows"
    )


def test_the_judges_re_ask_shares_the_one_deadline(gate: threading.Event) -> None:
    """A first verdict that does not validate, then a re-ask that never returns: the grade falls back at
    the deadline, with the rules' grade and the reason."""
    asked: list[int] = []

    def judge(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        asked.append(1)
        if len(asked) == 1:
            return verdict_message(**verdict_fields(REQUEST.answer, score=9))  # out of range: re-asked
        gate.wait(60)
        return verdict_message(**verdict_fields(REQUEST.answer))

    engine, _model = scripted(judge)
    grade = engine.grade(REQUEST)
    assert len(asked) == 2
    assert grade.status == "fallback" and grade.overall is not None
    assert (
        grade.reason
        == "LLM judge unavailable (the model did not finish within 1s); graded by the offline rules"
    )
    assert engine.breaker.failures == 1  # a deadline is a transport failure


def test_a_stalled_call_falls_back_in_time_and_the_breaker_counts_it(gate: threading.Event) -> None:
    def stalled(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        gate.wait(60)
        return "too late"

    engine, model = scripted(stalled)
    for _ in range(4):
        engine.introduce(PERSONAS["team_member"], ctx())
    assert len(model.calls) == 3  # the fourth is not made: the breaker opened after three deadlines
    reasons = [event.reason for event in engine.fallbacks]
    assert reasons[:3] == ["the model did not finish within 1s"] * 3
    assert reasons[3].startswith("paused calling the model")


def test_a_never_ending_stream_is_cut_off_at_the_deadline_and_shows_no_more() -> None:
    """The page streams: a server sending a word a second forever never trips a read timeout."""
    with FakeOpenAIServer("trickle", trickle_seconds=0.2) as server:
        engine = engine_from_settings(
            EngineSettings(api_key=KEY, base_url=server.base_url, model="fake-model", timeout=1.0), RUBRICS
        )
        pieces: list[str] = []
        with engine.stream_to(pieces.append):
            line = engine.introduce(PERSONAS["skip_level"], ctx())
        shown = len(pieces)
        assert server.wait_abandoned(1)  # the client closed the stream
    assert pieces and set(pieces) == {"word "}
    assert len(pieces) == shown  # nothing arrived on the page after the offline line replaced it
    assert engine.take_note() == "Offline fallback: the model did not finish within 1s."
    assert "word" not in line


def test_an_abandoned_call_hangs_up_even_on_headers_sent_a_byte_at_a_time() -> None:
    """No reply body to cut off yet: the call's own connection is shut at the deadline, so nothing
    is left reading in the background."""
    with FakeOpenAIServer("slow-headers", trickle_seconds=0.2) as server:
        engine = engine_from_settings(
            EngineSettings(api_key=KEY, base_url=server.base_url, model="fake-model", timeout=1.0), RUBRICS
        )
        engine.introduce(PERSONAS["skip_level"], ctx())
        engine.introduce(PERSONAS["skip_level"], ctx())
        assert server.wait_abandoned(2)  # both calls' connections were closed by the client
    assert [event.reason for event in engine.fallbacks] == ["the model did not finish within 1s"] * 2


# ---------------------------------------------------------------- what the breaker counts


def test_empty_replies_are_asked_once_more_and_never_open_the_breaker() -> None:
    engine, model = scripted(in_order(""))
    for _ in range(5):
        engine.invite_questions(PERSONAS["cross_functional"], ctx())
    assert len(model.calls) == 10  # each call asked twice; the endpoint is never paused
    assert engine.breaker.failures == 0 and engine.breaker.opened_at is None
    assert engine.breaker.bad_replies == 5
    assert {event.reason for event in engine.fallbacks} == {"the model returned an empty reply"}


def test_one_bad_reply_then_a_good_one_is_invisible_to_the_user() -> None:
    engine, model = scripted(in_order("", "That covers my side. What would you like to ask me?"))
    line = engine.invite_questions(PERSONAS["cross_functional"], ctx())
    assert line == "That covers my side. What would you like to ask me?"
    first, again = model.calls
    assert again[:-1] == first  # asked again, with what was wrong (the same prompt gets the same reply)
    assert str(again[-1].content).startswith(
        "Your reply could not be used: the model returned an empty reply."
    )
    assert engine.take_note() is None and engine.fallbacks == []
    assert [r.outcome for r in engine.usage.records] == ["retried: the model returned an empty reply", "ok"]


def test_a_malformed_judge_reply_is_counted_apart_from_transport_failures() -> None:
    engine, model = scripted(in_order("this is not a verdict"))
    for _ in range(4):
        assert engine.grade(REQUEST).status == "fallback"
    assert len(model.calls) == 8  # a re-ask each time, never paused
    assert engine.breaker.failures == 0 and engine.breaker.bad_replies == 4


def test_transport_failures_still_open_the_breaker() -> None:
    def refused(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        return openai.APIConnectionError(request=httpx2.Request("POST", "http://127.0.0.1:9/v1"))

    engine, model = scripted(refused)
    for _ in range(5):
        engine.introduce(PERSONAS["hiring_manager"], ctx())
    assert len(model.calls) == 3
    assert "paused calling the model" in engine.fallbacks[-1].reason


# ---------------------------------------------------------------- a reply that repeats the key


def test_a_streamed_reply_that_repeats_the_key_never_shows_it() -> None:
    with FakeOpenAIServer("echo") as server:
        engine = engine_from_settings(
            EngineSettings(api_key=KEY, base_url=server.base_url, model="fake-model", timeout=2.0), RUBRICS
        )
        pieces: list[str] = []
        with engine.stream_to(pieces.append):
            line = engine.introduce(PERSONAS["hiring_manager"], ctx())
        assert len(server.requests) == 2  # asked once more, then given up
    assert pieces  # the words before the key were shown as they came
    assert KEY not in "".join(pieces) and KEY not in line
    assert engine.take_note() == "Offline fallback: the model's reply repeated the API key."
    assert engine.breaker.failures == 0
