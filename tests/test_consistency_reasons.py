"""Why the story's work began, told in both rounds (reasons.py), through the real grader: another
reason is a change, quoted in both rounds; the same reason in other words, a reason for one step of
the work, and a reason round two adds are not."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story, rubrics

from simulator.grading.reasons import reasons
from simulator.grading.text import analyse

ASK = "Tell me about a change you led."
ROTA = round_one_story(
    "I'm a ward manager on a surgical ward.",
    "We started self-rostering on the ward because our sickness absence was the highest in the "
    "hospital. I set the rules with the staff side and ran it for six months.",
)


def test_another_reason_for_starting_the_work_is_a_change() -> None:
    answer = (
        "so the self-rostering, on the ward. the reason we started it, honestly, was the new hospital "
        "director wanted every ward on e-rostering by the spring. i set the rules with the staff side "
        "and we ran it for six months."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert_change(
        g,
        ("contradiction", "other"),
        then="because our sickness absence was the highest",
        now="the new hospital director wanted every ward",
        alone=True,
        round_one=ROTA,
        answer=answer,
    )


def test_the_same_reason_in_other_words_is_no_change() -> None:
    answer = (
        "so the self-rostering. it started because, um, we had the worst sickness rates of any ward in "
        "the hospital. i set the rules with the staff side and we ran it for six months."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert problems(g) == [], g.consistency.findings


def test_a_reason_for_one_step_of_the_work_is_no_change() -> None:
    """Round two explains why a step was done, not why the work began: one more detail."""
    answer = (
        "We started self-rostering on the ward because sickness absence was the highest in the hospital. "
        "I set the rules with the staff side first, because the night staff were worried they would lose "
        "their weekends, and we ran it for six months."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert problems(g) == [], g.consistency.findings


def test_the_reasons_are_read_with_what_they_explain() -> None:
    text = analyse(
        "the reason we started the rota project was simply the cost of agency nurses, so i went to the "
        "director. We kept it because the staff liked it.",
        rubrics().star,
    )
    found = reasons(text, rubrics().consistency)
    assert [(r.start, r.why) for r in found] == [
        (True, "simply the cost of agency nurses"),
        (False, "the staff liked it"),
    ]


WAREHOUSE = round_one_story(
    "I'm a warehouse manager for an online homeware shop.",
    "We were running out of space, so I moved slow-moving stock to mezzanine racking and gave the "
    "floor to fast movers. Picks per hour went up by about 15%.",
)


def test_round_two_denying_round_ones_account_is_a_change() -> None:
    answer = (
        "um, the space thing, at the warehouse. honestly it wasn't really that we were running out of "
        "space, it was a new client with bulky sofas landing overnight. so i moved the slow movers up to "
        "the mezzanine and picks per hour went up about fifteen percent."
    )
    g = grade("Tell me about a time you used limited resources well.", answer, round_one=WAREHOUSE)
    assert_change(
        g,
        ("contradiction", "other"),
        then="We were running out of space",
        now="it wasn't really that we were running out of space",
        alone=True,
    )


def test_denying_what_round_one_never_said_is_no_change() -> None:
    answer = (
        "um, the space thing, at the warehouse. it wasn't that the team was lazy or anything, we were "
        "just running out of space. so i moved the slow movers up to the mezzanine and picks per hour "
        "went up about fifteen percent."
    )
    g = grade("Tell me about a time you used limited resources well.", answer, round_one=WAREHOUSE)
    assert problems(g) == [], g.consistency.findings
