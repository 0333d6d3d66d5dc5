"""A scene belongs to a story. A list of duties opens on the candidate's role ("I'm a team lead for nine
claims handlers"), which the heads read as a scene; the label guides say a role context in a duty list is
no situation. With no action of the story stated, the situation is not stated either; the same role
followed by a real story keeps the story's scene.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from grading_support import grade, rubrics

from simulator.catalog import Rubrics

QUESTION = "What does your current role involve?"

DUTIES = {
    "typed": (
        "I'm a team lead for nine claims handlers at an insurer in Leeds. My responsibilities include "
        "allocating the daily claims, checking a sample of files every week, running the one-to-ones and "
        "reporting our numbers to the operations manager. I also cover the phones when we're short."
    ),
    "spoken": (
        "um, so I'm a charge nurse on a surgical ward, thirty beds. my responsibilities are, like, the "
        "staffing for each shift, the drug round checks, handover, and I'm the one the bed managers call "
        "about discharges. and I mentor the student nurses too."
    ),
}


@pytest.mark.parametrize("answer", list(DUTIES.values()), ids=list(DUTIES))
def test_a_list_of_duties_states_no_situation(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["action"].score < rubrics().star.present_at, g.star["action"]
    assert g.star["situation"].score < rubrics().star.present_at, g.star["situation"]
    assert g.star["situation"].evidence == []
    # The role is still what they own: the task, quoted from it.
    assert g.star["task"].score >= rubrics().star.present_at
    assert any("I'm a" in quote for quote in g.star["task"].evidence), g.star["task"].evidence


def test_the_same_role_followed_by_a_story_keeps_the_storys_scene() -> None:
    g = grade(
        "Tell me about a time you handled a sudden spike in work.",
        "I'm a team lead for nine claims handlers at an insurer in Leeds. Last spring a storm left us with a "
        "backlog of 400 claims. I split the team into triage and settlement, I agreed overtime with HR for "
        "two weekends and I took the hardest claims myself. Within three weeks the backlog was under 50.",
    )
    assert g.star["situation"].score >= rubrics().star.present_at
    assert any("a storm left us with a backlog" in quote for quote in g.star["situation"].evidence)


def _without(**off: object) -> Rubrics:
    star = rubrics().star
    flags = star.meaning_flags.model_copy(update=off)
    return replace(rubrics(), star=star.model_copy(update={"meaning_flags": flags}))


def test_the_rule_and_the_duty_list_decision_each_remove_the_duty_lists_scene() -> None:
    answer = DUTIES["typed"]
    neither = _without(scene_needs_action=1e-9, duty_list_drops_story=False)
    assert grade(QUESTION, answer, with_rubrics=neither).star["situation"].score >= 0.5
    # Each alone is enough (grading/duty_list.py reads the answer as a list of duties).
    only_the_decision = _without(scene_needs_action=1e-9)
    assert grade(QUESTION, answer, with_rubrics=only_the_decision).star["situation"].score < 0.5
    only_the_rule = _without(duty_list_drops_story=False)
    assert grade(QUESTION, answer, with_rubrics=only_the_rule).star["situation"].score < 0.5
    assert grade(QUESTION, answer).star["situation"].score < 0.5


def test_a_hypothetical_answer_keeps_its_scene_for_its_own_rule() -> None:
    # Its actions score low because they are what the candidate would do; its scene is weighed by the
    # hypothetical rule (a real example keeps its own), not taken away for the missing actions.
    question = "Tell me about a time you had conflicting priorities from two senior people."
    answer = (
        "Last month my manager and the sales director both wanted different reports from me by Friday. What "
        "I would do in that case is get them both in a room, lay out what each request costs, and let them "
        "agree the order. I'd confirm it in writing after."
    )
    g = grade(question, answer)
    assert g.star["action"].score < rubrics().star.meaning_flags.scene_needs_action
    without = grade(question, answer, with_rubrics=_without(scene_needs_action=1e-9))
    assert g.star["situation"].score == without.star["situation"].score


DATED = {
    "last week, typed": (
        "Actually last week the finance director and my own manager both wanted a different forecast from me "
        "by Thursday. What I would normally do then is put them in one meeting and let them agree the order.",
        "last week the finance director and my own manager both wanted a different forecast",
    ),
    "last month, spoken": (
        "so last month our head chef and the restaurant manager both wanted the new menu costed by friday, in "
        "different ways. and what i would usually do is sit them down together and let them decide which "
        "comes first.",
        "last month our head chef and the restaurant manager",
    ),
}


@pytest.mark.parametrize(("answer", "scene"), list(DATED.values()), ids=list(DATED))
def test_a_moment_dated_last_week_or_last_month_is_the_scene(answer: str, scene: str) -> None:
    # As "last year" does: the rules' situation reads the date (situation.story_cues), the heads alone
    # read these at 0.3 or less.
    g = grade("Tell me about a time two senior people wanted different things from you.", answer)
    assert g.star["situation"].score >= rubrics().star.present_at, g.star["situation"]
    assert any(scene in quote for quote in g.star["situation"].evidence), g.star["situation"].evidence
