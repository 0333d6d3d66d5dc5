"""`python -m simulator grade`: the JSONL contract, bad lines, stdin, engines and rubric folders."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.catalog import ROOT
from simulator.cli import grade
from simulator.cli.main import build_parser, main

STORY = {
    "id": "a1",
    "question": "Tell me about a time you led a team.",
    "answer": (
        "At my last job I led a team of 5 to rebuild our billing system. I split the work, ran daily "
        "check-ins "
        "and wrote the migration plan. We shipped in 6 weeks and billing errors fell by 40%."
    ),
    "round_one": [
        {
            "question": "Tell me about leadership.",
            "answer": "I led a team of 12 people to rebuild our billing system.",
        }
    ],
}
CASE = {
    "id": 7,
    "question": "How would you design a URL shortener?",
    "answer": (
        "I'd first ask how many links a day we expect. I'd store codes in a key-value store. The "
        "trade-off is "
        "that counters are predictable, so I'd recommend random seven-character codes."
    ),
}


def stdin(text: str) -> io.TextIOWrapper:
    """A stdin with bytes underneath, as a real one has."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict], str]:
    code = main(["grade", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_every_line_gets_its_grade_in_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lines(tmp_path / "answers.jsonl", [json.dumps(STORY), json.dumps(CASE)])
    code, out, err = run([str(path)], capsys)
    assert code == 0 and err == ""
    assert [o["id"] for o in out] == ["a1", 7]
    story, case = out[0]["grade"], out[1]["grade"]
    assert story["status"] == "graded" and 1 <= story["overall"] <= 5
    assert set(story["star"]) == {"situation", "task", "action", "result"}
    assert story["consistency"]["findings"][0]["kind"] == "contradiction"
    assert story["consistency"]["findings"][0]["category"] == "team_size"
    # The offline model is the rules, plus whatever reads meaning beside them ("rules+semantic@...").
    assert story["grader"] == {
        "engine": "offline",
        "model": story["grader"]["model"],
        "rubric_version": story["grader"]["rubric_version"],
        "prompt_hash": None,
    }
    assert story["grader"]["model"].startswith("rules")
    assert case["question_kind"] == "case" and case["star"] == {}


def test_bad_lines_are_reported_and_the_rest_still_graded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps(STORY),
        "{not json",
        "",  # blank: skipped, no output
        json.dumps({"id": "b", "question": 5, "answer": "x"}),
        json.dumps({"id": "c", "question": "q?", "answer": "an answer", "mood": "calm"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "question": "Why us?"}),
        json.dumps({"id": "e", "question": "q?", "answer": "a", "round_one": [{"question": "only"}]}),
        json.dumps(CASE),
    ]
    path = write_lines(tmp_path / "mixed.jsonl", lines)
    code, out, err = run([str(path)], capsys)
    assert code == 2
    # A bad row names its line, and its id when the line got far enough to have one.
    assert [o["line"] if "error" in o else o["id"] for o in out] == ["a1", 2, 4, 5, 6, 7, 8, 7]
    assert [o.get("id") for o in out if "error" in o] == [None, "b", "c", None, "d", "e"]
    errors = {o["line"]: o["error"] for o in out if "line" in o}
    assert errors[2].startswith("invalid JSON")
    assert errors[4] == "question: Input should be a valid string"
    assert errors[5] == "mood: unknown field"
    assert errors[6] == "expected a JSON object, got list"
    assert errors[7] == "answer: Field required"
    assert errors[8] == "round_one[0].answer: Field required"
    assert out[-1]["grade"]["status"] == "graded"
    err_lines = err.splitlines()
    assert len(err_lines) == 6 and all(line.startswith(f"{path}:") for line in err_lines)
    assert f"{path}:5: mood: unknown field" in err_lines


def test_ungradable_answers_are_graded_lines_not_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(
        tmp_path / "x.jsonl", [json.dumps({"id": "u", "question": "Why us?", "answer": "I don't know"})]
    )
    code, out, _ = run([str(path)], capsys)
    assert code == 0
    assert out[0]["grade"]["status"] == "ungradable" and out[0]["grade"]["overall"] is None


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", stdin(json.dumps(CASE) + "\n\n"))
    code, out, _ = run(["-"], capsys)
    assert code == 0 and len(out) == 1 and out[0]["id"] == 7


def test_a_bad_line_on_stdin_is_named_as_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", stdin("42\n"))
    code, out, err = run(["-"], capsys)
    assert code == 2 and out == [{"line": 1, "error": "expected a JSON object, got int"}]
    assert err.strip() == "<stdin>:1: expected a JSON object, got int"


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.jsonl"
    code, out, err = run([str(missing)], capsys)
    assert code == 2 and out == []
    assert err == f"error: {missing}: file not found\n"


def test_a_broken_rubric_folder_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(CASE)])
    code, out, err = run([str(path), "--rubrics", str(tmp_path / "no-rubrics")], capsys)
    assert code == 2 and out == []
    assert err.startswith("error: ") and "star.yaml" in err and len(err.splitlines()) == 1


def test_an_llm_engine_without_settings_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(CASE)])
    code, out, err = run([str(path), "--engine", "openai"], capsys)
    assert code == 2 and out == []
    assert err.startswith("error: ") and len(err.splitlines()) == 1


def test_the_subcommand_is_wired_into_the_main_parser() -> None:
    args = build_parser().parse_args(["grade", "answers.jsonl", "--engine", "offline"])
    assert args.handler is grade.run and args.input == "answers.jsonl"


def test_as_a_real_command(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "answers.jsonl", [json.dumps(STORY), "oops", json.dumps(CASE)])
    env = dict(os.environ, ROUNDTWO_HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "grade", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[0]["id"] == "a1" and rows[1] == {"line": 2, "error": rows[1]["error"]} and rows[2]["id"] == 7
    assert done.stderr.startswith(f"{path}:2: invalid JSON")
