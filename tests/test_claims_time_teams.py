"""Teams told as the people in them, and spans told as "most of" one unit: how the consistency check
reads them (claims.extract), and what a candidate sees when round two tells them otherwise than round
one did."""

from __future__ import annotations

import pytest
from grading_support import claims_of as claims
from grading_support import problems_between as problems

# ---------------------------------------------------------------- a team told as its people


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("In the lab I was supervising three PhD students, two master's students and a technician.", 6),
        ("i was supervising, let me count, three phd students and two master's students and a technician", 6),
        ("At the agency I managed four designers and two copywriters on the retail accounts.", 6),
        (
            "the day shift was six people, late shift another four, plus two on weekends, and all of them "
            "reported to me",
            12,
        ),
        ("My team was three analysts and an intern, all based in Leeds.", 4),
        ("I had my two direct reports plus a contractor on it for the whole quarter.", 3),
    ],
)
def test_a_team_told_as_its_people_is_their_sum(sentence: str, size: int) -> None:
    teams = claims(sentence, "team_size")
    assert [t.value for t in teams] == [size]


def test_a_list_that_spells_out_a_team_size_said_before_it_adds_nothing() -> None:
    """ "a team of three: me, a designer and a copywriter" is one team of three, said twice."""
    teams = claims("We did the relaunch with a team of three: me, a designer and a copywriter.", "team_size")
    assert [t.value for t in teams] == [3]


def test_a_team_that_starts_with_the_candidate_counts_them_too() -> None:
    (team,) = claims("It was a small crew: myself, a joiner, a plumber and an electrician.", "team_size")
    assert team.value == 4 and team.with_me
    assert team.said == "myself, a joiner, a plumber and an electrician"


@pytest.mark.parametrize(
    "sentence",
    [
        # Counts of things, not people, after a managing verb.
        "I managed two budgets and a supplier contract for the depot.",
        # After "I had", only people named as such: customers and suppliers are nobody's team.
        "I had two customers and a supplier complain about the new invoices.",
        # Counts of people with no sign they are the candidate's team.
        "We interviewed three nurses and two porters about the night handover.",
        # A bare count after "plus" that counts something else.
        "The day shift was six people, plus two weeks of cover, and all of them reported to me.",
    ],
)
def test_people_not_told_as_the_candidates_team_are_no_summed_team(sentence: str) -> None:
    assert claims(sentence, "team_size") == []


def test_a_bigger_team_told_as_a_list_is_caught() -> None:
    then = (
        "I did my postdoc in a small lab in Uppsala, just me and one PhD student working on soil microbes. "
        "We published in a good journal after two years."
    )
    now = (
        "in uppsala, during the postdoc. i was running the soil microbe work and, um, i was supervising, "
        "let me count, three phd students and two master's students and a technician. we got it published "
        "after two years."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("embellishment", "team_size")]
    assert "supervising, let me count, three phd students and two master's students" in found[0][2]


def test_a_smaller_crew_told_as_its_people_is_caught() -> None:
    then = (
        "I ran the refurbishment of a 40-room hotel in Edinburgh with a team of about 25 trades and two site "
        "supervisors. We reopened in time for the Festival."
    )
    now = (
        "The Edinburgh hotel refurbishment, 40 rooms, had to reopen for the Festival. It was a small job in "
        "terms of people: myself, a joiner, a plumber and an electrician. We opened the day before the "
        "Festival started."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("contradiction", "team_size")]
    assert "myself, a joiner, a plumber and an electrician" in found[0][2]


def test_the_same_team_told_as_its_people_is_no_change() -> None:
    then = "I manage a team of six at a design agency. We rebuilt the onboarding flow for a bank."
    now = (
        "At the agency I manage four designers and two copywriters, and we rebuilt the onboarding flow "
        "for a bank over the spring."
    )
    assert [p for p in problems(then, now) if p[1] == "team_size"] == []


# ---------------------------------------------------------------- "most of the month"


def test_most_of_a_unit_is_a_span_from_half_of_it_to_all_of_it() -> None:
    (span,) = claims("I spent my evenings on it for most of the month before go-live.", "duration")
    assert (span.low, span.top, span.hedged) == (15.0, 30.0, True)


