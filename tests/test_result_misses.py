"""tools/result_misses.py: which step loses a wrong result part or a wrong no_result flag, tune halves only."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import result_misses  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading.ending import EndingVerdict  # noqa: E402
from simulator.grading.text import analyse  # noqa: E402

ANSWER = (
    "Our night shift kept missing the 6 a.m. trailer to Leeds. I moved the pick wave forward by an hour and "
    "asked the loaders to start on the Leeds bay first. We haven't missed that trailer since."
)
RESULT = "We haven't missed that trailer since."


def _case(score: float, flags: list[str], flagged: bool, own_last: float) -> tuple[dict, object, dict]:
    text = analyse(ANSWER, load_rubrics().star)
    own = [0.0] * (len(text.clauses) - 1) + [own_last]
    verdict = EndingVerdict(no_result=0.9 if flagged else 0.2, flagged=flagged, outcome=None, result=score)
    row = {"answer": ANSWER, "labels": {"result": True}, "flags": [], "spans": {"result": [RESULT]}}
    grade = SimpleNamespace(star={"result": SimpleNamespace(score=score)}, flags=flags)
    return row, grade, {"verdict": verdict, "own": own, "text": text, "not_outcome": frozenset()}


def test_the_marked_words_pick_the_clause_that_tells_the_result() -> None:
    text = analyse(ANSWER, load_rubrics().star)
    assert result_misses.marked_clauses(text, ANSWER, [RESULT]) == {len(text.clauses) - 1}


def test_a_result_told_by_its_consequence_and_flagged_is_lost_at_the_own_clause_head() -> None:
    # "We haven't missed that trailer since" is the result; the own head reads it at 0.2, so the flag fires
    # and the part, low too, misses it.
    row, grade, seen = _case(0.2, ["no_result"], True, 0.2)
    assert result_misses.step(row, grade, seen, 0.5) == [
        "false no_result: the own clause head under 0.5 on the result",
        "missed result: the part low and the verdict flags",
    ]


def test_a_grade_that_agrees_has_no_step() -> None:
    row, grade, seen = _case(0.8, [], False, 0.9)
    assert result_misses.step(row, grade, seen, 0.5) == []


def test_a_check_half_is_never_read() -> None:
    with pytest.raises(SystemExit):
        result_misses.main(["v4"])
