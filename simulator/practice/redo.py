"""Answering a question again: the first attempt is kept beside the new one, and scores use the latest.

An answer turn's `text` and `grade` are always its latest attempt, so every score, verdict and
checklist item reads the latest without knowing attempts exist; each earlier attempt moves, with
its own grades and re-grades, into `turn.attempts`, oldest first. Nothing is overwritten.

Which answer may be given again:
- during an interview, the candidate's last answer while that interviewer's conversation is on
  (once it is over, the next interviewer has read the hand-off notes written from it);
- in a finished session (Replay), any answer no later answer builds on: a follow-up's answer is
  graded with the answers before it, so redoing an earlier one would leave that grade stale.

Like every step, the new words are saved before anything is done with them; an attempt whose
grade a crash cut short is graded by `finish_redos` when the session is next opened.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from simulator.engines.base import Engine
from simulator.engines.usage import merge_usage
from simulator.limits import MAX_ANSWER_CHARS
from simulator.models import Attempt, Delivery, Session, Turn
from simulator.orchestrator import Interview, InterviewError, InterviewState
from simulator.practice.report import practice_report
from simulator.story_chains import grade_request, story_of

if TYPE_CHECKING:
    from simulator.service import Toolkit
    from simulator.store import Store


class RedoRefused(InterviewError):
    """This answer cannot be given again now; the message says why and what can be done instead."""


def checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise RedoRefused("the new answer is empty: type it, then send it")
    if len(text) > MAX_ANSWER_CHARS:
        raise RedoRefused(
            f"the new answer is {len(text):,} characters; an answer may be {MAX_ANSWER_CHARS:,}"
        )
    return text


def last_answer(session: Session) -> Turn | None:
    return next((t for t in reversed(session.turns) if t.kind == "answer" and t.speaker == "candidate"), None)


def live_target(session: Session, state: InterviewState) -> Turn:
    """The answer a running interview lets the candidate give again: the last one, in this conversation."""
    if state.phase == "closed":
        raise RedoRefused("the interview is over: answer again from Replay")
    turn = last_answer(session)
    if turn is None:
        raise RedoRefused("there is no answer to give again yet")
    if any(t.kind == "handoff" for t in session.turns[turn.index + 1 :]):
        raise RedoRefused(
            "your last answer was in a conversation that is over: answer it again from Replay when the loop ends"
        )
    return turn


def builds_on(session: Session, turn: Turn) -> Turn | None:
    """A later answer whose story includes this one (the answer to the follow-up after it), if any."""
    for later in session.turns[turn.index + 1 :]:
        if later.kind != "answer" or later.persona_id != turn.persona_id:
            continue
        if any(part.index == turn.index for part in story_of(session.turns, later.index).answers):
            return later
    return None


def saved_target(session: Session, turn_index: int) -> Turn:
    """The answer a finished session lets the candidate give again."""
    if session.status == "in_progress":
        raise RedoRefused(
            "this session is still running: answer its last question again on the Interview tab"
        )
    turn = next((t for t in session.turns if t.index == turn_index), None)
    if turn is None or turn.kind != "answer":
        raise RedoRefused(f"turn {turn_index} is not one of your answers")
    later = builds_on(session, turn)
    if later is not None:
        raise RedoRefused(
            f"turn {later.index}, your answer to the follow-up after it, builds on this answer: "
            "answer that one again instead"
        )
    return turn


def take_attempt(turn: Turn, text: str, delivery: Delivery | None = None) -> None:
    """The turn becomes the new attempt; the one it was moves into `attempts` with all its grades."""
    turn.attempts.append(
        Attempt(
            text=turn.text,
            grade=turn.grade,
            reply_grade=turn.reply_grade,
            regrades=turn.regrades,
            delivery=turn.delivery,
            note=turn.note,
            replaced_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    turn.text, turn.delivery = text, delivery
    turn.grade, turn.reply_grade, turn.note = None, None, None
    turn.regrades, turn.reply_regrades = [], []


def grade_attempt(session: Session, turn: Turn, engine: Engine) -> None:
    """Grade the latest attempt as the orchestrator grades an answer: the story so far, and a
    follow-up's answer also on what the follow-up asked."""
    turn.grade = engine.grade(grade_request(session, turn.index))
    if turn.grade.status == "fallback":
        turn.note = turn.grade.reason
    asked = next((t for t in session.turns if t.index == turn.reply_to), None)
    if asked is not None and asked.kind == "follow_up":
        turn.reply_grade = engine.grade_reply(asked.text, turn.text, asked.follow_up_reason)
    take_usage = getattr(engine, "take_usage", None)
    records = take_usage() if take_usage is not None else None
    if records:
        session.usage = merge_usage(session.usage, engine.name, records)


def _answer_again(
    session: Session, turn: Turn, text: str, delivery: Delivery | None, store: Store, engine: Engine
) -> None:
    take_attempt(turn, text, delivery)
    store.replace_answer(session.id, turn)  # the new words are saved before they are graded
    grade_attempt(session, turn, engine)


def redo_last_answer(interview: Interview, store: Store, text: str, delivery: Delivery | None = None) -> Turn:
    """During an interview: the last answer given again. The interview carries on where it was."""
    text = checked_text(text)
    session = interview.session
    turn = live_target(session, interview.state)
    _answer_again(session, turn, text, delivery, store, interview.engine)
    with store.atomic():
        store.update_turn(session.id, turn)
        if session.usage:
            store.save_usage(session.id, session.usage)
    return turn


def redo_saved_answer(
    session_id: str, turn_index: int, text: str, store: Store, kit: Toolkit, delivery: Delivery | None = None
) -> Session:
    """In a finished session: an answer given again, and the report rebuilt on the latest attempts."""
    text = checked_text(text)
    session = finish_redos(store.load(session_id), store, kit)
    turn = saved_target(session, turn_index)
    _answer_again(session, turn, text, delivery, store, kit.engine)
    closed = practice_report(session, kit.personas, kit.rubrics)
    store.close_session(closed)  # the graded turn, the report and the usage, in one transaction
    return closed


def finish_redos(session: Session, store: Store, kit: Toolkit) -> Session:
    """Grade any attempt whose grading a crash cut short (its words were saved), and save it.

    Returns the session to carry on with: a finished one comes back with its report rebuilt.
    """
    pending = [t for t in session.turns if t.kind == "answer" and t.attempts and t.grade is None]
    if not pending:
        return session
    for turn in pending:
        grade_attempt(session, turn, kit.engine)
    if session.status != "in_progress":
        closed = practice_report(session, kit.personas, kit.rubrics)
        store.close_session(closed)
        return closed
    with store.atomic():
        for turn in pending:
            store.update_turn(session.id, turn)
        if session.usage:
            store.save_usage(session.id, session.usage)
    return session
