"""One step of the work done by the candidate in one round and by someone else in the other
(actor_swap.py): the same verb and the same thing done, with "I" as its subject one time and a
colleague the other. A step handed on, a step of the team's, or the same step told with the same
subject is no swap."""

from __future__ import annotations

from grading_support import assert_verbatim, finding, grade, problems, round_one_story

from simulator.grading.actor_swap import actor_swap, steps


def test_a_colleagues_step_retold_as_the_candidates_own_is_a_bigger_part() -> None:
    change = actor_swap(
        ["Our head nurse decided to change the triage system", "she wrote the new protocol"],
        ["I was on the working group for the triage system", "I wrote the protocol myself"],
    )
    assert change is not None
    assert (change.kind, change.category, change.round_one_clause, change.round_two_clause) == (
        "embellishment",
        "role",
        1,
        1,
    )


def test_the_candidates_step_given_to_a_colleague_is_a_smaller_part() -> None:
    change = actor_swap(
        ["Then I present the model to the CFO and to the risk committee"],
        ["She present the model to the CFO, I was in the room"],
    )
    assert change is not None and change.kind == "contradiction"


def test_a_named_colleague_or_a_title_is_someone_else() -> None:
    assert [s.who for s in steps(["Thabo designed the scorecard", "my manager signed off the budget"])] == [
        "other",
        "other",
    ]
    assert steps(["The council approved the plans", "After March we moved the team"]) == []


def test_a_step_handed_on_is_no_swap() -> None:
    # "asked" is not the step: Dave did the logging in both rounds.
    assert (
        actor_swap(["I asked Dave to log every drop for a week"], ["Dave logged every drop for a week"])
        is None
    )


def test_a_teams_step_says_nothing_of_whose_it_was() -> None:
    assert actor_swap(["the manager changed her shift pattern"], ["we changed her shift pattern"]) is None


def test_the_same_subject_in_both_rounds_is_no_swap() -> None:
    assert actor_swap(["she wrote the new protocol"], ["she wrote the protocol over a weekend"]) is None


def test_a_step_told_both_ways_in_a_round_is_no_swap() -> None:
    assert (
        actor_swap(
            ["Ana drafted the tender response", "I drafted the tender response's pricing section"],
            ["I drafted the tender response"],
        )
        is None
    )


def test_a_step_not_done_is_no_step() -> None:
    assert actor_swap(["she wrote the new protocol"], ["I never wrote the protocol"]) is None


TRIAGE = round_one_story(
    "I'm a staff nurse in an emergency department.",
    "Patients were waiting too long to be triaged at night. Our head nurse decided to change the triage "
    "system, and she wrote the new protocol. I trained the night staff on it and we cut the wait to "
    "fifteen minutes.",
)
TRIAGE_Q = "Tell me about a time you improved a process."


def test_a_grade_quotes_the_step_the_candidate_took_over() -> None:
    answer = (
        "Night triage in our emergency department was far too slow. I wrote the new protocol and trained "
        "the night staff on it, and the wait came down to fifteen minutes."
    )
    g = grade(TRIAGE_Q, answer, round_one=TRIAGE)
    assert ("embellishment", "role") in problems(g)
    f = finding(g, "role")
    assert "I wrote the new protocol" in f.round_two_quote
    assert "she wrote the new protocol" in f.round_one_quote
    assert_verbatim(g, TRIAGE, answer)


def test_a_grade_of_the_same_steps_retold_finds_no_role_change() -> None:
    answer = (
        "At night patients waited far too long for triage. Our head nurse rewrote the system and she wrote "
        "the new protocol; my part was training the night staff, and the wait fell to fifteen minutes."
    )
    assert ("embellishment", "role") not in problems(grade(TRIAGE_Q, answer, round_one=TRIAGE))
