"""Results said as consequences or lessons, stories that trail off pending, and tasks said implicitly.

A false no_result sends the interviewer after a result the candidate already gave, so these check both
ways: an outcome with no figure still counts, and a story left pending gets no result.
"""

from __future__ import annotations

import pytest
from grading_support import grade, rubrics

QUESTION = "Tell me about a time you handled a difficult situation at work."


def _result(answer: str) -> float:
    return grade(QUESTION, answer).star["result"].score


CONSEQUENCES = {
    "a client kept": (
        "At the print shop I ran, a school's order of leaving-day programmes came back with every page "
        "out of order. I rang the head teacher myself, reprinted the whole run overnight on our spare "
        "press and drove the boxes over before assembly. The school renewed their yearly contract with us."
    ),
    "a patient's outcome": (
        "I was the physio on a surgical ward when an elderly man refused to get out of bed after his hip "
        "operation. I sat with him, found out he was scared of falling in front of his daughter, and I "
        "arranged the first walk for a quiet hour with just the two of us. He was discharged three days "
        "earlier than planned."
    ),
    "a harm avoided": (
        "On a warehouse night shift a pallet racking upright got clipped by a forklift and started to "
        "lean. I stopped the aisle, taped it off and moved the pickers to the next zone while I called "
        "the maintenance lead. Nobody got hurt and the rack was replaced before the morning shift."
    ),
    "a clean audit": (
        "Our clinic kept failing the spot checks on fridge temperature logs. I made a one-page log that "
        "sits on each fridge door and I walked every nurse through it in a team huddle. The next "
        "inspection came back clean."
    ),
    "a permanent job": (
        "I was a temp in the finance office during year-end and their reconciliations were weeks behind. "
        "I built a matching sheet for the bank lines and I cleared the backlog in my first fortnight. "
        "They hired me permanently a month later."
    ),
}


@pytest.mark.parametrize("answer", CONSEQUENCES.values(), ids=CONSEQUENCES.keys())
def test_a_consequence_without_a_figure_is_a_result(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["result"].score >= rubrics().star.present_at
    assert g.star["result"].evidence
    assert "no_result" not in g.flags


LESSONS = {
    "taught me": (
        "At the café I managed, I forgot to reorder oat milk before a bank holiday and we ran out by ten. "
        "I drove to the cash and carry myself and apologised to the regulars. It taught me to check the "
        "stock sheet every Thursday instead of trusting my memory."
    ),
    "from then on": (
        "In my first month as a junior accountant I posted a supplier invoice twice and nobody caught it "
        "until the supplier refunded us. I traced how it got through and told my manager straight away. "
        "From then on I ticked every invoice number against the ledger before posting."
    ),
    "a habit that stuck": (
        "When I was a site supervisor a delivery of steel arrived with the wrong grade on the docket. I "
        "held the load, phoned the supplier and checked every bundle against the drawings with the "
        "engineer. I still use that checklist on every delivery."
    ),
}


LESSON_MISSES = {"a habit that stuck"}  # known miss: "I still use that checklist" reads as an outcome


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(
            a,
            id=k,
            marks=[pytest.mark.xfail(strict=True, reason="known miss of the grade by meaning")]
            if k in LESSON_MISSES
            else [],
        )
        for k, a in LESSONS.items()
    ],
)
def test_a_lesson_is_not_the_result(answer: str) -> None:
    # A coach asks what came of the story itself; "it taught me to ..." is a reflection (issue 9, and the
    # held-out sets' labels): it earns no result credit, so the follow-up asks for the outcome.
    g = grade(QUESTION, answer)
    lesson = ("taught me", "From then on", "I still use")
    assert not any(marker in quote for quote in g.star["result"].evidence for marker in lesson)


PENDING = {
    "waiting to hear": (
        "At the dental practice I noticed two patients had been billed for the same crown. I pulled the "
        "day sheets, matched them to the lab invoices and wrote up what I found for the practice owner. "
        "I'm still waiting to hear back from the billing company."
    ),
    "escalated": (
        "As a store supervisor I saw a colleague giving big discounts to his friends at the till. I "
        "checked the void reports for a month, wrote down the dates and I escalated it to the area "
        "manager with the reports attached."
    ),
    "still going": (
        "I run the volunteer rota at our food bank and we kept having Saturdays with only two people. I "
        "rang round the lapsed volunteers and set up a shared calendar everyone can edit. Anyway that's "
        "still going, we'll see how the summer looks."
    ),
}


@pytest.mark.parametrize("answer", PENDING.values(), ids=PENDING.keys())
def test_a_story_left_pending_has_no_result(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["result"].score < rubrics().star.present_at
    assert "no_result" in g.flags


def test_a_pending_clause_takes_away_the_result_it_shares() -> None:
    """ "It went live last month and we're still collecting data" has not shown an effect yet."""
    answer = (
        "Our warehouse picking app crashed whenever the wifi dropped. I added an offline queue so scans "
        "were saved on the handset, and I tested it in the freezer aisle where signal is worst. It went "
        "live last month and we're still collecting data to see if the crashes stop."
    )
    assert _result(answer) < rubrics().star.present_at


def test_a_year_after_brought_in_is_not_an_amount() -> None:
    answer = (
        "A farmer brought in a 2012 tractor that kept stalling on hills. I checked the fuel lines, found "
        "a cracked filter housing and replaced it, then bled the system."
    )
    g = grade("Tell me about a tricky fault you diagnosed.", answer)
    assert g.star["result"].score < rubrics().star.present_at
    assert "no_result" in g.flags


IMPLICIT_TASKS = {
    "assigned": (
        "At a bike courier firm our route planner sent riders up the same steep hill twice. I was the "
        "developer assigned to sort the routing before the winter rush. I rewrote the ordering step and "
        "average delivery time fell by nine minutes."
    ),
    "given ownership": (
        "I had just been given ownership of the staff newsletter at a housing association. I moved it "
        "from a PDF to a short email with three links, and open rates went from 20% to 55%."
    ),
    "took on": (
        "Our lab fridge alarm kept going off at night for no reason. Because I was the one on call most "
        "weeks, I took on finding out why. I logged the door sensor and found a loose magnet, and I "
        "replaced it. The false alarms stopped."
    ),
    "time to do it": (
        "I ran the school's sports day and had about three weeks to pull it together after the "
        "organiser left. I split the events among the form tutors and I booked the field. It ran to time."
    ),
}


@pytest.mark.parametrize("answer", IMPLICIT_TASKS.values(), ids=IMPLICIT_TASKS.keys())
def test_a_task_said_implicitly_counts(answer: str) -> None:
    g = grade(QUESTION, answer)
    assert g.star["task"].score >= rubrics().star.present_at
    assert g.star["task"].evidence


def test_the_rubric_version_is_recorded() -> None:
    g = grade(QUESTION, CONSEQUENCES["a client kept"])
    assert f"star@{rubrics().star.version}" in g.grader.rubric_version
