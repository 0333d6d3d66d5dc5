"""Thank-you notes: a draft per interviewer naming that conversation, and checking a note the user wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from session_factory import (
    fill,
    personas,
    rubrics_copy,
    shipped_rubrics,
    strong_session,
    weak_session,
)

from simulator.grading.checklist import build_checklist
from simulator.grading.text_match import find_cues
from simulator.grading.thank_you import ThankYouCheck, check_thank_you, draft_thank_you, question_gist
from simulator.models import Session
from simulator.report import build_report

SESSION = strong_session()
RUBRICS = shipped_rubrics()


def first(persona_id: str) -> str:
    return personas()[persona_id].name.split()[0]


def specific_note(to: str = "hiring_manager") -> str:
    return (
        f"Hi {first(to)},\n\nThank you for our conversation yesterday. I enjoyed talking through idempotency "
        "keys for the booking API, and your answer about what success looks like in the first 90 days "
        "helped me "
        "picture the work. I'm still very interested in the role and happy to share more about the invoicing "
        "migration.\n\nBest regards,\nSam"
    )


def generic_note(to: str = "hiring_manager") -> str:
    return (
        f"Dear {first(to)},\n\nThank you for taking the time to interview me today. I really enjoyed our "
        "conversation and learning more about the role and the team. I am very interested in the position "
        "and "
        "look forward to hearing from you about next steps.\n\nBest regards,\nSam"
    )


def gushing_note() -> str:
    return (
        f"Hi {first('hiring_manager')}!!! Thank you SO much, our chat about idempotency keys and the first "
        "90 "
        "days was amazing! I'm thrilled, absolutely passionate about this, it's my dream job and I can't "
        "wait "
        "to start!! I love everything about it and I am so excited!"
    )


def check(note: str, persona_id: str = "hiring_manager", hours: float | None = 5.0) -> ThankYouCheck:
    return check_thank_you(note, personas()[persona_id], SESSION, hours, RUBRICS.checklist)


def ids(items: list) -> set[str]:  # type: ignore[type-arg]
    return {i.id for i in items}


# ---------------------------------------------------------------- drafts


def topic_they_answered(persona_id: str) -> str:
    """The topic of the prepared answer the interviewer gave to the candidate's first question."""
    persona = personas()[persona_id]
    said = next(
        t.text for t in SESSION.turns if t.persona_id == persona_id and t.kind == "interviewer_answer"
    )
    return next(a.topic for a in persona.candidate_answers if fill(a.answer, persona).strip() in said)


def test_each_draft_names_its_interviewer_and_something_from_that_conversation() -> None:
    their_questions = {
        "hiring_manager": "I led a piece of work",
        "team_member": "a mistake I made",
        "skip_level": "a decision I had to make without enough information",
    }
    for persona_id, their_question in their_questions.items():
        persona = personas()[persona_id]
        their_answer = topic_they_answered(persona_id)
        draft = draft_thank_you(persona, SESSION, RUBRICS.checklist)
        assert draft.persona_id == persona_id and draft.to == persona.name
        assert draft.text.startswith(f"Hi {persona.name.split()[0]},")
        assert their_answer in draft.text, draft.text
        assert their_question in draft.text, draft.text
        assert draft.send_within_hours == 24
        assert len(draft.text.split()) < 130


def test_a_draft_mentions_only_its_own_conversation() -> None:
    manager = draft_thank_you(personas()["hiring_manager"], SESSION, RUBRICS.checklist).text
    assert topic_they_answered("team_member") not in manager and "mistake" not in manager
    skip = draft_thank_you(personas()["skip_level"], SESSION, RUBRICS.checklist).text
    assert topic_they_answered("hiring_manager") not in skip and "piece of work" not in skip


def test_a_draft_names_the_story_bank_story_it_talked_through() -> None:
    draft = draft_thank_you(personas()["team_member"], SESSION, RUBRICS.checklist)
    assert "\u201cBookings table lock\u201d story" in draft.text


def test_a_draft_says_it_wants_the_job_once_and_passes_its_own_check() -> None:
    spec = RUBRICS.checklist.items[-1]
    for persona_id in ("hiring_manager", "team_member", "skip_level"):
        persona = personas()[persona_id]
        draft = draft_thank_you(persona, SESSION, RUBRICS.checklist)
        interest = find_cues(draft.text, spec.interest_cues)  # type: ignore[union-attr]
        assert len(interest) == 1, interest
        result = check_thank_you(draft.text, persona, SESSION, 2.0, RUBRICS.checklist)
        assert result.ok, result.failed


def test_a_draft_never_thanks_them_for_the_salary_talk() -> None:
    draft = draft_thank_you(personas()["hiring_manager"], weak_session(), RUBRICS.checklist)
    assert "salary" not in draft.text.lower() and "vacation" not in draft.text.lower()
    assert "your question about a time I led a piece of work" in draft.text


