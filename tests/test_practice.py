"""Practice loops through the Python API the CLI and the page share: an answer given again (live and
from a finished session), and drills of one question or one competency, saved like any session."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.catalog import ROOT
from simulator.engines.base import GradeRequest
from simulator.markdown import inline, session_to_markdown
from simulator.models import AnswerGrade, Attempt, Session, Setup, Turn
from simulator.practice.drill import DrillError, competency_drill, drills, question_drill
from simulator.practice.redo import RedoRefused, redo_last_answer, redo_saved_answer
from simulator.practice.sessions import drill_again, drill_from_session, suggest
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, play_script, regrade_saved, resume, start
from simulator.store import Store
from simulator.ui.practice_render import attempts_card, chat_attempts

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
WEAK = "We did some stuff."
STRONG = (
    "In 2023 our billing service sent invoices a day late. I owned the fix: I wrote the Kafka consumer, "
    "ran the cutover on a Sunday and watched the error rate, and invoice delays fell from a day to ten minutes."
)
DRILL_ANSWER = (
    "Last year two teams disagreed about an API change; I set up a call, wrote down both cases and we "
    "agreed a staged rollout, so releases went out a week sooner and nobody was blocked."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "s.db") as db:
        yield db


def example_setup(kit: Toolkit, seed: int = 3) -> Setup:
    return script_setup(load_script(EXAMPLE), kit.personas, str(EXAMPLE), seed=seed)


@pytest.fixture(scope="module")
def finished_export(kit: Toolkit, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One whole round played from the example script, exported: each test imports its own copy."""
    with Store(tmp_path_factory.mktemp("round") / "s.db") as store:
        interview = start(example_setup(kit), store, kit)
        play_script(interview, load_script(EXAMPLE))
        return store.export_json(interview.session.id)


@pytest.fixture
def session(store: Store, finished_export: str) -> Session:
    """A finished round, saved in this test's store."""
    return store.load(store.import_json(finished_export))


def finish_drill(interview) -> Session:  # type: ignore[no-untyped-def]
    while interview.awaiting().kind == "answer":
        interview.answer(DRILL_ANSWER)
    return interview.session


# ---------------------------------------------------------------- answering again, live


def test_the_first_attempt_is_kept_beside_the_new_one_and_scores_use_the_latest(
    store: Store, kit: Toolkit
) -> None:
    interview = start(example_setup(kit), store, kit)
    interview.answer(WEAK)
    redone = redo_last_answer(interview, store, STRONG)

    saved = store.load(interview.session.id).turns[redone.index]
    assert saved.text == STRONG and saved.grade is not None and saved.grade.status == "graded"
    assert [a.text for a in saved.attempts] == [WEAK]
    first = saved.attempts[0].grade
    assert first is not None and first.status == "ungradable", "the first attempt keeps its own grade"
    assert interview.awaiting().kind == "answer", "the interview carries on where it was"

    play_script(interview, load_script(EXAMPLE))
    closed = store.load(interview.session.id)
    card = next(c for c in closed.scorecards if c.persona_id == saved.persona_id)
    assert card.redone == 1
    assert "latest attempt of 1 answer given again" in card.note
    assert closed.turns[redone.index].attempts[0].text == WEAK, "closing the loop keeps the first attempt"
    others = [c for c in closed.scorecards if c.persona_id != saved.persona_id]
    assert all(c.redone == 0 and "given again" not in c.note for c in others)


def test_only_the_last_answer_in_a_conversation_still_on_can_be_given_again(
    store: Store, kit: Toolkit
) -> None:
    interview = start(example_setup(kit), store, kit)
    with pytest.raises(RedoRefused, match="no answer to give again yet"):
        redo_last_answer(interview, store, STRONG)
    interview.answer(STRONG)
    with pytest.raises(RedoRefused, match="empty"):
        redo_last_answer(interview, store, "   ")
    interview.end_slot()  # the next interviewer has read the notes written from that answer
    with pytest.raises(RedoRefused, match="conversation that is over"):
        redo_last_answer(interview, store, STRONG)


class _CrashOnGrade:
    """The engine dies while grading, as a killed process would: the step stops there."""

    def __init__(self, engine: object):
        self._engine = engine

    def grade(self, request: GradeRequest) -> AnswerGrade:
        raise SystemExit("killed")

    def __getattr__(self, name: str) -> object:
        return getattr(self._engine, name)


