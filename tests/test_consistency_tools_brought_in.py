"""The tool the candidate brought in, named after the verb that brings it in ("I replaced our paper
rota with Rotacloud" / "I picked Deputy"): another name there is another tool; the same tool named
again, or a second tool beside it, is not."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a change you introduced that people resisted."
ROTA = round_one_story(
    "I manage a garden centre with 40 staff.",
    "I replaced our paper rota with Rotacloud, so people could swap shifts on their phones. Missed "
    "shifts fell from about six a month to one.",
)


def test_another_tool_brought_in_is_a_change() -> None:
    answer = (
        "At the garden centre the rota was on paper and swaps were chaos. I picked Deputy, set up the "
        "shifts and sat with the older staff to show them the app. Missed shifts went from about six a "
        "month to one."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert_change(
        g, ("contradiction", "other"), then="Rotacloud", now="I picked Deputy", round_one=ROTA, answer=answer
    )


def test_the_same_tool_brought_in_with_another_verb_is_no_change() -> None:
    answer = (
        "At the garden centre the rota was on paper and swaps were chaos. I picked Rotacloud, set up the "
        "shifts and sat with the older staff to show them the app. Missed shifts went from about six a "
        "month to one."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert problems(g) == [], g.consistency.findings


def test_a_second_tool_beside_the_first_is_no_change() -> None:
    answer = (
        "At the garden centre the rota was on paper and swaps were chaos. I picked Rotacloud for the "
        "rota and rolled out WhatsApp groups per department for the swaps. Missed shifts went from about "
        "six a month to one."
    )
    g = grade(ASK, answer, round_one=ROTA)
    assert problems(g) == [], g.consistency.findings
