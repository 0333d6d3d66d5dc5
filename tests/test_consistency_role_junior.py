"""A junior's or an intern's title in the story is a smaller part: "As a junior associate I worked on the
acquisition" retold as "I was leading that from our side" claims more. A junior who tells what they did
claims nothing more. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, assert_no_change, grade

ASK = "Tell me about a time you took ownership of something."


def test_a_junior_title_retold_as_running_it_is_a_bigger_part() -> None:
    round_one = [
        (
            "Tell me about a project you worked on.",
            "As a trainee surveyor at a housing association in Cardiff, I did the damp inspections on our "
            "300 flats. Complaints about damp fell by half over the winter.",
        )
    ]
    answer = (
        "The damp programme at the housing association was my project, I was running it across all 300 "
        "flats and every inspector reported to me. Complaints about damp fell by half over the winter."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="As a trainee surveyor",
        now="was my project",
        round_one=round_one,
        answer=answer,
    )


def test_a_junior_who_tells_what_they_did_claims_no_bigger_part() -> None:
    round_one = [
        (
            "Tell me about a project.",
            "As a junior analyst at a bank in Lagos, I built the dashboard our branch managers use for cash "
            "forecasting. Forecast errors fell by a third.",
        )
    ]
    answer = (
        "The cash forecasting dashboard for our branch managers. I gathered what they needed, I built the "
        "data model and the dashboard, and I trained the managers myself. Forecast errors fell by about a third."
    )
    assert_no_change(grade(ASK, answer, round_one=round_one), "role")
