"""An answer past the length limit is graded on its first part, and the grade says so, never silently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from grading_support import grade

from simulator.cli.main import main
from simulator.limits import MAX_ANSWER_CHARS
from simulator.models import Session
from simulator.store import Store

QUESTION = "Tell me about a time you led a project."
STORY = (
    "At my last company I led the move of our billing jobs to a queue. I was responsible for getting "
    "failed invoices under one percent before the audit. I wrote the plan, split the work across three "
    "engineers and ran the cut-over myself over a weekend. Failed invoices fell from 4% to 0.3%. "
)


def _long(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def test_regrading_a_stored_answer_past_the_limit_says_only_the_first_part_was_graded(
    tmp_path: Path, sample_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    # The case: an imported session held an answer of megabytes, and Re-grade read it all.
    answer = _long(STORY, 3 * MAX_ANSWER_CHARS)
    turns = list(sample_session.turns)
    index = next(i for i, t in enumerate(turns) if t.kind == "answer" and t.grade is not None)
    turns[index] = turns[index].model_copy(update={"text": answer})
    db = tmp_path / "sessions.db"
    with Store(db) as store:
        store.create(sample_session.model_copy(update={"turns": turns}), {})
    code = main(["sessions", "regrade", sample_session.id, "--db", str(db), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    row = next(r for r in json.loads(out)["answers"] if r["turn"] == turns[index].index)
    result = row["grade"]
    assert result["status"] == "graded" and result["overall"] is not None
    assert "too_long" in result["flags"]
    first = result["feedback"][0]
    assert f"{len(answer):,} characters" in first and "only the first" in first
    graded = int(first.split("only the first ")[1].split(" ")[0].replace(",", ""))
    assert MAX_ANSWER_CHARS - 200 <= graded <= MAX_ANSWER_CHARS
    # Cut at a word, and every quote comes from the part that was read.
    assert answer[graded] == " "
    for part in result["star"].values():
        for quote in part["evidence"]:
            assert quote in answer[:graded]
    with Store(db) as store:
        saved = store.load(sample_session.id).turns[index]
    assert saved.text == answer  # the answer itself is kept whole
    assert saved.regrades and "too_long" in saved.regrades[-1].flags


def test_an_answer_within_the_limit_is_graded_whole() -> None:
    answer = _long(STORY, MAX_ANSWER_CHARS)
    g = grade(QUESTION, answer)
    assert "too_long" not in g.flags
    assert not any("only the first" in point for point in g.feedback)


def test_an_ungradable_first_part_keeps_its_reason_and_says_it_was_cut() -> None:
    g = grade(QUESTION, _long("qwrtzp xkcdvb ", MAX_ANSWER_CHARS + 5_000))
    assert g.status == "ungradable" and g.overall is None and g.reason
    assert "too_long" in g.flags
    assert "only the first" in g.feedback[0]


def test_a_long_answer_without_spaces_is_capped_too() -> None:
    g = grade(QUESTION, STORY + "x" * (2 * MAX_ANSWER_CHARS))
    assert "too_long" in g.flags
