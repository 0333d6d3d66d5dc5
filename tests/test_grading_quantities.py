"""Amounts said in other words read as the same amount; amounts that differ do not."""

from __future__ import annotations

import pytest
from grading_support import rubrics

from simulator.grading.claims import Claim, extract
from simulator.grading.quantities import Amount, same_amount
from simulator.grading.text import analyse


def figures(sentence: str) -> list[Claim]:
    text = analyse(sentence, rubrics().star)
    return [
        c for c in extract(text, rubrics().consistency) if c.category in ("number", "team_size", "duration")
    ]


def only(sentence: str) -> Claim:
    found = figures(sentence)
    assert len(found) == 1, [(c.kind, c.value, c.said) for c in found]
    return found[0]


def same(a: Claim, b: Claim) -> bool:
    return same_amount(
        Amount(a.low, a.top, a.hedged),
        Amount(b.low, b.top, b.hedged),
        a.category,
        a.kind,
        rubrics().consistency,
    )


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("We saved £1.5M a year on freight.", "We saved one and a half million pounds a year on freight."),
        ("The contract was worth £2.5m.", "The contract was worth two and a half million pounds."),
        ("Costs fell by a third.", "Costs fell by 33%."),
        ("It took two quarters.", "It took six months."),
        ("It took six months.", "It took half a year."),
        ("I managed a dozen engineers on my team.", "I managed a team of 12 engineers."),
        ("The budget was $120k.", "The budget was 120 thousand dollars."),
        ("We saved £400k a year.", "We saved four hundred thousand pounds a year."),
        ("Revenue was 10 to 12 percent higher.", "Revenue was 11 percent higher."),
        ("Phone volume fell by three-quarters.", "Phone volume fell by 75%."),
        ("It took a month and a half.", "It took a six-week sprint."),
        ("We support hundreds of small business customers.", "We support 300 small business customers."),
        ("The crews cover 200 wells.", "the crews cover a couple hundred wells."),
        ("We had about 3,000 customers on the old plan.", "We had a few thousand customers on the old plan."),
    ],
)
def test_the_same_amount_in_other_words_is_the_same_amount(one: str, two: str) -> None:
    a, b = only(one), only(two)
    assert a.category == b.category
    assert same(a, b), (a.said, a.low, a.top, b.said, b.low, b.top)


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("We saved £400k a year.", "We saved a million pounds a year."),
        ("We support about 50 small business customers.", "We support hundreds of small business customers."),
        ("I lead a team of 4 analysts.", "I lead a team of 9 analysts."),
        ("It took six months.", "It took a year."),
        ("The crews cover a couple hundred wells.", "The crews cover 900 wells."),
    ],
)
def test_different_amounts_are_not_the_same(one: str, two: str) -> None:
    a, b = only(one), only(two)
    assert not same(a, b), (a.said, b.said)


def test_spoken_amounts_keep_their_words_for_the_quote() -> None:
    claim = only("We saved one and a half million pounds.")
    assert (
        claim.said == "one and a half million pounds" and claim.kind == "money:GBP" and claim.low == 1_500_000
    )
    vague = only("We support hundreds of small business customers.")
    assert (vague.low, vague.top, vague.hedged) == (200, 900, True)


def test_a_range_is_one_figure_but_from_and_to_are_a_change() -> None:
    ranged = only("Each release had 10 to 12 percent fewer defects.")
    assert (ranged.low, ranged.top, ranged.hedged) == (10, 12, True)
    changed = [c for c in figures("Defects went from 10 to 12 percent.") if c.kind == "percent"]
    assert [c.slot for c in changed] == ["from", "to"]


def test_a_starting_point_and_a_later_state_are_told_apart() -> None:
    assert only("When I joined, churn was 38%.").phase == "before"
    assert only("Two quarters later churn was 31%.").phase == "after"
    assert only("We look after hundreds of small business customers.").phase == ""
