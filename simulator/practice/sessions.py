"""Drills started from the store: from a saved session (one of its questions, a competency, or what
went worst), or again from an earlier drill. A drill is saved and resumed like any session."""

from __future__ import annotations

from simulator.models import Session, Setup, Turn
from simulator.orchestrator import Interview
from simulator.practice.drill import (
    DrillError,
    Weakest,
    competency_drill,
    question_drill,
    weakest_competency,
)
from simulator.service import Toolkit, start
from simulator.store import Store
from simulator.story_chains import story_of


def base_setup(session: Session, seed: int | None = None) -> Setup:
    """What a drill from this session starts from: its job, round one, story bank, pressure and seed."""
    plan = session.plan.model_copy(
        update={"drill": None, "seed": session.plan.seed if seed is None else seed}
    )
    return Setup(job=session.job, round_one=session.round_one, story_bank=session.story_bank, plan=plan)


def asked_question(session: Session, turn_index: int) -> Turn:
    """The question a turn belongs to: the question itself, or the question an answer's story began with."""
    turn = next((t for t in session.turns if t.index == turn_index), None)
    if turn is None:
        raise DrillError(f"drill: session {session.id} has no turn {turn_index}")
    if turn.kind == "answer":
        return story_of(session.turns, turn.index).question
    if turn.kind in ("question", "follow_up"):
        return turn
    raise DrillError(f"drill: turn {turn_index} is neither a question nor an answer")


def _without_remark(question: Turn, kit: Toolkit) -> str:
    """The question as asked, without a remark the interviewer said before it ("Let's park pay ...")."""
    persona = kit.personas.get(question.persona_id)
    text = question.text
    remarks = persona.remarks if persona is not None else None
    for line in [*(remarks.salary if remarks else []), *(remarks.off_topic if remarks else [])]:
        if text.startswith(line):
            return text[len(line) :].strip()
    return text


def suggest(session: Session) -> Weakest | None:
    """What went worst in a finished session: the competency a drill should practise."""
    return weakest_competency(session) if session.status != "in_progress" else None


def drill_setup_from(
    session: Session,
    kit: Toolkit,
    *,
    competency: str | None = None,
    turn_index: int | None = None,
    seed: int | None = None,
) -> Setup:
    """A drill of one of the session's questions (`turn_index`), of a competency, or (neither given)
    of the competency that went worst."""
    base = base_setup(session, seed)
    if turn_index is not None:
        question = asked_question(session, turn_index)
        return question_drill(
            base,
            _without_remark(question, kit),
            kit.personas,
            kit.rubrics,
            persona_id=question.persona_id if question.persona_id in kit.personas else None,
            question_id=question.question_id,
            from_session=session.id,
        )
    if competency is None or competency.strip().lower() == "weakest":
        worst = suggest(session)
        if worst is None:
            raise DrillError(
                f"drill: session {session.id} has no scores yet to find what went worst (finish it, or name a competency)"
            )
        competency = worst.competency
    return competency_drill(base, competency, kit.personas, from_session=session.id)


def drill_from_session(
    session_id: str,
    store: Store,
    kit: Toolkit,
    *,
    competency: str | None = None,
    turn_index: int | None = None,
) -> Interview:
    """Start a drill built from a saved session (see `drill_setup_from`)."""
    session = store.load(session_id)
    setup = drill_setup_from(session, kit, competency=competency, turn_index=turn_index)
    return start(setup, store, kit)


def again_setup(previous: Session, kit: Toolkit) -> Setup:
    """The same drill once more: the same question, or the same competency with other questions when
    the bank has them."""
    drill = previous.plan.drill
    if drill is None:
        raise DrillError(f"drill: session {previous.id} is a round, not a drill")
    base = base_setup(previous, previous.plan.seed + 1)
    persona_id = previous.plan.slots[0].persona_id
    if drill.question is not None:
        return question_drill(
            base,
            drill.question,
            kit.personas,
            kit.rubrics,
            persona_id=persona_id if persona_id in kit.personas else None,
            question_id=drill.question_ids[0] if drill.question_ids else None,
            from_session=drill.from_session,
        )
    return competency_drill(
        base, drill.competency, kit.personas, avoid=drill.question_ids, from_session=drill.from_session
    )


def drill_again(session_id: str, store: Store, kit: Toolkit) -> Interview:
    return start(again_setup(store.load(session_id), kit), store, kit)
