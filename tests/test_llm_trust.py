"""A judge that must earn its trust: `judge-eval` measures it against labelled answers beside the
offline grader; a judge below the offline grader is advisory (shown beside, never over, the offline
grade). Run through the CLI against the fake server, on a small labelled set written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_openai_server import FakeOpenAIServer
from llm_fakes import verdict_fields
from llm_session import FARE_STORY, SCRIPT, fare_request

from simulator.catalog import load_personas, load_rubrics
from simulator.cli.main import main
from simulator.engines import make_engine
from simulator.engines.judge import JudgeVerdict, guard_verdict
from simulator.engines.offline import OfflineEngine
from simulator.engines.openai_engine import OpenAIEngine
from simulator.engines.trust import load_trust, setup_line
from simulator.script import script_setup

RUBRICS = load_rubrics()
ROUND_ONE = script_setup(SCRIPT, load_personas(), "trust").round_one
STORY = (
    "Last spring our checkout started failing for about a tenth of users, mostly on mobile, and support was "
    "getting hundreds of tickets a day. I was the engineer on call, so the fix was mine. I traced it to a "
    "stale cache of the basket, rewrote the invalidation so it cleared on every price change, and added an "
    "alert on the failure rate. Failures fell from 10% to 0.2% within a week, and the tickets stopped."
)
ROWS = [
    {
        "question": "Tell me about a fix you owned.",
        "answer": STORY,
        "status": "graded",
        "score": 5,
        "labels": {"situation": True, "task": True, "action": True, "result": True},
    },
    {
        "question": "Tell me about a conflict.",
        "answer": "I would talk to them and find common ground, I think.",
        "status": "graded",
        "score": 2,
        "labels": {"situation": False, "task": False, "action": False, "result": False},
    },
    {"question": "Anything?", "answer": "", "status": "ungradable", "score": None, "labels": {}},
]
# A weak judge: every part absent, a score of 1, whatever the answer (as SmolLM2 did).
WEAK = {
    "reason": ".\n} {.",
    "situation": {"evidence": [], "level": "absent"},
    "task": {"evidence": [], "level": "absent"},
    "action": {"evidence": [], "level": "absent"},
    "result": {"evidence": [], "level": "absent"},
    "contradictions": [],
    "flags": [],
    "feedback": [],
    "structure": "poor",
    "score": 1,
}


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "labelled.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ROWS) + "\n", encoding="utf-8")
    return path


def use_server(monkeypatch: pytest.MonkeyPatch, server: FakeOpenAIServer) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-trust-tests-0123456789abcdef")
    monkeypatch.setenv("ROUNDTWO_MODEL", "weak-model")


def test_judge_eval_prints_the_comparison_and_makes_a_weak_judge_advisory(
    labelled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeOpenAIServer("ok", verdict=WEAK) as server:
        use_server(monkeypatch, server)
        assert main(["judge-eval", "--engine", "openai", "--data", str(labelled)]) == 0
        out = capsys.readouterr().out
        assert "answers: 2 (judge fell back on 0)" in out  # the ungradable line never reaches a judge
        assert "STAR parts agreed with coaches: judge " in out and "offline grader" in out
        assert STORY not in out and "labels" not in out  # aggregates only
        trust = load_trust("weak-model")
        assert trust is not None and trust.advisory and trust.judge_near < trust.offline_near
        assert f"agreed with coaches on {trust.judge_agreement:.0%} of parts" in setup_line(
            "openai", "weak-model"
        )

        # From now on its grade is shown beside the offline grade, never over it.
        engine = make_engine("openai", RUBRICS)
        assert isinstance(engine, OpenAIEngine)
        request = fare_request(ROUND_ONE, SCRIPT.job)
        grade = engine.grade(request)
    offline = OfflineEngine(RUBRICS).grade(request)
    assert grade.overall == offline.overall and grade.star == offline.star and grade.grader == offline.grader
    assert grade.rationale and grade.rationale.startswith("Advisory judge (weak-model) would give 1/5")


def test_judge_eval_reports_a_bad_data_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "q", "answer": "a", "labels": {"situation": true}}\n', encoding="utf-8")
    assert (
        main(["judge-eval", "--engine", "openai", "--data", str(bad), "--base-url", "http://127.0.0.1:9/v1"])
        == 2
    )
    err = capsys.readouterr().err
    assert f"{bad}:1: labels: needs situation, task, action and result" in err and "Traceback" not in err
    assert main(["judge-eval", "--engine", "offline", "--data", str(bad)]) == 2


def test_the_bundled_local_model_is_advisory_until_measured() -> None:
    assert "advisory until measured" in setup_line("local", "gpt-4o-mini")
    assert "not measured yet" in setup_line("openai", "gpt-4o")


def test_a_part_the_judge_calls_absent_keeps_the_rules_quotes_and_score() -> None:
    request = fare_request(ROUND_ONE, SCRIPT.job)
    rules = OfflineEngine(RUBRICS).grade(request)
    quoted = [part for part, component in rules.star.items() if component.evidence]
    assert quoted, "the rules quote the fare story"
    verdict = JudgeVerdict.model_validate(WEAK)
    judged = guard_verdict(verdict, rules, request, rubric_version="v", model="m", prompt_hash="h")
    for part in quoted:
        assert judged.star[part].evidence == rules.star[part].evidence
        assert judged.star[part].score == rules.star[part].score > 0.0  # never 0.00 beside a quote
    assert judged.rationale == WEAK["reason"]


def test_a_trusted_judges_reasoning_is_stored_on_the_grade() -> None:
    request = fare_request(ROUND_ONE, SCRIPT.job)
    rules = OfflineEngine(RUBRICS).grade(request)
    verdict = JudgeVerdict.model_validate(verdict_fields(FARE_STORY))
    judged = guard_verdict(verdict, rules, request, rubric_version="v", model="m", prompt_hash="h")
    assert judged.rationale and judged.rationale.startswith("The answer sets the scene")


def test_judge_eval_tries_every_answer_and_says_why_none_got_a_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    graded = [row for row in ROWS if row["status"] == "graded"] * 3  # six answers: past the breaker's three
    data = tmp_path / "six.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in graded) + "\n", encoding="utf-8")
    with FakeOpenAIServer("500") as server:
        use_server(monkeypatch, server)
        assert main(["judge-eval", "--engine", "openai", "--data", str(data), "--max-retries", "0"]) == 0
        asked = len(server.requests)
    out = capsys.readouterr().out
    assert asked == 6, "every answer is put to the judge: a slow or failing server must not skip any"
    assert "answers: 6 (judge fell back on 6)" in out
    assert "no verdict because: " in out and "(6)" in out
    assert "the judge gave no verdict at all" in out
