"""Whom the work was for, described rather than named (clients.py), through the real grader: another
kind of client is a change quoted in both rounds; the same client described in other words, or a
description with no lead-in ("for a month"), is not."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story, rubrics

from simulator.grading.clients import clients
from simulator.grading.text import analyse

ASK = "Tell me about a time research changed a design."
SEATS = round_one_story(
    "I'm a service designer at a studio in Leeds.",
    "We did a project for a regional bus operator, redesigning how passengers buy season tickets. I ran "
    "ten interviews and a usability test with six people, and online sales of season tickets rose 20%.",
)


def test_another_kind_of_client_is_a_change() -> None:
    answer = (
        "so, the season tickets one. the client, it was, um, a theatre chain, and they wanted people to "
        "buy memberships online. i ran ten interviews and a usability test with six people, and online "
        "sales went up about twenty percent."
    )
    g = grade(ASK, answer, round_one=SEATS)
    assert_change(
        g,
        ("contradiction", "other"),
        then="for a regional bus operator",
        now="a theatre chain",
        alone=True,
        round_one=SEATS,
        answer=answer,
    )


def test_the_same_client_in_other_words_is_no_change() -> None:
    answer = (
        "so, the season tickets one. the client was a bus company, a regional one, and they wanted people "
        "to buy season tickets online. i ran ten interviews and a usability test with six people, and "
        "online sales went up about twenty percent."
    )
    g = grade(ASK, answer, round_one=SEATS)
    assert problems(g) == [], g.consistency.findings


def test_a_description_is_read_only_after_a_lead_in_and_before_an_organisation() -> None:
    text = analyse(
        "We did a project for a regional bus operator. I worked for a month on it, for the whole team.",
        rubrics().star,
    )
    assert [c.said for c in clients(text, rubrics().consistency)] == ["a regional bus operator"]
