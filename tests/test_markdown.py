"""The Markdown transcript: what a person reading the export sees."""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.markdown import session_to_markdown
from simulator.models import AnswerGrade, GraderInfo, Persona, Session, StarComponent


@pytest.fixture
def panel() -> dict[str, Persona]:
    # The transcript reads only id, name and title; a full persona file is the catalog's business.
    people: dict[str, dict[str, Any]] = {
        "hiring_manager": {
            "id": "hiring_manager",
            "name": "Dana Whitfield",
            "title": "Head of Data Platform",
        },
        "team_member": {"id": "team_member", "name": "Priya Raman", "title": "Staff Engineer"},
    }
    return {persona_id: Persona.model_construct(**fields) for persona_id, fields in people.items()}


def _with_answer(session: Session, text: str) -> Session:
    turns = list(session.turns)
    turns[2] = turns[2].model_copy(update={"text": text})
    return session.model_copy(update={"turns": turns})


def test_header_names_the_job_panel_and_settings(sample_session: Session, panel: dict[str, Persona]) -> None:
    md = session_to_markdown(sample_session, panel)
    assert md.startswith("# Second-round interview: Senior Data Engineer at Tidewater Logistics\n")
    assert "- **Level:** Senior" in md
    assert "- **Date:** 2025-03-04 10:00 UTC" in md
    assert (
        "- **Panel:** Dana Whitfield (Head of Data Platform), 30 min → Priya Raman (Staff Engineer), 25 min"
        " (55 minutes)"
    ) in md
    assert "- **Pressure:** realistic" in md
    assert "- **Engine:** offline (seed 7)" in md
    assert "- **Status:** complete; 5 answers, 4 graded" in md
    assert "- **Panel verdict:** Lean no" in md


def test_conversation_reads_as_a_transcript_per_interviewer(
    sample_session: Session, panel: dict[str, Persona]
) -> None:
    md = session_to_markdown(sample_session, panel)
    first, second = md.index("## 1. Dana Whitfield (Head of Data Platform)"), md.index("## 2. Priya Raman")
    assert first < second
    dana, priya = md[first:second], md[second : md.index("## Scorecards")]
    assert "_30 minutes planned, began 00:00 into the loop_" in dana
    assert (
        "`00:00` **Dana Whitfield (Head of Data Platform):** Hi, I'm Dana. I run the data platform group"
    ) in dana
    assert "**You:** At my last job the billing pipeline failed two hours before month-end close." in dana
    assert (
        "**Dana Whitfield (Head of Data Platform):** _(follow-up: round one conflict)_ In your first" in dana
    )
    assert "**Dana Whitfield (Head of Data Platform):** _(interrupts)_ Let me stop you there." in dana
    assert "**You:** I'd like to move on. _(passed)_" in dana
    assert "_Note: Dana's half hour is nearly up._" in dana
    assert "**You:** What would success look like in the first 90 days?" in dana
    assert "_(hand-off)_ Priya from the platform team is next" in dana
    assert "_Hand-off note for the next interviewer: The team size changed between rounds" in dana
    # Each interviewer's clock starts again at zero; the section says when in the loop it began.
    assert "`00:00` **Priya Raman (Staff Engineer):** Hi! I'm Priya" in priya
    assert re.search(r"_25 minutes planned, began \d\d:\d\d into the loop_", priya)
    assert "Kafka" not in dana and "**You:** We disagreed about moving to Kafka." in priya
    # Turns come in the order they were spoken.
    assert dana.index("Tell me about a time a production pipeline") < dana.index("How would you design")


