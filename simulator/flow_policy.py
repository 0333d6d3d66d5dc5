"""Small rules of conversational flow the orchestrator follows after an answer.

Pure: reads the candidate's words and the grade, decides; the orchestrator acts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Literal

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


def cut_in_at(
    answer: str,
    pressure: PressureProfile,
    rubric: StarRubric,
    reaches: Callable[[str], bool] | None = None,
) -> int | None:
    """The word an interviewer cuts in at, or None to hear the answer out.

    A ramble (long, and no result yet) is cut at `ramble_after_words`; a tight story that gets to its
    result is heard out up to `interrupt_after_words`, past which any answer is cut. `reaches`: the
    engine's rule grader's reading of whether an answer reaches a result (the rubric's, if not given).
    """
    words = len(answer.split())  # as the clock counts them
    hard = pressure.interrupt_after_words
    if hard is not None and words > hard:
        return hard
    ramble = pressure.ramble_after_words
    reached = reaches or partial(reaches_a_result, rubric=rubric)
    if ramble is not None and words > ramble and not reached(answer):
        return ramble
    return None


def job_words(job: Job) -> frozenset[str]:
    return _words(f"{job.title} {job.company} {job.description} {job.research_notes}")


@lru_cache(maxsize=8)  # one job per session: read once, not once per answer
def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def raises_pay(answer: str, question: str, rubric: StarRubric) -> bool:
    """Does the answer bring up pay when the question did not? By rule, so a judge that set the flag
    aside (it may reject the rules' flags) does not let a salary question pass unremarked."""
    return bool(cue_flag(analyse(answer, rubric), rubric.salary, rubric, question))


def remark_due(
    answer: str,
    question: str,
    grade: AnswerGrade,
    job: Job,
    rubric: StarRubric | None = None,
    pays: Callable[[str, str], bool] | None = None,
) -> Remark | None:
    """Pay raised inside an answer, or an answer that strayed from the question, gets a brief word.
    `pays`: the engine's rule grader's reading of pay talk (the rubric's, if not given)."""
    # The rules' own grade already says; a judge's may have set the flag aside, so the rules are asked.
    judged = grade.grader.engine != "offline"
    if pays is None and rubric is not None:
        pays = partial(raises_pay, rubric=rubric)
    if "salary_too_early" in grade.flags or (judged and pays is not None and pays(answer, question)):
        return "salary"
    if grade.status == "ungradable" and grade.reason and "unrelated" in grade.reason:
        return "off_topic"
    if strays(answer, question, job_words(job)):
        return "off_topic"
    return None
