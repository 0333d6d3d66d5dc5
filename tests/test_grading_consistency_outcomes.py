"""Outcomes without numbers: a flipped ending, a bigger ending, and a mixed ending retold as a win."""

from __future__ import annotations

from grading_support import grade

AUDIT_Q = "Tell me about preparing for an inspection."
AUDIT = (
    "I was the quality lead at a food plant and we had a hygiene audit coming in March. I rewrote the "
    "cleaning rota and trained the night shift, and we passed the audit with two minor notes."
)
ACCOUNT_Q = "Tell me about a project you turned round."
ACCOUNT = (
    "As account manager I took over a stalled website rebuild for a furniture retailer, reset the scope "
    "with the client and we launched six weeks later. The client was happy and we kept the account."
)
BID_Q = "Tell me about a bid you worked on."
BID = (
    "I was bid manager for a cleaning and security contract with a hospital trust. I rewrote the social "
    "value section and we won the tender, though security went to one of the national firms."
)


def problems(g):  # type: ignore[no-untyped-def]
    return [(f.kind, f.category) for f in g.consistency.findings if f.kind != "elaboration"]


def test_a_passed_audit_retold_as_failed_is_an_outcome_contradiction() -> None:
    answer = (
        "So I was quality lead at the food plant, the hygiene audit was in March, I rewrote the cleaning "
        "rota and trained the night shift, but honestly we failed the audit on the first visit."
    )
    g = grade("Walk me through the hygiene audit.", answer, round_one=[(AUDIT_Q, AUDIT)])
    assert problems(g) == [("contradiction", "outcome")]
    finding = g.consistency.findings[0]
    assert "failed the audit" in finding.round_two_quote
    assert "passed the audit" in finding.round_one_quote


def test_a_kept_client_retold_as_a_grown_account_is_an_embellishment() -> None:
    answer = (
        "I took over the stalled furniture website as account manager, reset the scope, we launched six "
        "weeks later, and after that they doubled the retainer because they were so pleased."
    )
    g = grade("What happened after the launch?", answer, round_one=[(ACCOUNT_Q, ACCOUNT)])
    assert problems(g) == [("embellishment", "outcome")]
    assert "kept the account" in g.consistency.findings[0].explanation


def test_a_mixed_ending_retold_as_a_plain_win_is_an_omission() -> None:
    answer = (
        "I was bid manager for the hospital trust's cleaning and security contract. I rebuilt the social "
        "value section around local hiring and we won the tender."
    )
    g = grade("Walk me through the trust bid.", answer, round_one=[(BID_Q, BID)])
    assert problems(g) == [("omission", "outcome")]


def test_the_same_endings_in_other_words_stay_clean() -> None:
    audit = grade(
        "Walk me through the hygiene audit.",
        "we had the hygiene audit in March, I redid the cleaning rota, trained nights, and we passed it "
        "- we passed the audit with a couple of small notes.",
        round_one=[(AUDIT_Q, AUDIT)],
    )
    account = grade(
        "What happened after the launch?",
        "I reset the scope on the stalled furniture site, launched about a month and a half later, and we "
        "kept the account - the client was happy.",
        round_one=[(ACCOUNT_Q, ACCOUNT)],
    )
    assert problems(audit) == [] and problems(account) == []
