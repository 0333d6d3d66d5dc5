"""Scorecards, the debrief and the wrap-up signs, from sessions graded as the orchestrator stores them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from session_factory import (
    HM_API,
    HM_LED,
    HM_OUTAGE,
    STRONG_API,
    STRONG_LED,
    STRONG_OUTAGE,
    SessionBuilder,
    graded,
    personas,
    shipped_rubrics,
    strong_session,
    team_size_contradiction,
    ungradable,
    weak_session,
)

from simulator.grading.debrief import persona_focus
from simulator.grading.session_rubric import DebriefRubric
from simulator.grading.transcript import slot_turns, stories
from simulator.models import RoundOne, Session, WrapUpLines, WrapUpSigns
from simulator.report import build_report, overall_verdict, scorecard, verdict, wrap_up_signs
from simulator.service import Toolkit
from simulator.store import Store

PANEL = ("hiring_manager", "team_member", "skip_level")


@pytest.fixture(scope="module")
def strong_report() -> Session:
    return build_report(strong_session(), personas(), shipped_rubrics())


@pytest.fixture(scope="module")
def weak_report() -> Session:
    return build_report(weak_session(), personas(), shipped_rubrics())


def by_persona(items: list, persona_id: str):  # type: ignore[no-untyped-def,type-arg]
    return next(i for i in items if i.persona_id == persona_id)


def test_a_strong_candidate_gets_hire_with_reasons_quoting_their_answers(strong_report: Session) -> None:
    assert [v.persona_id for v in strong_report.debrief] == list(PANEL)
    assert all(v.verdict in ("hire", "strong_hire") for v in strong_report.debrief)
    manager = by_persona(strong_report.debrief, "hiring_manager")
    reasons = " ".join(manager.reasons)
    # The reasons quote what the candidate actually said, not a summary of it.
    assert "We cut invoice delays from a full day to under ten minutes" in reasons
    assert "We cut invoice delays from a full day to under ten minutes" in STRONG_LED
    assert "Everything cleared in forty minutes" in reasons
    assert manager.objection is None
    assert overall_verdict(strong_report) in ("hire", "strong_hire")


def test_a_strong_conversation_ends_with_next_steps_and_selling_the_role(strong_report: Session) -> None:
    signs = by_persona(strong_report.wrap_up_signs, "hiring_manager")
    assert {"next_steps", "selling_the_role"} <= set(signs.signs)
    assert "brisk_close" not in signs.signs
    name = personas()["hiring_manager"].name.split()[0]
    assert signs.explanation.startswith(name)
    assert "averaged 4.7 of 5" in signs.explanation


def test_a_weak_candidate_gets_no_with_the_contradiction_as_objection(weak_report: Session) -> None:
    manager = by_persona(weak_report.debrief, "hiring_manager")
    assert manager.verdict in ("lean_no", "no_hire")
    assert manager.objection is not None
    assert personas()["hiring_manager"].name in manager.objection
    # Both rounds are quoted, as the candidate said them.
    assert "I led a team of four engineers" in manager.objection
    assert "leading a team of twelve engineers" in manager.objection
    assert any("Weak answer" in r and "I would probably look at the logs first" in r for r in manager.reasons)
    # The other two heard one graded answer each: too little for a verdict, so the panel has none.
    others = [v for v in weak_report.debrief if v.persona_id != "hiring_manager"]
    assert [v.verdict for v in others] == ["no_signal", "no_signal"]
    assert all("heard 1 graded answer, and a verdict needs at least 2" in v.reasons[0] for v in others)
    assert overall_verdict(weak_report) == "no_signal"


def test_a_weak_conversation_closes_briskly(weak_report: Session) -> None:
    for persona_id in PANEL:
        signs = by_persona(weak_report.wrap_up_signs, persona_id)
        assert signs.signs == ["brisk_close"]
        assert "briskly" in signs.explanation


def test_a_contradiction_holds_an_otherwise_strong_verdict_down() -> None:
    b = SessionBuilder().slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED.replace("four engineers", "twelve engineers"),
        graded(
            5,
            result="We cut invoice delays from a full day to under ten minutes",
            findings=[team_size_contradiction()],
        ),
    )
    b.ask(HM_API, "skills").answer(STRONG_API, graded(5, kind="skills"))
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(5, kind="pressure"))
    session = b.invite().candidate_asks("What would success look like in the first 90 days?").build()
    manager = personas()["hiring_manager"]
    card = scorecard(manager, session.turns)
    assert card.dimensions["consistency"] == 0.5
    result = verdict(manager, card, session.turns)
    assert result.verdict == "lean_no"
    assert any("holds this verdict at lean no" in r for r in result.reasons)
    assert "leading a team of twelve engineers" in (result.objection or "")


def test_scorecard_weighs_only_the_personas_dimensions_and_never_invents_evidence(
    strong_report: Session,
) -> None:
    manager = personas()["hiring_manager"]
    card = by_persona(strong_report.scorecards, "hiring_manager")
    weighted = {d for d, w in manager.weights.items() if w > 0}
    assert set(card.dimensions) == weighted
    # The skills answer was 4/5; a behavioural question (5/5 here) probes what this interviewer
    # weighs most. Nothing probed culture fit in this slot.
    skills = [(4 - 1) / 4] + ([1.0] if persona_focus(manager) == "job_skills" else [])
    assert card.dimensions["job_skills"] == pytest.approx(sum(skills) / len(skills))
    assert card.dimensions["pressure_and_ambiguity"] == 1.0
    if "culture_fit" in card.dimensions:
        assert card.dimensions["culture_fit"] is None
        assert "culture fit" in card.note
    assert card.dimensions["consistency"] == 1.0
    assert card.graded == 3 and card.ungradable == 0
    assert card.score is not None and 4.2 <= card.score <= 5.0


def test_a_bank_question_counts_for_the_competency_it_names() -> None:
    manager = personas()["hiring_manager"]
    bank = next(q for q in manager.questions if q.category == "behavioural")
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask(bank.text, "behavioural", question_id=bank.id)
        .answer(STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes"))
        .build()
    )
    card = scorecard(manager, session.turns)
    assert card.dimensions[bank.competency] == 1.0


def test_a_slot_with_only_ungradable_answers_says_so_and_has_no_score() -> None:
    team_member = personas()["team_member"]
    session = (
        SessionBuilder()
        .slot("team_member")
        .ask("Tell me about a disagreement with a teammate about a technical decision.")
        .answer("Um. Pass, sorry.", ungradable())
        .ask("What kind of team do you do your best work in?", "culture")
        .answer("asdf jkl qwerty", ungradable("gibberish: not words"))
        .invite()
        .declines()
        .build()
    )
    card = scorecard(team_member, session.turns)
    assert card.score is None
    assert card.graded == 0 and card.ungradable == 2
    assert all(v is None for v in card.dimensions.values())
    assert "could be graded" in card.note and "no score" in card.note
    result = verdict(team_member, card, session.turns)
    assert result.verdict == "no_signal"
    assert result.reasons == [card.note]
    signs = wrap_up_signs(team_member, session.turns, 30)
    assert signs.signs == ["brisk_close"]
    assert "none of your 2 answers could be graded" in signs.explanation


def test_without_a_round_one_record_consistency_has_no_evidence() -> None:
    manager = personas()["hiring_manager"]
    session = (
        SessionBuilder(round_one=RoundOne())
        .slot("hiring_manager")
        .ask(HM_OUTAGE, "pressure")
        .answer(STRONG_OUTAGE, graded(5, kind="pressure"))
        .build()
    )
    card = scorecard(manager, session.turns, has_round_one=False)
    assert card.dimensions["consistency"] is None


def test_a_follow_up_answer_completes_its_story_instead_of_counting_twice() -> None:
    manager = personas()["hiring_manager"]
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask(HM_OUTAGE, "pressure")
        .answer(STRONG_OUTAGE.split(" I paused")[0], graded(2, kind="pressure", flags=["no_result"]))
        .follow_up("And how did it end?", "result")
        .answer(
            "I paused the consumer, moved the poison message to a dead-letter queue and replayed the "
            "backlog. "
            "Everything cleared in forty minutes.",
            graded(5, kind="pressure", result="Everything cleared in forty minutes"),
        )
        .build()
    )
    card = scorecard(manager, session.turns)
    assert card.graded == 1
    assert card.dimensions["pressure_and_ambiguity"] == 1.0


def test_a_very_strong_slot_that_runs_long_shows_availability_and_running_over() -> None:
    manager = personas()["hiring_manager"]
    b = SessionBuilder().slot("hiring_manager", 30)
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(5, kind="pressure"))
    short = wrap_up_signs(manager, b.turns, 30)
    assert set(short.signs) == {"selling_the_role", "availability", "next_steps"}
    b.run_clock_to(29).invite()
    long = wrap_up_signs(manager, b.turns, 30)
    assert long.signs[0] == "running_over"
    assert "of 30 minutes" in long.explanation
    # Every sign names a line the persona file has, so the engine can say it.
    assert all(hasattr(manager.wrap_up, s) for s in long.signs)


def test_a_middling_slot_talks_next_steps_without_selling() -> None:
    manager = personas()["hiring_manager"]
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask(HM_API, "skills")
        .answer(STRONG_API, graded(3, kind="skills"))
        .build()
    )
    signs = wrap_up_signs(manager, session.turns, 30)
    assert signs.signs == ["next_steps"]
    assert "did not sell the role" in signs.explanation


def test_wrap_up_thresholds_come_from_the_rubric() -> None:
    manager = personas()["hiring_manager"]
    session = (
        SessionBuilder()
        .slot("hiring_manager")
        .ask(HM_API, "skills")
        .answer(STRONG_API, graded(3, kind="skills"))
        .build()
    )
    generous = DebriefRubric.model_validate(
        {"wrap_up": {"strong_at": 3.0, "very_strong_at": 4.5, "weak_below": 2.0, "running_over_share": 0.9}}
    )
    assert "selling_the_role" in wrap_up_signs(manager, session.turns, 30, rubric=generous).signs


def test_build_report_fills_a_copy_and_keeps_the_signs_said_at_the_time() -> None:
    session = strong_session()
    said = WrapUpSigns(
        persona_id="team_member", signs=["next_steps"], explanation="recorded when Jonah closed"
    )
    session.wrap_up_signs.append(said)
    report = build_report(session, personas(), shipped_rubrics())
    assert session.debrief == [] and session.checklist == []  # the input is untouched
    assert [c.persona_id for c in report.scorecards] == list(PANEL)
    assert [d.persona_id for d in report.thank_you] == list(PANEL)
    assert by_persona(report.wrap_up_signs, "team_member") == said
    assert by_persona(report.wrap_up_signs, "hiring_manager").signs != []
    assert {i.id for i in report.checklist} >= {"consistent_with_round_one", "no_story_twice"}
    assert overall_verdict(session) is None


def test_only_interviewers_who_were_met_are_reported() -> None:
    session = strong_session()
    # The loop ended after the first interviewer: later slots never began.
    first_slot = [t for t in session.turns if t.persona_id == "hiring_manager"]
    cut = session.model_copy(update={"turns": first_slot, "status": "ended_early"})
    report = build_report(cut, personas(), shipped_rubrics())
    assert [v.persona_id for v in report.debrief] == ["hiring_manager"]
    engaged = next(i for i in report.checklist if i.id == "engaged_every_interviewer")
    assert engaged.status == "pass"


def test_a_good_interviewer_who_got_no_questions_would_mention_it() -> None:
    manager = personas()["hiring_manager"]
    b = SessionBuilder().slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(4, kind="pressure"))
    session = b.invite().declines().close().build()
    result = verdict(manager, scorecard(manager, session.turns), session.turns)
    assert result.verdict in ("hire", "strong_hire")
    assert result.objection == f"{manager.name} would note that you asked them no questions."


def test_the_offline_loop_closes_with_a_report_built_from_its_own_grades(
    kit: Toolkit, copy_example_round: tuple[Path, str]
) -> None:
    """The whole path a user takes: the scripted example on the offline engine (`run --script`, once
    per test process: tests/conftest.py), saved and reloaded."""
    db, printed = copy_example_round
    with Store(db) as store:
        session = store.load(json.loads(printed)["id"])

    met = [s.persona_id for s in session.plan.slots]
    assert [c.persona_id for c in session.scorecards] == met
    assert [v.persona_id for v in session.debrief] == met
    assert [d.to for d in session.thank_you] == [kit.personas[p].name for p in met]
    assert [i.id for i in session.checklist] == [i.id for i in kit.rubrics.checklist.items]
    for card in session.scorecards:
        told = [s for s in stories(slot_turns(session.turns, card.persona_id)) if s.grade is not None]
        assert card.graded + card.ungradable == len(told)
    for signs in session.wrap_up_signs:
        assert signs.signs and set(signs.signs) <= set(WrapUpLines.model_fields)
        assert signs.explanation
    # Every answer a verdict quotes is something the candidate said to that interviewer.
    for v in session.debrief:
        said = " ".join(t.text for t in slot_turns(session.turns, v.persona_id) if t.kind == "answer")
        for reason in v.reasons:
            if reason.startswith(("Strong answer", "Weak answer")):
                quote = reason.rsplit("\u201c", 1)[1].split("\u201d")[0].removesuffix(" …").removeprefix("… ")
                assert quote in said, (v.persona_id, quote)
