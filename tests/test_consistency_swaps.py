"""A name or a thing swapped for another in a clause otherwise told again (simulator/grading/word_swap.py),
through the real grader and the shipped sentence model: the client's sector, the material, the tool a
thing was moved into. The same people or things in other words ("the nurses" / "the staff", a manager's
title as its initials) are not a change."""

from __future__ import annotations

from grading_support import assert_verbatim, finding, grade, problems, round_one_story

ASK = "Tell me about a piece of work you're proud of."


def test_a_client_of_another_sector_told_in_the_same_clause_is_a_change() -> None:
    round_one = round_one_story(
        "I'm a reporting analyst at a software consultancy.",
        "Our client, a national housing charity, wanted its monthly reports faster. I automated them in "
        "Python and they went out on the second working day.",
    )
    answer = (
        "Our client, a mid-sized law firm, wanted its monthly reports faster, so I automated them in "
        "Python and they went out on the second working day."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "other") in problems(g), g.consistency.findings
    f = finding(g, "other")
    assert "a national housing charity" in f.round_one_quote
    assert "a mid-sized law firm" in f.round_two_quote
    assert_verbatim(g, round_one, answer)


def test_another_material_in_a_spoken_retelling_is_a_change() -> None:
    round_one = round_one_story(
        "I'm a site manager for a building contractor.",
        "On the school extension we fitted a cedar cladding system, and I reworked the sequence so the "
        "scaffold came down two weeks early.",
    )
    answer = (
        "so on the school extension, um, we fitted a zinc cladding system, and I reworked the sequence so "
        "the scaffold came down two weeks early."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "other") in problems(g), g.consistency.findings
    f = finding(g, "other")
    assert "cedar cladding" in f.round_one_quote and "zinc cladding" in f.round_two_quote


def test_another_tool_after_into_is_a_change() -> None:
    round_one = round_one_story(
        "I'm a finance officer at a housing co-op.",
        "I moved all our supplier invoices into Xero and cut the month-end close by two days.",
    )
    answer = (
        "I moved all of our supplier invoices into QuickBooks, which cut the month-end close by two days."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "other") in problems(g), g.consistency.findings
    assert "QuickBooks" in finding(g, "other").round_two_quote


def test_the_same_people_or_a_title_in_initials_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a practice educator on a surgical ward.",
        "I trained the nurses on nights to use the new pumps, and I wrote the general manager's briefing on "
        "the incidents.",
    )
    answer = (
        "I trained the staff on nights to use the new pumps, and I wrote the GM's briefing on the incidents."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_a_verb_reworded_after_that_is_no_swap() -> None:
    # "that" opens a clause here, so the word after it is what the reminder does, reworded.
    round_one = [
        ("Tell me about your current role.", "I run the front desk of a dental practice in Porto."),
        (
            ASK,
            "Patients kept missing appointments, so I set up a text reminder that warns anyone booked for "
            "the next morning, and I rang the ones with no mobile. No-shows went from about twelve a week "
            "to three.",
        ),
    ]
    answer = (
        "we had a lot of no-shows, like twelve a week. so i set up a reminder that alerts anyone booked for "
        "the next morning, and for people with no mobile i just rang them myself. after a couple of months "
        "it was down to about three a week."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
