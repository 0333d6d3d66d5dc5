"""A list of duties is not a story: it takes no one story's steps, and it is never told "no result" (that
flag asks for the outcome of a story, and there is none to ask for). What gives a duty list away is how
much of it is told as a routine ("every morning i check", "twice a week", "I chair the weekly meeting"),
read over the whole answer; a story told in the present with a routine in its scene is still a story."""

from __future__ import annotations

import pytest
from grading_support import grade

from simulator.grading.semantic import clause_cues, parse_clause_cues

DUTY_LISTS = [
    (
        "Tell me about a time you went above and beyond for a customer.",
        "so, i'm a pharmacy dispenser at a high street chemist in Derby. every morning i check the delivery "
        "against the order, and i put the fridge lines away first. i do the blister packs for the care homes "
        "twice a week, and i answer the phone when the pharmacist is busy. customers often come in worried "
        "about their medicines, and i always take time to explain the labels to them. that's really the job.",
    ),
    (
        "Tell me about a time you improved a process.",
        "I'm a facilities coordinator at a university in Glasgow. I handle the room bookings, the maintenance "
        "requests and the contractor visits for three buildings. I produce the monthly report on repairs for "
        "the estates director and I chair the weekly meeting with the cleaning contractor. I regularly walk "
        "the buildings to spot problems before they are reported.",
    ),
]


@pytest.mark.parametrize(("question", "answer"), DUTY_LISTS)
def test_a_list_of_duties_takes_no_story_steps_and_is_not_told_it_has_no_result(question, answer):
    g = grade(question, answer)
    assert g.star["action"].score < 0.5
    assert "no_result" not in g.flags
    assert g.overall <= 3


def test_a_present_tense_story_whose_scene_is_a_routine_is_still_a_story():
    g = grade(
        "Tell me about a time you solved a problem.",
        "i'm the office manager, and every monday the meeting rooms are double-booked, two teams turn up and "
        "there's arguing in the corridor. so i go into the booking system and i find that hundreds of "
        "recurring bookings from the old calendar are still there, for people who left. i spend a friday "
        "afternoon deleting them and i set recurring bookings to expire after three months. nobody complains "
        "after that.",
    )
    assert g.star["situation"].score >= 0.5
    assert g.star["action"].score >= 0.5
    assert "no_result" not in g.flags
    assert any("i go into the booking system" in quote for quote in g.star["action"].evidence)


def test_the_routines_are_read_from_the_cue_file_and_a_missing_list_is_named() -> None:
    routine = clause_cues().routine
    assert routine.search("i do the blister packs twice a week")
    assert routine.search("Every round I check the chart.")
    assert not routine.search("I rang the depot that afternoon.")
    with pytest.raises(ValueError, match=r"^clause_cues.yaml: routine must be a non-empty list"):
        parse_clause_cues("outcome: [again]\ni_did_not_acting: [was]\n")
