"""Changes of the candidate's part, of the story's ending and of its date, read by meaning through the
real grader, the shipped sentence model and the stance heads (simulator/grading/stance.py): each pair is
a round-one story and a round-two retelling in other words (typed, spoken, non-native), and every
finding quotes both rounds verbatim."""

from __future__ import annotations

from grading_support import ROLE_Q, STORY_Q, assert_verbatim, finding, grade, problems

ASK = "Tell me about a time you made a difference."


MIGRATION = [
    (ROLE_Q, "I'm a data engineer at an online retailer."),
    (
        STORY_Q,
        "The warehouse migration to Snowflake. I helped the platform lead with the dbt models and tested the loads.",
    ),
]
OBSERVATIONS = [
    (ROLE_Q, "I'm a charge nurse on an acute medical ward."),
    (STORY_Q, "I led the rollout of electronic observations on our ward, training 40 staff over a month."),
]


def test_helping_retold_as_driving_it_is_a_bigger_part() -> None:
    answer = (
        "I was the one who drove our warehouse migration to Snowflake, I planned it, built the dbt "
        "models and tested every load."
    )
    g = grade(ASK, answer, round_one=MIGRATION)
    assert ("embellishment", "role") in problems(g), g.consistency.findings
    f = finding(g, "role")
    assert "I helped the platform lead" in f.round_one_quote
    assert "I was the one who drove" in f.round_two_quote
    assert_verbatim(g, MIGRATION, answer)


def test_leading_retold_as_one_of_the_team_in_speech_is_a_smaller_part() -> None:
    answer = (
        "so the electronic observations, um, I was one of the people on the rollout team, I did some of "
        "the training for the staff, forty of them, over a month."
    )
    g = grade(ASK, answer, round_one=OBSERVATIONS)
    assert problems(g) == [("contradiction", "role")], g.consistency.findings
    f = finding(g, "role")
    assert "I led the rollout" in f.round_one_quote and "one of the people" in f.round_two_quote
    assert_verbatim(g, OBSERVATIONS, answer)


def test_leading_retold_as_being_in_charge_is_the_same_part() -> None:
    answer = (
        "So I was in charge of bringing in electronic observations on the ward, and I trained forty staff "
        "over about a month."
    )
    g = grade(ASK, answer, round_one=OBSERVATIONS)
    assert problems(g) == [], g.consistency.findings


BACKLOG = [
    (ROLE_Q, "I'm a support team lead at a SaaS company."),
    (
        STORY_Q,
        "Ticket backlog was growing. I introduced a triage rota and canned replies for the top ten issues, "
        "and the backlog was cleared within a month.",
    ),
]


def test_a_fix_that_worked_retold_as_one_that_did_not_is_an_opposite_ending() -> None:
    answer = (
        "Our ticket backlog kept growing, so I introduced a triage rota and canned replies for the ten most "
        "common issues. Honestly it didn't really help; the backlog was still growing when I left."
    )
    g = grade(ASK, answer, round_one=BACKLOG)
    assert ("contradiction", "outcome") in problems(g), g.consistency.findings
    f = finding(g, "outcome")
    assert "the backlog was cleared within a month" in f.round_one_quote
    assert "didn't really help" in f.round_two_quote or "still growing" in f.round_two_quote
    assert_verbatim(g, BACKLOG, answer)


