"""Which part of a long clause tells how the story ended, read through the real grader and the shipped
heads. The last part read as an ending speaks for the clause, so an ending reversed before a detail of it
("the machine does not work good, the waste is more than before") is a known miss: reading the part that
leans most clearly instead caught it, but read a first failure told before "but" as the ending (below)
and a grumble before "but" as one on the v6 tune set, so it is not shipped."""

from __future__ import annotations

import pytest
from grading_support import assert_change, assert_no_change, grade, problems, round_one_story

ASK = "Tell me about a tool you introduced."
MACHINE = round_one_story(
    "I am supervisor in a print shop.",
    "We buy a new cutting machine. I train the team on it, and the machine works well, the waste goes down.",
)


@pytest.mark.xfail(
    strict=True,
    reason="the clause's last part read as an ending ('the waste is more than before') speaks for it; reading "
    "the part that leans most clearly made false changes (see the module docstring)",
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
    assert_no_change(g, "outcome")


def test_a_grumble_before_but_is_not_how_the_story_ended() -> None:
    ask = "Tell me about a time you made a change stick."
    round_one = round_one_story(
        "I'm a site supervisor for a roofing contractor.",
        "We had two near misses with ladders in one month. I stopped the job, got the ladders replaced, and "
        "started a five-minute check every morning before anyone went up.",
    )
    answer = (
        "after the two near misses i stopped the job and brought in a morning check before anyone goes up, "
        "with a crew of, like, twenty lads, some of them moaned about it, the older ones mostly, but i "
        "stuck with it."
    )
    g = grade(ask, answer, round_one=round_one)
    assert_no_change(g, "outcome")


def test_a_first_failure_told_before_but_is_not_how_the_story_ended() -> None:
    ask = "Tell me about a process you improved."
    round_one = round_one_story(
        "I'm a ward clerk at a district hospital.",
        "Discharge paperwork was holding beds for hours. I redesigned the discharge forms with the nurses, "
        "and after we cut them to one page, it worked: beds were free by noon.",
    )
    answer = (
        "I redesigned the discharge forms with the nurses. The first trial failed badly, the staff hated the "
        "new forms, but after we cut them to one page it worked."
    )
    g = grade(ask, answer, round_one=round_one)
    assert_no_change(g, "outcome")
