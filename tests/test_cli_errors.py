"""The one place the CLI turns a failure into a line and an exit code: what a user sees when
something other than their input goes wrong, when the reader of the output goes away, and through
the `roundtwo` console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT
from simulator.cli import main as cli
from tests.hostile_corpus import GOOD_ANSWER


def test_an_unexpected_failure_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the model file\nis missing")

    monkeypatch.setattr("simulator.service.Toolkit.load", broken)  # the CLI loads it only to run
    code = cli.main(["run", "--script", str(ROOT / "examples" / "backend_engineer.yaml")])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "error: the model file is missing (RuntimeError)\n"


def test_a_reader_that_goes_away_ends_quietly(tmp_path: Path) -> None:
    answers = tmp_path / "a.jsonl"
    line = json.dumps({"id": "x", "question": "Tell me about a project.", "answer": GOOD_ANSWER})
    answers.write_text((line + "\n") * 300, encoding="utf-8")  # far more output than a pipe holds
    grader = subprocess.Popen(
        [sys.executable, "-m", "simulator", "grade", str(answers)],
        cwd=ROOT,
        env={**os.environ, "ROUNDTWO_HOME": str(tmp_path / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert grader.stdout is not None and grader.stderr is not None
    grader.stdout.readline()  # like `| head -1`
    grader.stdout.close()
    err = grader.stderr.read().decode()
    assert grader.wait(timeout=120) == 1
    assert err == ""  # no BrokenPipeError, no "Exception ignored"


def test_the_console_script_is_the_same_command(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "roundtwo"
    if not script.exists():
        pytest.skip("the package is not installed with its console script")
    done = subprocess.run(
        [str(script), "sessions", "show", "ffffffff"],
        env={**os.environ, "ROUNDTWO_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (2, "error: no session matches 'ffffffff'\n")
