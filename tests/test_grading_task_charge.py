"""The candidate's charge or share, told in any tense, is the task: a share of the work ("my bit was the data
side"), a thing that is theirs ("anything that pages is mine"), a list of duties that says what they are
responsible for ("my responsibilities include ..."), or a post held for the occasion ("I was the fleet
officer that night"). The rules read these only in the past before (star.yaml, task.story_cues); the clause
heads read them as the scene. A standing job title, a trait, or a share named as the outcome stays no task.
"""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

QUESTION = "Tell me about a time you caught a problem before it got worse."

CHARGES = {
    "spoken, a share of the work": (
        "so it was a trial of a new knee brace across four clinics, and my bit was the data side, getting "
        "the measurements from the clinics into the database. about a month in i saw one clinic was logging "
        "in inches, not centimetres. i flagged it with the stats lead and i went back through all three "
        "hundred entries and fixed them. the interim report went out on time with nothing thrown out.",
        "my bit was the data side",
    ),
    "typed, 'my own part' in a team bid": (
        "Our agency pitched for a regional bus operator's rebrand, and there were six of us on the pitch. "
        "We split the deck and rehearsed twice. My own part was the customer research and the budget. "
        "We won the account in March.",
        "My own part was the customer research",
    ),
    "spoken present tense, a thing that is theirs": (
        "i'm on call that week, which means anything that breaks in the night is mine, and at three a.m. "
        "the booking site starts timing out. i find a full disk on the search server, clear the old logs "
        "and add an alert for eighty percent. we don't get a page like that again for a year.",
        "is mine",
    ),
    "typed, a post held that night": (
        "I was the fleet officer that night, and two of our trucks broke down on the motorway. I rang the "
        "recovery firm, moved the loads onto the spare trailers and called every customer myself. All but "
        "one delivery arrived on time.",
        "I was the fleet officer that night",
    ),
}


@pytest.mark.parametrize(("answer", "charge"), list(CHARGES.values()), ids=list(CHARGES))
def test_a_charge_or_share_told_in_any_tense_is_the_task(answer: str, charge: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["task"].score >= rubrics().star.present_at
    assert any(charge in quote for quote in g.star["task"].evidence), g.star["task"].evidence


def test_a_list_of_duties_that_says_what_they_are_responsible_for_states_the_task() -> None:
    answer = (
        "In my current company I work as a payroll officer in a team of four. My responsibilities include "
        "the monthly payroll for nine hundred staff, the pension returns and the year-end forms. I also "
        "answer the questions from the managers."
    )
    g = grade("What are your main responsibilities in your current role?", answer, kind="behavioural")
    assert g.star["task"].score >= rubrics().star.present_at
    assert any("My responsibilities include" in quote for quote in g.star["task"].evidence)


NOT_CHARGES = {
    # A trait, not a charge: "I'm always the one who ..." describes the person, not what was theirs.
    "a trait": (
        "Honestly I'm a people person. I'm always the one who organises the team lunches and remembers "
        "birthdays, and I think that makes a team work better."
    ),
    # The share named as its outcome is the result, not the task.
    "a share named in the outcome": (
        "We were four in the accounts team with a backlog of twelve hundred invoices. We split them by "
        "supplier and each of us rang our own. By the end of the month the backlog was gone."
    ),
}


@pytest.mark.parametrize("answer", list(NOT_CHARGES.values()), ids=list(NOT_CHARGES))
def test_a_trait_or_a_team_story_states_no_charge(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["task"].score < rubrics().star.present_at, g.star["task"].evidence
