"""Lengths of time as people say them: what is a span of the story, what only names something ("a
year 9 class", "a ten minute stand-up"), and spans told twice in one breath.

Sentences are read the way the consistency check reads them (claims.extract); whole pairs are graded
the way a candidate would see them, and the test asserts on the finding and the quotes it shows.
"""

from __future__ import annotations

import pytest
from grading_support import claims_of as claims
from grading_support import grade
from grading_support import problems_between as problems

PROBLEMS = ("contradiction", "embellishment")


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


# ---------------------------------------------------------------- how long the story took, however said


def test_the_reason_after_a_span_does_not_make_it_one_step() -> None:
    (span,) = claims("It took about eight months, because each school had its own timetable.", "duration")
    assert span.scope == "whole"


def test_done_by_the_end_of_the_first_quarter_is_a_span_from_the_start() -> None:
    (span,) = claims("We had every branch on it before the end of the first quarter.", "duration")
    assert (span.low, span.slot, span.said) == (91.0, "within", "the end of the first quarter")
    assert claims("We had every branch on it before the end of the first quarter.", "date") == []
    # A calendar quarter names its year, or is said as Q1: a date, as before.
    assert claims("We went live by the end of the first quarter of 2022.", "duration") == []


def test_a_rollout_done_in_one_quarter_is_not_the_nine_months_of_round_one() -> None:
    then = "I moved all nine branches onto the new booking system. It took about eight months, as each branch ran its own diary."
    now = (
        "Getting one booking system into all nine branches. I visited each branch, set up their diaries "
        "with the manager, and trained staff over lunch. We had every branch on it before the end of the first quarter."
    )
    found = problems(then, now)
    assert ("contradiction", "duration") in [(k, c) for k, c, _ in found]
    quote = next(q for _, c, q in found if c == "duration")
    assert "before the end of the first quarter" in quote


def test_from_the_first_exam_to_the_last_is_the_whole_span() -> None:
    (span,) = claims("From the first exam to the last was about three years.", "duration")
    assert span.scope == "whole"
    then = "I qualified as a chartered accountant while working full time. It took me eighteen months."
    now = (
        "Qualifying as a chartered accountant while working full time. I studied before work, and I resat one "
        "paper. From the first exam to the last was about three years."
    )
    assert [(k, c) for k, c, _ in problems(then, now)] == [("contradiction", "duration")]


def test_a_span_said_twice_in_one_breath_is_one_span() -> None:
    (span,) = claims("Within a few weeks, under a month, we had cleared the lot.", "duration")
    assert (span.low, span.top, span.said) == (14.0, 30.0, "a few weeks, under a month")
    # Two spans of two things stay two.
    assert len(claims("We trained for two weeks, then ran it for six months.", "duration")) == 2


def test_a_backlog_cleared_in_weeks_is_not_the_three_months_of_round_one() -> None:
    then = "Our repairs backlog was 1,200 jobs. I re-planned the rota and we cleared it in about four months."
    now = (
        "so there were twelve hundred repair jobs waiting. i re-planned the rota around the urgent ones "
        "and, honestly, within a few weeks, under a month, we'd cleared them."
    )
    found = problems(then, now)
    assert [(k, c) for k, c, _ in found] == [("contradiction", "duration")]
    assert "within a few weeks, under a month" in found[0][2]


def test_a_span_said_again_in_other_words_is_no_change() -> None:
    then = "Our repairs backlog was 1,200 jobs. I re-planned the rota and we cleared it in about a month."
    now = "i re-planned the rota and within a few weeks, under a month, the backlog was cleared."
    assert problems(then, now) == []


# ---------------------------------------------------------------- team sizes told in the present


def test_we_are_five_translators_is_a_team_size() -> None:
    (team,) = claims("In my team we are five translators, working from German.", "team_size")
    assert team.low == 5.0
    assert claims("We're two weeks behind the plan.", "team_size") == []


def test_a_team_told_smaller_in_the_present_is_a_change() -> None:
    then = "I lead a team of 11 paralegals handling property cases."
    now = (
        "in my team we are four paralegals, we handle property cases. i brought in a checklist for every "
        "completion and the errors are almost zero now."
    )
    found = problems(then, now)
    assert [(k, c) for k, c, _ in found] == [("contradiction", "team_size")]
    assert "we are four paralegals" in found[0][2]


