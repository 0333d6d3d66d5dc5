"""A "we" story's task: the candidate's named place in the team ("I was part of the ward admin team
that set this up") is what the v3 label guide calls the task; a "we" story that never says what was
theirs states none. The role clause is the quote, not one of the team's actions.
"""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

QUESTION = "Tell me about a time you worked in a team to deliver something difficult."

LETTERS = (
    "Our hospital's discharge letters were reaching GPs a week late on average. We moved the letters "
    "onto a shared template, we set a same-day sign-off rule for the consultants, and we sent them by "
    "secure email instead of post. Within three months most letters arrived the next day."
)
FOOD_BANK = (
    "so, um, our food bank ran out of tins, like, every December. and we, uh, we got two supermarkets "
    "to put collection bins out, we did a rota for pick-ups, we sorted everything on Sundays. and that "
    "winter we didn't run out once."
)
NAMED_ROLES = {
    "typed, role told last": (
        LETTERS + " I was part of the ward admin team that set this up.",
        "ward admin team",
    ),
    "spoken, role told last": (
        FOOD_BANK + " I was, um, on the volunteer committee.",
        "on the volunteer committee",
    ),
}


@pytest.mark.parametrize(("answer", "role"), list(NAMED_ROLES.values()), ids=list(NAMED_ROLES))
def test_a_named_place_in_the_team_is_the_task(answer: str, role: str) -> None:
    g = grade(QUESTION, answer)
    assert "we_not_i" in g.flags
    assert g.star["task"].score >= rubrics().star.present_at
    assert role in g.star["task"].evidence[0], g.star["task"].evidence


@pytest.mark.parametrize("answer", [LETTERS, FOOD_BANK], ids=["typed", "spoken"])
def test_a_we_story_that_never_says_what_was_theirs_states_no_task(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["task"].score < rubrics().star.present_at
    assert g.star["task"].evidence == []
