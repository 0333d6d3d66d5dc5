"""The CLI as a user types it: `python -m simulator run|personas|interview`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from simulator.catalog import ROOT

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"


def cli(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin,
        timeout=120,
    )


def session_count(db: Path) -> int:
    if not db.exists():
        return 0
    out = cli("sessions", "list", "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    return len(json.loads(out.stdout))


def test_run_prints_the_saved_session_as_json(copy_example_round: tuple[Path, str]) -> None:
    db, printed = copy_example_round  # `run --script EXAMPLE --db ... --json`, exit 0 (tests/conftest.py)
    session = json.loads(printed)
    assert {"id", "job", "plan", "turns"} <= session.keys()
    turn = session["turns"][0]
    assert {"speaker", "persona_id", "kind", "text", "at_minute"} <= turn.keys()
    assert turn["kind"] == "intro" and turn["speaker"] == "hiring_manager"
    assert all(t["grade"] for t in session["turns"] if t["kind"] == "answer")
    assert session_count(db) == 1
    shown = cli("sessions", "show", session["id"], "--db", str(db))
    assert shown.returncode == 0
    assert session["turns"][1]["text"][:40] in shown.stdout


def test_run_without_json_says_where_the_session_is(tmp_path: Path) -> None:
    # A one-answer script: what is printed, and where it is saved, do not depend on the round's length.
    script = write(tmp_path / "script.yaml", MINIMAL)
    out = cli("run", "--script", str(script), env={"ROUNDTWO_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    assert "saved" in out.stdout
    assert (tmp_path / "sessions.db").exists()


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MINIMAL = """\
job: {title: Data Analyst, company: Acme, description: SQL and dashboards}
answers: [I built the weekly revenue dashboard.]
"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("job: {title: x\n  bad: [", "line"),
        (MINIMAL.replace("answers: [I built the weekly revenue dashboard.]", "answers: []"), "answers"),
        (MINIMAL + "panel: [hiring_manager, recruiter]\n", "panel[1]: unknown persona 'recruiter'"),
        (MINIMAL + "colour: blue\n", "colour: unknown field"),
        (MINIMAL + "pressure: brutal\n", "pressure"),
        (MINIMAL.replace("company: Acme, ", ""), "job.company"),
        (MINIMAL + "minutes: {skip_level: 20}\npanel: [hiring_manager]\n", "minutes"),
    ],
)
def test_bad_scripts_exit_2_with_one_line_and_save_nothing(tmp_path: Path, body: str, expected: str) -> None:
    script = write(tmp_path / "script.yaml", body)
    db = tmp_path / "s.db"
    out = cli("run", "--script", str(script), "--db", str(db))
    assert out.returncode == 2, out.stdout + out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(script) in lines[0] and expected in lines[0]
    assert session_count(db) == 0


def test_a_missing_script_is_bad_input(tmp_path: Path) -> None:
    out = cli("run", "--script", str(tmp_path / "nope.yaml"), "--db", str(tmp_path / "s.db"))
    assert out.returncode == 2
    assert "nope.yaml: file not found" in out.stderr


def test_personas_check_passes_on_the_shipped_files_and_names_errors(tmp_path: Path) -> None:
    ok = cli("personas", "check")
    assert ok.returncode == 0, ok.stderr
    assert "hiring_manager" in ok.stdout
    broken = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", broken)
    data = yaml.safe_load((broken / "team_member.yaml").read_text())
    data["questions"][0]["category"] = "trivia"
    del data["voice"]
    (broken / "team_member.yaml").write_text(yaml.safe_dump(data))
    bad = cli("personas", "check", str(broken))
    assert bad.returncode == 2
    assert "team_member.yaml: voice: Field required" in bad.stderr
    assert f"team_member.yaml: questions[{data['questions'][0]['id']}].category" in bad.stderr


def test_personas_schema_is_json_schema() -> None:
    out = cli("personas", "schema")
    assert out.returncode == 0
    schema = json.loads(out.stdout)
    assert "questions" in schema["properties"]


def test_a_fifth_persona_needs_no_code_change(tmp_path: Path) -> None:
    folder = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", folder)
    shutil.copy(ROOT / "examples" / "bar_raiser.yaml", folder)
    script = yaml.safe_load(EXAMPLE.read_text())
    script["panel"] = ["hiring_manager", "bar_raiser"]
    script["answers"] = script["answers"][:4]  # enough for both to ask; the rest of the round is passes
    script.pop("minutes", None)
    path = tmp_path / "script.yaml"
    path.write_text(yaml.safe_dump(script))
    out = cli("run", "--script", str(path), "--db", str(tmp_path / "s.db"), "--json",
              env={"ROUNDTWO_PERSONAS": str(folder)})  # fmt: skip
    assert out.returncode == 0, out.stderr
    session = json.loads(out.stdout)
    assert "bar_raiser" in {t["speaker"] for t in session["turns"]}


