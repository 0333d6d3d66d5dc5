"""A step of the interview is saved whole: killed at any moment, a resumed session carries on as if
it never stopped. The answer typed before the kill is kept and graded once; no question takes a
second answer; nothing of a half-made step is left behind.

The "kill" is an engine call that raises a BaseException: nothing after it runs, as with SIGKILL,
and the session is then reopened from the database alone, as a new process would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from simulator.catalog import ROOT
from simulator.engines.base import Engine
from simulator.models import Session, Turn
from simulator.orchestrator import Interview
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, resume, start
from simulator.store import Store, TurnConflict

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
SEED = 5


class Killed(BaseException):
    """The process dies here: no handler runs, nothing after it is saved."""


@dataclass
class DiesOn:
    """The real engine, except that the first call to one of `methods` kills the process."""

    engine: Engine
    methods: set[str]
    calls: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.engine, name)
        if name not in self.methods or not callable(real):
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            raise Killed(name)

        return call


@pytest.fixture(scope="module")
def answers() -> list[str]:
    return load_script(EXAMPLE).answers


def dying(kit: Toolkit, *methods: str) -> Toolkit:
    return Toolkit(kit.personas, kit.rubrics, DiesOn(kit.engine, set(methods)))  # type: ignore[arg-type]


def begin(store: Store, kit: Toolkit) -> Interview:
    setup = script_setup(load_script(EXAMPLE), kit.personas, EXAMPLE, seed=SEED)
    return start(setup, store, kit)


def reopen(db: Path, session_id: str) -> Session:
    """What a new process finds in the database."""
    with Store(db) as store:
        return store.load(session_id)


def replies(session: Session) -> list[int | None]:
    return [t.reply_to for t in session.turns if t.kind in ("answer", "pass")]


def uninterrupted(tmp_path: Path, kit: Toolkit, texts: list[str]) -> list[str]:
    with Store(tmp_path / "never-killed.db") as store:
        interview = begin(store, kit)
        for text in texts:
            interview.answer(text)
    return [t.text for t in interview.session.turns]


def test_an_answer_killed_mid_grade_is_kept_and_graded_once_on_resume(
    kit: Toolkit, answers: list[str], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, dying(kit, "grade"))
        question = interview.state.open_question
        with pytest.raises(Killed):
            interview.answer(answers[0])

    killed = reopen(db, interview.session.id)
    assert killed.turns[-1].text == answers[0]  # nothing the candidate typed is lost
    assert killed.turns[-1].grade is None and killed.turns[-1].reply_to == question

    with Store(db) as store:
        again = resume(interview.session.id, store, kit)
        # Resuming finished the step: the answer is graded and the interviewer has moved on.
        assert again.state.open_question is not None and again.state.open_question > question  # type: ignore[operator]
        again.answer(answers[1])
    saved = reopen(db, interview.session.id)
    answer_turns = [t for t in saved.turns if t.kind == "answer"]
    assert [t.text for t in answer_turns] == answers[:2]
    assert all(t.grade is not None for t in answer_turns)
    assert len(replies(saved)) == len(set(replies(saved)))  # no question answered twice
    # The same round as one that was never killed.
    assert [t.text for t in saved.turns] == uninterrupted(tmp_path, kit, answers[:2])


def test_a_kill_after_the_grade_saves_nothing_of_the_step_but_the_answer(
    kit: Toolkit, answers: list[str], tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, kit)
        # Whatever the interviewer says next (a follow-up, the next question, the invitation), dies.
        interview.engine = dying(kit, "follow_up", "next_question", "invite_questions").engine
        turns_before = len(interview.session.turns)
        with pytest.raises(Killed):
            interview.answer(answers[0])
    killed = reopen(db, interview.session.id)
    # The grade was made, but the step died before the interviewer spoke: none of it was saved.
    assert len(killed.turns) == turns_before + 1
    assert killed.turns[-1].text == answers[0] and killed.turns[-1].grade is None

    with Store(db) as store:
        again = resume(interview.session.id, store, kit)
        again.answer(answers[1])
        again.answer(answers[2])
    saved = reopen(db, interview.session.id)
    assert len(replies(saved)) == len(set(replies(saved))) == 3
    assert all(t.grade is not None for t in saved.turns if t.kind == "answer")
    assert [t.text for t in saved.turns] == uninterrupted(tmp_path, kit, answers[:3])


def test_a_kill_while_an_interviewer_closes_saves_none_of_the_close(kit: Toolkit, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, dying(kit, "hand_off"))
        with pytest.raises(Killed):
            interview.end_slot()
    killed = reopen(db, interview.session.id)
    assert [t.kind for t in killed.turns] == ["intro", "question"]  # no wrap-up without its hand-off

    with Store(db) as store:
        again = resume(interview.session.id, store, kit)
        assert again.awaiting().slot_number == 1
        again.end_slot()
    saved = reopen(db, interview.session.id)
    first = saved.plan.slots[0].persona_id
    kinds = [t.kind for t in saved.turns if t.persona_id == first]
    assert kinds.count("wrap_up") == 1 and kinds.count("handoff") == 1
    assert len(saved.handoff_notes) == 1
    assert [t.kind for t in saved.turns if t.persona_id == saved.plan.slots[1].persona_id][:2] == [
        "intro",
        "question",
    ]


def test_a_question_the_candidate_asked_before_a_kill_is_answered_once_on_resume(
    kit: Toolkit, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, kit)
        interview.move_on()
        interview.move_on()  # two passes: the interviewer invites questions
        assert interview.awaiting().kind == "candidate_question"
        session_id = interview.session.id
    ask = "What does the first on-call week look like for a new engineer here?"
    with Store(db) as store:
        doomed = resume(session_id, store, dying(kit, "answer_candidate"))
        with pytest.raises(Killed):
            doomed.ask(ask)
    assert reopen(db, session_id).turns[-1].text == ask

    with Store(db) as store:
        again = resume(session_id, store, kit)
        assert again.awaiting().kind == "candidate_question"
    saved = reopen(db, session_id)
    asked = [i for i, t in enumerate(saved.turns) if t.kind == "candidate_question"]
    assert [saved.turns[i].text for i in asked] == [ask]
    assert saved.turns[asked[0] + 1].kind == "interviewer_answer"
    assert saved.turns[-1].speaker != "candidate"


def test_a_session_killed_before_its_first_question_begins_on_resume(kit: Toolkit, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store, pytest.raises(Killed):
        begin(store, dying(kit, "introduce"))
    with Store(db) as store:
        [summary] = store.list()
        assert store.load(summary.id).turns == []
        again = resume(summary.id, store, kit)
        assert [t.kind for t in again.session.turns] == ["intro", "question"]
        again.answer("I cut our on-call pages by 45% in one quarter by rewriting the alert rules myself.")
    saved = reopen(db, summary.id)
    assert [t.kind for t in saved.turns[:3]] == ["intro", "question", "answer"]
    assert saved.turns[2].grade is not None


def test_the_store_refuses_a_second_answer_to_one_question(kit: Toolkit, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, kit)
        question = interview.state.open_question
        interview.answer("I rewrote the alert rules and cut pages by 45% in one quarter.")
        answer = next(t for t in interview.session.turns if t.kind == "answer")
        second = Turn.model_validate(
            {**answer.model_dump(), "index": len(interview.session.turns), "text": "A second try at it."}
        )
        with pytest.raises(TurnConflict, match=f"turn {question} already has its reply"):
            store.append_turn(interview.session.id, second, None)
        # A step is saved whole or not at all.
        with pytest.raises(RuntimeError, match="died"), store.atomic():
            store.save_state(interview.session.id, {"slot": 3})
            raise RuntimeError("died mid-step")
        assert store.load_state(interview.session.id)["slot"] == 0  # type: ignore[index]
    assert [t.text for t in reopen(db, interview.session.id).turns if t.kind == "answer"] == [answer.text]


def test_a_session_an_older_build_left_mid_step_takes_the_next_answer_for_the_question_last_asked(
    kit: Toolkit, answers: list[str], tmp_path: Path
) -> None:
    """Builds before atomic steps saved the state turn by turn: killed after asking the next
    question, they left the state pointing at the question already answered."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        interview = begin(store, kit)
        answered = interview.state.open_question
        interview.answer(answers[0])
        asked = interview.session.turns[-1]
        assert asked.kind in ("question", "follow_up")
        store.save_state(interview.session.id, {**interview.state.model_dump(), "open_question": answered})
    with Store(db) as store:
        again = resume(interview.session.id, store, kit)
        again.answer(answers[1])  # would be refused as a second answer to the first question
    saved = reopen(db, interview.session.id)
    assert [t.reply_to for t in saved.turns if t.kind == "answer"] == [answered, asked.index]
    assert [t.text for t in saved.turns if t.kind == "answer"] == answers[:2]