def test_the_same_ending_in_other_words_is_no_change() -> None:
    round_one = [
        (ROLE_Q, "I'm a customer success manager."),
        (
            STORY_Q,
            "A logistics client was unhappy with onboarding. I ran weekly check-ins and rebuilt their "
            "training, and they renewed for two more years.",
        ),
    ]
    answer = (
        "so a logistics client, um, they weren't happy with how onboarding went. I set up weekly check-ins "
        "and redid their training, and, yeah, they signed up for another two years."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_a_starting_problem_is_not_set_against_the_result() -> None:
    round_one = [
        (ROLE_Q, "I'm an operations manager at a parcel depot."),
        (
            STORY_Q,
            "When I took over, we were missing the trunking cut-off most nights and parcels went out late.",
        ),
    ]
    answer = (
        "I re-sequenced the sort so the trunk parcels were sorted first and moved one loader to the late "
        "shift. By the end of the quarter we were making the cut-off every night."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


COVENANT = [
    (ROLE_Q, "I'm a relationship manager in commercial banking, looking after care home operators."),
    (
        STORY_Q,
        "In 2022 one of my clients lost a council contract and breached their loan covenants. I restructured "
        "their facility and they're now back within covenant.",
    ),
]


def test_a_year_named_by_the_pandemic_is_compared_with_a_year_in_digits() -> None:
    answer = (
        "Just before the pandemic, one of my care home clients lost a council contract and breached their "
        "covenants. I restructured the facility and they're now back within covenant."
    )
    g = grade(ASK, answer, round_one=COVENANT)
    assert ("contradiction", "date") in problems(g), g.consistency.findings
    f = finding(g, "date")
    assert "2022" in f.round_one_quote and "before the pandemic" in f.round_two_quote
    assert_verbatim(g, COVENANT, answer)


def test_the_pandemic_year_told_in_digits_is_the_same_date() -> None:
    round_one = [COVENANT[0], (STORY_Q, COVENANT[1][1].replace("In 2022", "In 2019"))]
    answer = (
        "Just before the pandemic, one of my care home clients lost a council contract and breached their "
        "covenants. I restructured the facility and they're now back within covenant."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings


def test_years_counted_back_are_compared_with_each_other() -> None:
    round_one = [
        (ROLE_Q, "I'm a fundraising manager at a hospice."),
        (
            STORY_Q,
            "Two years ago I set up our first legacy giving campaign, and it raised forty thousand pounds.",
        ),
    ]
    answer = "Last year I set up our first legacy giving campaign, and it brought in forty thousand pounds."
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "date") in problems(g), g.consistency.findings


EXTENSION = [
    (ROLE_Q, "I'm a site manager for a housebuilder."),
    (
        STORY_Q,
        "We built a two-storey timber frame extension for a primary school over the summer holidays, and "
        "it was ready for the first day of term.",
    ),
]


def test_one_material_swapped_for_another_in_the_same_words_is_another_fact() -> None:
    answer = (
        "We put up a two-storey steel frame extension for a primary school during the summer holidays, "
        "and it was ready for the first day of term."
    )
    g = grade(ASK, answer, round_one=EXTENSION)
    assert ("contradiction", "other") in problems(g), g.consistency.findings
    f = finding(g, "other")
    assert "timber frame" in f.round_one_quote and "steel frame" in f.round_two_quote
    assert_verbatim(g, EXTENSION, answer)


def test_running_a_task_is_not_leading_the_story_so_owning_it_later_is_a_bigger_part() -> None:
    round_one = [
        (ROLE_Q, "I'm a people partner at a logistics firm."),
        (
            STORY_Q,
            "Our new shift rota policy. I was one of four people on the working group; I ran the staff "
            "survey and wrote the guidance.",
        ),
    ]
    answer = (
        "so the shift rota policy, that was mine, honestly, I owned it from start to finish. I ran the staff "
        "survey, wrote the guidance and took it through consultation."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("embellishment", "role") in problems(g), g.consistency.findings
    f = finding(g, "role")
    assert "one of four people" in f.round_one_quote and "I owned it" in f.round_two_quote
    assert_verbatim(g, round_one, answer)


def test_a_year_said_beside_the_pandemic_is_the_year_compared() -> None:
    round_one = [
        COVENANT[0],
        (
            STORY_Q,
            "In 2019 one of my clients lost a council contract and breached their loan covenants. This was "
            "just before covid, and I restructured their facility.",
        ),
    ]
    answer = (
        "In 2021 one of my care home clients lost a council contract and breached their covenants, and I "
        "restructured the facility."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("contradiction", "date") in problems(g), g.consistency.findings
    f = finding(g, "date")
    assert "2019" in f.round_one_quote and "2021" in f.round_two_quote
