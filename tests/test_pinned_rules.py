"""The LLM engine's offline rule grader is a dependency, and the cassettes pin what it said.

A cassette matches request bodies exactly, and the judge's prompt is built on the rules' grade of the
answer, so the cassette tests give the engine the rule grades recorded with the cassettes
(tests/pinned_rules.py) instead of the live grader's. These tests drive that seam the way the
cassette tests do: through the engine, the orchestrator and a replayed cassette.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from llm_session import SCRIPT, fare_request
from llm_vcr import PINNED, REPLAY_BASE_URL, cassette, cassette_engine

from simulator.catalog import ROOT, load_personas, load_rubrics
from simulator.engines.base import GradeRequest
from simulator.engines.offline import OfflineEngine
from simulator.engines.openai_engine import OpenAIEngine
from simulator.models import Plan, Session, Slot
from simulator.orchestrator import Interview
from simulator.script import load_script, script_setup
from simulator.service import Toolkit
from tests import pinned_rules
from tests.llm_fakes import Roleplay, ScriptedChatModel
from tests.pinned_rules import NotPinned, PinnedRules, PinningRules, pinned_path

RUBRICS = load_rubrics(PINNED / "rubrics")
PERSONAS = load_personas(PINNED / "personas")
ROUND_ONE = script_setup(SCRIPT, PERSONAS, "llm_session").round_one
EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"


def replay_engine(name: str, folder: Path | None = None) -> OpenAIEngine:
    """The engine the cassette tests replay with; its pinned grades read from `folder` if given."""
    rules = PinnedRules(name, folder) if folder is not None else None
    return cassette_engine(name, REPLAY_BASE_URL, RUBRICS, record=False, rules=rules)


def test_an_answer_not_graded_when_recording_fails_naming_it() -> None:
    engine = replay_engine("llm_calls")
    request = GradeRequest(
        question="Tell me about a fix you owned.",
        answer="I rewrote the nightly export so it finished before the depots opened.",
        round_one=ROUND_ONE,
        question_kind="behavioural",
        job=SCRIPT.job,
    )
    with pytest.raises(NotPinned) as caught:
        engine.grade(request)
    message = str(caught.value)
    assert "llm_calls.jsonl" in message
    assert "'I rewrote the nightly export so it finished before the depots opened.'" in message
    assert "make record" in message
    # A reply and the two flow readings fail the same way.
    with pytest.raises(
        NotPinned, match=re.escape("the reply 'Nine depots.' to the follow-up 'How many depots?'")
    ):
        engine.grade_reply("How many depots?", "Nine depots.", "numbers")
    with pytest.raises(NotPinned, match=re.escape("whether the answer 'Nine depots.' raises pay")):
        engine.rules.raises_pay("Nine depots.", "How many depots?")


def test_the_recorded_judge_call_replays_on_the_pinned_grade_and_on_no_other(tmp_path: Path) -> None:
    """The judge's prompt is built from the pinned grade: the same grade replays the recorded call;
    one flag more is another prompt, which the cassette does not hold (the match stays exact)."""
    request = fare_request(ROUND_ONE, SCRIPT.job)
    engine = replay_engine("llm_calls")
    pinned = engine.rules.grade(request)
    with cassette("llm_calls", record=False):
        assert engine.grade(request).status == "graded"

    entry = json.loads(pinned_path("llm_calls").read_text(encoding="utf-8").splitlines()[0])
    assert entry["grade"]["flags"] == pinned.flags
    entry["grade"]["flags"] = [*pinned.flags, "no_numbers"]
    (tmp_path / "llm_calls.jsonl").write_text(json.dumps(entry) + "\n", encoding="utf-8")
    changed = replay_engine("llm_calls", tmp_path)
    with cassette("llm_calls", record=False):
        grade = changed.grade(request)
    assert grade.status == "fallback" and "no_numbers" in grade.flags, grade.reason


def test_a_recording_pins_what_the_live_rules_said_and_replay_reads_it_back(tmp_path: Path) -> None:
    live = OfflineEngine(RUBRICS)
    pinning = PinningRules(live, "a_cassette", tmp_path)
    request = fare_request(ROUND_ONE, SCRIPT.job)
    said = pinning.grade(request)
    assert pinning.grade(request) == said  # graded twice (a resumed step): pinned once
    follow_up, reply = "What did the variance drop to?", "Under half a percent, from about four."
    replied = pinning.grade_reply(follow_up, reply, "numbers")
    pays = pinning.raises_pay(SCRIPT.answers[0], "Tell me about a project.")
    reaches = pinning.reaches_a_result(SCRIPT.answers[0])
    assert len((tmp_path / "a_cassette.jsonl").read_text(encoding="utf-8").splitlines()) == 4

    pinned = PinnedRules("a_cassette", tmp_path)
    assert pinned.grade(request) == said
    assert pinned.grade_reply(follow_up, reply, "numbers") == replied
    assert pinned.raises_pay(SCRIPT.answers[0], "Tell me about a project.") is pays is False
    assert pinned.reaches_a_result(SCRIPT.answers[0]) is reaches is True
    with pytest.raises(NotPinned):
        pinned.grade_reply(follow_up, reply, "result")  # asked for another reason: another reading


def test_a_damaged_pinned_file_is_named_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "broken.jsonl").write_text('{"kind": "pay", "key": {}, "value": false}\nnot json\n')
    with pytest.raises(ValueError, match=r"^broken\.jsonl line 2: not a pinned grade"):
        PinnedRules("broken", tmp_path)


def test_a_pinned_reading_is_found_among_those_of_the_same_words_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replayed session asks for hundreds of readings: each is looked up where its answer is filed,
    not compared with every reading pinned."""
    lines = [
        {
            "kind": "pay",
            "key": {"answer": f"I cut the backlog by {n} tickets.", "question": "Q?"},
            "value": n == 40,
        }
        for n in range(41)
    ]
    (tmp_path / "many.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    pinned = PinnedRules("many", tmp_path)
    compared: list[object] = []
    same = pinned_rules.same
    monkeypatch.setattr(pinned_rules, "same", lambda a, b: compared.append(a) or same(a, b))
    assert pinned.raises_pay("I cut the backlog by 40 tickets.", "Q?") is True
    assert pinned.raises_pay("I cut the backlog by 3 tickets.", "Q?") is False
    keys = [key for key in compared if isinstance(key, dict)]  # not the values `same` compares inside
    assert keys == [lines[40]["key"], lines[3]["key"]]
    with pytest.raises(NotPinned):
        pinned.raises_pay("I cut the backlog by 3 tickets.", "Another question?")


class PayAndRambleReader(OfflineEngine):
    """The offline rules, except that they hear pay talk in every answer and no result in any."""

    def raises_pay(self, answer: str, question: str) -> bool:
        return True

    def reaches_a_result(self, answer: str) -> bool:
        return False


def test_flow_decisions_read_answers_through_the_engines_rule_grader() -> None:
    """The remark on pay and the cut into a ramble follow the engine's rule grader (pinned, in the
    cassettes), not a reading of their own: otherwise a grader change would still change the talk."""
    kit = Toolkit.load("offline")
    engine = OpenAIEngine(
        ScriptedChatModel(responder=Roleplay()), kit.rubrics, rules=PayAndRambleReader(kit.rubrics)
    )
    plan = Plan(slots=[Slot(persona_id="hiring_manager", minutes=30)], seed=3, pressure="realistic")
    session = Session(
        id="0123456789ab", created_at="2026-01-01T00:00:00+00:00", job=load_script(EXAMPLE).job, plan=plan
    )
    interview = Interview(session, kit.personas, engine)
    interview.begin()
    story = (
        "In 2023 our invoice export kept timing out, so I was asked to fix it before the quarter closed. "
        * 18
        + "I added an index and the export finished in two minutes instead of forty."
    )
    assert len(story.split()) > 320
    turns = interview.answer(story)
    assert [t.kind for t in turns[:2]] == ["answer", "interruption"]  # heard as a ramble: cut in
    said_next = next(t for t in turns[1:] if t.kind in ("question", "follow_up", "invite_questions"))
    salary_lines = kit.personas["hiring_manager"].remarks.salary  # type: ignore[union-attr]
    assert any(said_next.text.startswith(line) for line in salary_lines), said_next.text
