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


SERVICE_DESK = round_one_story(
    "I work on the IT service desk at a college in Leeds.",
    "we were getting about three hundred password reset tickets a week, most of them on monday mornings. "
    "i pushed for self-service resets, wrote the guide and did the emails to students. "
    "after it went live the resets came down to maybe forty a week.",
)


def test_a_count_named_otherwise_in_a_clause_that_retells_round_ones_is_compared() -> None:
    """'three hundred password reset tickets' / 'nearly a thousand password resets': other nouns, but the
    two clauses tell the same fact and each holds one count not told again."""
    answer = (
        "so the college service desk. i pulled the ticket data and it was nearly a thousand password resets "
        "coming in every week, mostly mondays. i argued for self-service, wrote the how-to guide and the "
        "emails. once it was live we were down to like forty a week."
    )
    g = grade("Tell me about a process you improved.", answer, round_one=SERVICE_DESK)
    found = [f for f in g.consistency.findings if f.kind in ("contradiction", "embellishment")]
    assert [
        (f.category, "a thousand" in f.round_two_quote, "three hundred" in f.round_one_quote) for f in found
    ] == [("number", True, True)], g.consistency.findings


def test_the_same_count_named_otherwise_is_no_change() -> None:
    answer = (
        "so the college service desk. i pulled the ticket data and it was about three hundred password resets "
        "coming in every week, mostly mondays. i argued for self-service, wrote the how-to guide and the "
        "emails. once it was live we were down to like forty a week."
    )
    g = grade("Tell me about a process you improved.", answer, round_one=SERVICE_DESK)
    assert [f for f in g.consistency.findings if f.kind in ("contradiction", "embellishment")] == []


def test_a_figure_that_may_be_round_ones_changed_is_not_called_one_that_does_not_conflict() -> None:
    """Round one's clause holds 'about sixty appointment requests a day', never told again: 'nearly two
    hundred booking emails every day' may be that figure changed, so it is no new detail."""
    round_one = round_one_story(
        "I work on the front desk of a dental practice in Leeds.",
        "we were getting about sixty appointment requests a day by email and the inbox was a mess. "
        "i set up a shared booking form on the website and wrote a short guide for the team. "
        "after a month nobody was waiting more than a day for a reply.",
    )
    answer = (
        "so the dental practice, front desk. i looked at the inbox and it was nearly two hundred booking "
        "emails coming in every day. i put a booking form on the website and wrote a little guide for the "
        "others. a month later nobody waited more than a day for an answer."
    )
    g = grade("Tell me about a process you improved.", answer, round_one=round_one)
    assert not any("two hundred" in now for now, _ in _calm(g)), g.consistency.findings
