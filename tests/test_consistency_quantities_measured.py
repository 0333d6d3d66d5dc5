"""Amounts of time, the story's own span, teams the candidate "has", and small shares: read and compared
as the same fact whatever the words, so a changed figure is caught and a reworded one is not.

Each change test grades a round-one / round-two pair through the whole grader (with sentence vectors)
and checks the finding and the quotes a candidate would be shown; each clean test grades a rewording.
"""

from __future__ import annotations

import pytest
from grading_support import assert_change, claims_in, figures_in, grade, problems, round_one_story

Q = "Tell me about a time you improved something."


# ---------------------------------------------------------------- an amount of time that is measured


def test_a_span_that_is_a_level_in_a_change_is_a_measured_figure_in_days() -> None:
    # "was down to" would otherwise read as how long the work took ("was" leads a span in).
    assert figures_in("By March the turnaround was down to about two weeks.") == [("number", "time", 14, 14)]
    assert figures_in("The turnaround dropped to 14 days.") == [("number", "time", 14, 14)]


def test_a_measured_wait_that_changed_between_rounds_is_a_changed_figure() -> None:
    round_one = round_one_story(
        "I run the repairs desk for a housing association.",
        "Tenants waited an average of 30 days for a non-urgent repair. I split the queue by trade and"
        " booked the plumbers in blocks. Average wait dropped to 9 days.",
    )
    answer = (
        "The non-urgent repairs queue was a mess, about a month on average. I split it by trade and we"
        " booked plumbers in half-day blocks, and after a quarter the average wait was down to about"
        " 16 days."
    )
    g = grade(Q, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "number"),
        then="Average wait dropped to 9 days",
        now="the average wait was down to about 16",
        round_one=round_one,
        answer=answer,
    )


def test_the_same_measured_wait_in_other_units_is_no_change() -> None:
    round_one = round_one_story(
        "I run the repairs desk for a housing association.",
        "Tenants waited an average of 30 days for a non-urgent repair. I split the queue by trade and"
        " booked the plumbers in blocks. Average wait dropped to 14 days.",
    )
    answer = (
        "Non-urgent repairs took about a month. I split the queue by trade and booked plumbers in blocks,"
        " and the average wait came down to two weeks."
    )
    assert problems(grade(Q, answer, round_one=round_one)) == []


# ---------------------------------------------------------------- how long the story took


def test_how_long_the_story_took_is_compared_when_told_once_a_side_beside_a_step() -> None:
    round_one = round_one_story(
        "I'm a reliability engineer at a dairy.",
        "The homogeniser kept tripping on the night shift. I found a cracked valve seat and had it"
        " replaced. The repair took me three days, and it hasn't tripped since.",
    )
    answer = (
        "The homogeniser tripped every few nights. I watched it for a couple of hours and saw the valve"
        " seat was cracked. It took me about ten days in all, mostly waiting for the part from Italy,"
        " and it has not tripped since."
    )
    g = grade(Q, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "duration"),
        then="The repair took me three days",
        now="It took me about ten days in all",
        round_one=round_one,
        answer=answer,
    )


def test_a_span_tied_to_the_same_work_is_held_to_the_usual_tolerance() -> None:
    round_one = round_one_story(
        "I'm a quantity surveyor.",
        "On a library refurbishment I tracked every variation for the 14 months of the refurbishment,"
        " and we finished inside the contingency.",
    )
    answer = (
        "The library job: I logged every variation as it came in, and the refurbishment was, like, just"
        " over two years in the end. We still finished inside the contingency."
    )
    g = grade(Q, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "duration"),
        then="the 14 months of the refurbishment",
        now="the refurbishment was, like, just over two years",
    )
    exam = round_one_story(
        "I'm an auditor.",
        "I did my chartered exams while working full-time. It took me just over two years, studying at"
        " weekends.",
    )
    faster = "I did the chartered exams while working full-time, studying at weekends, and passed them all in about ten months."
    assert_change(
        grade(Q, faster, round_one=exam),
        ("contradiction", "duration"),
        then="It took me just over two years",
        now="passed them all in about ten months",
    )


def test_just_under_is_a_hedge_on_a_span_not_a_deadline() -> None:
    claim = next(
        c for c in claims_in("I had just under three months to get it ready.") if c.category == "duration"
    )
    assert (claim.slot, claim.low, claim.hedged) == ("span", 90, True)


def test_the_same_span_reworded_and_a_time_to_a_result_close_to_it_are_no_change() -> None:
    round_one = round_one_story(
        "I'm an operations analyst at a parcel carrier.",
        "I rebuilt the depot's route plans in SQL. The whole project took about six months, and"
        " late deliveries fell by a third.",
    )
    reworded = (
        "I rebuilt the route plans for the depot in SQL over roughly half a year, and late deliveries"
        " fell by about a third."
    )
    assert problems(grade(Q, reworded, round_one=round_one)) == []
    # The time to the result, said with the same words around it as the span of the work: not the same
    # fact, so not held to the span's tolerance.
    to_a_result = (
        "I rebuilt the depot's route plans in SQL, and within four months of the switch late deliveries"
        " had fallen by a third."
    )
    assert problems(grade(Q, to_a_result, round_one=round_one)) == []


# ---------------------------------------------------------------- the candidate's own team


def test_people_the_candidate_says_they_have_are_their_team() -> None:
    teams = [c.low for c in claims_in("I have 18 people across three shifts.") if c.category == "team_size"]
    assert teams == [18]
    round_one = [
        ("Tell me about your role.", "I'm a warehouse shift manager. I have 18 people across three shifts."),
        (
            "Tell me about a problem you solved.",
            "Pallets were being put away in the wrong bays. I found the scanner firmware was out of date"
            " on two guns, got them updated and mis-slots stopped.",
        ),
    ]
    answer = (
        "so, um, the wrong bays thing. i've got, like, five people on the put-away side across the"
        " shifts, that's my team. we worked out two of the scanner guns were on old firmware. got them"
        " updated and the mis-slots stopped."
    )
    g = grade(Q, answer, round_one=round_one)
    assert_change(g, ("contradiction", "team_size"), then="I have 18 people", now="five people")


# ---------------------------------------------------------------- shares and counts said aloud


def test_a_spoken_aside_between_to_and_its_figure_leaves_it_the_end_of_the_change() -> None:
    said = "and conversion went from, uh, two point four to, i'd guess, about four percent."
    start, end = (c for c in claims_in(said) if c.category == "number")
    assert (start.slot, start.kind, start.low) == ("from", "percent", 2.4)
    assert (end.slot, end.kind, end.low) == ("to", "percent", 4.0)


@pytest.mark.parametrize(
    ("sentence", "kind", "low", "top"),
    [
        ("By the end we ran a hundred and twenty-something workshops a year.", "count:workshop", 120, 129),
        ("We hosted around ninety of those workshops.", "count:workshop", 90, 90),
    ],
)
def test_a_count_said_aloud_keeps_its_range_and_the_thing_it_counts(
    sentence: str, kind: str, low: float, top: float
) -> None:
    assert [f for f in figures_in(sentence) if f[1] == kind] == [("number", kind, low, top)]
