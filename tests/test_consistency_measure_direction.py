"""An ending told by a measure and its direction ("calls about the letter dropped by a third"), read
through the real grader and the shipped heads. The outcome head reads the verb more than the measure,
so a falling count of bad things reads as a bad ending on both rounds alike: a retelling is never a
change (guarded below), and an improvement taken back in round two is a known miss (strict xfail).

Session 7 built a measure head (which way is good for "complaints", "churn", "search latency") and
set each measured ending's sign to direction x polarity. It read single endings better, but made six
new changes on clean and other pairs of the tune sets and found none of their outcome changes: one
round told as a figure and the other in words were no longer read alike, and the measure's words taken
from around a figure ("first-quarter churn for those customers") misled it. The guards below are
retellings of the kinds it broke; its last version fails the churn one."""

from __future__ import annotations

import pytest
from grading_support import assert_change, assert_no_change, grade, round_one_story

ASK = "Tell me about a process you improved."
LETTER = round_one_story(
    "I'm a team leader in a benefits contact centre.",
    "Our payment letter confused people, so I rewrote it in plain English and tested it with twelve "
    "claimants. Calls about that letter dropped by about a third within two months.",
)


@pytest.mark.xfail(
    strict=True,
    reason="a falling count of complaints reads as a bad ending like the calls that 'never went down': "
    "both rounds read bad, so no change (see the module docstring)",
)
def test_an_improvement_taken_back_is_a_change() -> None:
    answer = (
        "The payment letter, people didn't understand it. I rewrote it in plain English and tested it with "
        "twelve claimants, but honestly the calls never really went down, it stayed about the same."
    )
    g = grade(ASK, answer, round_one=LETTER)
    assert_change(
        g,
        ("contradiction", "outcome"),
        then="Calls about that letter dropped by about a third",
        now="the calls never really went down",
        round_one=LETTER,
        answer=answer,
    )


def test_a_fall_told_as_a_figure_then_in_words_is_no_change() -> None:
    answer = (
        "so the letter about payments, people kept ringing about it. i rewrote it in plain english, tried "
        "it on twelve claimants, and within a couple of months we had about a third fewer calls about it."
    )
    assert_no_change(grade(ASK, answer, round_one=LETTER), "outcome")


def test_the_same_churn_figures_retold_is_no_change() -> None:
    ask = "Tell me about a time you kept customers."
    round_one = round_one_story(
        "I run customer success for a payroll software company.",
        "New customers kept leaving in their first quarter. I set up a welcome call and a setup checklist "
        "for every new account. First-quarter churn for those customers went from 12% to 8%.",
    )
    answer = (
        "New accounts were leaving us in the first quarter. I started a welcome call and a checklist for the "
        "setup, and the churn in that first quarter went from twelve percent to eight, so a third fewer left."
    )
    assert_no_change(grade(ask, answer, round_one=round_one), "outcome")
