"""A story told in the present is still a story: its steps ("i pull together the readings, i mock up
the sound, and i take it to their producer") are actions, though the rules' tense-bound cues find none
of them (rubrics/star.yaml, action.story_cues). A job's standing duties told the same way are not."""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

# Without the present-tense cues these steps read at 0.26 and 0.47 (the rules found none of them).
PRESENT_STORIES = [
    "i'm in the admissions office and the head wants the open evening in the sports hall, and i'm looking at "
    "last year's numbers and it just won't fit. i have to talk him round. i pull together last year's "
    "sign-ins, i mock up a route through the classrooms, and i take it to the deputy head. he agrees to "
    "split it over two nights, and nobody queues outside this time.",
    "i'm on the ops team and the client wants the festival bar right by the main gate, and i'm looking at "
    "the crowd flow from last year and it's a crush waiting to happen. i pull together the gate counts, i "
    "mock up the queues on a site plan, and i take it to their production manager. she agrees to move it "
    "to the far side.",
]


@pytest.mark.parametrize("answer", PRESENT_STORIES, ids=["with an outcome", "ending on the agreement"])
def test_the_steps_of_a_story_told_in_the_present_are_actions(answer: str) -> None:
    g = grade("Tell me about a time you had to persuade someone.", answer)
    assert g.star["action"].score >= rubrics().star.present_at
    assert any("i pull together" in quote or "i mock up" in quote for quote in g.star["action"].evidence), (
        g.star["action"].evidence
    )


def test_standing_duties_told_in_the_present_take_no_steps() -> None:
    g = grade(
        "Tell me about a time you showed leadership.",
        "As a team leader at a parcel depot I'm responsible for fourteen drivers. I run the morning briefing, "
        "allocate the routes, handle absence and do the return-to-work interviews. I also cover the sort "
        "when we're short. I believe in leading by example.",
    )
    assert g.star["action"].score < rubrics().star.present_at


def test_a_learners_present_perfect_for_one_step_is_an_action_and_a_career_is_not() -> None:
    story = grade(
        "Tell me about a time you worked with a difficult colleague.",
        "In my previous company in Lyon, one colleague in the sales team was always late to send me the "
        "order forms. It makes my work very hard, because I am responsible for the shipping. I have talked "
        "with him one time, in private. After this he sends the forms on Friday.",
    )
    assert story.star["action"].score >= rubrics().star.present_at
    assert any("I have talked with him" in quote for quote in story.star["action"].evidence)
    career = grade(
        "Tell me about a time you worked with a remote team.",
        "I have worked with remote teams for most of my career. I think the key is clear documentation and "
        "regular video calls. Trust is also essential in a remote team.",
    )
    assert not any("I have worked" in quote for quote in career.star["action"].evidence)
