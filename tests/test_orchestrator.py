"""The offline round end to end through the Python API: the orchestrator, the engine, the store."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from simulator.catalog import ROOT
from simulator.engines.base import GradeRequest
from simulator.engines.offline import OfflineEngine
from simulator.models import AnswerGrade, Plan, Session, Slot, Turn
from simulator.orchestrator import Interview, InterviewError, InterviewState, StepWrites
from simulator.script import Script, load_script, script_setup
from simulator.service import Toolkit, play_script, resume, start
from simulator.store import Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"


@pytest.fixture
def script() -> Script:
    return load_script(EXAMPLE)


def run(kit: Toolkit, script: Script, db: Path, seed: int | None = None) -> Session:
    setup = script_setup(script, kit.personas, EXAMPLE, seed=seed)
    with Store(db) as store:
        session = play_script(start(setup, store, kit), script)
        return store.load(session.id)


@pytest.fixture(scope="module")
def example_round(kit: Toolkit, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """The example script played once with its own seed (7) and loaded back from the store, for the tests
    that only read the finished round or compare another against it (a whole four-interviewer round is
    the slow part of this file)."""
    return run(kit, load_script(EXAMPLE), tmp_path_factory.mktemp("example") / "s.db")


def kinds_by_persona(session: Session) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {}
    for turn in session.turns:
        out.setdefault(turn.persona_id, Counter())[turn.kind] += 1
    return out


def test_a_four_persona_loop_runs_and_is_saved(example_round: Session) -> None:
    session = example_round
    assert session.status == "complete"
    panel = [s.persona_id for s in session.plan.slots]
    assert panel == ["hiring_manager", "team_member", "skip_level", "cross_functional"]
    counts = kinds_by_persona(session)
    for persona_id in panel:
        c = counts[persona_id]
        assert c["intro"] == 1, persona_id
        assert c["question"] >= 3, persona_id
        assert c["invite_questions"] == 1, persona_id
        assert c["interviewer_answer"] >= 1, persona_id
        assert c["wrap_up"] == 1 and c["handoff"] == 1, persona_id
    assert sum(c["follow_up"] for c in counts.values()) >= 1
    # The slots run in the plan's order, each opened by its own interviewer.
    intros = [t.speaker for t in session.turns if t.kind == "intro"]
    assert intros == panel
    # Every answer is graded as it is given.
    answers = [t for t in session.turns if t.kind == "answer"]
    assert answers and all(t.grade is not None for t in answers)


def test_no_two_interviewers_ask_the_same_question(example_round: Session) -> None:
    session = example_round
    ids = [t.question_id for t in session.turns if t.kind == "question" and t.question_id]
    texts = [t.text for t in session.turns if t.kind == "question"]
    assert len(ids) == len(set(ids))
    assert len(texts) == len(set(texts))


def test_the_clock_follows_word_counts_and_the_loop_fits_the_plan(example_round: Session) -> None:
    session = example_round
    minutes = [t.at_minute for t in session.turns]
    assert minutes == sorted(minutes)
    # An answer takes its words at 150 a minute plus a thinking pause; a question adds note-taking.
    answers = [t for t in session.turns if t.kind == "answer" and len(t.text.split()) <= 420]
    assert answers
    for answer in answers:
        assert answer.duration == pytest.approx(len(answer.text.split()) / 150 + 0.25, abs=0.01)
    question = next(t for t in session.turns if t.kind == "question")
    assert question.duration == pytest.approx(len(question.text.split()) / 150 + 0.5, abs=0.01)
    # Each turn starts when the one before it ended, in the loop and within its slot.
    for before, turn in zip(session.turns, session.turns[1:], strict=False):
        assert turn.at_minute == pytest.approx(before.at_minute + before.duration, abs=0.01)
        if turn.kind != "intro":
            assert turn.slot_minute == pytest.approx(before.slot_minute + before.duration, abs=0.01)
        else:
            assert turn.slot_minute == 0
    total = session.turns[-1].at_minute + session.turns[-1].duration
    assert 30 <= total <= 120
    assert 60 <= session.plan.total_minutes() <= 120


def test_same_seed_same_round_other_seed_another(
    kit: Toolkit, script: Script, tmp_path: Path, example_round: Session
) -> None:
    assert script.seed == 7
    first = example_round
    again = run(kit, script, tmp_path / "b.db", seed=7)  # played again, in a store of its own
    other = run(kit, script, tmp_path / "c.db", seed=4)
    texts = [t.text for t in first.turns]
    assert texts == [t.text for t in again.turns]
    assert texts != [t.text for t in other.turns]


def test_running_out_of_answers_passes_and_moves_on(kit: Toolkit, script: Script, tmp_path: Path) -> None:
    short = script.model_copy(update={"answers": script.answers[:2], "candidate_questions": []})
    session = run(kit, short, tmp_path / "s.db")
    passes = [t for t in session.turns if t.kind == "pass"]
    assert passes and all(t.text == "I'd like to move on." for t in passes)
    assert session.status == "complete"
    # Two passes in a row and the interviewer turns to the candidate's questions.
    for persona_id, c in kinds_by_persona(session).items():
        assert c["pass"] <= 2, persona_id


def test_a_round_one_conflict_is_probed_quoting_round_one(kit: Toolkit, tmp_path: Path) -> None:
    script = Script.model_validate(
        {
            "job": {
                "title": "Engineering Manager",
                "company": "Northwind",
                "description": "Lead a Python team.",
            },
            "round_one": [
                {
                    "question": "Tell me about leading a migration.",
                    "answer": "I led a team of 5 engineers moving our billing system to PostgreSQL in 2022. "
                    "We finished in 4 months and cut the monthly bill by 30%.",
                }
            ],
            "panel": ["hiring_manager"],
            "pressure": "tough",
            "answers": [
                "When I led the billing migration to PostgreSQL in 2022, I had a team of 12 engineers. "
                "I planned the cut-over, I wrote the dual-write layer, and we finished in 4 months, "
                "cutting the monthly bill by 30%."
            ]
            * 3,
        }
    )
    session = run(kit, script, tmp_path / "s.db")
    probes = [t for t in session.turns if t.follow_up_reason == "round_one_conflict"]
    assert probes, [t.text for t in session.turns]
    assert "5" in probes[0].text and "12" in probes[0].text


def test_pressure_changes_how_hard_they_push(kit: Toolkit, script: Script, tmp_path: Path) -> None:
    long_answer = " ".join(["I then checked the dashboards and talked to the on-call engineer."] * 40)
    answers = [long_answer, *script.answers]
    gentle = run(kit, script.model_copy(update={"pressure": "gentle", "answers": answers}), tmp_path / "g.db")
    tough = run(kit, script.model_copy(update={"pressure": "tough", "answers": answers}), tmp_path / "t.db")

    def count(session: Session, kind: str) -> int:
        return sum(1 for t in session.turns if t.kind == kind)

    assert count(tough, "follow_up") > count(gentle, "follow_up")
    assert count(tough, "interruption") >= 1
    assert count(gentle, "interruption") == 0


def test_later_interviewers_see_and_use_handoff_notes(kit: Toolkit, script: Script, tmp_path: Path) -> None:
    session = run(kit, script.model_copy(update={"pressure": "tough"}), tmp_path / "s.db")
    assert [n.from_persona for n in session.handoff_notes] == [s.persona_id for s in session.plan.slots]
    # The example's weaker answers leave concerns in the notes, and tough interviewers dig into them.
    assert any(n.probe for n in session.handoff_notes[:-1])
    probes = [t for t in session.turns if t.follow_up_reason == "handoff_probe"]
    assert probes
    for probe in probes:
        earlier = {
            kit.personas[n.from_persona].name
            for n in session.handoff_notes
            if n.from_persona != probe.speaker
        }
        assert any(name in probe.text for name in earlier), probe.text


def test_a_restart_mid_session_resumes_where_it_stopped(
    kit: Toolkit, script: Script, tmp_path: Path, example_round: Session
) -> None:
    db = tmp_path / "s.db"
    setup = script_setup(script, kit.personas, EXAMPLE, seed=7)
    with Store(db) as store:
        interview = start(setup, store, kit)
        for text in script.answers[:4]:
            interview.answer(text)
        session_id = interview.session.id
        turns_before = len(interview.session.turns)
    # A new process: a fresh store and orchestrator from what was saved.
    with Store(db) as store:
        again = resume(session_id, store, kit)
        assert len(again.session.turns) == turns_before
        assert again.awaiting().kind == "answer"
        rest = script.model_copy(update={"answers": script.answers[4:]})
        finished = play_script(again, rest)
    uninterrupted = example_round  # the same script and seed, played without a stop
    assert [t.text for t in finished.turns] == [t.text for t in uninterrupted.turns]


def test_the_api_refuses_out_of_turn_actions(kit: Toolkit, script: Script, tmp_path: Path) -> None:
    setup = script_setup(script, kit.personas, EXAMPLE)
    with Store(tmp_path / "s.db") as store:
        interview = start(setup, store, kit)
        with pytest.raises(InterviewError, match="empty"):
            interview.answer("   ")
        with pytest.raises(InterviewError, match="not invited"):
            interview.ask("What does success look like?")
        interview.end_slot()
        assert interview.awaiting().persona is not None
        assert interview.awaiting().slot_number == 2
        interview.end_loop()
        assert interview.awaiting().kind == "nothing"
        saved = store.load(interview.session.id)
    assert saved.status == "ended_early"


class RecordingSink:
    """What the orchestrator hands its sink, in order, as it was at the time."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[str, bool]], bool]] = []

    def input_taken(self, session: Session, turn: Turn) -> None:
        self.calls.append(("input", [(turn.kind, turn.grade is not None)], False))

    def step_done(self, session: Session, writes: StepWrites, state: InterviewState) -> None:
        turns = [(t.kind, t.grade is not None) for t in [*writes.graded, *writes.added]]
        self.calls.append(("step", turns, writes.closed))


