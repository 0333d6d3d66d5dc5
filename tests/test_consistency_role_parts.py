"""Who did what, in each round: the candidate's part read from the rules' parse ("it was led by Ana",
"I was part of the team", "I led it") and the role head, through the real grader and the shipped
sentence model. Spoken answers in lower case, titles that are someone else's, and steps of the work
that the head alone could take for leading the story."""

from __future__ import annotations

from grading_support import ROLE_Q, STORY_Q, assert_change, finding, grade, problems, rubrics

from simulator.grading.claims import extract
from simulator.grading.text import analyse

ASK = "Tell me about a project you led from start to finish."


def test_a_spoken_i_led_that_in_lower_case_claims_the_lead_round_one_gave_someone_else() -> None:
    round_one = [
        (ROLE_Q, "I'm a business analyst at an insurer in Leeds."),
        (
            STORY_Q,
            "Our move of the claims reports to a new BI tool was led by Farah, our head of data. "
            "I rebuilt the twenty reports the claims team used most and checked every total against the old ones.",
        ),
    ]
    answer = (
        "um, so the reports move, the claims reports onto the new BI tool. i led that. there were about "
        "twenty reports everyone used, i rebuilt those and i checked the totals against the old ones."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="led by Farah",
        now="i led that",
        round_one=round_one,
        answer=answer,
    )


def test_someone_elses_title_is_not_the_candidates_and_a_lower_own_title_is_a_smaller_role() -> None:
    said = analyse("Karim was the product owner and he made the final calls on scope.", rubrics().star)
    assert [c.said for c in extract(said, rubrics().consistency) if c.category == "role"] == []
    round_one = [
        (
            "Tell me about a launch you were responsible for.",
            "I was the product owner for the loyalty card feature at a supermarket chain in Cairo. I wrote "
            "the stories and signed off every release.",
        )
    ]
    answer = (
        "On the loyalty card feature at the supermarket chain in Cairo, I was the business analyst on the "
        "squad; Karim was the product owner and he made the final calls on scope. I wrote the stories with him."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(g, ("contradiction", "role"), then="product owner", now="business analyst", alone=True)


def test_an_assistant_store_manager_retold_as_the_store_manager_is_a_more_senior_role() -> None:
    round_one = [
        (
            "What is your current position?",
            "I'm an assistant store manager at a furniture store in Lyon, reporting to the store manager.",
        ),
        (
            "Tell me about a time you cut waste.",
            "Damaged stock was piling up in the back room, so I set up a weekly clearance table and "
            "damaged-stock write-offs went down by about a quarter over six months.",
        ),
    ]
    answer = (
        "As the store manager at our furniture store in Lyon, the back room was my problem. I set up a "
        "weekly clearance table for damaged stock and write-offs fell by about a quarter in six months."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert ("embellishment", "role") in problems(g), g.consistency.findings
    assert "store manager" in finding(g, "role").round_two_quote


def test_round_one_naming_the_leader_decides_its_part_whatever_the_steps_read_as() -> None:
    # Round one's steps ("I arranged a courier and ran the first tests the same day") read by meaning
    # alone could pass for leading; round one names who led it, so it told a smaller part.
    round_one = [
        (
            STORY_Q,
            "At the water company in Porto we tested a new leak sensor. The trial was led by our network "
            "manager, Rui. I arranged a courier for the samples and ran the first lab tests the same day.",
        )
    ]
    answer = (
        "The leak sensor trial at the water company in Porto was really my project. I was the person in "
        "charge of the whole trial. I arranged the courier and ran the first lab tests the same day."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="led by our network",
        now="in charge",
        round_one=round_one,
        answer=answer,
    )


def test_one_of_three_told_again_with_my_part_named_is_the_same_part() -> None:
    round_one = [
        (ROLE_Q, "I'm a UX designer at a ticketing app."),
        (
            STORY_Q,
            "The seat map redesign. I was one of three designers on it; I did the accessibility screens "
            "and ran two usability tests.",
        ),
    ]
    answer = (
        "On the seat map redesign I was one of three designers, and the accessibility screens were my "
        "part. I ran two usability tests and found that people missed the zoom control, so I moved it."
    )
    g = grade("Tell me about a time you improved a product.", answer, round_one=round_one)
    assert "role" not in [category for _, category in problems(g)], g.consistency.findings


def test_a_step_of_the_work_told_again_is_no_bigger_part() -> None:
    round_one = [
        (
            "Tell me about a big event at work.",
            "I'm a curator at a maritime museum in Gdansk. We opened an exhibition of ship models in 2021. "
            "I selected the models, wrote the captions and worked with the conservators on the cases. "
            "About 30,000 visitors came in four months.",
        )
    ]
    answer = (
        "The ship models exhibition at our museum in Gdansk opened in 2021. I chose the models, wrote all "
        "the captions and worked with the conservators on the cases, and we had about 30,000 visitors in "
        "four months."
    )
    g = grade("Tell me about an exhibition you worked on.", answer, round_one=round_one)
    assert problems(g) == [], g.consistency.findings
