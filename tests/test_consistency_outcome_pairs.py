"""An outcome told the other way round, judged as a pair of endings (outcome_change.judged_change): the
real grader, the shipped sentence model, the stance heads and the valence head (tools/train_outcome.py).
Most changed outcomes are told by what happened next, not by a figure or a word's opposite; a retelling
of the same outcome by its consequence, or with the problem told on the way, is no change."""

from __future__ import annotations

from dataclasses import replace

import pytest
from grading_support import assert_verbatim, finding, grade, problems, round_one_story

import simulator.grading.consistency as consistency
from simulator.grading.outcome_change import ending_part, shipped_valence

ACCOUNT = round_one_story(
    "I'm a key account manager at a packaging supplier.",
    "Our biggest customer, a frozen food brand, was unhappy after two late deliveries. I set up a weekly "
    "call with their buyer, moved their orders to our second plant and sent a delivery report every "
    "Monday. They renewed the supply contract for three years.",
)
ACCOUNT_Q = "Tell me about a time you saved a customer relationship."
PLANNING = round_one_story(
    "I'm a project manager at a housing association.",
    "We had to get planning approval for 40 new flats on an old garage site. I ran two public meetings, "
    "cut one storey off the design and redrew the parking. The council approved the plans at the first "
    "committee.",
)
PLANNING_Q = "Tell me about a time you dealt with objections."
WARD = round_one_story(
    "I'm a nurse on a surgical ward.",
    "Patients were waiting hours for pain relief after surgery. I set up a nurse-led protocol with the "
    "anaesthetists and trained the night staff. Complaints about pain relief dropped to almost none within "
    "three months.",
)
WARD_Q = "Tell me about a time you improved patient care."
FRAUD = round_one_story(
    "I'm a cashier at a high-street bank.",
    "An older customer asked to send £6,000 to a 'bank investigator'. I was worried, sat her down in a "
    "quiet room and we stopped the fraud.",
)
FRAUD_Q = "Tell me about a time you followed your instinct."


def test_a_renewed_customer_retold_as_lost_to_a_competitor_is_an_outcome_change() -> None:
    answer = (
        "So the frozen food brand, they were our biggest customer and they'd had two late deliveries. I "
        "started a weekly call with their buyer, moved their orders to the second plant and sent a Monday "
        "delivery report. But by the spring they had moved all their volume to a competitor."
    )
    g = grade(ACCOUNT_Q, answer, round_one=ACCOUNT)
    assert problems(g) == [("contradiction", "outcome")]
    f = finding(g, "outcome")
    assert "moved all their volume to a competitor" in f.round_two_quote
    assert "renewed the supply contract" in f.round_one_quote
    assert_verbatim(g, ACCOUNT, answer)


def test_an_approval_retold_as_a_refusal_waiting_on_appeal_is_an_outcome_change() -> None:
    answer = (
        "The garage site with 40 flats. I ran the public meetings, took a storey off and redid the parking "
        "layout. The committee turned the application down, and we're now waiting on an appeal."
    )
    g = grade(PLANNING_Q, answer, round_one=PLANNING)
    assert problems(g) == [("contradiction", "outcome")]
    f = finding(g, "outcome")
    assert "turned the application down" in f.round_two_quote
    assert "approved the plans" in f.round_one_quote


def test_a_renewal_retold_by_its_consequence_is_no_change() -> None:
    answer = (
        "The frozen food brand was our biggest customer and they'd had two late deliveries. I started a "
        "weekly call with their buyer, moved their orders to the second plant and sent a Monday delivery "
        "report. They signed on again for another three years and they're still a customer today."
    )
    assert problems(grade(ACCOUNT_Q, answer, round_one=ACCOUNT)) == []


def test_an_approval_retold_after_the_objections_is_no_change() -> None:
    answer = (
        "The garage site with 40 flats. The neighbours were furious about the height and the parking. I ran "
        "the public meetings, took a storey off and redid the parking layout. We got permission the first "
        "time it went to committee."
    )
    assert problems(grade(PLANNING_Q, answer, round_one=PLANNING)) == []


def test_fewer_complaints_told_in_other_words_is_no_change() -> None:
    # "complaints" reads as bad news in a clause's own words; the outcome is that they went away.
    answer = (
        "Patients were waiting hours for pain relief after surgery, which was awful. I wrote a nurse-led "
        "protocol with the anaesthetists and trained the night staff on it. Within three months we hardly "
        "got any complaints about pain relief."
    )
    assert problems(grade(WARD_Q, answer, round_one=WARD)) == []


def test_a_problem_told_on_the_way_is_not_taken_for_the_ending() -> None:
    # "the investigator had told her to lie to the bank" reads like an ending; the story ends with an arrest.
    answer = (
        "An older customer wanted to send £6,000 to a so-called bank investigator. She kept looking at her "
        "phone, so I took her into a quiet room and asked who he was. The investigator had told her to lie "
        "to the bank about the payment. I called the police, and the man was arrested the same afternoon."
    )
    assert problems(grade(FRAUD_Q, answer, round_one=FRAUD)) == []


def test_a_valence_head_trained_on_another_model_gives_no_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = shipped_valence()
    assert shipped is not None, "simulator/data/outcome_valence.json is missing: run tools/train_outcome.py"
    monkeypatch.setattr(consistency, "shipped_valence", lambda: replace(shipped, embedder="another-model"))
    answer = (
        "So the frozen food brand, they were our biggest customer and they'd had two late deliveries. I "
        "started a weekly call with their buyer, moved their orders to the second plant and sent a Monday "
        "delivery report. But by the spring they had moved all their volume to a competitor."
    )
    assert problems(grade(ACCOUNT_Q, answer, round_one=ACCOUNT)) == []


def test_the_part_after_the_last_but_tells_how_it_ended() -> None:
    assert (
        ending_part(
            "Their first feedback was rough, we nearly lost it, but we rebuilt the deck and won the account."
        )
        == "we rebuilt the deck and won the account."
    )
    # A clause that opens with "But" keeps it: the contrast is part of what it tells.
    clause = "But by the spring they had moved all their volume to a competitor."
    assert ending_part(clause) == clause