def test_the_live_interview_reads_the_terminal(tmp_path: Path) -> None:
    typed = "\n".join(
        [
            "I led the move of our payments API to Kubernetes; I wrote the rollout plan and "
            "we cut deploy time from 40 to 8 minutes.",
            "/pass",
            "/pass",
            "What does success look like in the first 90 days?",
            "/done",
            "/quit",
        ]
    )
    out = cli("interview", "--db", str(tmp_path / "s.db"), stdin=typed + "\n")
    assert out.returncode == 0, out.stderr
    assert "stopped; saved" in out.stdout
    session_id = out.stdout.split("--resume ")[-1].strip()
    shown = cli("sessions", "show", session_id, "--db", str(tmp_path / "s.db"))
    assert "deploy time from 40 to 8 minutes" in shown.stdout
    assert "success look like in the first 90 days" in shown.stdout


def saved_text(db: Path) -> str:
    listed = cli("sessions", "list", "--json", "--db", str(db)) if db.exists() else None
    if not listed or listed.returncode != 0 or not json.loads(listed.stdout):
        return ""
    return cli("sessions", "show", json.loads(listed.stdout)[0]["id"], "--db", str(db)).stdout


def test_killing_the_process_mid_session_loses_no_saved_turn(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "interview", "--db", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None
    proc.stdin.write("I owned the on-call rotation redesign and cut pages by 45% in one quarter.\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while "cut pages by 45%" not in saved_text(db) and time.monotonic() < deadline:
        time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    # The answer survived the kill, and the session carries on from it.
    sid = json.loads(cli("sessions", "list", "--json", "--db", str(db)).stdout)[0]["id"]
    resumed = cli("interview", "--resume", sid, "--db", str(db), stdin="/end\n/quit\n")
    assert resumed.returncode == 0, resumed.stderr
    text = saved_text(db)
    assert "cut pages by 45%" in text
    # The resumed session carried on: /end closed the first interviewer and handed over to the next.
    turns = json.loads(cli("sessions", "show", sid, "--json", "--db", str(db)).stdout)["session"]["turns"]
    assert [t["kind"] for t in turns if t["persona_id"] == "hiring_manager"][-2:] == ["wrap_up", "handoff"]
    assert any(t["speaker"] == "team_member" and t["kind"] == "intro" for t in turns)


def test_a_thank_you_note_is_checked_against_that_conversation(
    tmp_path: Path, copy_example_round: tuple[Path, str]
) -> None:
    db, printed = copy_example_round  # the example round, run with --json into this test's database
    session = json.loads(printed)
    skip_level = [t for t in session["turns"] if t["persona_id"] == "skip_level"]
    asked = next(t["text"] for t in skip_level if t["kind"] == "candidate_question")
    specific = write(
        tmp_path / "specific.txt",
        f"Hi Helen,\n\nThank you for today. I keep thinking about your answer when I asked: {asked}\n"
        "I'm still very interested in the role.\n\nBest,\nSam\n",
    )
    good = cli("sessions", "thank-you", session["id"], "--to", "skip_level", "--hours", "3", str(specific),
               "--db", str(db))  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert "ok    personal" in good.stdout and "ok    specific" in good.stdout
    assert "ok    timely: sent 3 hours after" in good.stdout
    generic = cli("sessions", "thank-you", session["id"], "--to", "skip_level", "-", "--db", str(db),
                  stdin="Thanks for your time!\n")  # fmt: skip
    assert "worth another pass" in generic.stdout
    assert "fix   specific" in generic.stdout
    # The loop's checklist now says a note was checked.
    shown = json.loads(cli("sessions", "show", session["id"], "--json", "--db", str(db)).stdout)
    item = next(i for i in shown["session"]["checklist"] if i["id"] == "thank_you_follow_up")
    assert item["status"] in ("pass", "fail")
    stranger = cli(
        "sessions", "thank-you", session["id"], "--to", "recruiter", str(specific), "--db", str(db)
    )
    assert stranger.returncode == 2
    assert "'recruiter' was not on this panel" in stranger.stderr
