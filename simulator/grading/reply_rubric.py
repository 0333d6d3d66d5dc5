"""The follow-up reply rubric (rubrics/replies.yaml): the cues and thresholds `grading/reply.py` reads.

Strict like the other rubrics: every pattern must compile, so a bad edit fails at start with the file
and the field instead of mid-interview.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal

from pydantic import Field, field_validator

from simulator.models import ReplyLabel, Strict

# What a follow-up asked for, when the orchestrator knows it (from the follow-up's reason).
Need = Literal["result", "figure", "own_part", "own_action", "context", "reconcile", "example"]


def _compiles(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    return patterns


class Cues(Strict):
    """Regular expressions (case-insensitive) with what they are for."""

    about: str = ""
    patterns: list[str] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _valid(cls, v: list[str]) -> list[str]:
        return _compiles(v)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns), re.IGNORECASE)


class Thresholds(Strict):
    result: float = Field(ge=0.0, le=1.0, description="a reply clause this likely a result states one")
    own: float = Field(ge=0.0, le=1.0, description="an action this likely the candidate's own is theirs")
    generic_share: float = Field(ge=0.0, le=1.0, description="this share of generic clauses is evasive")


class ReplyRubric(Strict):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    description: str = ""
    dont_know: Cues
    exactness: Cues
    hypothetical: Cues
    not_hypothetical: Cues
    hypothetical_question: Cues
    factual: Cues
    generic: Cues
    direct: Cues
    figure_ask: Cues
    duration_ask: Cues
    why_ask: Cues
    reason_given: Cues
    duration: Cues
    figure: Cues
    vague_amount: Cues
    outcome: Cues
    vague_outcome: Cues
    reconcile: Cues
    own_action: Cues
    past_question: Cues
    ask_split: Cues
    question_start: Cues
    ask_words: list[str] = Field(description="words a question uses that say nothing about what it asks")
    needs: dict[str, Need] = Field(description="follow-up reason -> what the reply must give")
    reasons: dict[ReplyLabel, str] = Field(
        description="the one-line reason per label; {asked} is what was asked"
    )
    thresholds: Thresholds

    @field_validator("reasons")
    @classmethod
    def _every_label(cls, v: dict[str, str]) -> dict[str, str]:
        missing = {"answered", "partly", "evasive", "hypothetical", "dont_know"} - set(v)
        if missing:
            raise ValueError(f"no reason for {', '.join(sorted(missing))}")
        return v
