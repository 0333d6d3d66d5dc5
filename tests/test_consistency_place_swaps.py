"""A place swapped for another in a retelling, through the real grader: said in speech with the next
statement run on after it ("who were in spain, they stopped ..."), or spelt with letters beyond a-z
("Łódź" / "Gdańsk"); the same place told the same way is no change."""

from __future__ import annotations

from grading_support import assert_change, grade, problems, round_one_story

ASK = "Tell me about a time you fixed a supply problem."
WHEELS = round_one_story(
    "I'm a planner at a bicycle maker.",
    "Our wheel supplier in Portugal stopped shipping for six weeks after a flood, so I moved half the "
    "orders to a second supplier and we kept the line running.",
)


def test_a_supplier_country_swapped_in_speech_before_the_next_statement_is_a_change() -> None:
    answer = (
        "so, um, our wheel supplier, who were in spain, they stopped shipping for like six weeks after a "
        "flood, so i moved half the orders to a second supplier and we kept the line running."
    )
    g = grade(ASK, answer, round_one=WHEELS)
    assert_change(
        g,
        ("contradiction", "other"),
        then="in Portugal",
        now="in spain",
        alone=True,
        round_one=WHEELS,
        answer=answer,
    )


def test_the_same_supplier_country_said_the_same_way_is_no_change() -> None:
    answer = (
        "so, um, our wheel supplier, who were in portugal, they stopped shipping for like six weeks after "
        "a flood, so i moved half the orders to a second supplier and we kept the line running."
    )
    g = grade(ASK, answer, round_one=WHEELS)
    assert problems(g) == [], g.consistency.findings


def test_a_city_spelt_beyond_a_to_z_swapped_for_another_is_a_change() -> None:
    round_one = round_one_story(
        "I'm a quality engineer at a packaging company.",
        "At our plant in Łódź the sealing line kept jamming, so I changed the film supplier and the jams "
        "stopped.",
    )
    answer = (
        "At our plant in Gdańsk the sealing line kept jamming, so I changed the film supplier and the jams "
        "stopped."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(g, ("contradiction", "other"), then="Łódź", now="Gdańsk", alone=True)


def test_a_verb_after_to_reworded_in_a_retelling_is_no_change() -> None:
    """'to' opens a verb as often as a place: "agreed to trial a retention call" told again as "agreed
    to test retention calls" is the same plan, not a swapped thing."""
    churn = [
        (
            "Tell me about a time you improved a process.",
            "When I was a junior analyst at Brightline Insurance, the monthly claims report took two days "
            "to produce by hand. In Q1 2022 I automated it with a Python pipeline and a scheduled query.",
        ),
        (
            "Tell me about a time you had to explain data to non-experts.",
            "I presented churn drivers to our sales leadership, who were sceptical of the model. I dropped "
            "the model details and showed three customer examples for each driver. They agreed to trial a "
            "retention call for the riskiest segment.",
        ),
    ]
    answer = (
        "I had to present churn drivers to sales leadership once and they didn't trust the model, so "
        "instead of the maths I walked them through three real customers for each driver. They agreed "
        "to test retention calls on the highest-risk segment."
    )
    g = grade("How do you present analysis to people who aren't technical?", answer, round_one=churn)
    assert problems(g) == [], g.consistency.findings
