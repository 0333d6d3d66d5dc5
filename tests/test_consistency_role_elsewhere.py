"""The candidate's part told in another round-one answer than the one retold: a story is often told
over two answers ("What was your part on the rollout?" / "How did it go?"), and the answer may retell
the second while claiming more than the first said. Through the real grader and the shipped model."""

from __future__ import annotations

from grading_support import assert_change, assert_no_change, grade

from simulator.grading.threads import goes_on, thread

PART_Q = "What was your part on the scanner rollout?"
HOW_Q = "How did the rollout go?"


def _round_one(part: str) -> list[tuple[str, str]]:
    return [
        (PART_Q, f"I'm a logistics coordinator at a parcel depot in Rotterdam. {part}"),
        (
            HOW_Q,
            "Mis-picks at the depot fell from about forty a week to under ten once every picker had a "
            "handheld scanner instead of the paper pick lists.",
        ),
    ]


ASK = "Tell me about a project you owned."


def test_a_part_told_in_the_other_answer_about_the_story_is_set_against_the_answer() -> None:
    round_one = _round_one(
        "I supported our operations engineer, Dirk, on the scanner rollout; my part was training the pickers."
    )
    answer = (
        "The scanner rollout at the depot was my project from start to finish: I chose the devices, "
        "planned the switch from the paper pick lists and trained the pickers. Mis-picks fell from "
        "around forty a week to under ten."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="I supported our operations engineer, Dirk",
        now="was my project from start to finish",
        round_one=round_one,
        answer=answer,
    )


def test_the_same_part_told_again_in_other_words_is_no_change() -> None:
    round_one = _round_one(
        "I supported our operations engineer, Dirk, on the scanner rollout; my part was training the pickers."
    )
    answer = (
        "On the scanner rollout at the depot I was backing up Dirk, our operations engineer, and my piece "
        "was getting the pickers trained on the handhelds instead of the paper pick lists. Mis-picks fell "
        "from around forty a week to under ten."
    )
    assert_no_change(grade(ASK, answer, round_one=round_one), "role")


def test_a_part_in_another_story_is_not_this_storys_part() -> None:
    # Round one led a different project; the retold story says nothing of the candidate's part there.
    round_one = [
        (
            "Tell me about a project you led.",
            "I led the move of our depot's route planning to a new planning tool, with a team of four "
            "planners, and we went live in six weeks.",
        ),
        (
            "Tell me about a time you fixed a recurring problem.",
            "Parcels for the north route kept missing the evening van. I looked at the sorting times and "
            "we moved the north cage next to the loading bay, and the late parcels stopped.",
        ),
    ]
    answer = (
        "The north route parcels kept missing the evening van. Our shift manager, Ines, ran that fix and "
        "I helped her by timing the sorting at the depot for a week; we moved the north cage next to the "
        "loading bay and the late parcels stopped."
    )
    assert_no_change(grade(ASK, answer, round_one=round_one), "role")


def test_a_question_naming_something_the_last_answer_told_goes_on_with_that_story() -> None:
    before = "I was the junior analyst on the card fraud model for a bank client, mostly cleaning the data."
    assert goes_on("How did the model perform?", before)
    assert goes_on("What was your part on the fraud project?", before)
    # Named as new ("a project"), or not named at all: a new story.
    assert not goes_on("Tell me about a project where you cleaned messy data.", before)
    assert not goes_on("Why are you looking to move?", before)
    questions = ["Tell me about your role.", "How did the model perform?", "Tell me about a conflict."]
    answers = [before, "It caught about 30% more fraud.", "Two of my analysts disagreed about a deadline."]
    assert thread(questions, answers, 1, frozenset()) == [0]
    assert thread(questions, answers, 2, frozenset()) == []


def test_a_junior_title_in_the_other_answer_is_set_against_a_claim_to_the_whole_story() -> None:
    # The part is read from the title ("a junior planner"), a clause the answer does not retell; the
    # answer's claim still retells that other answer ("On the scanner rollout I took the notes").
    round_one = _round_one("")[1:]
    round_one.insert(
        0,
        (
            PART_Q,
            "I'm a junior planner at a parcel depot in Rotterdam. On the scanner rollout I took the notes at "
            "the weekly meetings and booked the training sessions.",
        ),
    )
    answer = (
        "The scanner rollout at the depot was my project from start to finish: I chose the devices, "
        "planned the switch from the paper pick lists and trained the pickers. Mis-picks fell from "
        "around forty a week to under ten."
    )
    g = grade(ASK, answer, round_one=round_one)
    assert_change(
        g,
        ("embellishment", "role"),
        then="I'm a junior planner",
        now="was my project from start to finish",
        round_one=round_one,
        answer=answer,
    )


def test_a_question_about_the_candidates_own_job_starts_no_thread() -> None:
    # "your team" is the candidate's job, which every answer may mention, not a thing one answer told.
    before = "I'm a team lead for the payments squad; my manager owns the roadmap."
    assert not goes_on("What is the biggest project your team has delivered?", before)
