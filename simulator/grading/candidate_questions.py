"""Grading the questions the candidate asks each interviewer, by rubrics/candidate_questions.yaml.

A good question is open, about this person's role and this team, about success, challenges, the
team's work or how decisions are made; it is not pay or time off first, and not something the
website answers. Strengths add up (each once), problems take away; the score is clamped to 0-1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import Field

from simulator.grading.job_terms import company_terms, find_company_terms, named_skills
from simulator.grading.session_rubric import CandidateQuestionsRubric
from simulator.grading.text_match import find_cues, has_cue, tokens, word_count
from simulator.grading.transcript import candidate_questions
from simulator.models import Job, Persona, Strict, Turn


class CandidateQuestionGrade(Strict):
    persona_id: str
    turn_index: int
    question: str
    is_question: bool = Field(description="False for 'no, you covered everything'")
    first_to_persona: bool
    score: float = Field(ge=0.0, le=1.0)
    good: bool
    strengths: list[str] = Field(default_factory=list, description="what made it good, in plain words")
    problems: list[str] = Field(default_factory=list, description="what held it back, in plain words")


def _is_yes_no(text: str, rubric: CandidateQuestionsRubric) -> bool:
    words = tokens(text)
    if not words or words[0] not in {s.lower() for s in rubric.yes_no.starters}:
        return False
    return not has_cue(text, rubric.yes_no.open_phrases)


def grade_question(
    text: str,
    persona: Persona,
    job: Job,
    rubric: CandidateQuestionsRubric,
    *,
    first_to_persona: bool,
    turn_index: int = 0,
) -> CandidateQuestionGrade:
    def result(
        score: float, strengths: list[str], problems: list[str], is_question: bool = True
    ) -> CandidateQuestionGrade:
        score = round(min(1.0, max(0.0, score)), 3)
        return CandidateQuestionGrade(
            persona_id=persona.id,
            turn_index=turn_index,
            question=text,
            is_question=is_question,
            first_to_persona=first_to_persona,
            score=score,
            good=is_question and score >= rubric.good_at,
            strengths=strengths,
            problems=problems,
        )

    if "?" not in text and has_cue(text, rubric.not_a_question):
        return result(0.0, [], ["not a question: the candidate declined to ask"], is_question=False)

    strengths: list[str] = []
    score = 0.0
    for strength in rubric.strengths:
        if has_cue(text, strength.cues):
            strengths.append(strength.title)
            score += strength.score
    role_cues = rubric.role_fit.cues.get(persona.id, []) + rubric.role_fit.any_role
    if has_cue(text, role_cues):
        strengths.append(rubric.role_fit.title)
        score += rubric.role_fit.score
    if find_company_terms(text, company_terms(job)) or find_cues(text, named_skills(job)):
        strengths.append(rubric.job_fit.title)
        score += rubric.job_fit.score

    problems: list[str] = []
    if has_cue(text, rubric.money.cues):
        penalty = rubric.money.first_penalty if first_to_persona else rubric.money.later_penalty
        problems.append(rubric.money.title + (" as the first question" if first_to_persona else ""))
        score -= penalty
    if _is_yes_no(text, rubric):
        problems.append(rubric.yes_no.title)
        score -= rubric.yes_no.penalty
    for problem in rubric.problems:
        if has_cue(text, problem.cues):
            problems.append(problem.title)
            score -= problem.penalty
    if word_count(text) < rubric.min_words:
        problems.append(f"too short to show thought (under {rubric.min_words} words)")
        score -= rubric.too_short_penalty
    return result(score, strengths, problems)


def grade_candidate_questions(
    turns: Sequence[Turn], personas: Mapping[str, Persona], job: Job, rubric: CandidateQuestionsRubric
) -> list[CandidateQuestionGrade]:
    """Every question the candidate asked, graded for the interviewer it was asked of."""
    grades = []
    asked_of: set[str] = set()
    for turn in candidate_questions(turns):
        persona = personas.get(turn.persona_id)
        if persona is None:
            continue
        grade = grade_question(
            turn.text,
            persona,
            job,
            rubric,
            first_to_persona=turn.persona_id not in asked_of,
            turn_index=turn.index,
        )
        if grade.is_question:
            asked_of.add(turn.persona_id)
        grades.append(grade)
    return grades
