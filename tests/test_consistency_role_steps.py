"""Steps of the work are no claim to a part: "I worked with the app supplier to dispatch on live
positions" tells what the candidate did, not that they were junior. Only parts told as parts ("I was on
the team under Nikos", "my job was preparing the data", "Thabo designed it") can make a changed role."""

from __future__ import annotations

import pytest
from grading_support import assert_change, assert_no_change, grade

from simulator.grading.stance import fragments, steps, steps_by

ROUND_ONE_SERVICE = [
    (
        "Tell me about a time you improved a service.",
        "I'm the night dispatch manager for a city taxi firm. When I started, our average wait for a car "
        "at night was 11 minutes, against a promise of 6.",
    )
]


def test_steps_told_after_a_starting_point_are_no_smaller_part() -> None:
    # Round one's starting point ("When I started, our average wait ...") half reads as leading, and the
    # answer's step ("I worked with our app supplier ...") as helping: together they made a false
    # "your part got smaller" on a plain baseline-and-outcome retelling.
    answer = (
        "When I took over nights, the average wait was 11 minutes against the 6 we promise. I looked at a "
        "month of bookings and found we sent cars by rank, not by where they really were. I worked with our "
        "app supplier to dispatch on live GPS positions and moved two cars to standby spots near the "
        "station. Within six months the average wait was down to 8 minutes."
    )
    g = grade("How did you bring the waiting time down?", answer, round_one=ROUND_ONE_SERVICE)
    assert_no_change(g, "role")


def test_a_lead_claimed_against_a_named_leader_is_not_cancelled_by_a_step() -> None:
    # "I also pushed for a third sampling season" half read as helping: the answer told both a lead and
    # a smaller part, so the claim to have set the direction was never set against "led by Professor Lund".
    round_one = [
        (
            "Tell me about a piece of research you are proud of.",
            "I was a research fellow in a soil science group in Aarhus. The nitrogen runoff study was led by "
            "Professor Lund. I planned the field plots and did the statistics. The paper came out in 2022.",
        )
    ]
    answer = (
        "The nitrogen runoff study in Aarhus is the clearest case. I set the direction of the whole study "
        "and chose which farms to sample. I also pushed for a third sampling season when the spring data "
        "were noisy, which delayed us but made the paper much stronger. It came out in 2022."
    )
    g = grade("Tell me about a project where you set the direction.", answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="led by Professor Lund",
        now="I set the direction of the whole study",
        alone=True,
        round_one=round_one,
        answer=answer,
    )


def test_a_list_of_steps_is_read_as_steps_to_its_end() -> None:
    clause = "I ran short workshops per department, wrote up the user stories and got them signed off"
    assert steps(fragments(clause)) == [True, True]
    clause = "I also brought on a junior designer, Maya, for the upload step, and she presented that part"
    # "she presented that part" has its own subject: someone else's doing, still read by the head.
    assert steps(fragments(clause)) == [True, True, False]


def test_parts_told_as_parts_are_not_steps() -> None:
    for part in (
        "i was running the incident",
        "I was one of three designers",
        "I've been the lead on it since March",
        "I think I was more of a helper",
        "we didn't lead it, the vendor did",
        "I did not lead it",
        "my job was preparing the data",
        "When I started, our average wait was long",
        "Our head of modelling designed it",
    ):
        assert steps([part]) == [False], part
    for part in ("I worked with the IT supplier", "and then we moved two crews", "so i kept a table"):
        assert steps([part]) == [True], part


@pytest.mark.xfail(
    strict=True,
    reason="known miss: a clause naming someone else with no 'I' in it is not sent to the role head, and "
    "'I built it myself' is read as leading by neither the rules nor the head",
)
def test_someone_else_named_as_the_designer_is_a_smaller_part() -> None:
    round_one = [
        (
            "Tell me about something you built.",
            "I'm a credit risk analyst at a bank in Nairobi. I built the scorecard for our small business "
            "loans myself, from six years of repayment data. Defaults on new loans fell by a fifth.",
        )
    ]
    answer = (
        "The small business scorecard. Our head of modelling, Wanjiru, designed it and chose the variables; "
        "my job was preparing the six years of repayment data and running the checks she asked for. "
        "Defaults on new loans fell by about a fifth."
    )
    g = grade("Tell me about a model you are proud of.", answer, round_one=round_one)
    assert_change(
        g,
        ("contradiction", "role"),
        then="I built the scorecard",
        now="Wanjiru, designed it",
        round_one=round_one,
        answer=answer,
    )


def test_a_step_told_after_when_it_happened_is_still_a_step() -> None:
    # "Over three months I doubled ... by partnering with the colleges" half read as helping: against
    # the answer's "when i started running it", read as leading, a same-amount retelling was told its
    # part had grown.
    for part in (
        "Over three months I doubled that to 40",
        "In March we moved two crews",
        "At the club I run it",
    ):
        assert steps([part]) == [True], part
    for part in ("As a junior associate I worked on it", "For the launch I was the point person"):
        assert steps([part]) == [False], part
    round_one = [
        (
            "Tell me about a time you grew something.",
            "At the youth club I run, we had 20 regular volunteers. Over three months I doubled that to 40 by "
            "partnering with the two local colleges for open days and making the evening shift shorter.",
        )
    ]
    answer = (
        "so at the youth club, when i started running it, we had about twenty people who'd come regularly. "
        "and i got the two colleges to do open days with us, and i cut the evening shift down. in three "
        "months we were at double that, forty regulars."
    )
    assert_no_change(grade("How did you get more volunteers?", answer, round_one=round_one), "role")


def test_a_step_the_team_took_is_no_claim_to_have_led_it() -> None:
    # "We filed manually" read as the candidate leading: against "Aoife ran the recovery and I supported
    # her" the candidate was told their part had shrunk, though round one never said whose it was.
    assert steps_by(fragments("We filed manually for the biggest routes and the rest followed")) == ["we"]
    assert steps_by(["I planned the cutover", "wrote the rollback scripts"]) == ["I", "I"]
    round_one = [
        ("Tell me about your current role.", "I work in the pricing department of an airline in Dublin."),
        (
            "Tell me about a time a deadline slipped.",
            "Our fare filing for the summer schedule was two days late because the data feed broke. We filed "
            "manually for the biggest routes and the rest followed the next day.",
        ),
    ]
    answer = (
        "The summer fare filing. Our head of pricing, Aoife, ran the recovery and I supported her: I pulled "
        "the fares for the biggest routes by hand so we could file those first, and the rest went in the "
        "next day."
    )
    g = grade("Tell me more about the late fare filing.", answer, round_one=round_one)
    assert_no_change(g, "role")
