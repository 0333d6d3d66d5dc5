"""Round one gave the story's lead to someone else ("my director, who presented the options to the
board"); round two's "I presented it", naming nothing, claims that story: a bigger part. Round two that
still gives it to the director claims nothing. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, assert_no_change, grade

ROUND_ONE = [
    (
        "Tell me about a time you shaped a decision.",
        "I'm a planning analyst at a water utility in Bristol. I modelled the three options for the new "
        "reservoir pipeline for my director, who presented the options to the board.",
    )
]
ASK = "Tell me about a time you influenced senior people."


def test_i_presented_it_claims_the_story_round_one_gave_the_director() -> None:
    answer = (
        "so the reservoir pipeline, um, i modelled the three routes, costs, disruption, all of it. and "
        "then i presented it. in the end they picked the northern route, the one i recommended."
    )
    g = grade(ASK, answer, round_one=ROUND_ONE)
    assert_change(
        g,
        ("embellishment", "role"),
        then="my director, who presented the options to the board",
        now="i presented it",
        round_one=ROUND_ONE,
        answer=answer,
    )


def test_the_director_presenting_it_again_is_no_bigger_part() -> None:
    answer = (
        "For the reservoir pipeline I modelled the three routes on cost and disruption, and my director "
        "presented them to the board, who picked the northern route."
    )
    assert_no_change(grade(ASK, answer, round_one=ROUND_ONE), "role")
