"""A place or a tool named in round one and another in its place, when the rest of the clause is told in
other words (named_slots.py), through the real grader and the shipped sentence model; the same place
told again, or initials spelt out, is no change."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a project you are proud of."
WATER = round_one_story(
    "I'm a project officer at a water charity.",
    "I ran a water project for an NGO in northern Kenya, installing hand pumps in 12 villages. Within a "
    "year, the time women spent fetching water fell from three hours a day to under one.",
)


def test_another_country_in_a_spoken_retelling_in_other_words_is_a_change() -> None:
    answer = (
        "so the water project in northern uganda, so twelve villages, hand pumps. and within a year the "
        "time the women spent fetching water went from like three hours a day to under one."
    )
    g = grade(ASK, answer, round_one=WATER)
    assert_change(
        g,
        ("contradiction", "other"),
        then="northern Kenya",
        now="northern uganda",
        alone=True,
        round_one=WATER,
        answer=answer,
    )


def test_the_same_country_told_in_other_words_is_no_change() -> None:
    answer = (
        "so the water project in northern kenya, so twelve villages, hand pumps. and in the end, within a "
        "year, the time the women spent fetching water went from like three hours a day to under one."
    )
    g = grade(ASK, answer, round_one=WATER)
    assert problems(g) == [], g.consistency.findings


def test_initials_spelt_out_in_a_retelling_are_no_change() -> None:
    round_one = round_one_story(
        "I'm a staff nurse.",
        "I worked nights in ED and noticed that handovers were missing the pain scores. I added a pain "
        "line to the handover sheet and after a month every handover had one.",
    )
    answer = (
        "so i was on nights in emergency and i noticed the handovers kept missing the pain scores. i added "
        "a pain line to the handover sheet and after a month every handover had one."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
