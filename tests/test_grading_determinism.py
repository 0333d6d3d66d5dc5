"""The same answer gets the same grade in every process.

Python walks a set of words in an order that changes from one process to the next (string hashing is
salted per process). The round-one story an answer retells was chosen by sums over such sets, so two
stories that matched alike were told apart by a rounding bit, and which one won depended on the run:
on the v3 check set one pair got a changed-role finding in about one run of six.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from simulator.catalog import ROOT

# Two round-one stories the answer shares as many words with, each word as rare as its counterpart in
# the other story: only the order of the additions could tell them apart.
GRADE = """
import json
from simulator.catalog import load_rubrics
from simulator.grading.grader import grade_answer
from simulator.grading.request import GradeRequest
from simulator.models import QA, RoundOne

round_one = RoundOne(answers=[
    QA(question="What did you own?",
       answer="Project budget, vendor, invoice ledger, payroll, warehouse audit, spreadsheet forecast, "
              "pallet freight."),
    QA(question="And after that?",
       answer="Project schedule, client contract, tender roster, harbour survey, dashboard pipeline, "
              "crane ferry."),
    QA(question="Anything else?", answer="Invoice ledger, contract tender, kitchen garden."),
])
answer = (
    "So it was the project budget, the vendor, the invoice ledger and the payroll, and it was the "
    "schedule, the client, the contract tender and the roster as well."
)
grade = grade_answer(
    GradeRequest(question="Tell me more.", answer=answer, round_one=round_one),
    load_rubrics(),
    use_meaning=False,
)
print(json.dumps({"status": grade.status, **grade.consistency.model_dump(mode="json")}))
"""


# Hash salts under which the plain sums picked different stories (seed 2 differed from 0, 1 and 3).
SEEDS = (0, 1, 2, 3)


def _grade_in_a_process(seed: int) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", GRADE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_story_an_answer_retells_is_the_same_in_every_process():
    grades = [_grade_in_a_process(seed) for seed in SEEDS]
    assert grades[0]["status"] == "graded" and grades[0]["matched_round_one"]
    assert all(g == grades[0] for g in grades[1:]), [g["matched_round_one"] for g in grades]


# The people nouns are a set (spelt in the file and derived from job titles); nouns of one length used to
# come out in hash order, so the compiled pattern's text differed from run to run.
PATTERN = """
from simulator.grading.rubric import people_nouns
print(people_nouns(["nurse", "chef", "cook", "lead", "clerk", "baker", "agent"]))
"""


def test_the_people_nouns_pattern_is_spelt_the_same_in_every_process():
    spelt = {
        subprocess.run(
            [sys.executable, "-c", PATTERN],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in SEEDS
    }
    assert len(spelt) == 1, spelt
    assert next(iter(spelt)).startswith("agent(?:s|es)?|baker(?:s|es)?|clerk(?:s|es)?|nurse")
