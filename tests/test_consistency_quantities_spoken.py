"""Quantities as people say them aloud: years in words, decimals with a scale, shares as "one in ten".

Sentences are read the way the consistency check reads them (claims.extract); a whole pair is graded
at the end, the way a candidate would see it.
"""

from __future__ import annotations

import pytest
from grading_support import claims_of, grade

PROBLEMS = ("contradiction", "embellishment")


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("Back in twenty nineteen we moved the warehouse.", 2019.0),
        ("It was in twenty twenty-one, when the rules changed.", 2021.0),  # no stutter to tidy away
        ("In nineteen ninety-eight I started on the shop floor.", 1998.0),
        ("By two thousand and eight we had opened a second depot.", 2008.0),
        ("This was in the spring of '22.", 2022.0),
    ],
)
def test_a_year_said_in_words_or_by_two_digits_is_a_year(sentence: str, year: float) -> None:
    years = [c.low for c in claims_of(sentence, "date") if c.kind == "year"]
    assert years == [year]
    assert claims_of(sentence, "number") == []  # not a figure of 39, or of 22


def test_twenty_nineteen_year_olds_are_no_year() -> None:
    assert [c for c in claims_of("We had twenty nineteen-year-olds on the scheme.", "date")] == []


def test_a_decimal_said_in_words_keeps_its_scale() -> None:
    (saving,) = claims_of("We saved one point two million.", "number")
    assert (saving.kind, saving.low) == ("money:", 1_200_000.0)


@pytest.mark.parametrize(
    ("sentence", "shares"),
    [
        ("Conversion went from one in ten visitors to one in four.", [10.0, 25.0]),
        ("Three out of four customers renewed.", [75.0]),
    ],
)
def test_one_in_ten_is_a_share(sentence: str, shares: list[float]) -> None:
    found = claims_of(sentence, "number")
    assert [(c.kind, c.low) for c in found] == [("percent", s) for s in shares]


def test_one_in_two_weeks_is_a_span_not_a_share() -> None:
    assert [c.kind for c in claims_of("We shipped one in two weeks.", "number")] == []


def test_a_year_said_aloud_is_compared_with_the_year_in_digits() -> None:
    g = grade(
        "Tell me about a difficult rollout.",
        "so, um, this was in twenty twenty-one, we moved all the depots onto the new scanners, and I "
        "trained the drivers myself over a fortnight.",
        round_one=[
            (
                "Tell me about a rollout.",
                "In 2019 we moved all the depots onto new scanners. I trained the drivers myself over a "
                "fortnight.",
            )
        ],
    )
    found = [(f.kind, f.category, f.round_two_quote) for f in g.consistency.findings if f.kind in PROBLEMS]
    assert [(k, c) for k, c, _ in found] == [("contradiction", "date")]
    assert "twenty twenty-one" in found[0][2]


def test_a_share_said_as_one_in_ten_is_the_same_as_ten_percent() -> None:
    g = grade(
        "Tell me about a retention project.",
        "I rang every customer who cancelled and fixed the top three reasons, and churn came down to about "
        "one in ten within the year.",
        round_one=[
            (
                "Tell me about an improvement.",
                "I called every customer who cancelled and fixed the three biggest reasons. Churn came down "
                "to 10% within the year.",
            )
        ],
    )
    assert [f for f in g.consistency.findings if f.kind in PROBLEMS] == []


def test_a_season_said_with_its_year_needs_no_preposition() -> None:
    when = [
        (c.low, c.top)
        for c in claims_of("Summer 2023, our site went down.", "date")
        if c.kind == "time_of_year"
    ]
    assert when == [(6.0, 8.0)]
    assert claims_of("We hired summer interns.", "date") == []


@pytest.mark.parametrize(
    ("sentence", "low", "top"),
    [
        ("We saved forty-odd thousand a year.", 40_000.0, 49_000.0),
        ("We hired 30-odd people that spring.", 30.0, 39.0),
        ("A hundred-odd customers signed up.", 100.0, 199.0),
    ],
)
def test_forty_odd_is_forty_and_some_more(sentence: str, low: float, top: float) -> None:
    (figure,) = claims_of(sentence, "number")
    assert (figure.low, figure.top, figure.hedged) == (low, top, True)


def test_fifteen_or_so_of_us_is_a_team_of_about_fifteen() -> None:
    (team,) = claims_of("There were, like, fifteen or so of us on the team.", "team_size")
    assert (team.low, team.hedged) == (15.0, True)
