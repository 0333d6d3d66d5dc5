"""A "we" story's task: the candidate's named place in the team ("I was part of the ward admin team
that set this up") is what the v3 label guide calls the task; a "we" story that never says what was
theirs states none. When the task is stated but no clause reads mainly as one, the role clause is the
quote, not one of the team's actions.
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


# The place in the team is read by the rules' task cues (star.yaml, task.story_cues): the presence alone
# read it at 0.66 and the blend with the rules' 0.0 left it at 0.46. Taking the presence alone instead
# lifted the v3 check's "we" task but dropped the v4 check's (spoken and typed answers got tasks they do
# not state); the cue names only this phrasing, and moved v3 tune "we" task F1 0.00 -> 1.00.
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


ROLE_FIRST = {
    "typed, role then the team's story": (
        "I was the admin lead on the ward. " + LETTERS,
        "I was the admin lead",
    ),
    "typed, role with 'as'": (
        "As the ward admin lead, I was on the team that fixed it. " + LETTERS,
        "ward admin lead",
    ),
    "spoken, role then the team's story": (
        "so, um, I was, like, the ward clerk back then. " + LETTERS,
        "the ward clerk",
    ),
}


@pytest.mark.parametrize(("answer", "role"), list(ROLE_FIRST.values()), ids=list(ROLE_FIRST))
def test_the_named_role_is_quoted_as_the_task_not_the_scene(answer: str, role: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["task"].score >= rubrics().star.present_at
    assert role in g.star["task"].evidence[0], g.star["task"].evidence
    assert "discharge letters were reaching" not in g.star["task"].evidence[0]


# The team's goal ("we had to ...") is the team's, not the candidate's task: the label guides count a task
# as what the candidate was responsible for. Told with "I" or "me", the same goal is theirs.
TEAM_GOAL = (
    "so the office move. we had two leases ending in the same month, and we had to get everyone into the "
    "new building before the old one closed. and we packed by department, we booked the movers for two "
    "weekends, we set up the desks the night before. and we opened on the monday with nobody working "
    "from home."
)


def test_a_goal_only_the_team_is_given_is_no_task_of_the_candidates() -> None:
    g = grade(QUESTION, TEAM_GOAL)
    assert "we_not_i" in g.flags
    assert g.star["task"].score < rubrics().star.present_at


def test_the_same_goal_told_as_the_candidates_own_is_the_task() -> None:
    g = grade(QUESTION, TEAM_GOAL.replace("and we had to get everyone", "and it fell to me to get everyone"))
    assert g.star["task"].score >= rubrics().star.present_at
    assert any("fell to me" in quote for quote in g.star["task"].evidence), g.star["task"].evidence
