"""Endings and parts changed between rounds, read by meaning through the real grader, the shipped sentence
model and the stance heads: an ending told after "and they ..." in one clause with the action before it,
a lead retold as someone else's work, and an ending told again beside a new step's ending (no change)."""

from __future__ import annotations

from grading_support import assert_no_change, assert_verbatim, finding, grade, problems, round_one_story

ASK = "Tell me about a time you turned something around."


def test_an_ending_after_the_action_in_one_clause_is_read_and_its_reversal_found() -> None:
    round_one = round_one_story(
        "I'm an account manager at a fleet telematics company.",
        "A haulier with 300 trucks was unhappy with our alerts, so I set up a fortnightly review with "
        "their transport manager and they renewed for another two years.",
    )
    answer = (
        "A haulier with 300 trucks was unhappy with our alerts, so I set up a fortnightly review with "
        "their transport manager. They moved to another provider when the contract ended anyway."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "outcome") in problems(g), g.consistency.findings
    f = finding(g, "outcome")
    assert "they renewed for another two years" in f.round_one_quote
    assert "another provider" in f.round_two_quote
    assert_verbatim(g, round_one, answer)


def test_a_lead_retold_as_another_teams_work_is_a_smaller_part() -> None:
    round_one = round_one_story(
        "I'm an IT manager at a secondary school.",
        "I ran the move of all our staff laptops to the new device management system myself, over the "
        "Easter holidays.",
    )
    answer = (
        "the laptop move, um, to be honest the trust's central IT team did the bulk of it, I just "
        "checked some of the staff laptops over the easter holidays."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "role") in problems(g), g.consistency.findings
    f = finding(g, "role")
    assert "I ran the move" in f.round_one_quote and "central IT team" in f.round_two_quote


def test_the_same_ending_told_again_beside_a_new_step_is_no_change() -> None:
    round_one = round_one_story(
        "I'm a finance systems analyst at a housing association.",
        "Month-end took eight days. I rebuilt the accruals workbook in Power Query and moved the "
        "reconciliations to daily, and the managers stopped chasing us for figures.",
    )
    answer = (
        "so month-end was eight days, and I rebuilt the accruals workbook in power query, um, the "
        "reconciliations run daily now instead of once a month, and the managers stopped chasing us for "
        "figures."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_no_change(g, "outcome")


def test_running_a_task_is_not_claiming_the_lead() -> None:
    round_one = round_one_story(
        "I'm a pricing analyst at a home insurer.",
        "The pricing review. I was one of four analysts on it; I built the competitor tables.",
    )
    answer = (
        "On the pricing review I was one of four analysts, and the competitor tables were my part. I ran "
        "three customer interviews, found that people compared us on excess, and added it to the tables."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("embellishment", "role") not in problems(g), g.consistency.findings
