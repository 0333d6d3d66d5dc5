"""The one seam for language: everything that speaks or grades goes through an Engine.

The orchestrator decides *what* happens (who speaks, when a follow-up is due and why, when a
slot ends); an engine decides *how it is said* and grades answers. The offline engine phrases
from the persona files and grades by rule; the LLM engines generate in character and judge.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Protocol

from simulator.grading.request import GradeRequest
from simulator.models import (
    AnswerGrade,
    FollowUpReason,
    HandoffNote,
    Job,
    Persona,
    Pressure,
    QuestionCategory,
    ReplyGrade,
    RoundOne,
    Turn,
)

__all__ = ["AskedQuestion", "Engine", "FollowUpDetail", "GradeRequest", "SlotContext"]


@dataclass(frozen=True)
class AskedQuestion:
    """A question an interviewer puts to the candidate."""

    text: str
    category: QuestionCategory
    competency: str
    question_id: str | None = None  # the bank id it came from, if any


@dataclass
class SlotContext:
    """What an interviewer knows when they speak: the job, round one, the loop so far."""

    job: Job
    round_one: RoundOne
    skills: list[str]
    pressure: Pressure
    rng: random.Random
    slot_turns: list[Turn] = field(default_factory=list)  # this interviewer's conversation so far
    asked_question_ids: set[str] = field(default_factory=set)  # across the whole loop
    asked_texts: list[str] = field(default_factory=list)  # across the whole loop
    handoff_notes: list[HandoffNote] = field(default_factory=list)  # from earlier interviewers
    colleagues: dict[str, Persona] = field(default_factory=dict)  # persona id -> persona, whole panel
    want_curveball: bool = False  # the pressure setting asks for an ambiguous question now
    slot_minutes: int = 0  # this interviewer's planned minutes (0: not known)


@dataclass(frozen=True)
class FollowUpDetail:
    """What a follow-up refers to: the quotes behind a round-one conflict, a colleague's note, the
    character a role-play set up (with the lines that character may say next, for the offline engine)."""

    round_one_quote: str = ""
    round_two_quote: str = ""
    colleague: str = ""
    note: str = ""
    role: str = ""
    role_lines: tuple[str, ...] = ()


class Engine(Protocol):
    name: str
    model: str

    def introduce(self, persona: Persona, ctx: SlotContext) -> str: ...

    def next_question(self, persona: Persona, ctx: SlotContext) -> AskedQuestion | None:
        """The next question, or None when this interviewer has nothing left to ask."""
        ...

    def follow_up(
        self, persona: Persona, ctx: SlotContext, reason: FollowUpReason, detail: FollowUpDetail
    ) -> str: ...

    def invite_questions(self, persona: Persona, ctx: SlotContext) -> str: ...

    def answer_candidate(self, persona: Persona, ctx: SlotContext, question: str) -> str: ...

    def wrap_up(self, persona: Persona, ctx: SlotContext, signs: list[str]) -> str: ...

    def hand_off(self, persona: Persona, next_persona: Persona | None, ctx: SlotContext) -> str: ...

    def handoff_note(self, persona: Persona, ctx: SlotContext) -> HandoffNote: ...

    def grade(self, request: GradeRequest) -> AnswerGrade: ...

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        """Did the reply answer what the follow-up asked (`reason`: why it was asked, if known)?"""
        ...
