"""Small rules of conversational flow the orchestrator follows after an answer.

Pure: reads the candidate's words and the grade, decides; the orchestrator acts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from simulator.candidate_turns import content_words, strays
from simulator.models import AnswerGrade, Job

_TEAM = re.compile(r"\b(?:we|our|ours|us|we're|we've|we'd|we'll)\b", re.IGNORECASE)
_SELF = re.compile(r"\b(?:i|my|me|mine|myself|i'm|i've|i'd|i'll)\b", re.IGNORECASE)

Remark = Literal["salary", "off_topic"]


def talks_as_team(text: str) -> bool:
    """Does the candidate say "we" at least as often as "I"? Only then is "which part was yours?" fair."""
    text = text.replace("\u2019", "'")
    team = len(_TEAM.findall(text))
    return team > 0 and team >= len(_SELF.findall(text))


def job_words(job: Job) -> frozenset[str]:
    return _words(f"{job.title} {job.company} {job.description} {job.research_notes}")


@lru_cache(maxsize=8)  # one job per session: read once, not once per answer
def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def remark_due(answer: str, question: str, grade: AnswerGrade, job: Job) -> Remark | None:
    """Pay raised inside an answer, or an answer that strayed from the question, gets a brief word."""
    if "salary_too_early" in grade.flags:
        return "salary"
    if grade.status == "ungradable" and grade.reason and "unrelated" in grade.reason:
        return "off_topic"
    if strays(answer, question, job_words(job)):
        return "off_topic"
    return None