def test_the_candidates_words_go_first_and_the_rest_of_the_step_in_one_piece(
    kit: Toolkit, script: Script
) -> None:
    setup = script_setup(script, kit.personas, EXAMPLE, seed=2)
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=setup.job,
                      round_one=setup.round_one, plan=setup.plan)  # fmt: skip
    sink = RecordingSink()
    interview = Interview(session, kit.personas, kit.engine, sink=sink)
    interview.begin()
    assert sink.calls == [("step", [("intro", False), ("question", False)], False)]
    sink.calls.clear()
    interview.answer(script.answers[0])
    # The answer is handed over before it is graded; its grade and the reply come together after.
    assert sink.calls[0] == ("input", [("answer", False)], False)
    assert len(sink.calls) == 2 and sink.calls[1][0] == "step"
    graded, *added = sink.calls[1][1]
    assert graded == ("answer", True)
    assert added and all(
        kind in ("follow_up", "question", "interruption", "invite_questions") for kind, _ in added
    )
    sink.calls.clear()
    interview.end_loop()
    [(name, turns, closed)] = sink.calls
    assert name == "step" and closed and [k for k, _ in turns] == ["wrap_up", "handoff"]


# ---------------------------------------------------------------- flow: what a real interviewer would not do


def one_slot(kit: Toolkit, persona_id: str, minutes: int = 30, seed: int = 0, pressure: str = "tough",
             engine: object = None) -> Interview:  # fmt: skip
    job = load_script(EXAMPLE).job
    session = Session(id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=job,
                      plan=Plan(slots=[Slot(persona_id=persona_id, minutes=minutes)], seed=seed,
                                pressure=pressure))  # fmt: skip
    interview = Interview(session, kit.personas, engine or kit.engine)  # type: ignore[arg-type]
    interview.begin()
    return interview


