"""Lining up the facts before judging them (alignment.py, clause_pairs.py), through the real grader and
the shipped sentence model: a new detail is called one that does not conflict only where its clause reads
as retelling a round-one clause, and the learned same-fact score is trained, shipped and cheap to read."""

from __future__ import annotations

import numpy as np
from grading_support import grade, round_one_story, rubrics

from simulator.grading.claims import extract
from simulator.grading.clause_pairs import FEATURES, Side, row_features, shipped_scorer
from simulator.grading.text import analyse

ROLE = "I'm a buyer for a chain of garden centres."
STORY = (
    "Our seed aisle was crowded with slow sellers. So I pulled two years of till data and cut 60 seed lines "
    "that sold under a packet a week. The freed shelves went to bulbs, and bulb sales rose about 12% over the "
    "autumn."
)


def _calm(g) -> list[tuple[str, str]]:
    return [(f.round_two_quote, f.round_one_quote) for f in g.consistency.findings if f.kind == "elaboration"]


def test_a_new_figure_in_a_clause_about_something_else_is_not_called_one_that_does_not_conflict() -> None:
    """'two branch managers pushed back' is close in meaning to 'I cut 60 seed lines' (the same story)
    but tells another fact: nothing in round one says how many pushed back, so nothing is said of it."""
    answer = (
        "When I suggested trimming the seed range, two branch managers pushed back because some slow lines "
        "had loyal buyers. I went through the till data with them line by line. In the end we dropped sixty "
        "of them, gave the shelves to bulbs, and bulb sales went up roughly 12% over the autumn."
    )
    g = grade(
        "Tell me about a time you changed someone's mind.", answer, round_one=round_one_story(ROLE, STORY)
    )
    assert [f for f in g.consistency.findings if f.kind in ("contradiction", "embellishment")] == []
    assert not any("branch managers" in now for now, _ in _calm(g)), g.consistency.findings


def test_a_new_figure_in_a_clause_that_retells_round_one_is_still_a_detail_that_does_not_conflict() -> None:
    answer = (
        "The seed aisle was full of slow sellers. I pulled two years of till data and cut sixty seed lines "
        "that sold under a packet a week, which freed about 40 metres of shelving. The space went to bulbs, "
        "and bulb sales rose about 12% over the autumn."
    )
    g = grade("Tell me about a time you used data.", answer, round_one=round_one_story(ROLE, STORY))
    calm = _calm(g)
    assert any("40 metres" in now and "cut 60 seed lines" in then for now, then in calm), (
        g.consistency.findings
    )


def test_the_shipped_scorer_reads_the_clause_that_tells_the_same_fact_as_the_likeliest() -> None:
    """With vectors that only say 'these clauses are alike', the figures and words two clauses share
    pick the clause that tells the same fact."""
    scorer = shipped_scorer()
    assert scorer is not None and len(scorer.weights) == len(FEATURES)
    r = rubrics()
    one = analyse("We cut 60 seed lines. Bulb sales rose about 12% over the autumn.", r.star)
    two = analyse("In the end we cut 60 seed lines.", r.star)
    alike = np.ones((len(one.clauses), 4)) / 2.0
    features = row_features(
        0,
        np.ones(4) / 2.0,
        Side(two, extract(two, r.consistency)),
        Side(one, extract(one, r.consistency)),
        alike,
    )
    scores = scorer.score(features)
    assert scores.shape == (2,)
    assert scores[0] > scores[1]
