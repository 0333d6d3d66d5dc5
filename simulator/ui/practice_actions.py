"""What the page's practice controls do, as plain functions (no Gradio): answer again during an
interview or from Replay, and start a drill from a session shown on the Feedback or Replay tab.

Every action on a session holds that session's lock, as the interview's own actions do, and an LLM
engine's per-engine lock while it grades, so its usage records stay with the right session.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from simulator.models import DIMENSIONS, Session, Turn
from simulator.orchestrator import Interview, InterviewError
from simulator.practice.drill import Weakest, competency_drill, question_drill
from simulator.practice.redo import live_target, redo_last_answer, redo_saved_answer
from simulator.practice.sessions import again_setup, drill_setup_from, suggest
from simulator.service import Toolkit, resume, start
from simulator.story_chains import story_of
from simulator.ui.actions import (
    MAX_ANSWER_WORDS,
    ActionError,
    PageContext,
    SetupForm,
    Step,
    as_action_error,
    build_setup,
    engine_settings,
    load,
)
from simulator.view_revision import StaleView, check_current

T = TypeVar("T")
_WORD = re.compile(r"\S+")


@contextlib.contextmanager
def _engine_turn(ctx: PageContext, kit: Toolkit) -> Iterator[None]:
    """An LLM engine keeps call records per engine: two sessions grading on it take turns."""
    shared = hasattr(kit.engine, "take_usage")
    with ctx.lock(f"engine-use:{id(kit.engine)}") if shared else contextlib.nullcontext():
        yield


def _plainly(action: Callable[[], T]) -> T:
    """Run a practice action; what the user can fix comes back as one plain ActionError line."""
    try:
        return action()
    except ActionError:
        raise
    except (InterviewError, StaleView) as exc:
        raise ActionError(str(exc)) from None
    except Exception as exc:  # anything else: one plain line, never a toast of internals
        raise as_action_error(exc) from None


def _open(ctx: PageContext, session: Session) -> Interview:
    return resume(session.id, ctx.store, ctx.session_kit(session))


def _checked_words(text: str) -> str:
    words = len(_WORD.findall(text))
    if words > MAX_ANSWER_WORDS:
        raise ActionError(f"Your new answer is {words:,} words; the limit is {MAX_ANSWER_WORDS:,}.")
    return text


# ---------------------------------------------------------------- answer again, during the round


@dataclass(frozen=True)
class RedoTarget:
    turn_index: int
    question: str  # the question the answer was given to (the story's, for a follow-up: that follow-up)


def redo_target(ctx: PageContext, session_id: str) -> RedoTarget:
    """The answer the running interview lets the candidate give again, with its question."""
    if not session_id:
        raise ActionError("No interview is running: start one on the Setup tab, or resume one from Replay.")
    session = load(ctx, session_id)

    def find() -> RedoTarget:
        with ctx.lock(session.id):
            interview = _open(ctx, session)
            turn = live_target(interview.session, interview.state)
            return RedoTarget(turn.index, _asked(interview.session, turn))

    return _plainly(find)


def _asked(session: Session, turn: Turn) -> str:
    asked = next((t for t in session.turns if t.index == turn.reply_to), None)
    return asked.text if asked is not None else story_of(session.turns, turn.index).question.text


def redo_live(
    ctx: PageContext, session_id: str, turn_index: int | None, text: str, drawn: int | None
) -> Step:
    """The candidate's last answer given again (`turn_index`: the one the page showed them)."""
    text = _checked_words(text or "")
    session = load(ctx, session_id)

    def act() -> Step:
        with ctx.lock(session.id):
            interview = _open(ctx, session)
            check_current(interview.session, drawn)
            turn = live_target(interview.session, interview.state)
            if turn_index is not None and turn.index != turn_index:
                raise ActionError("You have answered since: open “Answer the last question again” once more.")
            with _engine_turn(ctx, ctx.session_kit(session)):
                redo_last_answer(interview, ctx.store, text)
            return Step(interview.session, interview.awaiting(), interview.personas)

    return _plainly(act)


# ---------------------------------------------------------------- answer again, from Replay


