"""The HTTP adapter against a real OpenAI-compatible server, replayed from cassettes.

The cassettes were recorded against llama.cpp's server running the bundled SmolLM2 model (see
tests/llm_vcr.py; `make record` re-records them). Replay needs no server and no network: every
request must match a recorded one by method, path and body, or the test fails at once.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from llm_session import GROWTH_ANSWER, SCRIPT, fare_request
from llm_vcr import (
    CASSETTES,
    DUMMY_KEY,
    PINNED,
    RECORD_BASE_URL,
    RECORDING,
    REPLAY_BASE_URL,
    cassette,
    check_replayed,
)
from llm_vcr import cassette_engine as recorded_engine

from simulator.catalog import load_personas, load_rubrics
from simulator.engines.base import GradeRequest, SlotContext
from simulator.engines.hygiene import not_spoken
from simulator.engines.local import MODEL_ALIAS, server_installed, start_local_server
from simulator.engines.openai_engine import OpenAIEngine
from simulator.script import script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

# Pinned data (see llm_vcr.PINNED): these tests are about the HTTP adapter, not the shipped files.
RUBRICS = load_rubrics(PINNED / "rubrics")
PERSONAS = load_personas(PINNED / "personas")
ROUND_ONE = script_setup(SCRIPT, PERSONAS, "llm_session").round_one
TIMINGS = CASSETTES / "llm_session_timings.yaml"
KEY_LIKE = re.compile(r"(?<![A-Za-z])sk-[A-Za-z0-9_-]{6,}")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The recorded server's place on replay; when recording, ROUNDTWO_RECORD_BASE_URL or a freshly
    started local server."""
    if not RECORDING:
        yield REPLAY_BASE_URL
        return
    if RECORD_BASE_URL:
        yield RECORD_BASE_URL
        return
    if not server_installed():
        pytest.skip("recording needs llama-cpp-python (the local extra)")
    with start_local_server() as server:
        yield server.base_url


def cassette_engine(name: str, base_url: str, **overrides: Any) -> OpenAIEngine:
    return recorded_engine(name, base_url, RUBRICS, **overrides)


def ctx() -> SlotContext:
    return SlotContext(
        job=SCRIPT.job,
        round_one=ROUND_ONE,
        skills=["SQL", "Python"],
        pressure="realistic",
        rng=random.Random(2),
        colleagues=PERSONAS,
    )


@pytest.mark.timeout(3600)  # recording waits on a real (slow) model
def test_interviewer_lines_stream_and_judge_calls_replay(endpoint: str) -> None:
    engine = cassette_engine("llm_calls", endpoint)
    persona = PERSONAS["hiring_manager"]
    request = fare_request(ROUND_ONE, SCRIPT.job)
    pieces: list[str] = []
    with cassette("llm_calls") as recorded:
        intro = engine.introduce(persona, ctx())
        question = engine.next_question(persona, ctx())
        with engine.stream_to(pieces.append):
            invite = engine.invite_questions(persona, ctx())
        grade = engine.grade(request)
    check_replayed(recorded)
    assert intro.strip() and invite.strip() and question is not None
    assert len(pieces) > 3  # the invitation arrived in pieces, as it was generated
    streamed = "".join(pieces).strip()
    if not any(event.task == "invite_questions" for event in engine.fallbacks):
        # The turn is what was streamed, cleaned: possibly cut at a sentence to the reply limit.
        assert " ".join(invite.split()) in " ".join(streamed.split())
    # A tiny model's odd intro, question or invitation may be refused: asked again once, then said
    # by the offline engine, labelled and counted. Each turn's last call says which.
    fell_back = {event.task: event.reason for event in engine.fallbacks}
    calls = engine.usage.records
    for task in ("introduce", "question", "invite_questions"):
        mine = [r for r in calls if r.task == task]
        assert mine and all(r.outcome.startswith("retried: ") for r in mine[:-1]), mine
        if task in fell_back:
            assert mine[-1].outcome == f"fallback: {fell_back[task]}", mine
        else:
            assert mine[-1].outcome == "ok" and mine[-1].tokens_in > 0 and mine[-1].tokens_out > 0, mine
            if task != "invite_questions":  # the limit held, by the server's own count (not streamed)
                assert mine[-1].tokens_out <= engine.settings.max_output_tokens, mine
    assert all(r.model == engine.priced_model for r in calls)
    # What must succeed did: the recorded judge call graded the answer (a judge that always failed
    # would otherwise pass here, its answers graded by the offline rules).
    assert "judge" not in fell_back and grade.status == "graded", (
        f"the recorded judge call fell back: {grade.reason}"
    )
    judged = [r for r in calls if r.task == "judge"]
    assert judged and judged[-1].outcome == "ok" and judged[-1].tokens_out > 0, judged
    assert (grade.grader.engine, grade.grader.model) == ("openai", engine.model)
    assert grade.grader.prompt_hash and grade.rationale


