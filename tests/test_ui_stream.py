"""Streaming on the page, without a browser: the updates the Send handler draws, over a scripted model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.messages import BaseMessage
from llm_fakes import Reply, Roleplay, ScriptedChatModel, section

from simulator.engines.openai_engine import OpenAIEngine
from simulator.service import Toolkit
from simulator.store import Store
from simulator.ui import render
from simulator.ui.actions import (
    OFFLINE_COST_LINE,
    PageContext,
    Partial,
    SetupForm,
    Step,
    current,
    engine_summary,
    example_form,
    send_streaming,
    start_session,
    stream_action,
)

ANSWER = (
    "At Harbourline I led the partitioning of our events table in 2023. I wrote the plan, rewrote the "
    "hottest queries myself, and p95 latency fell by 30%, to about 560 milliseconds."
)


@pytest.fixture
def ctx(roundtwo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PageContext]:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ROUNDTWO_MODEL"):  # no real LLM in a test
        monkeypatch.delenv(name, raising=False)
    with Store() as store:
        yield PageContext(store=store)


def _serve(ctx: PageContext, responder: object) -> OpenAIEngine:
    """The page's `openai` engine, over a scripted chat model instead of HTTP."""
    offline = ctx.kit("offline")
    engine = OpenAIEngine(ScriptedChatModel(responder=responder), offline.rubrics)
    ctx.use_kit("openai", Toolkit(offline.personas, offline.rubrics, engine))
    return engine


def _form(ctx: PageContext, engine: str) -> SetupForm:
    form = example_form(ctx.personas)
    for slot in form.slots:
        slot.minutes = 10
    form.engine, form.seed = engine, "7"
    return form


def test_the_reply_streams_before_the_saved_step(ctx: PageContext) -> None:
    _serve(ctx, Roleplay())
    started = start_session(ctx, _form(ctx, "openai"))
    before = len(started.session.turns)

    updates = list(send_streaming(ctx, started.session.id, ANSWER))

    *partials, final = updates
    assert isinstance(final, Step) and partials
    assert all(isinstance(u, Partial) for u in partials)
    # The answer shows at once, before it is graded or anyone replies.
    first = partials[0]
    assert isinstance(first, Partial) and first.pending == ANSWER and first.text == ""
    streamed = [u for u in partials if isinstance(u, Partial) and u.text]
    assert streamed, "no piece of the interviewer's reply was drawn before the end"
    # A line grows piece by piece and ends as the turn the orchestrator saved.
    saved = current(ctx, started.session.id).session
    new_lines = [t.text for t in saved.turns[before:] if t.speaker != "candidate"]
    assert all(any(line.startswith(u.text.strip()) for line in new_lines) for u in streamed)
    for update in streamed:
        chat = render.streaming_chat(
            update.session, update.personas, update.pending, update.speaker, update.text
        )
        assert "speaking…" in chat[-1]["content"]
    # What is left on screen is exactly the saved session.
    assert render.chat_history(final.session, final.personas) == render.chat_history(saved, final.personas)
    assert final.session.turns[before].text == ANSWER
    # The Feedback tab's line on model use: calls and tokens of this engine.
    usage = render.usage_html(final.session)  # the store saves usage when the loop closes
    assert "openai (scripted-model)" in usage and "tokens in" in usage


def test_a_fallback_turn_replaces_the_stream_and_says_why(ctx: PageContext) -> None:
    play = Roleplay()

    def broken_questions(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        task = section(str(messages[-1].content), "YOUR TASK NOW") if not tools else ""
        if task.startswith("Ask your next question") or "follow" in task.lower():
            return "Candidate: I would say"  # scaffolding, not speech: the offline engine takes over
        return play(messages, tools)

    _serve(ctx, broken_questions)
    started = start_session(ctx, _form(ctx, "openai"))

    *_, final = send_streaming(ctx, started.session.id, ANSWER)

    assert isinstance(final, Step)
    noted = [t for t in final.session.turns if t.note]
    assert noted and all(t.speaker != "candidate" for t in noted)
    chat = "".join(m["content"] for m in render.chat_history(final.session, final.personas))
    assert render.inert(noted[-1].note) in chat and "rt-turn-note" in chat
    saved = current(ctx, started.session.id).session
    assert render.chat_history(saved, final.personas) == render.chat_history(final.session, final.personas)


def test_an_offline_step_is_one_update(ctx: PageContext) -> None:
    started = start_session(ctx, _form(ctx, "offline"))
    updates = list(send_streaming(ctx, started.session.id, ANSWER))
    assert len(updates) == 1 and isinstance(updates[0], Step)
    moved = list(stream_action(ctx, started.session.id, "move_on"))
    assert len(moved) == 1 and isinstance(moved[0], Step)


def test_setup_states_the_cost_or_why_the_engine_cannot_run(ctx: PageContext) -> None:
    form = _form(ctx, "offline")
    assert engine_summary(ctx, form) == OFFLINE_COST_LINE
    form.engine = "openai"
    assert "needs OPENAI_API_KEY" in engine_summary(ctx, form)
    form.base_url = "http://127.0.0.1:9/v1"
    form.model = "gpt-4o-mini"
    line = engine_summary(ctx, form)
    assert line.startswith("openai: about ") and "tokens" in line
    assert "free: it runs on this machine" in line  # a model on this machine is not priced as OpenAI's
    assert "127.0.0.1:9" in line
