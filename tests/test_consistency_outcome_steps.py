"""A step the candidate took is no ending: an outcome is never found changed on a clause the STAR
reading is all but sure is an action."""

from __future__ import annotations

import json

from grading_support import rubrics

from simulator.catalog import ROOT
from simulator.grading.evaluation import pair_request
from simulator.grading.grader import grade_answer

V9_TUNE = ROOT / "tests/heldout/v9/pairs_tune.jsonl"


def test_moving_two_loaders_is_a_step_not_a_better_ending() -> None:
    # Round one ended "Delivery time dropped to around 15 minutes"; round two retells the same steps and
    # the same result in other words. The step once read as a better ending than round one's.
    pair = next(p for p in map(json.loads, V9_TUNE.read_text().splitlines()) if p["id"] == "v9t-p-011")
    g = grade_answer(pair_request(pair), rubrics())
    outcome = [f for f in g.consistency.findings if f.category == "outcome" and f.kind != "elaboration"]
    assert outcome == [], outcome
