"""A change told by its size ("more than doubled", "roughly halved") against the same change told by
its two ends ("from about 1,100 to 1,500"), and dates a speaker tells in their own way: a year in
words between pauses, a week between two holidays. Graded as a candidate would see it."""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

from simulator.grading.change_ratio import ratios, same_ratio
from simulator.grading.claims import Claim, extract
from simulator.grading.text import analyse

PROBLEMS = ("contradiction", "embellishment")

ORDERS = (
    "Tell me about a time you grew a channel.",
    "I ran paid social for an online plant shop. By testing short videos against photos, I got the cost "
    "per order down from £14 to £9, and monthly orders from social went from about 1,100 to 1,500.",
)
NO_SHOWS = (
    "Tell me about reducing no-shows.",
    "At the vet practice I introduced text reminders. Missed appointments dropped from about 12% to 9%.",
)


def claims(sentence: str) -> list[Claim]:
    return extract(analyse(sentence, rubrics().star), rubrics().consistency)


def problems(question: str, answer: str, round_one: tuple[str, str]) -> list[tuple[str, str, str, str]]:
    g = grade(question, answer, round_one=[round_one])
    return [
        (f.kind, f.category, f.round_two_quote, f.round_one_quote)
        for f in g.consistency.findings
        if f.kind in PROBLEMS
    ]


def test_orders_that_more_than_doubled_are_more_than_a_rise_from_1100_to_1500() -> None:
    found = problems(
        "Tell me about a marketing result you're proud of.",
        "At the plant shop I owned paid social. Photos were all we ran, so I tested short videos against "
        "them and moved spend to what worked. Cost per order fell from £14 to £9, and the orders coming in "
        "from social more than doubled over that period.",
        ORDERS,
    )
    assert [(k, c) for k, c, _, _ in found] == [("embellishment", "number")]
    assert "more than doubled" in found[0][2]
    assert "1,500" in found[0][3]


def test_a_rise_by_about_a_third_is_the_rise_from_1100_to_1500() -> None:
    found = problems(
        "Tell me about a marketing result you're proud of.",
        "At the plant shop I tested short videos against photos. Cost per order fell from £14 to £9, and "
        "orders from social went up by about 35% over that period.",
        ORDERS,
    )
    assert found == []


def test_roughly_halved_is_a_deeper_cut_than_from_12_to_9_percent() -> None:
    found = problems(
        "Tell me about solving a recurring problem.",
        "so no shows at the vet practice, um, i set up the text reminders, the day before and two hours "
        "before. and it roughly halved them.",
        NO_SHOWS,
    )
    assert [(k, c) for k, c, _, _ in found] == [("embellishment", "number")]
    assert "halved" in found[0][2]


def test_a_cut_of_a_quarter_is_the_drop_from_12_to_9_percent() -> None:
    found = problems(
        "Tell me about solving a recurring problem.",
        "At the vet practice I set up text reminders the day before, and missed appointments fell by about "
        "25%.",
        NO_SHOWS,
    )
    assert found == []


def test_three_points_down_is_the_drop_from_12_to_9_percent() -> None:
    (ends,) = [r for r in ratios(claims(NO_SHOWS[1])) if len(r.ends) == 2]
    (size,) = ratios(claims("Missed appointments went down by 3%."))
    assert same_ratio(ends, size, 0.15, 0.3)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Orders from social more than doubled.", 2.0),
        ("It roughly halved the no-shows.", 0.5),
        ("We cut waste by 15%.", 0.85),
        ("Sign-ups went from 400 to 600.", 1.5),
    ],
)
def test_a_change_is_read_as_after_over_before(sentence: str, value: float) -> None:
    assert [round(r.value, 2) for r in ratios(claims(sentence))] == [value]


def test_a_year_said_between_pauses_is_a_year_and_is_compared() -> None:
    found = problems(
        "Tell me about the most stressful week of your career.",
        "oh, the rattle recall, twenty sixteen. i was quality manager, we found a small part could come "
        "off, and i ended up coordinating with retailers in eleven countries.",
        (
            "Tell me about a time you handled a product recall.",
            "In 2019 I was quality manager at a toy company and we found a small part could come loose on a "
            "baby rattle. I coordinated the recall with retailers in 11 countries.",
        ),
    )
    assert [(k, c) for k, c, _, _ in found] == [("contradiction", "date")]
    assert "twenty sixteen" in found[0][2]