def test_a_kitchen_of_me_and_one_commis_is_a_team() -> None:
    (team,) = claims("It's a tiny kitchen: me and one commis on weekdays.", "team_size")
    assert (team.low, team.with_me) == (2.0, True)


# ---------------------------------------------------------------- spans and dates said by pointing back


def test_that_was_three_months_is_a_span_of_what_was_just_said() -> None:
    round_one = [
        (
            "Tell me about your role.",
            "I'm a deputy manager at a library, and I covered the manager's sick leave for six months.",
        ),
        (
            "What did you change?",
            "I moved the children's reading sessions to Saturdays and loans went up about 15%.",
        ),
    ]
    answer = (
        "so when I was covering the manager's sick leave - that was two months - I, um, moved the children's "
        "reading sessions to Saturdays, and loans went up by about fifteen percent."
    )
    g = grade("Tell me about acting up.", answer, round_one=round_one)
    found = [f for f in g.consistency.findings if f.kind in PROBLEMS]
    assert [(f.kind, f.category) for f in found] == [("contradiction", "duration")]
    assert "two months" in found[0].round_two_quote and "six months" in found[0].round_one_quote


def test_the_second_year_after_joining_is_the_storys_year() -> None:
    dates = claims(
        "I joined Harlow Dental in 2014, and in my second year there I rebuilt the recall system.", "date"
    )
    assert sorted((d.low, d.top) for d in dates) == [(2014.0, 2014.0), (2015.0, 2016.0)]
    then = "I joined Harlow Dental in 2014, and in my second year there I rebuilt the recall system. No-shows fell."
    told_again = "this was, um, 2015, at Harlow Dental. I rebuilt the recall system and the no-shows fell."
    assert problems(then, told_again) == []
    moved = "this was, um, 2019, just before I left Harlow Dental. I rebuilt the recall system and the no-shows fell."
    found = problems(then, moved)
    assert [(k, c) for k, c, _ in found] == [("contradiction", "date")]
    assert "2019" in found[0][2]


def test_inside_three_months_is_the_time_to_a_result_like_within() -> None:
    (span,) = claims("Most of them were leaving inside three months.", "duration")
    assert span.slot == "within"


# ---------------------------------------------------------------- more ways of saying a span or a team


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("I was there two and a half years.", 912.5),
        ("It was a year-and-a-half job.", 547.5),
        ("It took a year and a half.", 547.5),
    ],
)
def test_a_half_is_read_wherever_it_is_said(sentence: str, days: float) -> None:
    (span,) = claims(sentence, "duration")
    assert span.low == days


def test_a_span_told_by_its_months_is_how_long_it_ran() -> None:
    (span,) = claims("We ran the pilot from March to September.", "duration")
    assert (span.low, span.top) == (180.0, 210.0)
    assert claims("The busy season is from March to September.", "duration") == []  # no span of the story


def test_a_pilot_run_from_march_to_september_is_not_the_three_months_of_round_one() -> None:
    then = "I ran a pilot of video consultations at our surgery. The pilot ran for three months and patients liked it."
    now = "we ran the video consultations pilot from march to september at the surgery, and patients really liked it."
    found = problems(then, now)
    assert [(k, c) for k, c, _ in found] == [("contradiction", "duration")]
    assert "from march to september" in found[0][2]
    same = "we ran the video consultations pilot from march to june at the surgery, and patients really liked it."
    assert problems(then, same) == []


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("I look after six nurses on the ward.", 6.0),
        ("I'm responsible for eight engineers.", 8.0),
        ("I'm in charge of twelve cleaners across two sites.", 12.0),
    ],
)
def test_people_in_the_candidates_charge_are_their_team(sentence: str, size: float) -> None:
    (team,) = claims(sentence, "team_size")
    assert team.low == size


def test_responsible_for_customers_is_no_team() -> None:
    assert claims("I'm responsible for forty customers in the north.", "team_size") == []