def test_json_schema_output_method(endpoint: str) -> None:
    engine = cassette_engine("llm_json_schema", endpoint, structured_method="json_schema")
    request = GradeRequest(
        question="Why this role?",
        answer=GROWTH_ANSWER,
        round_one=ROUND_ONE,
        question_kind="potential",
        job=SCRIPT.job,
    )
    with cassette("llm_json_schema") as recorded:
        grade = engine.grade(request)
    check_replayed(recorded)
    if engine.model == MODEL_ALIAS:  # llama.cpp's server refuses response_format json_schema
        assert grade.status == "fallback"
        assert grade.reason == (
            "LLM judge unavailable (the endpoint returned an error (HTTP 500)); graded by the offline rules"
        )
    else:  # a server that supports it (OpenAI) judges through it
        assert grade.status in ("graded", "fallback")
        assert grade.status == "fallback" or grade.grader.model == engine.model


@pytest.mark.timeout(3600)  # recording it runs a real (slow) model; replaying takes a second or two
def test_a_four_persona_session_replays_end_to_end(endpoint: str, tmp_path: Path) -> None:
    engine = cassette_engine("llm_session", endpoint)
    kit = Toolkit(PERSONAS, RUBRICS, engine)
    with cassette("llm_session") as recorded, Store(tmp_path / "sessions.db") as store:
        session = play_script(start(script_setup(SCRIPT, PERSONAS, "llm_session"), store, kit), SCRIPT)
        saved = store.load(session.id)
    check_replayed(recorded)  # the same requests, in the same order, as when it was recorded
    # Every call on record is a request the cassette holds. A call cut off by its deadline got no
    # reply to record (the cassette could not replay it): when recording, raise the timeout instead.
    timed_out = [r for r in engine.usage.records if " within " in r.outcome]
    assert not timed_out, f"calls timed out while recording, re-record at a lower load: {timed_out}"
    assert len(recorded.data) == len(engine.usage.records), engine.usage.records

    assert saved.status == "complete"
    assert saved.plan.engine == "openai"
    assert [t.speaker for t in saved.turns if t.kind == "intro"] == SCRIPT.panel
    # Every interviewer line is the model's, or the offline engine's with a recorded reason, in order.
    spoken = [t.text for t in saved.turns if t.speaker != "candidate"]
    stood_in = [event for event in engine.fallbacks if event.task != "judge"]
    remaining = iter(spoken)
    assert all(any(event.text == text for text in remaining) for event in stood_in)
    assert all(event.reason for event in stood_in)
    assert len(stood_in) < len(spoken), "the model never spoke"
    answers = [t for t in saved.turns if t.kind == "answer"]
    assert all(t.grade is not None for t in answers)
    # No interviewer line, and no hand-off note read out by the next interviewer, is the model
    # talking about its task ("... requires you to ask the candidate ... the list of questions").
    for text in [*spoken, *(note.text for note in saved.handoff_notes)]:
        assert not_spoken(text) is None, text
    assert any(t.grade and t.grade.grader.engine == "openai" for t in answers), (
        "no answer was judged by the model"
    )
    for grade in (t.grade for t in answers if t.grade):
        if grade.status == "fallback":
            assert grade.reason and grade.reason.startswith("LLM judge unavailable")
        if grade.status == "ungradable":
            assert grade.overall is None
    if RECORDING:
        timings = [
            {"task": r.task, "tokens_in": r.tokens_in, "tokens_out": r.tokens_out, "seconds": r.seconds}
            for r in engine.usage.records
        ]
        TIMINGS.write_text(
            "# Model time per call when llm_session.yaml was recorded\n"
            "# (llama.cpp, SmolLM2-135M, on the recording machine).\n"
            "# Read by bench/llm.py; rewritten by `make record`.\n" + yaml.safe_dump(timings, sort_keys=False)
        )


def test_cassettes_hold_no_secrets() -> None:
    files = sorted(CASSETTES.glob("*.yaml"))
    assert {f.stem for f in files} >= {"llm_calls", "llm_json_schema", "llm_session"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not KEY_LIKE.search(text), path
        assert "Bearer" not in text and "bearer" not in text, path
        assert "set-cookie" not in text.lower(), path
        assert DUMMY_KEY not in text
        if path.stem != "llm_session_timings":
            for interaction in yaml.safe_load(text)["interactions"]:
                headers = {name.lower() for name in interaction["request"]["headers"]}
                assert not headers & {"authorization", "api-key", "openai-organization", "cookie"}, path