def test_each_answer_is_followed_by_its_grade(sample_session: Session, panel: dict[str, Persona]) -> None:
    md = session_to_markdown(sample_session, panel)
    answer = md.index("**You:** At my last job")
    grade = md[answer : md.index("In your first interview you said")]
    assert "> **Grade: 4/5** · structure 0.80 · behavioural question" in grade
    assert "> - **Situation** 0.90: “the billing pipeline failed two hours before month-end close”" in grade
    assert (
        "> - **Action** 0.90: “I rolled back the schema change”; “I reran the failed partitions by hand”"
        in grade
    )
    assert (
        "> - **Contradiction** (team size): round one: “I led a team of five engineers”; "
        "today: “a team of twelve engineers”."
    ) in grade
    assert ">   - The team size differs from round one; say which number is right and why." in grade
    assert "> - **A stronger version:**" in grade
    assert ">   4. Result: forty minutes late instead of a day; a schema check added to CI." in grade
    assert "> - _Graded by offline (rules), rubric star@1 consistency@1_" in grade

    assert "> _Not graded: too short to grade: no situation, action or result_" in md
    assert "> - **Result** 0.00: _no evidence_" in md
    assert "> - **Flags:** “we” with no “I”, no result" in md
    assert "> - **Flags:** rambling" in md
    # Turns that are not answers carry no grade block.
    question = md.index("**Dana Whitfield (Head of Data Platform):** How would you design")
    assert not md[question:].split("\n\n")[1].startswith(">")


def test_regrades_and_fallback_grades_are_shown(sample_session: Session) -> None:
    turns = list(sample_session.turns)
    first_grade = turns[2].grade
    assert first_grade is not None
    newer = first_grade.model_copy(
        update={
            "overall": 5,
            "grader": GraderInfo(engine="openai", model="gpt-4o-mini", rubric_version="star@2"),
        }
    )
    fallback = AnswerGrade(
        status="fallback",
        reason="the model timed out; graded by rules",
        overall=2,
        star={"action": StarComponent(score=0.4, evidence=["we wrote a doc"])},
        grader=GraderInfo(engine="offline", rubric_version="star@1"),
    )
    turns[2] = turns[2].model_copy(update={"regrades": [newer]})
    turns[19] = turns[19].model_copy(update={"grade": fallback})
    md = session_to_markdown(sample_session.model_copy(update={"turns": turns}))
    assert "> - **Re-graded** by openai (gpt-4o-mini), rubric star@2: 5/5 (+1 from 4/5)" in md
    assert (
        "> **Grade: 2/5** · behavioural question · fallback grade: the model timed out; graded by rules" in md
    )


def test_closing_sections_in_order(sample_session: Session, panel: dict[str, Persona]) -> None:
    md = session_to_markdown(sample_session, panel)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Dana Whitfield (Head of Data Platform)",
        "## 2. Priya Raman (Staff Engineer)",
        "## Scorecards",
        "## Debrief",
        "## Consistency with round one",
        "## Second-round checklist",
        "## Wrap-up signs",
        "## Thank-you notes",
    ]
    assert "| Dana Whitfield (Head of Data Platform) | 3.3/5 | 3 | 1 | job skills 0.66; structure 0.57;" in md
    assert "| Priya Raman (Staff Engineer) | 2.0/5 | 1 | 0 | collaboration 0.40; culture fit –;" in md
    assert "**Panel verdict: Lean no**" in md
    assert "### Dana Whitfield (Head of Data Platform): Hire" in md
    assert "### Priya Raman (Staff Engineer): Lean no" in md
    assert "**Would object:** I could not tell what they did themselves." in md
    assert (
        "| Dana Whitfield (Head of Data Platform) | Contradiction (team size) | "
        "“I led a team of five engineers” | “a team of twelve engineers” | "
        "Round one said five engineers; today it is twelve. |"
    ) in md
    assert "- [ ] **Consistent with round one**: fail" in md
    assert (
        "  - Advice: Before the second round, reread what you said in the first and keep the numbers." in md
    )
    assert "- [x] **No salary talk before an offer**: pass" in md
    assert "- **Thank-you notes sent**: not applicable" in md
    assert "- **Dana Whitfield (Head of Data Platform):** next steps" in md
    assert "_Send each within 24 hours._" in md
    assert "### To Dana (Dana Whitfield (Head of Data Platform))" in md
    assert "Thank you for the conversation about the tracking pipeline's latency." in md


