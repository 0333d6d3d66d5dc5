"""The page's safeguards below the browser: an action from an out-of-date view is refused, Start
streams the first line, and the timeout field is checked and used as the CLI's --timeout is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_fakes import Roleplay, ScriptedChatModel

from simulator.cli.main import main as cli_main
from simulator.engines.openai_engine import OpenAIEngine
from simulator.service import Toolkit
from simulator.store import Store
from simulator.ui import render
from simulator.ui.actions import (
    ActionError,
    PageContext,
    Partial,
    SetupForm,
    Step,
    current,
    default_timeout,
    engine_settings,
    example_form,
    send_streaming,
    start_session,
    start_streaming,
    stream_action,
)
from simulator.view_revision import STALE_LINE, revision

ANSWER = "In 2023 I led the partitioning of our events table; p95 latency fell by 30%, to 560 ms."


@pytest.fixture
def ctx(roundtwo_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PageContext]:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ROUNDTWO_MODEL", "ROUNDTWO_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)  # no real LLM, and the default deadline
    with Store() as store:
        yield PageContext(store=store)


def _form(ctx: PageContext, engine: str = "offline") -> SetupForm:
    form = example_form(ctx.personas)
    for slot in form.slots:
        slot.minutes = 30
    form.engine, form.seed = engine, "11"
    return form


# ---------------------------------------------------------------- a stale view


def test_an_answer_from_a_view_another_tab_moved_on_is_refused_and_nothing_is_saved(
    ctx: PageContext,
) -> None:
    started = start_session(ctx, _form(ctx))
    session_id, seen = started.session.id, revision(started.session)
    # The other tab answers, drawing the revision it had.
    other = list(send_streaming(ctx, session_id, ANSWER, drawn=seen))[-1]
    assert isinstance(other, Step)
    before = current(ctx, session_id).session

    with pytest.raises(ActionError) as refused:
        list(send_streaming(ctx, session_id, "From the old tab.", drawn=seen))
    assert str(refused.value) == STALE_LINE
    with pytest.raises(ActionError, match="moved on in another tab"):
        list(stream_action(ctx, session_id, "end_loop", drawn=seen))

    after = current(ctx, session_id).session
    assert after.turns == before.turns and after.status == "in_progress"
    # The view that is current carries on.
    moved = list(stream_action(ctx, session_id, "move_on", drawn=revision(after)))[-1]
    assert isinstance(moved, Step) and revision(moved.session) > revision(after)


def test_a_stale_view_of_a_finished_session_hears_that_it_is_stale_first(ctx: PageContext) -> None:
    started = start_session(ctx, _form(ctx))
    seen = revision(started.session)
    list(stream_action(ctx, started.session.id, "end_loop", drawn=seen))
    with pytest.raises(ActionError) as refused:
        list(send_streaming(ctx, started.session.id, ANSWER, drawn=seen))
    assert str(refused.value) == STALE_LINE


# ---------------------------------------------------------------- Start streams


def test_start_streams_the_first_line_before_the_saved_step(ctx: PageContext) -> None:
    offline = ctx.kit("offline")
    engine = OpenAIEngine(ScriptedChatModel(responder=Roleplay()), offline.rubrics)
    ctx.use_kit("openai", Toolkit(offline.personas, offline.rubrics, engine))

    *partials, final = list(start_streaming(ctx, _form(ctx, "openai")))

    assert isinstance(final, Step) and partials
    assert all(isinstance(p, Partial) for p in partials)
    first = partials[0]
    assert isinstance(first, Partial) and first.session.turns == [] and first.text
    assert first.speaker == final.session.plan.slots[0].persona_id
    intro = final.session.turns[0].text
    assert intro.startswith(first.text.strip())
    chat = render.streaming_chat(first.session, first.personas, None, first.speaker, first.text)
    assert "speaking…" in chat[-1]["content"]
    saved = current(ctx, final.session.id).session
    assert render.chat_history(saved, final.personas) == render.chat_history(final.session, final.personas)


def test_an_offline_start_is_one_update(ctx: PageContext) -> None:
    updates = list(start_streaming(ctx, _form(ctx)))
    assert len(updates) == 1 and isinstance(updates[0], Step)
    assert updates[0].session.turns and updates[0].awaiting.kind == "answer"


def test_a_bad_form_is_refused_before_any_session_is_saved(ctx: PageContext) -> None:
    form = _form(ctx)
    form.title = ""
    with pytest.raises(ActionError, match="Job title is empty"):
        start_streaming(ctx, form)
    assert ctx.store.list() == []


# ---------------------------------------------------------------- the timeout field


def test_the_timeout_field_starts_at_roundtwo_timeout(
    ctx: PageContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_timeout() == 20
    monkeypatch.setenv("ROUNDTWO_TIMEOUT", "45")
    assert default_timeout() == 45


def test_the_timeout_field_reaches_the_engine_settings(ctx: PageContext) -> None:
    form = _form(ctx, "openai")
    form.base_url, form.model = "http://127.0.0.1:9/v1", "fake-model"
    form.timeout = 7.0
    settings = engine_settings(form)
    assert settings is not None and settings.timeout == 7.0
    assert "7s a call at most" in settings.describe()
    form.timeout = None  # blank: the environment's deadline
    settings = engine_settings(form)
    assert settings is not None and settings.timeout == default_timeout()


def test_a_page_with_only_its_own_timeout_gets_its_own_engine(ctx: PageContext) -> None:
    form = _form(ctx, "openai")
    assert engine_settings(form) is None  # nothing beyond the environment
    form.timeout = 90.0
    settings = engine_settings(form)
    assert settings is not None and settings.timeout == 90.0


@pytest.mark.parametrize("value", [0.0, -3.0, 601.0])
def test_a_timeout_out_of_range_is_the_clis_line(
    ctx: PageContext, value: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = _form(ctx, "openai")
    form.base_url, form.model, form.timeout = "http://127.0.0.1:9/v1", "fake-model", value
    with pytest.raises(ActionError) as refused:
        engine_settings(form)
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"id": "1", "question": "Why?", "answer": "Because."}\n', encoding="utf-8")
    code = cli_main(
        ["grade", str(lines), "--engine", "openai", "--base-url", form.base_url, "--timeout", str(value)]
    )
    cli_line = capsys.readouterr().err.strip().splitlines()[-1]
    assert code == 2
    reason = cli_line.removeprefix("error: ")
    assert reason.startswith(f"timeout {value}") and "at most 600 seconds" in reason
    assert str(refused.value) == f"engine settings: {reason}"
