"""Verdicts need evidence: an interviewer who heard too little, or a loop ended after one
conversation, gives "not enough signal", never "strong hire", and every place the verdict is
shown (the debrief, the checklist, the page, the Markdown export, the session list) says so."""

from __future__ import annotations

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
)

from simulator.catalog import ROOT
from simulator.grading.debrief import scorecard, verdict
from simulator.markdown import session_to_markdown
from simulator.models import Session
from simulator.report import build_report
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, start
from simulator.store import Store
from simulator.ui import render as ui_render

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
# Four strong, measured stories: what a candidate who stopped after the first interviewer gave.
STRONG_STORIES = [
    "In 2023 our tracking API's p95 latency hit 800 milliseconds at peak because the events table "
    "had grown to 1.2 billion rows. I was asked to fix it without downtime. I partitioned the table "
    "by month, rewrote the six hottest queries and moved reporting onto a read replica. We cut over "
    "in October with no downtime and p95 fell to 560 milliseconds.",
    "Last spring a config change shrank our database connection pool and the API pods starved under "
    "the morning peak. I was the secondary on call. I traced the pool exhaustion in our metrics, "
    "rolled the change back and added an alert on pool saturation. Traffic recovered within twenty "
    "minutes and none of the 14,000 delayed shipment updates were lost.",
    "When I joined Harbourline two mid-level engineers were struggling with code review. I set up "
    "weekly pairing sessions with each of them and wrote a review checklist with them. Within three "
    "months both were leading design reviews, and review turnaround dropped from three days to one.",
    "Our nightly invoicing batch regularly ran past 6 am and delayed invoices by a full day. I "
    "proposed moving it to Kafka events, built the first consumer myself and ran the migration with "
    "four engineers over five months. Invoice delays fell from a day to under ten minutes.",
]


@pytest.fixture(scope="module")
def ended_early(tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Path]:
    """A real offline loop: four strong answers to the first interviewer, then "End the loop"."""
    db = tmp_path_factory.mktemp("verdicts") / "sessions.db"
    kit = Toolkit.load("offline")
    script = load_script(EXAMPLE)
    with Store(db) as store:
        interview = start(script_setup(script, kit.personas, EXAMPLE), store, kit)
        stories = iter(STRONG_STORIES)
        while interview.awaiting().kind == "answer" and interview.awaiting().slot_number == 1:
            story = next(stories, None)
            if story is None:
                break
            interview.answer(story)
        interview.end_loop()
        session = store.load(interview.session.id)
    return session, db


def test_a_loop_ended_after_one_interviewer_gets_not_enough_signal_in_the_debrief(
    ended_early: tuple[Session, Path],
) -> None:
    session, _ = ended_early
    assert session.status == "ended_early"
    assert len(session.plan.slots) == 4 and len(session.debrief) == 1
    graded_answers = session.scorecards[0].graded
    assert graded_answers >= 3  # strong evidence for one interviewer, none for the panel
    markdown = session_to_markdown(session, personas())
    assert (
        "**Panel verdict: Not enough signal (the loop ended early, after 1 of 4 interviewers)**" in markdown
    )
    assert (
        f"Not enough signal for a panel verdict: the loop ended early, after 1 of 4 interviewers "
        f"({graded_answers} graded answers)" in markdown
    )
    assert (
        "- **Panel verdict:** Not enough signal (the loop ended early, after 1 of 4 interviewers)" in markdown
    )
    assert "Panel verdict: Strong hire" not in markdown and "Panel verdict: Hire" not in markdown


def test_the_checklist_says_the_loop_was_too_short_for_a_verdict(ended_early: tuple[Session, Path]) -> None:
    session, _ = ended_early
    item = next(i for i in session.checklist if i.id == "enough_signal")
    assert session.checklist[0] is item  # first: it frames every other check
    assert item.title == "Enough answers for a verdict"
    assert item.status == "fail"
    cast = personas()
    later = [s.persona_id for s in session.plan.slots[1:]]
    for pid in later:
        assert f"{cast[pid].name} ({cast[pid].title}): not reached, the loop ended first" in item.evidence
    assert "Stay for the whole loop" in item.advice