def test_the_new_words_are_saved_before_grading_and_a_resume_grades_them(store: Store, kit: Toolkit) -> None:
    interview = start(example_setup(kit), store, kit)
    interview.answer(WEAK)
    interview.engine = _CrashOnGrade(kit.engine)  # type: ignore[assignment]
    with pytest.raises(SystemExit):
        redo_last_answer(interview, store, STRONG)
    cut_short = [t for t in store.load(interview.session.id).turns if t.attempts]
    assert [(t.text, t.grade) for t in cut_short] == [(STRONG, None)], "typed, saved, not yet graded"

    resumed = resume(interview.session.id, store, kit)
    turn = resumed.session.turns[cut_short[0].index]
    assert turn.grade is not None and turn.grade.status == "graded"
    assert store.load(interview.session.id).turns[turn.index].grade == turn.grade


# ---------------------------------------------------------------- answering again, from Replay


def test_a_finished_sessions_answer_given_again_rebuilds_the_report(
    store: Store, kit: Toolkit, session: Session
) -> None:
    regrade_saved(session.id, store, kit)  # a re-grade of the first attempt belongs to that attempt
    last = [t for t in session.turns if t.kind == "answer"][-1]

    closed = redo_saved_answer(session.id, last.index, STRONG, store, kit)

    saved = store.load(session.id)
    turn = saved.turns[last.index]
    assert turn.text == STRONG and [a.text for a in turn.attempts] == [last.text]
    assert turn.regrades == [] and len(turn.attempts[0].regrades) == 1, "re-grades move with their attempt"
    card = next(c for c in saved.scorecards if c.persona_id == last.persona_id)
    assert card.redone == 1 and card == next(c for c in closed.scorecards if c.persona_id == last.persona_id)
    assert saved.status == session.status and saved.checklist, "still a round's report"


def test_replay_refuses_an_answer_a_later_follow_up_answer_builds_on(
    store: Store, kit: Toolkit, session: Session
) -> None:
    replies = [t for t in session.turns if t.kind == "answer"]
    follow_up = next(
        t for t in session.turns if t.kind == "follow_up" and any(r.reply_to == t.index for r in replies)
    )
    later = next(r for r in replies if r.reply_to == follow_up.index)
    earlier = [r for r in replies if r.index < follow_up.index][-1]
    with pytest.raises(RedoRefused, match=f"turn {later.index}, your answer to the follow-up after it"):
        redo_saved_answer(session.id, earlier.index, STRONG, store, kit)
    redo_saved_answer(session.id, later.index, STRONG, store, kit)  # the story's last answer can be
    question = next(t for t in session.turns if t.kind == "question")
    with pytest.raises(RedoRefused, match=f"turn {question.index} is not one of your answers"):
        redo_saved_answer(session.id, question.index, STRONG, store, kit)


def test_replay_leaves_a_running_session_to_the_interview_tab(store: Store, kit: Toolkit) -> None:
    interview = start(example_setup(kit), store, kit)
    interview.answer(WEAK)
    index = next(t.index for t in interview.session.turns if t.kind == "answer")
    with pytest.raises(RedoRefused, match="still running"):
        redo_saved_answer(interview.session.id, index, STRONG, store, kit)


def test_attempts_survive_export_import_and_the_markdown_report(
    store: Store, kit: Toolkit, session: Session
) -> None:
    last = [t for t in session.turns if t.kind == "answer"][-1]
    redo_saved_answer(session.id, last.index, STRONG, store, kit)
    copy = store.load(store.import_json(store.export_json(session.id)))
    assert copy.turns[last.index].attempts == store.load(session.id).turns[last.index].attempts
    readable = session_to_markdown(store.load(session.id), kit.personas)
    assert "**Earlier attempt 1** (" in readable and f"“{inline(last.text)}”" in readable


# ---------------------------------------------------------------- drills


