"""Consistency by meaning, through the real grader and the shipped sentence model: a fact told in
other words, or in another round-one answer, is compared with the same fact; a starting point is not
set against a result; the same amount in other words is never a problem; every quote is verbatim."""

from __future__ import annotations

from grading_support import assert_verbatim, finding, grade, problems

ROLE_Q = "Tell me about your role."
STORY_Q = "Tell me about a project you're proud of."


ANALYTICS = [
    (ROLE_Q, "I'm a senior analyst at a car insurer, and I lead a team of 4 analysts in claims."),
    (
        STORY_Q,
        "Our claims dashboard took a day to refresh. I rebuilt the pipeline in dbt and moved the "
        "refresh to hourly, and adjusters stopped exporting spreadsheets.",
    ),
]


def test_a_team_size_from_the_role_answer_is_compared_however_the_story_words_it() -> None:
    for answer in (
        "As the lead of a team of 9 analysts, I rebuilt our claims dashboard pipeline in dbt so it "
        "refreshed hourly instead of daily, and adjusters stopped exporting spreadsheets.",
        "So my team of 9 analysts and I rebuilt the claims dashboard pipeline in dbt, um, it refreshes "
        "hourly now instead of once a day, and the adjusters stopped exporting spreadsheets.",
    ):
        g = grade("Tell me about a time you improved a process.", answer, round_one=ANALYTICS)
        assert problems(g) == [("embellishment", "team_size")], g.consistency.findings
        f = finding(g, "team_size")
        assert "team of 4" in f.round_one_quote and "team of 9" in f.round_two_quote
        assert_verbatim(g, ANALYTICS, answer)


def test_a_smaller_team_is_a_contradiction() -> None:
    answer = (
        "I lead a team of 2 analysts, and we rebuilt the claims dashboard pipeline in dbt so it refreshed "
        "hourly, and adjusters stopped exporting spreadsheets."
    )
    g = grade("Tell me about a time you improved a process.", answer, round_one=ANALYTICS)
    assert problems(g) == [("contradiction", "team_size")]


def test_a_saving_said_in_other_words_and_inflated_is_an_embellishment_not_a_new_detail() -> None:
    round_one = [
        (
            STORY_Q,
            "I renegotiated our three courier contracts and moved returns to a single carrier. We saved "
            "£400k a year on delivery costs.",
        )
    ]
    answer = (
        "I renegotiated the courier contracts and put all our returns with one carrier, and that saved "
        "us a million pounds a year on delivery."
    )
    g = grade("Tell me about a time you cut costs.", answer, round_one=round_one)
    assert problems(g) == [("embellishment", "number")]
    f = finding(g, "number")
    assert "£400k" in f.round_one_quote and "a million pounds" in f.round_two_quote
    assert not [
        e for e in g.consistency.findings if e.kind == "elaboration" and "million" in e.round_two_quote
    ]
    assert_verbatim(g, round_one, answer)


def test_a_different_title_of_the_same_seniority_is_a_role_contradiction() -> None:
    round_one = [
        (ROLE_Q, "I'm the VP of Marketing at a meal-kit start-up, reporting to the CEO."),
        (STORY_Q, "I relaunched our referral scheme and referrals doubled in a quarter."),
    ]
    answer = "As Head of Sales I relaunched our referral scheme, and referrals doubled within a quarter."
    g = grade("Tell me about a launch.", answer, round_one=round_one)
    assert problems(g) == [("contradiction", "role")]
    assert_verbatim(g, round_one, answer)


def test_claiming_the_lead_round_one_gave_someone_else_is_an_embellishment() -> None:
    round_one = [
        (
            STORY_Q,
            "We moved 3,000 staff onto a new rostering system. The project was led by my manager, Priya; "
            "I wrote the training guides and ran the drop-in sessions.",
        )
    ]
    answer = (
        "I led the move of 3,000 staff onto a new rostering system, wrote the training guides and ran the "
        "drop-in sessions."
    )
    g = grade("Tell me about a change you led.", answer, round_one=round_one)
    assert ("embellishment", "role") in problems(g)
    f = finding(g, "role")
    assert "led by my manager" in f.round_one_quote and "I led the move" in f.round_two_quote


