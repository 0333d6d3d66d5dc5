"""A figure placed in its story by what the clause is, not by lead-in words (consistency._phased_by_story):
round one's starting point and round two's "we got it under ..." told after the candidate acted are the
story's before and after, not one figure told twice. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you improved a process."
ROLE = "I'm a team lead on the support desk at a broadband provider."
START = (
    "Only about 40 percent of our calls were fixed on the first contact, and repeat calls were clogging "
    "the queue."
)


def test_where_things_ended_after_the_work_is_no_change_of_the_starting_point() -> None:
    round_one = round_one_story(ROLE, START)
    answer = (
        "so repeat calls were clogging the whole queue. i listened to a sample of calls and most repeats "
        "were about routers, so i wrote a troubleshooting script with the engineers and trained the team "
        "on it. and we had first-contact fixes at about 75 percent on the desk."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_another_starting_point_told_before_the_work_is_still_a_change() -> None:
    round_one = round_one_story(ROLE, START)
    answer = (
        "so only about 15 percent of our calls were fixed on the first contact, and the queue was full of "
        "repeats. i listened to a sample of calls, wrote a troubleshooting script with the engineers and "
        "trained the team on it."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "number"),
        then="40 percent",
        now="15 percent",
        round_one=round_one,
        answer=answer,
    )


def test_another_ending_told_after_the_work_is_still_a_change() -> None:
    round_one = round_one_story(
        ROLE,
        START + " I wrote a troubleshooting script with the engineers, and we had first-contact fixes at "
        "about 60 percent.",
    )
    answer = (
        "so repeat calls were clogging the queue. i wrote a troubleshooting script with the engineers and "
        "trained the team on it. and we had first-contact fixes at about 90 percent on the desk."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "number"),
        then="60 percent",
        now="90 percent",
        round_one=round_one,
        answer=answer,
    )


def test_the_same_amount_told_again_at_the_end_is_no_change() -> None:
    round_one = round_one_story(
        "I buy timber for a furniture maker.",
        "I'm a buyer at a furniture maker, responsible for timber, about 25 sawmills in total. Last year I "
        "moved our oak orders from four sawmills to one in exchange for an 8% lower price.",
    )
    answer = (
        "our timber orders were spread over four sawmills, none of them gave us a good price. i offered one of "
        "them all of it if they took 8% off. they agreed, and we moved everything to them. it is one of "
        "about twenty-five sawmills i look after, but it was the biggest saving that year."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
