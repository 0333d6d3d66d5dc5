"""A quality told in other words is no swapped thing (word_swap._qualities): "a quick meal" / "even a
simple meal" describes the same thing again, while "a lentil stew" / "a bean stew" names another. Through
the real grader and the shipped sentence model, quoting both rounds."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you went beyond your role."
ROLE = "I volunteer two evenings a week at a food bank in Leeds."


def test_a_quality_reworded_in_a_spoken_retelling_is_no_change() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays because a lot of our visitors could not cook a quick "
        "meal from what was in the parcel.",
    )
    answer = (
        "so the cooking session. a lot of our visitors, they couldn't cook even a simple meal from what "
        "was in the parcel, so i started the session on thursdays."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_another_dish_in_the_same_clause_is_still_a_change() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays and showed our visitors how to cook a lentil stew from "
        "what was in the parcel.",
    )
    answer = (
        "so the cooking session on thursdays, i showed our visitors how to cook a bean stew from what was "
        "in the parcel."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "other"),
        then="a lentil stew",
        now="a bean stew",
        round_one=round_one,
        answer=answer,
    )


def test_a_starting_point_denied_and_the_ending_told_is_no_swap() -> None:
    round_one = round_one_story(
        ROLE,
        "I started a cooking session on Thursdays because most of our visitors could not cook a proper "
        "meal from what was in the parcel.",
    )
    answer = (
        "so i started a cooking session on thursdays for our visitors. i showed them three recipes from "
        "the parcel, and by christmas most of them could cook a hot meal from what was in the parcel."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
