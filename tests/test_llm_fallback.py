"""Faults: every failing call falls back to the offline engine, is marked, and the session goes on.

The HTTP faults come from a real local server that misbehaves on purpose (tests/fake_openai_server.py),
through the real ChatOpenAI and openai SDK stack.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

import httpx2
import openai
import pytest
from fake_openai_server import FakeOpenAIServer
from llm_fakes import Roleplay, ScriptedChatModel, verdict_fields
from llm_session import SCRIPT, fare_request

from simulator.catalog import load_personas, load_rubrics
from simulator.engines import make_engine
from simulator.engines.base import SlotContext
from simulator.engines.fallback import CircuitBreaker
from simulator.engines.openai_engine import OpenAIEngine, engine_from_settings
from simulator.engines.settings import EngineSettings
from simulator.script import script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

RUBRICS = load_rubrics()
PERSONAS = load_personas()
ROUND_ONE = script_setup(SCRIPT, PERSONAS, "t").round_one
REQUEST = fare_request(ROUND_ONE, SCRIPT.job)


def ctx() -> SlotContext:
    return SlotContext(
        job=SCRIPT.job,
        round_one=ROUND_ONE,
        skills=["SQL"],
        pressure="realistic",
        rng=random.Random(5),
        colleagues=PERSONAS,
    )


def http_engine(base_url: str, timeout: float = 2.0) -> OpenAIEngine:
    chosen = EngineSettings(
        api_key="sk-test-not-real", base_url=base_url, model="fake-model", timeout=timeout
    )
    engine = engine_from_settings(chosen, RUBRICS)
    engine.sleep = lambda seconds: None  # backoff is tested on its own; keep the suite quick
    return engine


def refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # nothing listens there any more


# ---------------------------------------------------------------- faults from a misbehaving server


@pytest.mark.parametrize(
    ("behaviour", "requests", "why"),
    [
        ("hang", 1, "the model did not finish within 0.5s"),
        ("429", 3, "rate limited by the endpoint (HTTP 429), still after retrying"),
        ("500", 3, "the endpoint returned an error (HTTP 500)"),
        ("401", 1, "the endpoint rejected the API key (HTTP 401)"),
        ("garbage", 2, "the model's reply was malformed"),  # an unusable reply is asked for once more
        ("empty", 2, "the model returned an empty reply"),
        ("drop", 1, "could not reach the endpoint (connection refused or dropped)"),
    ],
)
def test_a_failing_endpoint_gives_the_offline_line_and_says_why(
    behaviour: str, requests: int, why: str
) -> None:
    persona = PERSONAS["hiring_manager"]
    with FakeOpenAIServer(behaviour) as server:
        engine = http_engine(server.base_url, timeout=0.5 if behaviour == "hang" else 2.0)
        text = engine.introduce(persona, ctx())
        assert len(server.requests) == requests  # 429 and 5xx are retried twice; bad replies once
    assert text in [
        line.replace("{name}", persona.name)
        .replace("{my_title}", persona.title)
        .replace("{title}", SCRIPT.job.title)
        .replace("{company}", SCRIPT.job.company)
        for line in persona.intro
    ]
    note = engine.take_note()
    assert note is not None and note.startswith("Offline fallback: ") and why in note
    assert engine.fallbacks[-1].task == "introduce"
    assert engine.usage.records[-1].outcome.startswith("fallback: ")


def test_a_healthy_endpoint_is_used_through_the_real_client() -> None:
    verdict = verdict_fields(REQUEST.answer, score=4)
    with FakeOpenAIServer(
        "ok", text="Welcome back. I'm curious how you work with messy data.", verdict=verdict
    ) as server:
        engine = http_engine(server.base_url)
        text = engine.introduce(PERSONAS["team_member"], ctx())
        grade = engine.grade(REQUEST)
        speak, judge = server.requests
    assert text == "Welcome back. I'm curious how you work with messy data."
    assert (grade.status, grade.overall, grade.grader.model) == ("graded", 4, "fake-model")
    assert speak["path"] == "/v1/chat/completions"
    assert speak["body"]["model"] == "fake-model"
    assert speak["body"]["messages"][0]["role"] == "system"
    # Not OpenAI's own URL: the limit goes as `max_tokens`, the field every compatible server honours.
    assert speak["body"]["max_tokens"] == engine.settings.max_output_tokens
    assert judge["body"]["tools"][0]["function"]["name"] == "JudgeVerdict"  # function calling, the default
    assert judge["body"]["max_tokens"] == engine.settings.judge_output_tokens
    assert judge["body"]["temperature"] == 0.0  # a grade must not depend on the dice
    assert engine.usage.records[0].tokens_in == 100  # the server's own count, when it sends one


def test_garbage_from_the_judge_falls_back_to_the_rule_grade() -> None:
    with FakeOpenAIServer("garbage") as server:
        grade = http_engine(server.base_url).grade(REQUEST)
    assert grade.status == "fallback"
    assert grade.reason is not None and grade.reason.startswith("LLM judge unavailable (")
    assert grade.overall is not None  # the rules still graded it


def test_a_rate_limit_that_clears_is_invisible_to_the_user() -> None:
    with FakeOpenAIServer("429", "ok", text="Let's begin.") as server:
        engine = http_engine(server.base_url)
        assert engine.introduce(PERSONAS["skip_level"], ctx()) == "Let's begin."
        assert len(server.requests) == 2
    assert engine.take_note() is None
    assert engine.fallbacks == []


# ---------------------------------------------------------------- the breaker, with a fake model


def test_after_repeated_failures_the_engine_stops_calling_for_a_while() -> None:
    def down(messages: object, tools: object) -> Exception:
        return openai.APIConnectionError(
            request=httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
        )

    now = [0.0]
    model = ScriptedChatModel(responder=down)
    engine = OpenAIEngine(
        model, RUBRICS, breaker=CircuitBreaker(threshold=3, cooldown=60, clock=lambda: now[0])
    )
    persona = PERSONAS["cross_functional"]
    for _ in range(6):
        engine.invite_questions(persona, ctx())
    assert len(model.calls) == 3  # three failures, then no more calls
    reasons = [event.reason for event in engine.fallbacks]
    assert reasons[:3] == ["could not reach the endpoint (connection refused or dropped)"] * 3
    assert all(
        r.startswith("paused calling the model for 60s after 3 failures in a row") for r in reasons[3:]
    )
    assert engine.grade(REQUEST).status == "fallback"  # the judge is paused too
    assert len(model.calls) == 3

    now[0] = 61.0  # cool-down over: one trial call, which succeeds
    model.responder = Roleplay()
    assert engine.invite_questions(persona, ctx()) == "That covers my side. What would you like to ask me?"
    assert engine.take_note() is None


# ---------------------------------------------------------------- a dead endpoint, a whole session


def test_a_refused_connection_still_finishes_the_whole_session_all_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", refused_url())
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-real")
    engine = make_engine("openai", RUBRICS)
    assert isinstance(engine, OpenAIEngine)
    kit = Toolkit(PERSONAS, RUBRICS, engine)
    with Store(tmp_path / "sessions.db") as store:
        session = play_script(start(script_setup(SCRIPT, PERSONAS, "llm_session"), store, kit), SCRIPT)
        saved = store.load(session.id)

    assert saved.status == "complete"
    answers = [t for t in saved.turns if t.kind == "answer"]
    assert answers and all(
        t.grade is not None and t.grade.status in ("fallback", "ungradable") for t in answers
    )
    fallen = [t.grade for t in answers if t.grade and t.grade.status == "fallback"]
    assert fallen and all(g.reason and "LLM judge unavailable" in g.reason for g in fallen)
    spoken = [t.text for t in saved.turns if t.speaker != "candidate"]
    said_offline = [event.text for event in engine.fallbacks if event.task != "judge"]
    # Every interviewer line came from the offline engine, each one marked; the orchestrator's own brief
    # remark (on pay or an off-topic answer) may come before a question.
    assert len(said_offline) == len(spoken)
    assert all(line.endswith(offline) for line, offline in zip(spoken, said_offline, strict=True))
    assert (
        len(engine.usage.records) == engine.settings.failure_threshold
    )  # then the breaker stopped the calls
    assert "paused calling the model" in engine.fallbacks[-1].reason
