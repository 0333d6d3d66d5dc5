"""Reading a round-one record the way users bring one: pasted text, Markdown, JSON, YAML, a session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.models import QA, Job, Plan, Session, Slot, Turn
from simulator.roundone_import import (
    MAX_BYTES,
    NO_QUESTION,
    RoundOneImportError,
    parse_round_one_file,
    parse_round_one_text,
    round_one_from_session,
)


def test_question_answer_pairs_with_notes_before_them() -> None:
    text = (
        "Call with the recruiter, 12 March. They use Go and Postgres.\n"
        "a) remember to ask about on-call\n\n"
        "Q: Tell me about a project you led.\n"
        "A: I led a team of 5 to move billing to Postgres.\n"
        "It took 3 months.\n\n"
        "Q: Why this company?\n"
        "A: The product and the team.\n"
    )
    record = parse_round_one_text(text)
    assert record.answers == [
        QA(
            question="Tell me about a project you led.",
            answer="I led a team of 5 to move billing to Postgres.\nIt took 3 months.",
        ),
        QA(question="Why this company?", answer="The product and the team."),
    ]
    assert "They use Go and Postgres." in record.notes
    assert "a) remember to ask about on-call" in record.notes  # "a)" is not an answer label


def test_markdown_numbered_and_spoken_labels() -> None:
    text = (
        "## Q1. What was your biggest outage?\n"
        "**A1.** A cache stampede in 2023; I wrote the postmortem.\n"
        "- Question: Salary expectations?\n"
        "- Answer: Around 120k.\n"
        "Interviewer: Any questions for me?\n"
        "Me: How big is the team?\n"
    )
    record = parse_round_one_text(text)
    assert [qa.question for qa in record.answers] == [
        "What was your biggest outage?",
        "Salary expectations?",
        "Any questions for me?",
    ]
    assert record.answers[0].answer == "A cache stampede in 2023; I wrote the postmortem."
    assert record.answers[2].answer == "How big is the team?"
    assert record.notes == ""


def test_free_text_becomes_notes_and_unanswered_questions_are_kept_as_notes() -> None:
    record = parse_round_one_text("I said my team was 5 people.\nThey liked the migration story.")
    assert record.answers == []
    assert record.notes == "I said my team was 5 people.\nThey liked the migration story."
    dangling = parse_round_one_text("Q: What is your notice period?\n")
    assert dangling.answers == []
    assert dangling.notes == "Unanswered question: What is your notice period?"


def test_an_answer_without_its_question_is_kept() -> None:
    record = parse_round_one_text("A: I managed 12 people.")
    assert record.answers == [QA(question=NO_QUESTION, answer="I managed 12 people.")]


def test_json_list_mapping_and_yaml(tmp_path: Path) -> None:
    listed = tmp_path / "r1.json"
    listed.write_text(json.dumps([{"question": "Team size?", "answer": "Five engineers."}]), encoding="utf-8")
    assert parse_round_one_file(listed).answers == [QA(question="Team size?", answer="Five engineers.")]

    mapping = tmp_path / "r1.yaml"
    mapping.write_text(
        "notes: The hiring manager is Priya.\n"
        "answers:\n  - question: Biggest win?\n    answer: Cut p95 by 40%.\n",
        encoding="utf-8",
    )
    record = parse_round_one_file(mapping)
    assert record.notes == "The hiring manager is Priya."
    assert record.answers == [QA(question="Biggest win?", answer="Cut p95 by 40%.")]


def test_upload_name_decides_the_format(tmp_path: Path) -> None:
    upload = tmp_path / "tmpXYZ"
    upload.write_text("Q: Why us?\nA: The mission.", encoding="utf-8")
    record = parse_round_one_file(upload, name="round-one.md")
    assert record.answers == [QA(question="Why us?", answer="The mission.")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r1.json", '[{"question": "x",', "r1.json: line 1: invalid JSON"),
        ("r1.yaml", "answers: [unclosed", "r1.yaml: line 1: invalid YAML"),
        ("r1.json", json.dumps([{"question": "q", "answer": ""}]), "top level item 1: the answer is empty"),
        ("r1.json", json.dumps([{"question": "q", "answr": "x"}]), "top level item 1: unknown field 'answr'"),
        ("r1.json", json.dumps({"answers": [], "extra": 1}), "r1.json: unknown field 'extra'"),
        ("r1.json", json.dumps(42), "expected a list of {question, answer} or a mapping"),
        ("r1.pdf", "%PDF", "r1.pdf: unsupported file type '.pdf'"),
    ],
)
def test_bad_files_fail_with_one_line(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RoundOneImportError) as info:
        parse_round_one_file(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_binary_and_oversized_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "r1.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(RoundOneImportError, match=r"r1\.txt: not UTF-8 text"):
        parse_round_one_file(binary)
    huge = tmp_path / "big.txt"
    huge.write_text("word " * (MAX_BYTES // 4), encoding="utf-8")
    with pytest.raises(RoundOneImportError, match="over the 200 KB limit"):
        parse_round_one_file(huge)
    with pytest.raises(RoundOneImportError, match=r"pasted text: .* over the 200 KB limit"):
        parse_round_one_text("x" * (MAX_BYTES + 1))


def _session() -> Session:
    def turn(index: int, speaker: str, kind: str, text: str, reply_to: int | None = None) -> Turn:
        return Turn(
            index=index,
            speaker=speaker,
            persona_id="hiring_manager",
            kind=kind,
            text=text,
            at_minute=index,
            slot_minute=index,
            duration=1,
            reply_to=reply_to,
        )

    return Session(
        id="abcd1234",
        created_at="2025-03-01T10:00:00+00:00",
        job=Job(title="Backend Engineer", company="Quillstone", description="Build billing."),
        plan=Plan(slots=[Slot(persona_id="hiring_manager", minutes=30)]),
        turns=[
            turn(0, "hiring_manager", "intro", "Hello, I'm Dana."),
            turn(1, "hiring_manager", "question", "Tell me about a migration."),
            turn(2, "candidate", "answer", "I moved 1.2 billion rows with a team of 5.", reply_to=1),
            turn(3, "hiring_manager", "question", "Why us?"),
            turn(4, "candidate", "pass", "I'd like to move on.", reply_to=3),
        ],
    )


def test_an_earlier_session_becomes_the_round_one_record(tmp_path: Path) -> None:
    session = _session()
    record = round_one_from_session(session)
    assert record.answers == [
        QA(question="Tell me about a migration.", answer="I moved 1.2 billion rows with a team of 5.")
    ]
    assert "2025-03-01" in record.notes and "Backend Engineer at Quillstone" in record.notes

    exported = tmp_path / "session.json"
    exported.write_text(
        json.dumps({"format": "roundtwo.session", "version": 1, "session": session.model_dump(mode="json")}),
        encoding="utf-8",
    )
    assert parse_round_one_file(exported).answers == record.answers
