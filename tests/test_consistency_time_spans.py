"""Lengths of time as people say them: what is a span of the story, what only names something ("a
year 9 class", "a ten minute stand-up"), and spans told twice in one breath.

Sentences are read the way the consistency check reads them (claims.extract); whole pairs are graded
the way a candidate would see them, and the test asserts on the finding and the quotes it shows.
"""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

from simulator.grading.claims import Claim, extract
from simulator.grading.text import analyse

PROBLEMS = ("contradiction", "embellishment")


def claims(sentence: str, category: str) -> list[Claim]:
    text = analyse(sentence, rubrics().star)
    return [c for c in extract(text, rubrics().consistency) if c.category == category]


def problems(then: str, now: str, question: str = "Tell me about that again.") -> list[tuple[str, str, str]]:
    g = grade(question, now, round_one=[("Tell me about a challenge.", then)])
    return [(f.kind, f.category, f.round_two_quote) for f in g.consistency.findings if f.kind in PROBLEMS]


@pytest.mark.parametrize(
    "sentence",
    [
        "I had a year 9 class that nobody wanted to teach.",
        "I took over a year eleven tutor group in January.",
        "By week 3 of the trial the nurses had stopped using it.",
    ],
)
def test_a_unit_with_a_number_after_it_names_something_and_is_no_span(sentence: str) -> None:
    assert claims(sentence, "duration") == []


def test_a_school_year_group_is_not_set_against_a_lesson_starter() -> None:
    then = (
        "I had a year 9 class that was hard to settle. I moved the seating and began every lesson with a "
        "ten-minute starter. Detentions fell over the spring term."
    )
    now = (
        "so my year nine maths class, they'd come in loud every day. i changed where they sat and every "
        "lesson began with a ten minute starter on the board. detentions went down over that term."
    )
    assert problems(then, now) == []


def test_a_length_without_its_hyphen_still_describes_the_thing() -> None:
    """A spoken "a ten minute starter" is the written "a ten-minute starter": no span of the story."""
    then = "I ran the rollout for nine months. Every site had a ten-minute briefing first."
    now = "i ran the rollout, and every site got a ten minute briefing before we switched it on."
    assert problems(then, now) == []


# ---------------------------------------------------------------- figures said per period


def test_a_figure_said_per_month_carries_its_period() -> None:
    (saving,) = claims("I renegotiated the cleaning contract and it saves us £4,000 a month.", "number")
    assert (saving.low, saving.per) == (4000.0, 30.0)
    (yearly,) = claims("It saves us about £48k annually.", "number")
    assert yearly.per == 365.0


def test_a_monthly_saving_and_the_same_saving_a_year_are_one_amount() -> None:
    then = "I re-tendered our cleaning contract across the four offices and saved £48,000 a year."
    now = (
        "The cleaning contract was up for renewal, so I ran a tender across our four offices. We stayed "
        "with the same firm at a price that saves us about four thousand pounds a month."
    )
    assert problems(then, now) == []


def test_a_monthly_saving_that_is_less_than_the_yearly_one_is_still_a_change() -> None:
    then = "I re-tendered our cleaning contract across the four offices and saved £48,000 a year."
    now = "I re-tendered our cleaning contract across the offices and saved £2,000 a month."
    g = grade("Tell me about that again.", now, round_one=[("Tell me about a challenge.", then)])
    (found,) = [f for f in g.consistency.findings if f.kind in PROBLEMS]
    assert found.category == "number"
    assert "£2,000 a month" in found.round_two_quote
    assert "£2,000 a month" in found.explanation and "£48,000 a year" in found.explanation