def test_a_15_minute_slot_is_never_announced_as_twenty(kit: Toolkit) -> None:
    intros = {one_slot(kit, "skip_level", minutes=15, seed=seed).session.turns[0].text for seed in range(12)}
    timed = [text for text in intros if "minutes" in text]
    assert timed, "one of the director's intros says how long the slot is"
    assert all("about 15 minutes" in text for text in timed)
    assert not any("twenty" in text for text in intros)


def test_no_wrap_up_asks_what_the_hand_off_would_leave_unanswered(kit: Toolkit) -> None:
    for persona in kit.personas.values():
        for sign, lines in persona.wrap_up.model_dump().items():
            assert not [line for line in lines if "?" in line], (persona.id, sign)


class WeNotIEverywhere(OfflineEngine):
    """The offline engine, with every story graded complete except that "we" hid the candidate's part:
    the grader's flag alone must not make an interviewer ask an all-"I" answer which part was theirs."""

    def grade(self, request: GradeRequest) -> AnswerGrade:
        grade = super().grade(request)
        star = {part: c.model_copy(update={"score": max(c.score, 0.8)}) for part, c in grade.star.items()}
        return grade.model_copy(update={"flags": ["we_not_i"], "star": star}) if grade.star else grade


ALL_I = ("In 2023 I owned our billing export. I rewrote the slow query, I added an index, and I tested it "
         "against a month of invoices; I cut the nightly run from 3 hours to 20 minutes.")  # fmt: skip