def test_question_gist_retells_the_question_from_the_candidates_side() -> None:
    assert question_gist("Tell me about a time you missed a deadline.") == "a time I missed a deadline"
    assert question_gist("Can you walk me through how you'd design it?") == "how I'd design it"
    assert question_gist("Why Harbourline?") is None


# ---------------------------------------------------------------- checking a note


def test_a_specific_note_passes() -> None:
    result = check(specific_note())
    assert result.ok, result.failed
    assert ids(result.passed) == {"personal", "specific", "interest", "timely"}
    assert {"idempotency", "success"} <= set(result.specific_terms)


def test_a_generic_note_is_flagged_as_not_specific() -> None:
    result = check(generic_note())
    assert ids(result.failed) == {"specific"}
    [failure] = result.failed
    assert "too generic" in failure.reason and first("hiring_manager") in failure.reason
    assert ids(result.passed) == {"personal", "interest", "timely"}


def test_a_note_to_the_wrong_conversation_is_not_specific() -> None:
    # Talks about the team member's conversation in a note to the skip-level.
    note = (
        f"Hi {first('skip_level')},\n\nThank you for your time. I enjoyed our talk about the table lock and "
        "the rate "
        "limiter rewrite in Go. I'm very interested in the role.\n\nBest,\nSam"
    )
    result = check(note, "skip_level")
    assert "specific" in ids(result.failed)


def test_gushing_is_overdoing_it() -> None:
    result = check(gushing_note())
    [interest] = [f for f in result.failed if f.id == "interest"]
    assert "overdoes it" in interest.reason
    assert "exclamation marks" in interest.reason


def test_a_note_without_the_name_or_any_interest_fails_those() -> None:
    note = (
        "Thanks for the interview. The idempotency key design for the booking API and the first 90 days plan "
        "were useful to discuss, and I appreciated the detail on how success is measured."
    )
    result = check(note)
    assert {"personal", "interest"} <= ids(result.failed)
    assert "never says you are still interested" in next(
        f.reason for f in result.failed if f.id == "interest"
    )


@pytest.mark.parametrize(
    ("hours", "status"), [(3.0, "passed"), (24.0, "passed"), (30.0, "failed"), (None, "not_checked")]
)
def test_timeliness(hours: float | None, status: str) -> None:
    result = check(specific_note(), hours=hours)
    assert "timely" in ids(getattr(result, status))


def test_checked_notes_fill_the_checklist_item() -> None:
    def item(checks: list[ThankYouCheck] | None, session: Session = SESSION):  # type: ignore[no-untyped-def]
        items = build_checklist(session, personas(), RUBRICS.checklist, RUBRICS.candidate_questions, checks)
        return next(i for i in items if i.id == "thank_you_follow_up")

    assert item(None).status == "not_applicable"
    assert "send each interviewer" in item(None).advice.lower()
    notes = {
        "hiring_manager": specific_note(),
        "team_member": (
            f"Hi {first('team_member')},\n\nThank you for walking me through a typical week and how code "
            "review works on the "
            "team. Talking about the bookings table lock was a good reminder of why I like this work. I'm "
            "keen to join you.\n\nBest,\nSam"
        ),
        "skip_level": (
            f"Hi {first('skip_level')},\n\nThank you for explaining where the group is heading over the "
            "next two years, and "
            "for the question about deciding without enough information. I'm very interested in the role."
            "\n\nBest,\nSam"
        ),
    }
    checks = [check(text, pid) for pid, text in notes.items()]
    assert [c.ok for c in checks] == [True, True, True], [c.failed for c in checks]
    assert item(checks).status == "pass"
    checks[1] = check(generic_note("team_member"), "team_member")
    failed = item(checks)
    assert failed.status == "fail"
    assert any(
        e.startswith(f"Note to {personas()['team_member'].name}: too generic") for e in failed.evidence
    )
    missing = item(checks[:1])
    assert missing.status == "fail"
    assert any(e.startswith(f"No note checked for {personas()['skip_level'].name}") for e in missing.evidence)


def test_build_report_takes_checked_notes() -> None:
    checks = [check(specific_note())]
    report = build_report(SESSION, personas(), RUBRICS, thank_you_checks=checks)
    item = next(i for i in report.checklist if i.id == "thank_you_follow_up")
    assert item.status == "fail"  # only one of three interviewers has a note
    assert any(f"{personas()['hiring_manager'].name}: fine" in e for e in item.evidence)


def test_without_a_rubric_the_rubrics_folder_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    persona = personas()["hiring_manager"]
    late = check_thank_you(specific_note(), persona, SESSION, 30.0)
    assert "timely" in ids(late.failed)
    directory = rubrics_copy(tmp_path)
    path = directory / "checklist.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    within_hours: 24\n", "    within_hours: 48\n"),
        encoding="utf-8",
    )
    monkeypatch.setenv("ROUNDTWO_RUBRICS", str(directory))
    relaxed = check_thank_you(specific_note(), persona, SESSION, 30.0)
    assert relaxed.ok, relaxed.failed
    assert draft_thank_you(persona, SESSION).send_within_hours == 48
