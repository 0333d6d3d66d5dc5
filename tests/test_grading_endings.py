"""How a story ends, read by meaning: an outcome told in the present tense, in a learner's English or
as something that happened after the candidate acted is a result; a story that stops after the action,
ends on "it went well" or only on an approval states none, and is flagged `no_result`.

A false no_result sends the interviewer after a result the candidate already gave, so both ways count.
"""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

QUESTION = "Tell me about a time you solved a problem under pressure."

OUTCOMES = {
    "present tense, a machine working again": (
        "Saturday morning, the walk-in freezer at our restaurant shows minus two instead of minus "
        "eighteen. I'm the head chef, so it's on me. I move the fish and the ice cream into the bar "
        "freezers and I call the refrigeration company's emergency line. I find the door seal is torn, "
        "so I tape it and put a heater away from the unit. The freezer is back at minus eighteen by "
        "lunch and we throw nothing away.",
        "The freezer is back at minus eighteen by lunch",
    ),
    "learner's English, complaints stop": (
        "I work as receptionist in a dental clinic in Porto. Many patients miss the appointments and "
        "the dentist lose a lot of time. My manager ask me to find a solution. I start to send a "
        "message the day before to every patient and I call the new patients myself. After one month "
        "almost nobody miss the appointment and the dentist is not waiting anymore.",
        "almost nobody miss the appointment",
    ),
    "present perfect, a report that is used": (
        "I have been the finance assistant for a small charity for two years. Our trustees have "
        "complained that the quarterly accounts arrive too late to discuss. I have rebuilt the "
        "spreadsheet so the bank export drops straight in, and I have moved the close to the first "
        "week. The trustees now get the accounts before every meeting and the last two meetings have "
        "signed them off on the day.",
        "The trustees now get the accounts before every meeting",
    ),
}


# Once known misses: each outcome clause is read as a result (0.74-0.85) by the clause head, yet the answer's
# result score stays under the bar (0.37-0.47), the presence layer leaning on the rules' past-tense cues.
# The ending read by meaning (ending.py) now states and quotes them.
OUTCOME_MISSES: set[str] = set()


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        pytest.param(*v, id=k, marks=pytest.mark.xfail(strict=True, reason="known miss, see OUTCOME_MISSES"))
        if k in OUTCOME_MISSES
        else pytest.param(*v, id=k)
        for k, v in OUTCOMES.items()
    ],
)
def test_an_outcome_after_the_actions_is_a_result(answer: str, outcome: str) -> None:
    g = grade(QUESTION, answer)
    assert "no_result" not in g.flags
    assert g.star["result"].score >= rubrics().star.present_at
    assert any(outcome in quote for quote in g.star["result"].evidence), g.star["result"].evidence


NO_OUTCOME = {
    "stops after the action": (
        "At the logistics firm I worked for, a key customer's orders kept arriving with missing items. "
        "I was asked to find out why before their quarterly review. I walked the picking route with the "
        "night shift, compared the pick lists with the packing slips, and found the scanner skipped "
        "items with two barcodes. I wrote up the fault and sent it to the warehouse software team."
    ),
    "ends on 'it went well'": (
        "Last year our office moved to a new building and I was asked to organise the move for the "
        "sales team of twenty people. I made a floor plan, labelled every desk and crate, and booked "
        "the movers for a Friday evening so nobody lost a working day. Overall it went really well and "
        "everyone was happy with it."
    ),
    "ends on an approval": (
        "In my team at the council, staff were printing every planning application to review it on "
        "paper. I was asked to look into doing it on screen. I tested two review tools with three "
        "planners for a month and wrote a short paper comparing them for the head of service. My "
        "proposal was approved at the April meeting."
    ),
}


# Known misses (none now: "ends on an approval" read as an outcome by the clause head, 0.75 result, until
# the result part too read a milestone as none).
NO_OUTCOME_MISSES: set[str] = set()


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            v, id=k, marks=pytest.mark.xfail(strict=True, reason="known miss, see NO_OUTCOME_MISSES")
        )
        if k in NO_OUTCOME_MISSES
        else pytest.param(v, id=k)
        for k, v in NO_OUTCOME.items()
    ],
)
def test_a_story_without_an_outcome_is_flagged(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert "no_result" in g.flags
    assert g.star["result"].score < rubrics().star.present_at
    assert g.star["action"].score >= rubrics().star.present_at