ALL_WE = ("In 2023 we owned the billing export. We rewrote the slow query, we added an index, and we tested "
          "it against a month of invoices; we cut the nightly run from 3 hours to 20 minutes.")  # fmt: skip


def test_which_part_was_yours_follows_we_not_an_answer_told_with_i(kit: Toolkit) -> None:
    engine = WeNotIEverywhere(kit.rubrics)
    told_with_i = one_slot(kit, "team_member", engine=engine).answer(ALL_I)
    assert not [t for t in told_with_i if t.follow_up_reason == "ownership"]
    told_with_we = one_slot(kit, "team_member", engine=engine).answer(ALL_WE)
    assert [t.follow_up_reason for t in told_with_we if t.kind == "follow_up"] == ["ownership"]


def test_salary_dropped_into_an_answer_gets_a_brief_word(kit: Toolkit) -> None:
    interview = one_slot(kit, "hiring_manager")
    turns = interview.answer(ALL_I + " Also, before we go on, what is the salary range for this role?")
    assert turns[0].grade is not None and "salary_too_early" in turns[0].grade.flags
    reply = turns[1].text
    assert any(reply.startswith(line) for line in kit.personas["hiring_manager"].remarks.salary)  # type: ignore[union-attr]


def test_an_off_topic_answer_is_steered_back_and_an_on_topic_one_is_not(kit: Toolkit) -> None:
    remarks = kit.personas["team_member"].remarks.off_topic  # type: ignore[union-attr]
    stray = one_slot(kit, "team_member").answer(
        "Honestly I have mostly been thinking about my holiday in Lisbon; the beaches and the seafood "
        "there are wonderful in spring."
    )
    assert any(stray[1].text.startswith(line) for line in remarks), stray[1].text
    on_topic = one_slot(kit, "team_member").answer(ALL_I)
    assert not any(t.text.startswith(line) for t in on_topic[1:] for line in remarks)


NO_RESULT_YET = ("In 2023 at Quillstone our invoice export kept timing out, and I was asked to fix it. I profiled "
                 "the query, I added a covering index and I rewrote the batch to stream rows.")  # fmt: skip
THE_RESULT = ("It worked: the export went from timing out after 30 minutes to finishing in 4, and finance got "
              "its invoices a day earlier.")  # fmt: skip


def test_the_hand_off_note_reflects_the_whole_story_follow_ups_included(kit: Toolkit) -> None:
    interview = one_slot(kit, "hiring_manager")
    asked_for_result = interview.answer(NO_RESULT_YET)
    assert [t.follow_up_reason for t in asked_for_result if t.kind == "follow_up"] == ["result"]
    interview.answer(THE_RESULT)
    interview.end_slot()
    [note] = interview.session.handoff_notes
    assert "never got to a result" not in note.text, note.text
    assert note.probe is None or "result" not in note.probe


def test_an_answer_told_with_i_is_not_handed_on_as_we_not_i(kit: Toolkit) -> None:
    interview = one_slot(kit, "hiring_manager", engine=WeNotIEverywhere(kit.rubrics), pressure="gentle")
    interview.answer(ALL_I)
    interview.end_slot()
    [note] = interview.session.handoff_notes
    assert "a lot of 'we'" not in note.text