def test_a_flipped_outcome_in_a_spoken_answer_is_caught() -> None:
    round_one = [
        (
            STORY_Q,
            "A large retailer was unhappy with our reporting. I ran workshops with their store managers, got "
            "two custom reports built, and the client renewed for two years.",
        )
    ]
    answer = (
        "so, um, a big retailer wasn't happy with our reporting, so I ran, like, workshops with their "
        "store managers and got two custom reports built, but, uh, in the end they did not renew, so yeah."
    )
    g = grade("Tell me about an at-risk account.", answer, round_one=round_one)
    assert problems(g) == [("contradiction", "outcome")]
    f = finding(g, "outcome")
    assert "renewed" in f.round_one_quote and "did not renew" in f.round_two_quote


def test_a_duration_from_the_role_answer_is_compared_in_a_short_clause() -> None:
    round_one = [
        (
            ROLE_Q,
            "I'm an assistant manager at a leisure centre, and I covered the manager's leave for nine months.",
        ),
        (
            "What did you do in that time?",
            "I renegotiated the swim school timetable and memberships rose 10%.",
        ),
    ]
    answer = (
        "When I was covering the manager's leave, that was three months, I renegotiated the swim school "
        "timetable and memberships went up about ten percent."
    )
    g = grade("Tell me about acting up.", answer, round_one=round_one)
    assert problems(g) == [("contradiction", "duration")]


def test_a_starting_point_set_against_a_result_is_not_a_conflict() -> None:
    round_one = [
        (ROLE_Q, "I run customer success for a payroll software company."),
        (
            "What was the challenge when you started?",
            "When I took over, monthly churn was 38% on small accounts.",
        ),
    ]
    answer = (
        "I set up onboarding calls for every new small account and a health score that flagged silent "
        "customers. Two quarters later churn on small accounts was 31%."
    )
    g = grade("Tell me about a measurable improvement.", answer, round_one=round_one)
    assert problems(g) == []


def test_a_clean_retelling_with_amounts_in_other_words_has_no_problem() -> None:
    round_one = [
        (
            STORY_Q,
            "I led the warehouse management system migration with a dozen engineers. It took six months, and "
            "we cut mis-picks by a third, which saved £1.5M a year.",
        )
    ]
    answer = (
        "yeah so I, um, ran our move to the new warehouse system, twelve engineers on it, and it took half "
        "a year. Mis-picks fell about 33%, and that's one and a half million pounds a year saved."
    )
    g = grade("Tell me about a big project.", answer, round_one=round_one)
    assert problems(g) == []
    assert_verbatim(g, round_one, answer)


PHARMACY = [
    (
        "Tell me about a time you improved a process.",
        "In the pharmacy I started a daily huddle before opening, which I ran with the dispensers. Mistakes "
        "on repeat prescriptions seemed to drop.",
    ),
    ("How long have you been at that pharmacy?", "Four years, as the senior pharmacist."),
]


def test_a_length_of_time_from_another_answer_is_not_this_storys() -> None:
    # "Four years" answers how long the candidate has worked there; "ten minutes a day" is the huddle.
    answer = (
        "ok so the huddle before we opened. ten minutes a day, anyone who could make it, and i ran them "
        "with the pharmacists. mistakes on repeats went down a lot."
    )
    g = grade("Tell me about a time you improved a process.", answer, round_one=PHARMACY)
    assert problems(g) == [], g.consistency.findings


def test_the_length_of_a_meeting_is_not_how_long_the_story_took() -> None:
    round_one = [
        (
            "Tell me about a time you improved a process.",
            "In the pharmacy I started a daily fifteen-minute huddle before opening, which I ran with the "
            "dispensers. Mistakes on repeat prescriptions seemed to drop.",
        )
    ]
    answer = (
        "so the huddle in the pharmacy. fifteen minutes every morning before we opened, the whole dispensing "
        "team, and i ran it with the senior dispenser. and repeat prescription errors went down by about "
        "half over the next six months."
    )
    g = grade("Tell me about a time you improved a process.", answer, round_one=round_one)
    assert all(f.category != "duration" for f in g.consistency.findings if f.kind != "elaboration"), (
        g.consistency.findings
    )
