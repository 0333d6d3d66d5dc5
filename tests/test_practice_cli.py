"""Practice loops at the terminal, as a user runs them: `/redo` during `interview`, and
`interview --drill ...`; bad flags are one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT

WEAK = "We did some stuff."
STRONG = (
    "In 2023 our billing service sent invoices a day late. I owned the fix: I wrote the Kafka consumer, "
    "ran the cutover on a Sunday and watched the error rate, and invoice delays fell from a day to ten minutes."
)
EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        timeout=300,
    )


def shown(db: Path, session_id: str) -> dict:
    out = cli("sessions", "show", session_id, "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["session"]


def newest(db: Path) -> dict:
    listed = json.loads(cli("sessions", "list", "--json", "--db", str(db)).stdout)
    return shown(db, listed[0]["id"])


def test_redo_answers_the_last_question_again_and_keeps_both(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    typed = f"{WEAK}\n/redo\n{STRONG}\n/quit\n"
    out = cli("interview", "--coach", "--db", str(db), stdin=typed)
    assert out.returncode == 0, out.stderr
    session = newest(db)
    answer = next(t for t in session["turns"] if t["kind"] == "answer")
    question = next(t for t in session["turns"] if t["index"] == answer["reply_to"])
    assert f"Answer again: {question['text']}" in out.stdout
    assert answer["text"] == STRONG and [a["text"] for a in answer["attempts"]] == [WEAK]
    assert "every attempt is kept, and the scores use this one" in out.stdout
    assert "first attempt: coach: not graded" in out.stdout, "the first attempt's grade, beside"
    assert f"this attempt:  coach: {answer['grade']['overall']}/5" in out.stdout
    assert sum(1 for t in session["turns"] if t["kind"] == "answer") == 1, "no second answer turn"


def test_redo_before_any_answer_is_refused_and_the_interview_carries_on(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    out = cli("interview", "--db", str(db), stdin=f"/redo\n{STRONG}\n/quit\n")
    assert out.returncode == 0, out.stderr
    assert "cannot answer again: there is no answer to give again yet" in out.stdout
    answer = next(t for t in newest(db)["turns"] if t["kind"] == "answer")
    assert answer["text"] == STRONG and answer["attempts"] == []


def test_a_competency_drill_runs_to_its_end(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    out = cli("interview", "--drill", "collaboration", "--db", str(db), stdin=f"{STRONG}\n" * 12)
    assert out.returncode == 0, out.stderr
    assert "drill: collaboration, graded as in a round" in out.stdout
    session = newest(db)
    assert session["plan"]["drill"]["competency"] == "collaboration" and session["status"] == "complete"
    asked = [t["question_id"] for t in session["turns"] if t["kind"] == "question"]
    assert asked and set(asked) <= set(session["plan"]["drill"]["question_ids"])
    assert f"run it again: python -m simulator interview --drill-again {session['id']}" in out.stdout
    listed = json.loads(cli("sessions", "list", "--json", "--db", str(db)).stdout)
    assert listed[0]["drill"] == "collaboration"


def test_drill_weakest_from_a_finished_round(copy_example_round: tuple[Path, str]) -> None:
    db, printed = copy_example_round  # `run --script EXAMPLE --json` into this test's database
    round_id = json.loads(printed)["id"]
    out = cli(
        "interview", "--drill", "weakest", "--from", round_id[:6], "--db", str(db), stdin=f"{STRONG}\n" * 12
    )
    assert out.returncode == 0, out.stderr
    drill = newest(db)
    assert drill["plan"]["drill"]["from_session"] == round_id
    assert drill["job"] == shown(db, round_id)["job"]

    again = cli("interview", "--drill-again", drill["id"], "--db", str(db), stdin=f"{STRONG}\n" * 12)
    assert again.returncode == 0, again.stderr
    assert newest(db)["plan"]["drill"]["competency"] == drill["plan"]["drill"]["competency"]


def test_a_question_drill_asks_that_question(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    question = "Tell me about the hardest production incident you have owned."
    out = cli("interview", "--drill-question", question, "--db", str(db), stdin=f"{STRONG}\n" * 6)
    assert out.returncode == 0, out.stderr
    session = newest(db)
    assert [t["text"] for t in session["turns"] if t["kind"] == "question"] == [question]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--drill", "teamwork"], "unknown competency 'teamwork'"),
        (["--drill", "weakest"], "--drill weakest needs --from ID"),
        (["--drill", "collaboration", "--from", "nosuchsession"], "no session matches 'nosuchsession'"),
        (["--from", "abcd"], "--from names the session a drill is built from"),
        (["--resume", "abcd", "--drill", "collaboration"], "--resume carries on a saved session"),
        (["--drill-question", "Why?"], "at least 10 characters"),
        (
            ["--drill", "collaboration", "--drill-question", "Tell me about a time."],
            "not allowed with argument",
        ),
    ],
)
def test_bad_drill_flags_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = cli("interview", *args, "--db", str(tmp_path / "s.db"), stdin="")
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr
