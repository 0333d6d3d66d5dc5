"""What the command line loads before it answers: a refusal, `--help` and the saved-session commands
come back without the grader, the orchestrator or the OpenAI client (a second or two of every start)."""

from __future__ import annotations

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
