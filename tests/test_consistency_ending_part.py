"""Which part of a long clause tells how the story ended, read through the real grader and the shipped
heads: the part that leans most clearly to good or bad ("the machine does not work good"), not the last
part read as any ending ("the waste is more than before", whose "more" the head reads either way)."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a tool you introduced."
MACHINE = round_one_story(
    "I am supervisor in a print shop.",
    "We buy a new cutting machine. I train the team on it, and the machine works well, the waste goes down.",
)


def test_an_ending_told_the_other_way_before_a_detail_of_it_is_a_change() -> None:
    answer = (
        "We get new cutting machine. I train the team on it, but the machine does not work good, the waste "
        "is more than before."
    )
    g = grade(ASK, answer, round_one=MACHINE)
    assert_change(
        g,
        ("contradiction", "outcome"),
        then="the machine works well",
        now="the machine does not work good",
        round_one=MACHINE,
        answer=answer,
    )


def test_the_same_ending_before_a_detail_of_it_is_no_change() -> None:
    answer = (
        "We get a new cutting machine. I train the team on it, and the machine works very good, the waste "
        "is less than before."
    )
    g = grade(ASK, answer, round_one=MACHINE)
    assert problems(g) == [], g.consistency.findings


def test_a_lost_first_round_before_the_win_is_no_change() -> None:
    ask = "Tell me about a pitch you led."
    round_one = round_one_story(
        "I'm an account director at a design agency.",
        "I led our pitch for a regional bus company's rebrand. We rebuilt the deck after their first "
        "feedback, and we won the account.",
    )
    answer = (
        "The bus company rebrand, I led the pitch. Their first feedback was rough, we nearly lost it at "
        "that stage, but we rebuilt the deck and in the end we won the account."
    )
    g = grade(ask, answer, round_one=round_one)
    assert ("contradiction", "outcome") not in problems(g), g.consistency.findings
    assert ("embellishment", "outcome") not in problems(g), g.consistency.findings
