"""Hostile input through the real command line: every case ends with exit 2, one stderr line and no
traceback. The cases are data, in tests/hostile_corpus.py; `make bench` runs the same corpus."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT
from simulator.store import Store
from tests.hostile_corpus import CASES, EXAMPLE, GOOD_ANSWER, IMPORT_CASES_AWAITING_STORE, Case, run_case


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_cli_refuses_in_one_line(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.problem(case) is None, outcome.problem(case)


# Refused by the import validation in session_json.py and store.py (another engineer's part of
# issue 8): the same contract, listed apart so it is plain which of these still fail.
@pytest.mark.parametrize(
    "case", IMPORT_CASES_AWAITING_STORE, ids=[case.name for case in IMPORT_CASES_AWAITING_STORE]
)
def test_an_import_the_store_must_refuse_is_one_line(case: Case, tmp_path: Path) -> None:
    outcome = run_case(case, tmp_path)
    assert outcome.problem(case) is None, outcome.problem(case)


def test_a_lone_surrogate_costs_only_its_own_line(tmp_path: Path) -> None:
    lines = [
        {"id": "before", "question": "Tell me about a project.", "answer": GOOD_ANSWER},
        {"id": "bad", "question": "Tell me about a project.", "answer": "I shipped it \ud800 on time"},
        {"id": "after", "question": "Tell me about a project.", "answer": GOOD_ANSWER},
    ]
    text = "\n".join(json.dumps(line) for line in lines) + "\n"
    case = Case("surrogate", ("grade", "{dir}/a.jsonl"), {"a.jsonl": text.encode()}, stdout_lines=3)
    outcome = run_case(case, tmp_path)
    assert outcome.problem(case) is None, outcome.problem(case)
    rows = [json.loads(row) for row in outcome.stdout.splitlines()]
    assert rows[1] == {"line": 2, "id": "bad", "error": "answer: text holds an unpaired UTF-16 surrogate"}
    assert [rows[0]["grade"]["status"], rows[2]["grade"]["status"]] == ["graded", "graded"]
    assert outcome.stderr == f"{tmp_path}/a.jsonl:2: answer: text holds an unpaired UTF-16 surrogate\n"


def test_a_session_deleted_while_its_interview_runs_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    env = {**os.environ, "ROUNDTWO_HOME": str(tmp_path / "home")}
    interview = subprocess.Popen(
        [sys.executable, "-m", "simulator", "interview", "--setup", str(EXAMPLE), "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert interview.stdout is not None
        first = interview.stdout.readline()  # "session ID: ..." once it is saved and waiting
        session_id = first.split()[1].rstrip(":")
        with Store(db) as store:
            assert store.delete(session_id)
        _, err = interview.communicate(GOOD_ANSWER + "\n", timeout=120)
    finally:
        if interview.poll() is None:
            interview.kill()
    assert interview.returncode == 2
    assert err == f"error: session {session_id} was deleted while the interview ran\n"


def test_invalid_utf8_on_stdin_keeps_the_session_resumable(tmp_path: Path) -> None:
    case = Case("bad stdin", ("interview", "--db", "{dir}/s.db"), stdin=b"\xff\xfe oops\n")
    outcome = run_case(case, tmp_path)
    assert outcome.problem(case) is None, outcome.problem(case)
    assert outcome.stderr.startswith("error: stdin: not UTF-8 text; everything before is saved")
    session_id = outcome.stderr.split("--resume ")[1].strip()
    resumed = run_case(
        Case("resume", ("interview", "--resume", session_id, "--db", "{dir}/s.db"), stdin=b"/quit\n"),
        tmp_path,
    )
    assert resumed.code == 0 and f"resuming session {session_id}" in resumed.stdout