def redo_replayed(ctx: PageContext, session_id: str, position: int, text: str) -> Session:
    """The answer at `position` in a saved session given again; the report is rebuilt."""
    text = _checked_words(text or "")
    if not session_id:
        raise ActionError("Open a session first.")
    session = load(ctx, session_id)
    if not 0 <= position < len(session.turns):
        raise ActionError("Step to one of your answers first.")
    turn = session.turns[position]
    kit = ctx.session_kit(session)

    def act() -> Session:
        with ctx.lock(session.id), _engine_turn(ctx, kit):
            return redo_saved_answer(session.id, turn.index, text, ctx.store, kit)

    return _plainly(act)


# ---------------------------------------------------------------- drills


@dataclass(frozen=True)
class DrillChoices:
    """What the drill section offers for the session shown."""

    session_id: str
    is_drill: bool
    drill_of: str | None  # a drill: what it practised (a competency, or the question)
    weakest: Weakest | None
    competencies: list[tuple[str, str]]  # (label, dimension)
    questions: list[tuple[str, str]]  # (label, turn index as text)


def drill_choices(ctx: PageContext, session_id: str) -> DrillChoices:
    session = load(ctx, session_id)
    rubric = ctx.kit("offline").rubrics.checklist.debrief
    personas = ctx.personas
    questions = []
    for turn in session.turns:
        if turn.kind == "question":
            persona = personas.get(turn.persona_id)
            who = persona.name if persona else turn.persona_id
            text = turn.text if len(turn.text) <= 110 else turn.text[:109] + "…"
            questions.append((f"{who}: {text}", str(turn.index)))
    drill = session.plan.drill
    drill_of = None
    if drill is not None:
        drill_of = f"“{drill.question}”" if drill.question else rubric.dimension_label(drill.competency)
    return DrillChoices(
        session.id,
        drill is not None,
        drill_of,
        suggest(session),
        competency_choices(ctx),
        questions,
    )


def start_drill(
    ctx: PageContext,
    session_id: str,
    *,
    competency: str | None = None,
    turn_index: int | None = None,
    again: bool = False,
) -> Step:
    """A drill built from a saved session (a question of it, a competency, or what went worst), or
    the same drill again; the first interviewer line is spoken and saved."""
    if not session_id:
        raise ActionError("Show a session's feedback first: a drill uses its job and round one.")
    session = load(ctx, session_id)
    kit = ctx.session_kit(session)

    def act() -> Step:
        if again:
            setup = again_setup(session, kit)
        else:
            setup = drill_setup_from(session, kit, competency=competency, turn_index=turn_index)
        with _engine_turn(ctx, kit):
            interview = start(setup, ctx.store, kit)
        if session.id in ctx._session_kits:  # its own model or URL: the drill's steps use the same engine
            ctx._session_kits[interview.session.id] = kit
        return Step(interview.session, interview.awaiting(), interview.personas)

    return _plainly(act)


def answers_given_again(ctx: PageContext, session_id: str) -> str:
    """A line saying the scores use the latest attempts, when any answer was given again."""
    count = sum(1 for t in load(ctx, session_id).turns if t.kind == "answer" and t.attempts)
    if not count:
        return ""
    answers = "answer" if count == 1 else "answers"
    return f"You gave {count} {answers} again: the scores use the latest attempt."


def start_drill_from_form(ctx: PageContext, form: SetupForm, competency: str | None, question: str) -> Step:
    """A drill for the job on the Setup tab: one question (asked by the first interviewer ticked), or
    one competency's questions (asked by whoever's bank holds most of them)."""
    question = (question or "").strip()
    if not question and not competency:
        raise ActionError("Pick a competency, or type a question, to drill.")
    kit = ctx.kit(form.engine, engine_settings(form))
    base = build_setup(form, kit.personas, ctx.store)

    def act() -> Step:
        if question:
            first = base.plan.slots[0].persona_id
            setup = question_drill(base, question, kit.personas, kit.rubrics, persona_id=first)
        else:
            setup = competency_drill(base, competency or "", kit.personas)
        with _engine_turn(ctx, kit):
            interview = start(setup, ctx.store, kit)
        if form.engine != "offline":  # its own model or URL: the drill's steps use the same engine
            ctx._session_kits[interview.session.id] = kit
        return Step(interview.session, interview.awaiting(), interview.personas)

    return _plainly(act)


def competency_choices(ctx: PageContext) -> list[tuple[str, str]]:
    rubric = ctx.checklist.debrief  # the page is built with these: not the whole toolkit (app.py)
    return [(rubric.dimension_label(d), d) for d in DIMENSIONS]
