"""The ending's trainer (tools/train_ending.py): it reads each story as the grader gives it to the head, and
chooses the threshold by cross-validated precision that holds in every fold assignment."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import train_ending  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading.semantic import Meaning, shipped_heads  # noqa: E402
from simulator.grading.static_vectors import StaticEmbedder  # noqa: E402
from tests.grading_support import grade  # noqa: E402

# An outcome with no result word: the result part scores it below 0.4, the ending's verdict lifts it.
CLAUSES = [
    ("Last spring the night shift at our bakery kept running out of proofing racks,", "situation", None),
    ("and the morning bakers were starting two hours late.", "situation", None),
    ("My manager asked me to sort it out.", "task", None),
    ("I counted the racks every night for a week", "action", None),
    ("and found the cleaning crew was stacking them out in the back yard.", "action", None),
    ("I put up a rack board by the door and agreed with the cleaners where the racks go.", "action", None),
    ("The bakers haven't waited for a rack since.", "result", "concrete"),
]


def _row() -> dict:
    clauses = [
        {"text": text, "part": part, "actor": "self", "hypothetical": False, "quality": quality}
        for text, part, quality in CLAUSES
    ]
    return {"id": "t-bakery", "answer": " ".join(c["text"] for c in clauses), "clauses": clauses}


def test_the_trainer_reads_the_result_part_before_the_ending_lifts_it() -> None:
    # The grader gives the head the result part's score before the verdict; the trainer read it after the
    # shipped head had lifted it, so the weights depended on the head they replace.
    row = _row()
    lifted = grade("Tell me about a time you fixed a problem at work.", row["answer"]).star["result"].score
    story = train_ending.Story(row, load_rubrics().star, Meaning(None, shipped_heads()), StaticEmbedder())
    assert story.result < 0.4 <= lifted
    assert story.outcome.tolist()[-1] == 1 and story.flaggable


def test_someone_elses_outcome_is_an_outcome_but_not_the_candidates() -> None:
    # The pair judge learns any outcome; the verdict learns the candidate's (or their team's) own.
    row = _row()
    row["clauses"][-1] = {
        "text": "That spring the bakery next door won the town's best bread prize for its sourdough.",
        "part": "result",
        "actor": "others",
        "hypothetical": False,
        "quality": "concrete",
    }
    row["answer"] = " ".join(c["text"] for c in row["clauses"])
    story = train_ending.Story(row, load_rubrics().star, Meaning(None, shipped_heads()), StaticEmbedder())
    assert story.outcome.tolist()[-1] == 1
    assert story.own.tolist()[-1] == 0 and not story.own.any()
    mine = train_ending.Story(_row(), load_rubrics().star, Meaning(None, shipped_heads()), StaticEmbedder())
    assert mine.own.tolist()[-1] == 1


def test_a_dry_run_reports_every_threshold_and_writes_nothing(capsys) -> None:
    before = train_ending.OUT.read_bytes()
    assert train_ending.main(["--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"cross-validated ({train_ending.REPEATS} fold assignments pooled; the least precise)" in out
    assert "  at 0.75: P " in out and "in the least precise" in out
    assert "the lowest from 0.5 up right at least 85% of the time in each" in out
    assert train_ending.OUT.read_bytes() == before
