"""`python -m simulator interview` as a user runs it: with --job FILE, asked for the job at a terminal,
and with --coach showing each answer's grade as it goes."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.catalog import ROOT

JOB = """\
title: Senior Data Analyst
company: Lumenfield
level: Senior
description: >-
  Lumenfield's growth analytics team is a team of six analysts. You will own retention metrics, write
  SQL every day, build dashboards in Looker and analyse A/B tests with product managers.
research_notes: Moving to a new data platform on Snowflake and dbt this year.
"""
ANSWER = (
    "I rebuilt our churn dashboard in Looker; I found a join that double counted trials, fixed it, "
    "and the error fell from 8% to 1% in two weeks, so finance stopped keeping its own copy."
)


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input=stdin,
        timeout=180,
    )


def saved(db: Path) -> dict:
    listed = json.loads(cli("sessions", "list", "--json", "--db", str(db)).stdout)
    shown = cli("sessions", "show", listed[0]["id"], "--json", "--db", str(db))
    return json.loads(shown.stdout)["session"]


@pytest.fixture
def job_file(tmp_path: Path) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(JOB, encoding="utf-8")
    return path


# ---------------------------------------------------------------- --job FILE and --coach


def test_job_file_sets_the_job_and_coach_shows_each_grade(job_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    typed = f"{ANSWER}\n/quit\n"
    out = cli("interview", "--job", str(job_file), "--coach", "--db", str(db), stdin=typed)
    assert out.returncode == 0, out.stderr
    assert "Senior Data Analyst at Lumenfield" in out.stdout
    session = saved(db)
    assert session["job"]["company"] == "Lumenfield" and session["job"]["research_notes"].startswith("Moving")
    assert session["round_one"] == {"answers": [], "notes": ""}, "the example's round one is not carried over"
    grade = next(t["grade"] for t in session["turns"] if t["kind"] == "answer")
    assert f"coach: {grade['overall']}/5" in out.stdout
    assert "STAR S" in out.stdout


def test_without_coach_no_grade_is_shown(job_file: Path, tmp_path: Path) -> None:
    out = cli("interview", "--job", str(job_file), "--db", str(tmp_path / "s.db"), stdin=f"{ANSWER}\n/quit\n")
    assert out.returncode == 0, out.stderr
    assert "coach:" not in out.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (JOB.replace("title:", "titel:"), "{path}: titel: unknown field"),
        (JOB.split("description:")[0], "{path}: description: Field required"),
        ("- just a list\n", "{path}: expected a mapping with title, company, description"),
        (JOB.replace("company: Lumenfield", "company: [Lumenfield"), "{path}: line "),
    ],
)
def test_a_bad_job_file_is_one_line_naming_the_file_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(text, encoding="utf-8")
    out = cli("interview", "--job", str(path), "--db", str(tmp_path / "s.db"), stdin="/quit\n")
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert out.stderr.startswith("error: " + message.format(path=path)), out.stderr
    assert (
        not (tmp_path / "s.db").exists()
        or "[]" in cli("sessions", "list", "--json", "--db", str(tmp_path / "s.db")).stdout
    )


def test_a_missing_job_file_is_named(tmp_path: Path) -> None:
    out = cli("interview", "--job", str(tmp_path / "none.yaml"), "--db", str(tmp_path / "s.db"))
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {tmp_path / 'none.yaml'}: file not found"


def test_piped_input_without_a_job_says_it_uses_the_example(tmp_path: Path) -> None:
    out = cli("interview", "--db", str(tmp_path / "s.db"), stdin="/quit\n")
    assert out.returncode == 0, out.stderr
    assert (
        "no --job given: practising with the example job, Senior Backend Engineer at Quillstone" in out.stdout
    )


# ---------------------------------------------------------------- at a terminal


class Terminal:
    """The interview under a pseudo-terminal, typed into line by line as a person would."""

    def __init__(self, *args: str):
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "simulator", "interview", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=ROOT,
            close_fds=True,
        )
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; saw:\n{self.seen[-2000:]}"
            ready, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:  # the child closed the terminal
                    break
        assert text in self.seen, self.seen[-2000:]

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def close(self) -> int:
        code = self.proc.wait(timeout=60)
        os.close(self.master)
        return code


def test_at_a_terminal_the_job_is_asked_for(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    term = Terminal("--db", str(db))
    term.expect("Job title")
    term.type("Product Designer")
    term.expect("Company>")
    term.type("Orchard")
    term.expect("Level")
    term.type("")
    term.expect("Job description")
    term.type("Design checkout flows in Figma and run usability tests.")
    term.type("Contribute to our design system.")
    term.type("")
    term.expect("Research notes")
    term.type("Launched a new checkout in 2025.")
    term.type("")
    term.expect("Product Designer at Orchard")
    term.expect("You [1/4]>")
    term.type("/quit")
    assert term.close() == 0
    job = saved(db)["job"]
    assert job["title"] == "Product Designer" and job["company"] == "Orchard"
    assert (
        job["description"]
        == "Design checkout flows in Figma and run usability tests.\nContribute to our design system."
    )
    assert job["research_notes"] == "Launched a new checkout in 2025."


def test_at_a_terminal_enter_practises_with_the_example(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    term = Terminal("--db", str(db))
    term.expect("Job title (Enter for the example")
    term.type("")
    term.expect("Senior Backend Engineer at Quillstone")
    term.expect("You [1/4]>")
    term.type("/quit")
    assert term.close() == 0
    assert saved(db)["job"]["company"] == "Quillstone"
