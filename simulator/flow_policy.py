"""Small rules of conversational flow the orchestrator follows after an answer.

Pure: reads the candidate's words and the grade, decides; the orchestrator acts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from simulator.candidate_turns import content_words, strays
from simulator.grading.flags import cue_flag
from simulator.grading.rubric import StarRubric
from simulator.grading.star import read_story
from simulator.grading.text import analyse
from simulator.models import AnswerGrade, Job
from simulator.pressure import PressureProfile

_TEAM = re.compile(r"\b(?:we|our|ours|us|we're|we've|we'd|we'll)\b", re.IGNORECASE)
_SELF = re.compile(r"\b(?:i|my|me|mine|myself|i'm|i've|i'd|i'll)\b", re.IGNORECASE)

Remark = Literal["salary", "off_topic"]


def talks_as_team(text: str) -> bool:
    """Does the candidate say "we" at least as often as "I"? Only then is "which part was yours?" fair."""
    text = text.replace("\u2019", "'")
    team = len(_TEAM.findall(text))
    return team > 0 and team >= len(_SELF.findall(text))


def reaches_a_result(answer: str, rubric: StarRubric) -> bool:
    """Does the answer get to a result (an outcome, a figure, how it ended)? Read by the rules, so the
    same words always get the same decision, whichever engine grades them."""
    return read_story(analyse(answer, rubric), rubric).present("result", rubric)


def raises_pay(answer: str, question: str, rubric: StarRubric) -> bool:
    """Does the answer bring up pay when the question did not? By rule, so a judge that set the flag
    aside (it may reject the rules' flags) does not let a salary question pass unremarked."""
    return bool(cue_flag(analyse(answer, rubric), rubric.salary, rubric, question))


class RuleReadings(Protocol):
    """The two readings of an answer that flow decisions make by rule (an engine's rule grader has them)."""

    def raises_pay(self, answer: str, question: str) -> bool: ...

    def reaches_a_result(self, answer: str) -> bool: ...


@dataclass(frozen=True)
class RubricReadings:
    """The readings straight from the rubric, for an engine that brings no rule grader of its own."""

    rubric: StarRubric

    def raises_pay(self, answer: str, question: str) -> bool:
        return raises_pay(answer, question, self.rubric)

    def reaches_a_result(self, answer: str) -> bool:
        return reaches_a_result(answer, self.rubric)


def cut_in_at(answer: str, pressure: PressureProfile, reaches: Callable[[str], bool]) -> int | None:
    """The word an interviewer cuts in at, or None to hear the answer out.

    A ramble (long, and no result yet: `reaches`) is cut at `ramble_after_words`; a tight story that
    gets to its result is heard out up to `interrupt_after_words`, past which any answer is cut.
    """
    words = len(answer.split())  # as the clock counts them
    hard = pressure.interrupt_after_words
    if hard is not None and words > hard:
        return hard
    ramble = pressure.ramble_after_words
    if ramble is not None and words > ramble and not reaches(answer):
        return ramble
    return None


def job_words(job: Job) -> frozenset[str]:
    return _words(f"{job.title} {job.company} {job.description} {job.research_notes}")


@lru_cache(maxsize=8)  # one job per session: read once, not once per answer
def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def remark_due(
    answer: str, question: str, grade: AnswerGrade, job: Job, pays: Callable[[str, str], bool]
) -> Remark | None:
    """Pay raised inside an answer (`pays`: read by rule), or an answer that strayed from the question,
    gets a brief word."""
    # The rules' own grade already says; a judge's may have set the flag aside, so the rules are asked.
    judged = grade.grader.engine != "offline"
    if "salary_too_early" in grade.flags or (judged and pays(answer, question)):
        return "salary"
    if grade.status == "ungradable" and grade.reason and "unrelated" in grade.reason:
        return "off_topic"
    if strays(answer, question, job_words(job)):
        return "off_topic"
    return None
