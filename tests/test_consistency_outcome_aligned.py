"""Endings lined up rather than one picked a round (outcome_change.aligned_change): every outcome-like
clause of each round is set against the other round's nearest one, and each side of a "but" against
its counterpart. A mixed ending retold mixed is no change, whichever side each part tells."""

from __future__ import annotations

import numpy as np
from grading_support import assert_verbatim, finding, grade, problems, round_one_story

from simulator.grading.outcome_change import _counterparts, ending_parts, shipped_valence


def test_a_mixed_ending_is_read_whole_and_by_each_side_of_its_but() -> None:
    assert ending_parts("Head office decided to close the branch anyway, but they kept one cash machine") == [
        "Head office decided to close the branch anyway, but they kept one cash machine",
        "Head office decided to close the branch anyway",
        "they kept one cash machine",
    ]
    assert ending_parts("But by the spring they had left") == ["But by the spring they had left"]


def test_two_mixed_endings_are_read_side_by_side() -> None:
    three = np.eye(3)
    assert _counterparts(three, three) == [(0, 0), (1, 1), (2, 2)]


def test_a_whole_ending_is_set_against_the_side_it_retells() -> None:
    then = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    assert _counterparts(then, np.array([[0.0, 1.0]])) == [(1, 0)]
    assert _counterparts(np.array([[0.0, 1.0]]), then) == [(0, 1)]


def test_the_shipped_judge_lines_endings_up_at_a_stricter_cut() -> None:
    valence = shipped_valence()
    assert valence is not None
    assert valence.aligned > valence.threshold


BRANCH = round_one_story(
    "I'm a branch manager at a building society.",
    "Our branch in a small market town was on the closure list because footfall had halved. I ran a survey "
    "of our older customers, took the results to head office and proposed a shared space with the library. "
    "Head office decided to close the branch anyway, but they kept one cash machine and a visit day every "
    "week.",
)
BRANCH_Q = "Tell me about a time you fought for your customers."


def test_a_mixed_ending_retold_mixed_is_no_change() -> None:
    answer = (
        "Our branch in the market town was on the closure list, footfall had halved. I surveyed our older "
        "customers, took it to head office and proposed sharing space with the library. Head office closed "
        "the branch in the end, but we kept a cash machine and a weekly visit day. I learned a lot about "
        "making a case with data."
    )
    assert ("contradiction", "outcome") not in problems(grade(BRANCH_Q, answer, round_one=BRANCH))
    assert ("embellishment", "outcome") not in problems(grade(BRANCH_Q, answer, round_one=BRANCH))


BID = round_one_story(
    "I'm a bid manager at a facilities company.",
    "A hospital trust put its cleaning contract out to tender. I ran the bid team, visited all four sites and "
    "rebuilt our staffing model around their peak hours. We were shortlisted with two others, but lost to "
    "the incumbent on price.",
)
BID_Q = "Tell me about a bid you worked on."
BID_STEPS = (
    "The hospital trust tendered its cleaning contract. I ran the bid, went round all four sites and rebuilt "
    "the staffing model around their busiest hours. "
)


def test_a_lost_bid_retold_as_won_by_what_came_next_is_an_outcome_change() -> None:
    # The loss sits after a "but"; the win is told by its consequence. The one ending picked a round
    # reads "We were shortlisted with two others" and finds no change: lined up, the two sides are read.
    answer = (
        BID_STEPS
        + "We started moving our staff onto their sites that spring, and it's now our largest contract."
    )
    g = grade(BID_Q, answer, round_one=BID)
    assert ("embellishment", "outcome") in problems(g)
    f = finding(g, "outcome")
    assert "moving our staff onto their sites" in f.round_two_quote
    assert "lost to the incumbent on price" in f.round_one_quote
    assert_verbatim(g, BID, answer)


def test_a_lost_bid_retold_lost_is_no_change() -> None:
    answer = (
        BID_STEPS + "We made the shortlist of three, but the incumbent kept it because they were cheaper."
    )
    assert [p for p in problems(grade(BID_Q, answer, round_one=BID)) if p[1] == "outcome"] == []