def test_the_page_and_the_session_list_show_not_enough_signal(ended_early: tuple[Session, Path]) -> None:
    session, db = ended_early
    heading = ui_render.session_heading(session, "no_signal")
    assert (
        "overall: <strong>Not enough signal (the loop ended early, after 1 of 4 interviewers)</strong>"
        in heading
    )
    debrief = ui_render.debrief_html(session, personas())
    assert (
        "<strong>Panel: Not enough signal (the loop ended early, after 1 of 4 interviewers)</strong>"
        in debrief
    )
    assert "Strong hire" not in debrief.split('class="rt-verdict ')[0]
    with Store(db) as store:
        listed = next(s for s in store.list() if s.id == session.id)
    assert listed.verdict == "no_signal"
    assert ui_render.verdict_label(listed.verdict) == "Not enough signal"


def test_an_interviewer_who_heard_one_answer_gives_not_enough_signal() -> None:
    manager = personas()["hiring_manager"]
    b = SessionBuilder().slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    session = b.build()
    card = scorecard(manager, session.turns, rubric=shipped_rubrics().checklist.debrief)
    assert card.score is not None and card.score >= 4.2  # a strong-hire score on its own ...
    result = verdict(manager, card, session.turns, rubric=shipped_rubrics().checklist.debrief)
    assert result.verdict == "no_signal"  # ... is not a verdict
    assert result.reasons[0].startswith(
        f"Not enough signal: {manager.name} heard 1 graded answer, and a verdict needs at least 2."
    )


def test_two_excellent_answers_are_held_at_hire_not_strong_hire() -> None:
    manager = personas()["hiring_manager"]
    b = SessionBuilder().slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    b.ask(HM_API, "skills").answer(STRONG_API, graded(5, kind="skills"))
    session = b.build()
    rules = shipped_rubrics().checklist.debrief
    two = verdict(manager, scorecard(manager, session.turns, rubric=rules), session.turns, rubric=rules)
    assert two.verdict == "hire"
    assert any("Held at hire: a strong hire needs at least 3 graded answers" in r for r in two.reasons)
    b.ask(HM_OUTAGE, "pressure").answer(STRONG_OUTAGE, graded(5, kind="pressure"))
    session = b.build()
    three = verdict(manager, scorecard(manager, session.turns, rubric=rules), session.turns, rubric=rules)
    assert three.verdict == "strong_hire"


def test_the_evidence_minimums_come_from_the_rubric_file(tmp_path: Path) -> None:
    from session_factory import rubrics_copy

    from simulator.catalog import load_rubrics

    folder = rubrics_copy(tmp_path)
    path = folder / "checklist.yaml"
    path.write_text(path.read_text().replace("    min_graded_answers: 2\n", "    min_graded_answers: 1\n"))
    rubrics = load_rubrics(folder)
    b = SessionBuilder().slot("hiring_manager")
    b.ask(HM_LED).answer(
        STRONG_LED, graded(5, result="We cut invoice delays from a full day to under ten minutes")
    )
    b.slot("team_member").ask(HM_API, "skills").answer(STRONG_API, graded(4, kind="skills"))
    report = build_report(b.build(), personas(), rubrics)
    assert [v.verdict for v in report.debrief] == ["hire", "hire"]  # one answer each now suffices
    item = next(i for i in report.checklist if i.id == "enough_signal")
    assert item.status == "pass"
    strict = build_report(b.build(), personas(), shipped_rubrics())
    assert [v.verdict for v in strict.debrief] == ["no_signal", "no_signal"]
    assert next(i for i in strict.checklist if i.id == "enough_signal").status == "fail"
