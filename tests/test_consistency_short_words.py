"""A word said the short way in a retelling ("the temp power boards" / "the temporary power boards",
"ops" / "operations") is the same word, through the real grader; a name of that shape ("India" /
"Indonesia") is still another place."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you raised a safety concern."
SITE = round_one_story(
    "I'm an electrician on commercial fit-outs.",
    "On one job, the temporary power boards weren't being tested regularly. I raised it with the site "
    "manager, set up a weekly test sheet, and after that every board was tagged and in date.",
)


def test_temp_for_temporary_in_a_spoken_retelling_is_no_change() -> None:
    answer = (
        "so, on a fit-out, an office job, the temp power boards weren't being tested, like, at all. i "
        "raised it with the site manager, set up a weekly test sheet, and after that every board was "
        "tagged and in date."
    )
    g = grade(ASK, answer, round_one=SITE)
    assert problems(g) == [], g.consistency.findings


def test_a_country_of_that_shape_is_still_another_country() -> None:
    round_one = round_one_story(
        "I'm a planner at a furniture maker.",
        "Our frame supplier in India stopped shipping for six weeks after a flood, so I moved half the "
        "orders to a second supplier and we kept the line running.",
    )
    answer = (
        "Our frame supplier in Indonesia stopped shipping for six weeks after a flood, so I moved half the "
        "orders to a second supplier and we kept the line running."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g, ("contradiction", "other"), then="India", now="Indonesia", round_one=round_one, answer=answer
    )
