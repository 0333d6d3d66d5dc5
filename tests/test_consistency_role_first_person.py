"""A lead read by the role head alone in today's answer counts only in a clause where the candidate does
something ("I"): "his mum went to the head ... that made my year" is what is theirs, not a part they
took. Through the real grader and the shipped sentence model."""

from __future__ import annotations

from grading_support import grade, problems, round_one_story

ASK = "Tell me about a time you made a difference for someone."
SCHOOL = [
    (
        "Tell me about a time you went above and beyond.",
        "I was a teaching assistant in a primary school in Derby. One Year 3 girl had just arrived from "
        "Ukraine with almost no English. I made her a picture dictionary of classroom words and sat with "
        "her in phonics every morning. By the spring term she was reading simple books and joining in "
        "group work, and her dad told the head she liked coming to school.",
    )
]


def test_a_clean_spoken_retelling_with_the_head_and_my_year_is_no_change() -> None:
    answer = (
        "there was a little girl, year three, she'd come over from ukraine, and she had, like, a few words "
        "of english. so i, um, i made her a picture book, like a dictionary, with pencil, scissors, "
        "toilet, all the stuff you need in the classroom. and every morning in phonics i'd sit next to "
        "her. and, uh, by spring term she was reading the easy readers on her own and doing the group "
        "work with the others. her dad went to the head to say she liked school, which, that made my "
        "year honestly."
    )
    g = grade(ASK, answer, round_one=SCHOOL)
    assert problems(g) == [], g.consistency.findings


def test_taking_over_the_plan_in_the_first_person_is_still_a_bigger_part() -> None:
    round_one = round_one_story(
        "I was a teaching assistant in a primary school in Leicester.",
        "Our class teacher, Mrs Patel, set up a morning plan for a boy who kept refusing to come into "
        "class. I helped her with it by meeting him at the gate. By half term he was coming in on his own.",
    )
    answer = (
        "so there was this boy who would not come into class. i was the one leading it, i set up the whole "
        "morning plan myself and ran it every day. by half term he was coming in on his own."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("embellishment", "role") in problems(g), g.consistency.findings
