"""The API the CLI and the page share: start, resume and finish sessions, saved as they happen.

The orchestrator is pure; this module connects it to the store, the catalog and the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from simulator.catalog import Rubrics, load_personas, load_rubrics
from simulator.engines import make_engine
from simulator.engines.base import Engine
from simulator.engines.settings import EngineSettings
from simulator.grading.grader import warm_up
from simulator.models import Persona, Session, Setup, Turn
from simulator.orchestrator import Interview, InterviewError, InterviewState, StepWrites
from simulator.practice.drill import drill_personas
from simulator.practice.redo import finish_redos
from simulator.practice.report import practice_report
from simulator.regrade import GradeChange, regrade
from simulator.report import ThankYouCheck, check_thank_you
from simulator.script import Script, ScriptedAnswer, spread_questions, typed_answers
from simulator.store import Store, new_session_id


@dataclass(frozen=True)
class Toolkit:
    """The loaded data files and the engine: what every session needs."""

    personas: dict[str, Persona]
    rubrics: Rubrics
    engine: Engine

    @classmethod
    def load(
        cls,
        engine: str = "offline",
        settings: EngineSettings | None = None,
        personas: dict[str, Persona] | None = None,
    ) -> Toolkit:
        """`personas`: already loaded (the page reads them first, to build itself before the rubrics)."""
        rubrics = load_rubrics()
        return cls(
            personas if personas is not None else load_personas(),
            rubrics,
            make_engine(engine, rubrics, settings),
        )


class StoreSink:
    """Commits what the candidate typed at once, and the rest of each step in one transaction."""

    def __init__(self, store: Store):
        self.store = store

    def input_taken(self, session: Session, turn: Turn) -> None:
        # The state stays the one from before the step: a resume sees the step is unfinished.
        self.store.append_turn(session.id, turn, None)

    def step_done(self, session: Session, writes: StepWrites, state: InterviewState) -> None:
        with self.store.atomic():
            for turn in writes.graded:
                self.store.update_turn(session.id, turn)
            for turn in writes.added:
                self.store.append_turn(session.id, turn, None)
            self.store.save_state(session.id, state.model_dump(), session.handoff_notes)
            if session.usage:
                self.store.save_usage(session.id, session.usage)
            if writes.closed:
                self.store.close_session(session)


def _interview(
    session: Session, store: Store, kit: Toolkit, state: InterviewState | None = None
) -> Interview:
    """An orchestrator saving to the store, closing with the report, wrapping up by the rubric."""
    if session.status == "in_progress":
        warm_up(session.round_one, kit.rubrics)  # round one's vectors, ready before the first answer
    return Interview(
        session,
        drill_personas(session, kit.personas),  # a drill's interviewer asks only the drill's questions
        kit.engine,
        state=state,
        sink=StoreSink(store),
        close=lambda closed: practice_report(closed, kit.personas, kit.rubrics),
        wrap_up_rubric=kit.rubrics.checklist.debrief,
    )


def start(setup: Setup, store: Store, kit: Toolkit) -> Interview:
    """Create and save a session, and let the first interviewer speak."""
    interview = create(setup, store, kit)
    interview.begin()
    return interview


def create(setup: Setup, store: Store, kit: Toolkit) -> Interview:
    """Create and save a session in which no one has spoken yet: `begin()` lets the first
    interviewer speak (the page streams that line; a resume begins a session saved with no turns)."""
    plan = setup.plan.model_copy(update={"engine": kit.engine.name})
    session = Session(
        id=new_session_id(),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        job=setup.job,
        round_one=setup.round_one,
        story_bank=setup.story_bank,
        plan=plan,
    )
    interview = _interview(session, store, kit)
    store.create(session, interview.state.model_dump())
    return interview


def resume(session_id: str, store: Store, kit: Toolkit) -> Interview:
    """Pick up a saved session where it stopped (after a crash, a reload or a restart).

    A step that a crash cut short (an answer saved but not yet graded, say) is finished first,
    so the session carries on from a whole step. Callers serialise actions on one session (the
    page holds its lock), so a step still running is never taken for one cut short.
    """
    session = finish_redos(store.load(session_id), store, kit)  # an answer given again, graded
    saved = store.load_state(session.id)
    state = InterviewState.model_validate(saved) if saved else InterviewState(phase="closed")
    if session.status != "in_progress":
        # A finished or imported session has nothing left to ask, whatever state came with it.
        state = state.model_copy(update={"phase": "closed", "open_question": None})
    interview = _interview(session, store, kit, state)
    interview.recover()
    return interview


def regrade_saved(session_id: str, store: Store, kit: Toolkit) -> list[GradeChange]:
    """Grade a saved session's answers again; the new grades are saved beside the old ones."""
    session = store.load(session_id)
    changes = regrade(session, kit.engine)
    turns = {t.index: t for t in session.turns}
    for change in changes:
        store.add_regrade(session.id, change.turn_index, change.after)
        if change.reply_after is not None:  # a reply's re-grades travel with its turn
            turn = turns[change.turn_index]
            turn.reply_regrades.append(change.reply_after)
            store.update_turn(session.id, turn)
    return changes


def check_thank_you_note(
    session_id: str, persona_id: str, note: str, hours_after: float | None, store: Store, kit: Toolkit
) -> ThankYouCheck:
    """Check a thank-you note the candidate wrote; the loop's checklist is updated with the result."""
    session = store.load(session_id)
    persona = kit.personas.get(persona_id)
    if persona is None or persona_id not in {s.persona_id for s in session.plan.slots}:
        panel = ", ".join(s.persona_id for s in session.plan.slots)
        raise InterviewError(f"'{persona_id}' was not on this panel (the panel: {panel})")
    if not note.strip():
        raise InterviewError("the note is empty")
    check = check_thank_you(note, persona, session, hours_after, kit.rubrics.checklist)
    if session.status != "in_progress":
        store.close_session(practice_report(session, kit.personas, kit.rubrics, [check]))
    return check


def play_script(interview: Interview, script: Script, answers: list[ScriptedAnswer] | None = None) -> Session:
    """Feed a script's answers and questions until the loop closes; passes once answers run out.

    `answers` are the script's answers with any recordings already transcribed (voice.script_audio).
    """
    given = iter(answers if answers is not None else typed_answers(script))
    shares = spread_questions(script.candidate_questions, len(interview.session.plan.slots))
    while True:
        waiting = interview.awaiting()
        if waiting.kind == "nothing":
            return interview.session
        if waiting.kind == "answer":
            item = next(given, None)
            interview.answer(item.text, item.delivery) if item is not None else interview.move_on()
        else:
            share = shares[waiting.slot_number - 1]
            interview.ask(share.pop(0)) if share else interview.done_asking()