@pytest.mark.parametrize(
    ("sentence", "low", "top"),
    [
        ("The project ran for six to eight weeks.", 42.0, 56.0),
        ("the rollout took five or six months", 150.0, 180.0),
    ],
)
def test_a_range_of_a_span_has_its_top_in_the_same_unit(sentence: str, low: float, top: float) -> None:
    (span,) = claims(sentence, "duration")
    assert (span.low, span.top) == (low, top)


def test_a_span_said_as_a_range_that_covers_round_ones_is_no_change() -> None:
    then = "The data migration for the clinic took seven weeks, with one weekend cut-over at the end."
    now = "the clinic migration, it took, um, six to eight weeks, and we cut over on one weekend at the end."
    assert [p for p in problems(then, now) if p[1] == "duration"] == []


def test_a_weekend_become_most_of_a_month_is_caught() -> None:
    then = (
        "I'm a GP receptionist and I taught myself the new appointment system over a weekend before go-live, "
        "then ran short sessions for the other six receptionists on Monday."
    )
    now = (
        "When the practice changed appointment systems, nobody had been trained properly. I spent my "
        "evenings on it for most of the month before go-live, working through every screen, and then ran "
        "short sessions for the other six receptionists."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("contradiction", "duration")]
    assert "most of the month" in found[0][2]


def test_most_of_a_month_retold_as_about_three_weeks_is_no_change() -> None:
    then = "I taught myself the new booking system over most of the month before go-live."
    now = "I spent about three weeks before go-live learning the new booking system screen by screen."
    assert [p for p in problems(then, now) if p[1] == "duration"] == []


# ---------------------------------------------------------------- a named period and its length


def test_the_length_of_a_named_period_said_after_it_bounds_the_work() -> None:
    sentence = (
        "He was signed off to do them on his own before his probation was even over, which at our depot is "
        "three months."
    )
    (span,) = claims(sentence, "duration")
    assert (span.value, span.slot, span.hedged) == (90.0, "within", True)


def test_a_span_that_shrinks_to_before_the_end_of_probation_is_caught() -> None:
    then = (
        "I'm a senior mechanic at a bus depot. A new apprentice joined and I built a training plan so he could "
        "do brake inspections on his own. It took about nine months before he was signed off."
    )
    now = (
        "A new apprentice joined our bus depot and I took him on. From week one he was doing brake "
        "inspections alongside me. He was signed off to do them on his own before his probation was even "
        "over, which at our depot is three months."
    )
    found = problems(then, now)
    assert [category for _, category, _ in found] == ["duration"]
    assert "which at our depot is three months" in found[0][2]


def test_a_named_period_that_fits_round_ones_span_is_no_change() -> None:
    then = "I built a training plan for the new apprentice. It took about ten weeks before he was signed off."
    now = (
        "I built the new apprentice a training plan, and he was signed off before his probation was over, "
        "which at our depot is three months."
    )
    assert [p for p in problems(then, now) if p[1] == "duration"] == []


@pytest.mark.parametrize("sentence", ["The whole thing took six months or so.", "it took three weeks-ish."])
def test_a_span_hedged_after_it_is_hedged(sentence: str) -> None:
    (span,) = claims(sentence, "duration")
    assert span.hedged


def test_counts_closed_by_all_of_them_reported_to_me_are_caught_as_a_bigger_team() -> None:
    then = (
        "I manage a customer support team of five at a fintech in Lisbon. When we moved from email to live "
        "chat, I rewrote the rota and paired each person with a chat buddy."
    )
    now = (
        "so the chat move in lisbon. the day shift was six people, late shift another four, plus two on "
        "weekends, and all of them reported to me. i rewrote the rota and gave everyone a chat buddy."
    )
    found = problems(then, now)
    assert [(kind, category) for kind, category, _ in found] == [("embellishment", "team_size")]


def test_counts_closed_by_all_of_them_reported_to_me_that_add_up_are_no_change() -> None:
    then = "I manage a support team of twelve in Lisbon. When we moved to live chat I rewrote the rota."
    now = (
        "the day shift was six people, late shift another four, plus two on weekends, and all of them "
        "reported to me. when we moved to live chat i rewrote the rota."
    )
    assert [p for p in problems(then, now) if p[1] == "team_size"] == []
