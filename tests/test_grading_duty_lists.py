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


# Meetings and rounds held on a schedule, said in the present, with no "every" or "always": a standing role
# and its calendar, which sets no scene (the label guides: a role context is no situation) and takes no steps.
SCHEDULED_DUTIES = [
    (
        "Tell me about a time you showed leadership.",
        "I manage a team of eleven field engineers for a lift maintenance company in Bristol. I hold a weekly "
        "planning meeting, I do the monthly safety audits with the area manager, and I chair the quarterly "
        "reviews with our two biggest clients. I also sign off the overtime and handle the escalations.",
    ),
    (
        "tell me about a time you dealt with a safety issue.",
        "so in my job i'm the first aider for the warehouse. i do the daily checks on the kits, i do the "
        "monthly fire walk with the site lead, and i log anything in the accident book. safety's a big "
        "thing for me.",
    ),
]


@pytest.mark.parametrize(("question", "answer"), SCHEDULED_DUTIES)
def test_duties_held_on_a_schedule_set_no_scene_and_take_no_steps(question, answer):
    g = grade(question, answer)
    assert g.star["situation"].score < 0.5
    assert g.star["action"].score < 0.5
    assert "no_result" not in g.flags


def test_a_present_tense_story_that_reviews_the_monthly_figures_keeps_its_steps():
    g = grade(
        "Tell me about a time you spotted a problem early.",
        "it's my second month as finance assistant at a housing charity. i review the monthly figures and "
        "i notice the heating repairs line is already at ninety percent of the year's budget. i pull the "
        "invoices, i find one contractor has billed the same boiler job three times, and i take it to the "
        "finance manager. we get eleven thousand pounds back within a fortnight.",
    )
    assert g.star["situation"].score >= 0.5
    assert g.star["action"].score >= 0.5
    assert any("i pull the invoices" in quote for quote in g.star["action"].evidence)


def test_a_schedule_is_a_routine_when_the_candidate_holds_it_not_when_a_thing_has_one() -> None:
    routine = clause_cues().routine
    assert routine.search("I hold a weekly pipeline meeting")
    assert routine.search("i do the daily briefings")
    assert not routine.search("I review the monthly figures")
    assert not routine.search("I offer the client a weekly call")
    assert not routine.search("I was responsible for the monthly board report")