def test_scorecard_notes_and_send_times_are_shown(sample_session: Session) -> None:
    cards = [
        sample_session.scorecards[0],
        sample_session.scorecards[1].model_copy(update={"note": "Only one answer."}),
    ]
    drafts = [d.model_copy(update={"send_within_hours": 12}) for d in sample_session.thank_you]
    md = session_to_markdown(sample_session.model_copy(update={"scorecards": cards, "thank_you": drafts}))
    assert "\n\n- team_member: Only one answer.\n" in md
    assert md.count("_Send within 12 hours._") == 2
    assert "Send each within 24 hours" not in md


def test_without_personas_the_ids_are_shown(sample_session: Session) -> None:
    md = session_to_markdown(sample_session)
    assert "## 1. hiring_manager" in md
    assert "`00:00` **hiring_manager:** Hi, I'm Dana." in md
    assert "### team_member: Lean no" in md


def test_a_running_session_has_no_closing_sections(sample_session: Session) -> None:
    running = sample_session.model_copy(
        update={
            "status": "ended_early",
            "turns": sample_session.turns[:3],
            "scorecards": [],
            "debrief": [],
            "checklist": [],
            "wrap_up_signs": [],
            "thank_you": [],
        }
    )
    md = session_to_markdown(running)
    assert "- **Status:** ended early; 1 answer, 1 graded" in md
    assert "Panel verdict" not in md
    assert "## 2. team_member" in md and "_This interview did not take place._" in md
    for heading in ("Scorecards", "Debrief", "Second-round checklist", "Wrap-up signs", "Thank-you notes"):
        assert f"## {heading}" not in md
    assert "## Consistency with round one" in md  # the one graded answer already has a finding


def test_html_in_an_answer_comes_out_escaped(sample_session: Session) -> None:
    hostile = "<script>alert('x')</script> and <img src=x onerror=alert(1)>"
    session = _with_answer(sample_session, hostile)
    grade = session.turns[2].grade
    assert grade is not None
    finding = grade.consistency.findings[0].model_copy(update={"round_two_quote": "<b>twelve</b>"})
    turns = list(session.turns)
    turns[2] = turns[2].model_copy(
        update={
            "grade": grade.model_copy(
                update={"consistency": grade.consistency.model_copy(update={"findings": [finding]})}
            )
        }
    )
    md = session_to_markdown(session.model_copy(update={"turns": turns}))
    assert "**You:** &lt;script&gt;alert('x')&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;" in md
    assert "“&lt;b&gt;twelve&lt;/b&gt;”" in md
    assert "<" not in md
    assert not any(">" in line.removeprefix(">") for line in md.splitlines())  # only blockquote markers


def test_candidate_text_cannot_break_the_structure(sample_session: Session) -> None:
    text = (
        "# Hired!\n\n- not a list\n1. not numbered\n---\n| a | b |\n```\n"
        "[click me](javascript:alert(1)) **bold** \x1b[31mred\x1b[0m"
    )
    md = session_to_markdown(_with_answer(sample_session, text))
    assert "**You:** \\# Hired!" in md
    assert "\n\\- not a list\n1\\. not numbered\n\\---\n\\| a \\| b \\|\n\\`\\`\\`\n" in md
    assert "\\[click me\\](javascript:alert(1)) \\*\\*bold\\*\\*" in md
    assert "\x1b" not in md
    headings = {line for line in md.splitlines() if line.startswith("#")}
    assert not any("Hired" in h for h in headings)
    assert "```" not in md


def test_a_key_in_the_transcript_is_redacted_in_the_export(
    sample_session: Session, panel: dict[str, Persona], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "my-endpoint-token-5f4e3d2c1b"
    monkeypatch.setenv("OPENAI_API_KEY", key)
    shaped = "sk-" + "A1b2C3d4" * 4
    session = _with_answer(sample_session, f"The key is {key}; another is {shaped}; sk-learn is a library.")
    md = session_to_markdown(session, panel)
    assert key not in md and shaped not in md
    assert md.count("[redacted]") == 2 and "sk-learn is a library" in md
