"""Grading the questions a candidate asks each interviewer, by rubrics/candidate_questions.yaml."""

from __future__ import annotations

import pytest
from session_factory import JOB, SessionBuilder, personas, shipped_rubrics

from simulator.grading.candidate_questions import (
    CandidateQuestionGrade,
    grade_candidate_questions,
    grade_question,
)


def grade(text: str, persona_id: str = "hiring_manager", first: bool = True) -> CandidateQuestionGrade:
    return grade_question(
        text, personas()[persona_id], JOB, shipped_rubrics().candidate_questions, first_to_persona=first
    )


@pytest.mark.parametrize(
    ("persona_id", "question", "because"),
    [
        ("hiring_manager", "What would success look like for this role in the first 90 days?", "success"),
        ("hiring_manager", "What is the hardest problem your team is stuck on right now?", "challenges"),
        (
            "team_member",
            "What does a typical week look like for you, and how does code review work?",
            "team's work",
        ),
        (
            "skip_level",
            "How do you see the strategy for the booking platform changing over the next two years?",
            "heading",
        ),
        (
            "cross_functional",
            "When priorities clash between your team and engineering, how do decisions get made?",
            "decisions",
        ),
        (
            "hiring_manager",
            "How is Dockside's move off the monolith going, and what has been hardest?",
            "challenges",
        ),
    ],
)
def test_good_questions_are_good_and_say_why(persona_id: str, question: str, because: str) -> None:
    result = grade(question, persona_id)
    assert result.good, result
    assert result.is_question
    assert any(because in s for s in result.strengths), result.strengths
    assert result.problems == []


def test_a_question_tuned_to_the_interviewer_scores_higher_than_the_same_to_someone_else() -> None:
    question = "Where do you see the organisation's strategy heading next year?"
    assert grade(question, "skip_level").score > grade(question, "team_member").score
    assert "specific to this interviewer's role" in grade(question, "skip_level").strengths


def test_naming_the_company_counts_as_specific() -> None:
    plain = grade("What has been the hardest part of the monolith migration?")
    named = grade("What has been the hardest part of Harbourline's move to event-driven services?")
    assert named.score > plain.score
    assert "about this team or company" in named.strengths


def test_salary_first_is_penalised_more_than_salary_later() -> None:
    first = grade("What's the salary range, and how many vacation days are there?", first=True)
    later = grade("What's the salary range, and how many vacation days are there?", first=False)
    assert not first.good and not later.good
    assert first.score <= later.score
    assert first.problems == ["asks about pay, benefits or time off as the first question"]
    assert later.problems == ["asks about pay, benefits or time off"]


@pytest.mark.parametrize(
    ("question", "problem"),
    [
        ("What does the company do exactly?", "answered by the company's own website"),
        ("Do you like working here?", "can be answered with yes or no"),
        ("When do I start, and who will I sit with?", "assumes the offer is made"),
        ("Any concerns?", "too short to show thought (under 5 words)"),
    ],
)
def test_weak_questions_say_what_held_them_back(question: str, problem: str) -> None:
    result = grade(question)
    assert not result.good
    assert problem in result.problems


def test_an_open_question_starting_with_could_is_not_yes_no() -> None:
    result = grade("Could you walk me through how the team decided to move to Kafka?")
    assert "can be answered with yes or no" not in result.problems
    assert result.good


def test_declining_to_ask_is_not_a_question_and_only_real_questions_count_as_first() -> None:
    session = (
        SessionBuilder()
        .slot("skip_level")
        .invite()
        .declines("Nothing from me, you covered everything.")
        .candidate_asks("Actually, what salary band is this role in?")
        .build()
    )
    grades = grade_candidate_questions(session.turns, personas(), JOB, shipped_rubrics().candidate_questions)
    assert [g.is_question for g in grades] == [False, True]
    assert grades[0].problems == ["not a question: the candidate declined to ask"]
    assert grades[1].first_to_persona  # declining did not use up the first question
    assert grades[1].turn_index == session.turns[-2].index
