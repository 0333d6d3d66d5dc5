"""What the command line loads before it answers: a refusal, `--help` and the saved-session commands
come back without the grader, the orchestrator or the OpenAI client (a second or two of every start)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT

HEAVY = ("simulator.service", "simulator.orchestrator", "simulator.engines.offline", "openai")
# Runs the CLI in a fresh interpreter, then prints which of HEAVY it imported (one line on stdout).
PROBE = (
    "import sys; from simulator.cli.main import main; code = main(sys.argv[1:]); "
    f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules)); sys.exit(code)"
)


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ROUNDTWO_HOME": str(home)},
        timeout=120,
    )


def loaded(out: subprocess.CompletedProcess[str]) -> str:
    return out.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("job: [unclosed\n", "line"),
        ("job: {title: Analyst, company: Acme, description: SQL}\nanswers: [I built it.]\npanel: [nobody]\n",
         "panel[0]: unknown persona 'nobody'"),
    ],
)  # fmt: skip
def test_a_bad_script_is_refused_before_the_grader_loads(tmp_path: Path, body: str, expected: str) -> None:
    script = tmp_path / "script.yaml"
    script.write_text(body, encoding="utf-8")
    out = cli("run", "--script", str(script), "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 2
    [line] = out.stderr.strip().splitlines()
    assert str(script) in line and expected in line
    assert loaded(out) == "loaded: []"
    assert not (tmp_path / "s.db").exists(), "nothing is saved"


def test_drill_flags_that_cannot_go_together_are_refused_before_anything_loads(tmp_path: Path) -> None:
    out = cli("interview", "--drill", "weakest", "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 2
    assert (
        out.stderr
        == "error: --drill weakest needs --from ID: the session whose weakest competency to drill\n"
    )
    assert loaded(out) == "loaded: []"


def test_listing_and_showing_saved_sessions_load_no_grader(tmp_path: Path) -> None:
    listed = cli("sessions", "list", "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert listed.returncode == 0, listed.stderr
    assert loaded(listed) == "loaded: []"
    shown = cli("sessions", "show", "ffffffff", "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert shown.returncode == 2 and "ffffffff" in shown.stderr
    assert loaded(shown) == "loaded: []"


def test_a_good_script_still_loads_the_grader_and_runs(tmp_path: Path) -> None:
    script = tmp_path / "script.yaml"
    script.write_text(
        "job: {title: Data Analyst, company: Acme, description: SQL and dashboards}\n"
        "panel: [hiring_manager]\n"
        "answers: [In 2023 I built the weekly revenue dashboard in SQL and cut the finance team's "
        "reporting time from two days to two hours.]\n",
        encoding="utf-8",
    )
    out = cli("run", "--script", str(script), "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 0, out.stderr
    assert "saved:" in out.stdout and "1 answers graded" in out.stdout
    assert "simulator.service" in loaded(out) and "simulator.orchestrator" in loaded(out)


# ---------------------------------------------------------------- interview and grade: refused first


def test_a_bad_job_file_for_the_interview_is_refused_before_the_grader_loads(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text("title: Analyst\ncompany: Acme\n", encoding="utf-8")  # no description
    out = cli("interview", "--job", str(job), "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 2
    assert out.stderr == f"error: {job}: description: Field required\n"
    assert loaded(out) == "loaded: []"


def test_a_bad_setup_file_for_the_interview_is_refused_before_the_grader_loads(tmp_path: Path) -> None:
    setup = tmp_path / "setup.yaml"
    setup.write_text(
        "job: {title: Analyst, company: Acme, description: SQL}\nanswers: [I built it.]\ncolour: blue\n",
        encoding="utf-8",
    )
    out = cli("interview", "--setup", str(setup), "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 2
    [line] = out.stderr.strip().splitlines()
    assert str(setup) in line and "colour: unknown field" in line
    assert loaded(out) == "loaded: []"


@pytest.mark.parametrize("flag", ["--resume", "--drill-again"])
def test_an_id_the_database_does_not_hold_is_refused_before_the_grader_loads(
    tmp_path: Path, flag: str
) -> None:
    out = cli("interview", flag, "deadbeef", "--db", str(tmp_path / "s.db"), home=tmp_path / "home")
    assert out.returncode == 2
    assert out.stderr == "error: no session matches 'deadbeef'\n"
    assert loaded(out) == "loaded: []"


def test_a_drill_from_an_unknown_session_is_refused_before_the_grader_loads(tmp_path: Path) -> None:
    out = cli("interview", "--drill", "weakest", "--from", "deadbeef", "--db", str(tmp_path / "s.db"),
              home=tmp_path / "home")  # fmt: skip
    assert out.returncode == 2
    assert out.stderr == "error: no session matches 'deadbeef'\n"
    assert loaded(out) == "loaded: []"


@pytest.mark.parametrize(
    "command", [["interview"], ["run", "--script", str(ROOT / "examples" / "backend_engineer.yaml")]]
)
def test_a_database_that_is_not_one_is_refused_before_the_grader_loads(
    tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(b"these are not the bytes of an SQLite database" * 100)
    out = cli(*command, "--db", str(db), home=tmp_path / "home")
    assert out.returncode == 2, out.stderr
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("error: ") and str(db) in line
    assert loaded(out) == "loaded: []"
    assert db.read_bytes().startswith(b"these are not the bytes"), "the file is left as it was"


def test_grade_answers_a_file_of_bad_lines_without_loading_the_grader(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    lines.write_text('{"id": "a1", "answer": "I led the migration."}\n[1, 2]\n', encoding="utf-8")
    out = cli("grade", str(lines), home=tmp_path / "home")
    assert out.returncode == 2
    printed = out.stdout.strip().splitlines()[:-1]  # the probe's own line last
    assert printed == [
        '{"line": 1, "error": "question: Field required", "id": "a1"}',
        '{"line": 2, "error": "expected a JSON object, got list"}',
    ]
    assert out.stderr.splitlines() == [
        f"{lines}:1: question: Field required",
        f"{lines}:2: expected a JSON object, got list",
    ]
    assert loaded(out) == "loaded: []"
    missing = cli("grade", str(tmp_path / "none.jsonl"), home=tmp_path / "home")
    assert missing.returncode == 2
    assert missing.stderr == f"error: {tmp_path / 'none.jsonl'}: file not found\n"
    assert loaded(missing) == "loaded: []"


def test_grade_loads_the_grader_for_the_first_good_line_and_still_names_the_bad_one(tmp_path: Path) -> None:
    lines = tmp_path / "a.jsonl"
    good = {"id": "ok", "question": "Tell me about a project you led.",
            "answer": "In 2023 I led the move of our billing jobs to Airflow and cut failed runs from 12 a month to 1."}  # fmt: skip
    lines.write_text("not json\n" + json.dumps(good) + "\n", encoding="utf-8")
    out = cli("grade", str(lines), home=tmp_path / "home")
    assert out.returncode == 2
    bad, graded = (json.loads(line) for line in out.stdout.strip().splitlines()[:-1])
    assert bad["line"] == 1 and bad["error"].startswith("invalid JSON")
    assert graded["id"] == "ok" and graded["grade"]["status"] == "graded"
    assert "simulator.engines.offline" in loaded(out)
