"""The candidate's part told by who answered to whom (role_change.lines_said, consistency.yaml
`reporting_lines`): "the other two developers reported to me" is a lead's part, "I'm one of two
shift supervisors working for the warehouse manager" a smaller one, whichever round-one answer told
it. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, assert_no_change, grade, rubrics

from simulator.grading.role_change import Said, lines_said


def _lines(*clauses: str) -> Said:
    return lines_said(list(clauses), rubrics().consistency)


def test_who_answered_to_whom_reads_as_the_candidates_part() -> None:
    said = _lines(
        "The other two developers reported to me for the whole rewrite",
        "I supervise the newer care workers",
        "I'm one of three planners working for the logistics manager",
        "we all share a team manager",
        "so I was basically doing what she asked",
    )
    assert said == Said(lead=frozenset({0, 1}), smaller=frozenset({2, 3, 4}))


def test_reporting_upwards_or_someone_elses_line_says_nothing_of_the_part() -> None:
    # A finance manager reports to the CFO too; Sam's juniors are Sam's; "I managed the budget" is a task.
    said = _lines(
        "and I report to the CFO",
        "Sam's two juniors reported to him",
        "I managed the budget for the move",
        "I look after the patients on the ward",
    )
    assert said == Said()


STORY_Q = "Tell me about a project you worked on."
STORY = (
    "I was one of three developers on the rewrite of our payroll system. Our lead, Marta, set the plan "
    "and the order the modules moved in. I wrote most of the tax code module."
)
ASK = "Tell me about a time you led a technical change."


def test_others_reporting_to_the_candidate_is_a_bigger_part_than_one_of_three() -> None:
    round_one = [(STORY_Q, STORY)]
    answer = (
        "The payroll rewrite. The other two developers reported to me on it, and I set the order we moved "
        "the modules in. I also wrote most of the tax code module."
    )
    assert_change(
        grade(ASK, answer, round_one=round_one),
        ("embellishment", "role"),
        then="",
        now="The other two developers reported to me on it",
        round_one=round_one,
        answer=answer,
    )


def test_the_same_reporting_line_told_again_is_no_change() -> None:
    round_one = [
        (
            STORY_Q,
            "I ran the rewrite of our payroll system; the other two developers reported to me. I set the "
            "order the modules moved in and wrote most of the tax code module.",
        )
    ]
    answer = (
        "On the payroll rewrite the other two developers reported to me, and I planned which module "
        "moved first. I wrote most of the tax code module myself."
    )
    assert_no_change(grade(ASK, answer, round_one=round_one), "role")


ROLE_Q = "What's your current role?"
ROLE = "I'm the warehouse manager at a frozen food distributor. Four shift supervisors report to me."
SCANNERS_Q = "Tell me about a change you made."
SCANNERS = "I moved our pickers from paper lists to handheld scanners, and mis-picks fell by half."


def test_a_reporting_line_told_when_asked_about_the_role_is_who_the_candidate_is() -> None:
    round_one = [(ROLE_Q, ROLE), (SCANNERS_Q, SCANNERS)]
    answer = (
        "The scanners. I'm one of four shift supervisors working for the warehouse manager, and I suggested "
        "the handheld scanners to her. Mis-picks fell by half."
    )
    assert_change(
        grade("Tell me about an idea you brought in.", answer, round_one=round_one),
        ("contradiction", "role"),
        then="Four shift supervisors report to me",
        now="I'm one of four shift supervisors working for the warehouse manager",
        round_one=round_one,
        answer=answer,
    )


def test_a_manager_who_helped_on_another_story_has_not_changed_part() -> None:
    round_one = [(ROLE_Q, ROLE), (SCANNERS_Q, SCANNERS)]
    answer = (
        "The scanners: I helped the IT team choose the handhelds and trained the pickers on them myself. "
        "Mis-picks fell by half."
    )
    assert_no_change(grade("Tell me about an idea you brought in.", answer, round_one=round_one), "role")


EVENTS_Q = "What's your role now?"
EVENTS = (
    "I'm head of events at a housing charity. I run a team of two and own the budget for our annual gala."
)
GALA_Q = "Tell me about a crisis at work."
GALA = "Our gala caterer went bust a week before the night, and we found another one in two days."


def test_a_title_round_one_gave_the_candidate_given_to_someone_else_is_a_contradiction() -> None:
    round_one = [(EVENTS_Q, EVENTS), (GALA_Q, GALA)]
    answer = (
        "When the caterer went bust before the gala, my boss, she's the head of events, made the calls and "
        "signed off the new caterer. We had someone new in two days."
    )
    assert_change(
        grade("Tell me about working under pressure.", answer, round_one=round_one),
        ("contradiction", "role"),
        then="I'm head of events at a housing charity",
        now="she's the head of events",
        round_one=round_one,
        answer=answer,
    )


def test_someone_else_with_another_title_or_the_candidate_keeping_theirs_is_no_change() -> None:
    round_one = [(EVENTS_Q, EVENTS), (GALA_Q, GALA)]
    for answer in (
        # Someone else's title, not the candidate's.
        "When the caterer went bust before the gala, our chief executive, she's the head of fundraising, "
        "rang round her contacts and I booked the new caterer. We had someone new in two days.",
        # The candidate keeps the title: the one before them had it too.
        "As head of events I found us a new caterer in two days when ours went bust before the gala; "
        "my predecessor, she was the head of events before me, had signed the old one.",
    ):
        assert_no_change(grade("Tell me about working under pressure.", answer, round_one=round_one), "role")


def test_who_was_in_charge_of_the_story_reads_as_a_part_in_its_own_answers_only() -> None:
    clauses = (
        "When we switched the depot to zone picking, that was my project",
        "The booking app rebuild was mine end to end",
        "and i was the one negotiating it, on the calls with their agent",
        "The incident commander was my manager, Tomasz",
        "my boss, she was the one making the calls on the budget",
        "I was the one who wrote the tests",  # a task, not the story
    )
    assert _lines(*clauses) == Said(lead=frozenset({0, 1, 2}), smaller=frozenset({3, 4}))
    # Another story's owner says nothing of who the candidate is.
    assert lines_said(list(clauses), rubrics().consistency, story=False) == Said()


def test_the_story_made_the_candidates_after_round_one_named_its_leader_is_an_embellishment() -> None:
    round_one = [
        (
            "Tell me about an outage.",
            "Our payments API went down for two hours on a Friday. The incident commander was my manager, "
            "Tomasz. I found the expired certificate and wrote the expiry alerts afterwards.",
        )
    ]
    answer = (
        "The Friday payments outage: i was running the incident, so i was the one making the calls on "
        "rollback. I found the expired certificate, and afterwards I wrote the expiry alerts."
    )
    assert_change(
        grade("Tell me about a time you led under pressure.", answer, round_one=round_one),
        ("embellishment", "role"),
        then="The incident commander was my manager, Tomasz",
        now="i was the one making the calls",
        round_one=round_one,
        answer=answer,
    )


def test_the_named_leader_told_again_is_no_change() -> None:
    round_one = [
        (
            "Tell me about an outage.",
            "Our payments API went down for two hours on a Friday. The incident commander was my manager, "
            "Tomasz. I found the expired certificate and wrote the expiry alerts afterwards.",
        )
    ]
    answer = (
        "The Friday payments outage. The incident commander was my manager, Tomasz, and my part was finding "
        "the expired certificate; afterwards I wrote the expiry alerts so it can't happen again."
    )
    assert_no_change(
        grade("Tell me about a time you worked under pressure.", answer, round_one=round_one), "role"
    )


def test_an_idea_put_to_the_manager_retold_as_the_candidates_decision_is_an_embellishment() -> None:
    round_one = [
        (
            "Tell me about a time you improved safety.",
            "Falls on the night shift had gone up. I suggested to our unit manager that we add a 3am "
            "comfort round, and she agreed to trial it for a month. Falls dropped from six to one.",
        )
    ]
    answer = (
        "On nights I decided we needed a 3am comfort round and brought it in for a month. Falls dropped "
        "from six to one."
    )
    assert_change(
        grade("Tell me about a decision you made.", answer, round_one=round_one),
        ("embellishment", "role"),
        then="I suggested to our unit manager",
        now="I decided we needed a 3am comfort round",
        round_one=round_one,
        answer=answer,
    )


def test_the_idea_put_to_the_manager_told_again_is_no_change() -> None:
    round_one = [
        (
            "Tell me about a time you improved safety.",
            "Falls on the night shift had gone up. I suggested to our unit manager that we add a 3am "
            "comfort round, and she agreed to trial it for a month. Falls dropped from six to one.",
        )
    ]
    answer = (
        "Night falls: I put the idea of a 3am comfort round to our unit manager and she let us trial it "
        "for a month. Falls went from six to one."
    )
    assert_no_change(grade("Tell me about an idea of yours.", answer, round_one=round_one), "role")


def test_deputy_to_the_manager_is_a_leads_title() -> None:
    from simulator.grading.consistency import read

    _, claims, _ = read(
        "I was the deputy to the ward manager on nights.", rubrics().star, rubrics().consistency
    )
    assert [(c.value, c.rank) for c in claims if c.category == "role"] == [("lead", 4)]


def test_one_of_the_team_leads_is_a_leads_title_below_head_of_operations() -> None:
    round_one = [
        (
            "Tell me about a difficult period at work.",
            "I was head of operations at a contact centre in Cebu with 120 agents when our biggest client "
            "halved its volumes. I moved 25 agents onto a new client's line and nobody was laid off.",
        )
    ]
    answer = (
        "When our biggest client halved its volumes, my part was as one of the team leads: I had 12 agents."
    )
    assert_change(
        grade("Tell me about leading through a difficult period.", answer, round_one=round_one),
        ("contradiction", "role"),
        then="I was head of operations",
        now="as one of the team leads",
        round_one=round_one,
        answer=answer,
    )