@pytest.mark.parametrize(
    "sentence",
    ["We had nineteen, twenty people on the course.", "It was twenty fifteen-minute calls a day."],
)
def test_counts_are_no_year(sentence: str) -> None:
    assert [c for c in claims(sentence) if c.category == "date"] == []


def test_the_week_between_christmas_and_new_year_is_not_march() -> None:
    found = problems(
        "Tell me about a time something outside your control went wrong.",
        "The Rotterdam flood. It was the week between Christmas and New Year, when half the staff were "
        "off. I was operations lead, and over two days I moved 300 pallets to a partner site.",
        (
            "Tell me about a time you handled a crisis.",
            "In March 2022 our warehouse in Rotterdam flooded after a storm. I was operations lead. I moved "
            "300 pallets to a partner site over two days.",
        ),
    )
    assert [(k, c) for k, c, _, _ in found] == [("contradiction", "date")]
    assert "Christmas and New Year" in found[0][2]


def test_just_before_christmas_is_december() -> None:
    found = problems(
        "Tell me about a time something outside your control went wrong.",
        "The Rotterdam flood, just before Christmas, the week the staff party was on. I was operations "
        "lead, and over two days I moved 300 pallets to a partner site.",
        (
            "Tell me about a time you handled a crisis.",
            "In December 2022 our warehouse in Rotterdam flooded after a storm. I was operations lead. I "
            "moved 300 pallets to a partner site over two days.",
        ),
    )
    assert found == []


def test_a_second_supplier_moved_country_while_the_first_stayed_is_a_contradiction() -> None:
    found = problems(
        "Tell me about a time you reduced risk in a supply chain.",
        "Our oak tables came from a single supplier in Vietnam, and lead times had stretched to 20 weeks. I "
        "found a second factory in Portugal, went to see it, and we split the volume.",
        (
            "Tell me about a supply problem you solved.",
            "Our oak dining tables came from a supplier in Vietnam and lead times had gone to 20 weeks. I "
            "found a second supplier in Poland and split the order.",
        ),
    )
    assert [(k, c) for k, c, _, _ in found] == [("contradiction", "other")]
    assert "Portugal" in found[0][2] and "Poland" in found[0][3]


def test_both_places_told_again_are_no_contradiction() -> None:
    found = problems(
        "Tell me about a time you reduced risk in a supply chain.",
        "Our oak tables came from a single supplier in Vietnam, and lead times had stretched to 20 weeks. I "
        "found a second factory in Poland, went to see it, and we split the volume.",
        (
            "Tell me about a supply problem you solved.",
            "Our oak dining tables came from a supplier in Vietnam and lead times had gone to 20 weeks. I "
            "found a second supplier in Poland and split the order.",
        ),
    )
    assert found == []


def test_a_rate_the_year_after_is_a_result_set_against_the_starting_point() -> None:
    found = problems(
        "Tell me about a time you tackled a retention problem.",
        "so the ICU nurses, we were losing the new ones. i set up stay interviews at three months and nine "
        "months, and worked with the nurse managers on a fairer rota. and the year after, ICU turnover was "
        "nineteen percent.",
        (
            "What are you working on at the moment?",
            "I'm an HR business partner for a hospital network. Nurse turnover in our ICUs was 27% a year when "
            "I started looking at it, mostly people leaving in their first year.",
        ),
    )
    assert found == []


def test_smallest_customers_told_as_small_business_customers_is_no_swap() -> None:
    found = problems(
        "Tell me about a time you improved retention.",
        "Our small-business customers were leaving at almost a quarter a year. I ran group onboarding "
        "webinars twice a week, and twelve months later churn in that group was 16 percent.",
        (
            "Tell me about a time you improved retention.",
            "Our smallest customers were churning at 24% a year. I set up group onboarding webinars, and "
            "after a year churn in that segment was 16%.",
        ),
    )
    assert found == []
