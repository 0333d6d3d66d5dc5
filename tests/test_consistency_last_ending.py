"""How a story ended, told again in round two, read by meaning through the real grader and the shipped
heads: the same ending in other words, or beside a new good fact, is no change; an ending reversed in
words unlike round one's is a known miss (setting the two stories' last endings against each other
whatever their words caught it, and called both retellings below a change, so it is not shipped)."""

from __future__ import annotations

import pytest
from grading_support import assert_change, assert_no_change, grade, problems, round_one_story

ASK = "Tell me about a time you turned something around."
RANGE = round_one_story(
    "I'm a buyer at a homeware retailer.",
    "We brought in our own range of bamboo kitchenware. I found the factory and set the prices, and the "
    "range was dropped after two seasons.",
)


def test_the_same_ending_in_unlike_words_is_no_change() -> None:
    answer = (
        "so the bamboo kitchenware, our own range, I found the factory and I set the prices, and, um, we "
        "ended up pulling it from the stores after about a year."
    )
    g = grade(ASK, answer, round_one=RANGE)
    assert_no_change(g, "outcome")


def test_the_same_ending_beside_a_new_good_fact_is_no_change() -> None:
    answer = (
        "I found the factory for our own bamboo kitchenware range and set the prices. The range was dropped "
        "after two seasons, but the factory now makes our best-selling chopping boards."
    )
    g = grade(ASK, answer, round_one=RANGE)
    assert problems(g) == [], g.consistency.findings


@pytest.mark.xfail(
    strict=True,
    reason="the two endings are told in words less alike than the 0.8 (cosine) at which endings are compared; "
    "comparing the last endings at any likeness made the two retellings above false changes",
)
def test_a_dropped_range_retold_as_a_best_seller_is_a_better_ending() -> None:
    answer = (
        "so the bamboo kitchenware, our own range, I found the factory and I set the prices, and honestly "
        "it's one of our best sellers now, it's in every store."
    )
    g = grade(ASK, answer, round_one=RANGE)
    assert_change(
        g,
        ("embellishment", "outcome"),
        then="the range was dropped after two seasons",
        now="best sellers",
        round_one=RANGE,
        answer=answer,
    )
