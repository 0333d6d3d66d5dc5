"""The same amount said another way is never a change: what an amount is (its unit, whether it is a
measure or the story's span, a rate, the time since some other event) is read before it is compared.

Sentences are read the way the consistency check reads them (claims.extract); whole pairs are graded
through the grader, with sentence vectors, the way a candidate would see them.
"""

from __future__ import annotations

import pytest
from grading_support import assert_change, claims_in, figures_in, grade, problems, round_one_story

Q = "Tell me about a time you improved a process."


# ---------------------------------------------------------------- amounts in other words


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("It takes one year and half to move everything.", 547.5),  # no "a", as many non-native say it
        ("Peak ran a month and a half.", 45.0),
        ("The review took four days and half.", 4.5),
        ("It took two years and three months to finish.", 820.0),  # one length in two units
    ],
)
def test_a_length_of_time_said_in_parts_is_one_length(sentence: str, days: float) -> None:
    assert [(c, round(lo, 3)) for c, _, lo, _ in figures_in(sentence)] == [("duration", days)]


def test_an_hour_and_its_minutes_are_one_measured_time() -> None:
    assert figures_in("Before it, patients waited a median of 3 hours 40 minutes.") == [
        ("number", "time", 0.154, 0.154)
    ]


def test_a_restated_span_is_not_two_lengths_added() -> None:
    # "fifteen days, a fortnight" says one length twice: 14 to 15 days, never 29.
    sentence = "After fifteen days, a fortnight, he ran the pasta station alone."
    (span,) = [c for c in claims_in(sentence) if c.category == "duration"]
    assert (span.low, span.top) == (14.0, 15.0)


def test_one_and_half_million_is_a_million_and_a_half() -> None:
    (cost,) = [c for c in claims_in("It costs us around one and half million euro every year.") if c.low > 1]
    assert cost.low == 1_500_000.0


@pytest.mark.parametrize(
    ("sentence", "share"),
    [
        ("It resolved about one contact in ten on its own.", 10.0),
        ("We were rejecting five brackets of every hundred.", 5.0),
        ("Three from every five rooms were booked.", 60.0),
        ("Costs fell by roughly two fifths.", 40.0),
    ],
)
def test_a_share_said_by_its_parts_is_a_percentage(sentence: str, share: float) -> None:
    assert [(c.kind, c.low) for c in claims_in(sentence) if c.category == "number"] == [("percent", share)]


def test_two_counts_of_two_things_are_no_share() -> None:
    assert all(c.kind != "percent" for c in claims_in("I coordinated two nurses in three wards."))


def test_working_days_are_a_range_of_calendar_days() -> None:
    # "two working weeks" is "10 working days", and ten working days are two weeks of the calendar.
    (weeks,) = [f for f in figures_in("Turnaround took two working weeks.")]
    (days,) = [f for f in figures_in("Turnaround took 10 working days.")]
    assert weeks[2:] == days[2:] == (10.0, 14.0)


# ---------------------------------------------------------------- what a length of time is


@pytest.mark.parametrize(
    "sentence",
    [
        "Changeovers took on average 90 minutes.",
        "When I started, our average wait on the phone was 11 minutes.",
        "The containers stay in the yard one week on average.",
    ],
)
def test_an_averaged_or_starting_time_is_a_measure_not_the_story_span(sentence: str) -> None:
    assert [(c, k) for c, k, _, _ in figures_in(sentence)] == [("number", "time")]


def test_a_day_after_a_count_of_people_is_a_rate_not_a_span_or_a_team() -> None:
    assert figures_in("We had about seventy people a day going through it by the end.") == [
        ("number", "count:peopl", 70.0, 70.0)
    ]


def test_within_days_of_an_event_is_the_time_since_it() -> None:
    (span,) = [c for c in claims_in("A phone call within seven days of any missed payment.") if c.low > 1]
    assert (span.category, span.slot) == ("duration", "since")


def test_a_wait_before_and_the_wait_after_the_work_are_no_change() -> None:
    round_one = round_one_story(
        "I lead the billing team at an energy company.",
        "When I started, our average wait on the phone was 11 minutes and complaints were about 90 a"
        " month. I introduced a callback option and moved two agents onto the web chat.",
    )
    answer = (
        "We offer the customers a callback instead of waiting, and I put two of the agents on the web"
        " chat. After six months the waiting time is down to four minutes, and the complaints go to"
        " around thirty per month."
    )
    assert problems(grade(Q, answer, round_one=round_one)) == []


def test_the_same_time_in_hours_and_a_half_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a production engineer at a packaging plant.",
        "Changeovers took on average 90 minutes and we did about 12 a week. I worked with the operators"
        " over eight weeks and got changeovers down to 35 minutes.",
    )
    answer = (
        "In our plant each change of format is taking one hour and half, around twelve changes in one"
        " week. I work together with the operators, two months, and at the end one changeover is"
        " thirty-five minutes."
    )
    assert problems(grade(Q, answer, round_one=round_one)) == []


def test_a_changed_measured_time_is_still_caught() -> None:
    round_one = round_one_story(
        "I'm a production engineer at a packaging plant.",
        "Changeovers took on average 90 minutes. I worked with the operators over eight weeks and got"
        " changeovers down to 35 minutes.",
    )
    answer = (
        "Changeovers took about an hour and a half. I worked with the operators for two months and got"
        " them down to 20 minutes."
    )
    assert_change(
        grade(Q, answer, round_one=round_one),
        ("embellishment", "number"),  # a faster changeover is the better result
        then="got changeovers down to 35 minutes",
        now="got them down to 20 minutes",
        round_one=round_one,
        answer=answer,
    )
