"""A hypothetical answer that goes on to tell a real example ("That's actually what I did when ...") is
still flagged as hypothetical, yet the parts told in the example count and are quoted from it; the parts
told only as "I would ..." count for less."""

from __future__ import annotations

from grading_support import grade, rubrics

QUESTION = "Tell me about a time a release was at risk of slipping."
PLAN = (
    "I'd start by asking each engineer what is blocking them. I'd pull the open tickets into one list. "
    "I'd rank them by customer impact. Then I'd agree a cut-off date with the product manager. "
    "I'd also tell the support team what is moving."
)
EXAMPLE = (
    "That's actually what I did when our billing release slipped last spring: I moved the two riskiest "
    "tickets to the next release and we shipped on the new date."
)


def test_the_real_example_after_a_hypothetical_keeps_its_action_and_result() -> None:
    g = grade(QUESTION, f"{PLAN} {EXAMPLE}")
    present = rubrics().star.present_at
    assert "hypothetical" in g.flags  # still mainly what they would do
    assert g.star["action"].score >= present and g.star["result"].score >= present
    # Quoted from the example, not from the plan.
    assert all(quote in EXAMPLE for quote in g.star["action"].evidence)
    assert any("I moved the two riskiest tickets" in quote for quote in g.star["action"].evidence)
    assert g.star["result"].evidence == ["we shipped on the new date"]


def test_a_wholly_hypothetical_answer_gains_no_part() -> None:
    answer = (
        "I'd start by asking each engineer what is blocking them, because people know their own blockers. "
        "I'd pull the open tickets into one list and I'd rank them by customer impact. Then I'd agree a "
        "cut-off date with the product manager, and I'd tell the customers what to expect."
    )
    g = grade(QUESTION, answer)
    assert "hypothetical" in g.flags
    assert all(part.score < rubrics().star.present_at for part in g.star.values())


def test_a_job_title_is_no_real_example() -> None:
    # "In my last job I was the release manager" tells no event: the plan after it stays hypothetical.
    answer = (
        "In my last job I was the release manager for the billing team. I'd start by asking each engineer "
        "what is blocking them. I'd pull the open tickets into one list and I'd rank them by customer "
        "impact. Then I'd agree a cut-off date with the product manager."
    )
    g = grade(QUESTION, answer)
    assert "hypothetical" in g.flags
    assert all(part.score < rubrics().star.present_at for part in g.star.values())