def test_a_competency_drill_asks_only_that_competencys_questions(store: Store, kit: Toolkit) -> None:
    setup = competency_drill(example_setup(kit), "collaboration", kit.personas)
    interview = start(setup, store, kit)
    session = finish_drill(interview)

    persona = kit.personas[session.plan.slots[0].persona_id]
    bank = {
        q.id: q for q in [*persona.questions, *(q for qs in persona.family_questions.values() for q in qs)]
    }
    asked = [t for t in session.turns if t.kind == "question"]
    assert len(asked) == len(setup.plan.drill.question_ids) >= 2  # type: ignore[union-attr]
    assert all(t.question_id in setup.plan.drill.question_ids for t in asked)  # type: ignore[union-attr]
    assert all(drills(bank[t.question_id], "collaboration") for t in asked if t.question_id)
    assert not any(t.kind in ("invite_questions", "candidate_question") for t in session.turns)

    saved = store.load(session.id)
    assert saved.status == "complete" and saved.plan.drill is not None
    assert all(t.grade is not None for t in saved.turns if t.kind == "answer"), "graded as in a round"
    assert saved.scorecards and saved.checklist == [] and saved.thank_you == []
    assert store.summary(session.id).drill == "collaboration"


def test_a_question_drill_asks_exactly_that_question(store: Store, kit: Toolkit) -> None:
    question = "Walk me through the {hardest} incident you have owned, start to finish."
    setup = question_drill(example_setup(kit), question, kit.personas, kit.rubrics)
    interview = start(setup, store, kit)
    asked = [t for t in interview.session.turns if t.kind == "question"]
    assert [t.text for t in asked] == [question]
    session = finish_drill(interview)
    assert [t.text for t in session.turns if t.kind == "question"] == [question], "only that question"
    assert session.status == "complete"
    assert next(t for t in session.turns if t.kind == "answer").grade is not None


def test_drill_what_went_worst_and_drill_it_again(store: Store, kit: Toolkit, session: Session) -> None:
    worst = suggest(session)
    assert worst is not None
    means = {}
    for card in session.scorecards:
        for name, value in card.dimensions.items():
            if value is not None:
                means.setdefault(name, []).append(value)
    assert worst.score == round(min(sum(v) / len(v) for v in means.values()), 3)

    first = drill_from_session(session.id, store, kit)
    drill = first.session.plan.drill
    assert drill is not None and drill.competency == worst.competency and drill.from_session == session.id
    assert first.session.job == session.job and first.session.round_one == session.round_one
    finish_drill(first)

    again = drill_again(first.session.id, store, kit)
    repeat = again.session.plan.drill
    assert repeat is not None and repeat.competency == drill.competency
    assert set(repeat.question_ids) != set(drill.question_ids), "other questions when the bank has them"


def test_a_drill_of_one_question_from_a_session(store: Store, kit: Toolkit, session: Session) -> None:
    answer = next(t for t in session.turns if t.kind == "answer")
    question = session.turns[answer.reply_to]  # type: ignore[index]
    interview = drill_from_session(session.id, store, kit, turn_index=answer.index)
    assert interview.session.plan.slots[0].persona_id == question.persona_id
    first = next(t for t in interview.session.turns if t.kind == "question")
    assert first.text.endswith(question.text[-40:])


def test_a_drill_that_cannot_be_built_says_why(kit: Toolkit) -> None:
    base = example_setup(kit)
    with pytest.raises(DrillError, match="unknown competency 'teamwork'"):
        competency_drill(base, "teamwork", kit.personas)
    bare = base.model_copy(
        update={"round_one": base.round_one.model_copy(update={"answers": [], "notes": ""})}
    )
    with pytest.raises(DrillError, match="judged against round one"):
        competency_drill(bare, "consistency", kit.personas)
    with pytest.raises(DrillError, match="at least 10 characters"):
        question_drill(base, "Why?", kit.personas, kit.rubrics)


def test_a_round_saved_before_practice_loops_existed_still_loads(
    store: Store, kit: Toolkit, session: Session
) -> None:
    old = session.model_dump(mode="json")
    for turn in old["turns"]:
        del turn["attempts"]
    for card in old["scorecards"]:
        del card["redone"]
    del old["plan"]["drill"]
    assert Session.model_validate(old) == session


def test_earlier_attempts_are_drawn_as_text() -> None:
    hostile = '<img src=x onerror="window.__pwned=1">'
    turn = Turn(
        index=2, speaker="candidate", persona_id="hiring_manager", kind="answer", text=STRONG,
        at_minute=1, slot_minute=1, duration=1,
        attempts=[Attempt(text=hostile, replaced_at="2026-01-01T00:00:00+00:00")],
    )  # fmt: skip
    for drawn in (
        attempts_card(turn),
        chat_attempts(turn, coaching=True),
        chat_attempts(turn, coaching=False),
    ):
        assert "<img" not in drawn and "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in drawn
