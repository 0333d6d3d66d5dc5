"""Reading a session's turns: whose slot, which question an answer answers, which answers tell one story.

An answer to a follow-up belongs to the story begun by the question before it, so a result given
only when the interviewer asked for it still counts for that story, and a follow-up is never
mistaken for the candidate telling a story twice. The orchestrator grades a follow-up's answer
together with the answers it completes, so a story's latest grade speaks for the whole story and
each story counts once in a scorecard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.models import AnswerGrade, Turn

_ASKING = ("question", "follow_up")


@dataclass(frozen=True)
class Answered:
    """One answer with the turn it replies to and the top-level question of its story."""

    answer: Turn
    asked: Turn | None  # the question or follow-up answered
    root: Turn | None  # the top-level question the story started from

    @property
    def grade(self) -> AnswerGrade | None:
        return self.answer.grade

    @property
    def category(self) -> str | None:
        return (self.root or self.asked or self.answer).category

    @property
    def question_text(self) -> str:
        return self.root.text if self.root else (self.asked.text if self.asked else "")


@dataclass(frozen=True)
class Story:
    """A top-level question and every answer given to it and its follow-ups, in one slot."""

    persona_id: str
    root: Turn | None
    parts: tuple[Answered, ...]

    @property
    def text(self) -> str:
        return " ".join(p.answer.text for p in self.parts)

    @property
    def first(self) -> Answered:
        return self.parts[0]

    @property
    def last_graded(self) -> Answered | None:
        """The latest part with a grade: answers are graded together with the ones they complete,
        so the last grade speaks for the whole story."""
        return next((p for p in reversed(self.parts) if p.grade is not None), None)

    @property
    def grade(self) -> AnswerGrade | None:
        part = self.last_graded
        return part.grade if part else None

    @property
    def category(self) -> str | None:
        return self.first.category

    @property
    def question_text(self) -> str:
        return self.first.question_text

    def is_scored(self) -> bool:
        return self.grade is not None and self.grade.overall is not None

    @property
    def overall(self) -> int | None:
        return self.grade.overall if self.grade else None

    @property
    def flags(self) -> list[str]:
        return self.grade.flags if self.grade else []


def slot_turns(turns: Sequence[Turn], persona_id: str) -> list[Turn]:
    return [t for t in turns if t.persona_id == persona_id]


def personas_met(turns: Sequence[Turn]) -> list[str]:
    """Persona ids in the order their slots happened (a slot that never began is not listed)."""
    seen: list[str] = []
    for t in turns:
        if t.persona_id not in seen:
            seen.append(t.persona_id)
    return seen


def answered(turns: Sequence[Turn]) -> list[Answered]:
    """Every `answer` turn with what it replies to. Works on a whole session or one slot."""
    by_index = {t.index: t for t in turns}
    out: list[Answered] = []
    last_asked: dict[str, Turn] = {}
    for t in turns:
        if t.kind in _ASKING and t.speaker != "candidate":
            last_asked[t.persona_id] = t
            continue
        if t.kind != "answer":
            continue
        asked = by_index.get(t.reply_to) if t.reply_to is not None else last_asked.get(t.persona_id)
        if asked is not None and asked.kind == "question":
            root: Turn | None = asked
        else:
            root = _root_before(turns, asked or t)
        out.append(Answered(t, asked, root))
    return out


def _root_before(turns: Sequence[Turn], turn: Turn) -> Turn | None:
    """The latest top-level question in the same slot at or before `turn`."""
    for t in reversed(turns):
        if t.index <= turn.index and t.persona_id == turn.persona_id and t.kind == "question":
            return t
    return None


def stories(turns: Sequence[Turn]) -> list[Story]:
    """Answers grouped by the top-level question they belong to, in order of telling."""
    groups: dict[tuple[str, int], list[Answered]] = {}
    for a in answered(turns):
        key = (a.answer.persona_id, a.root.index if a.root else -a.answer.index - 1)
        groups.setdefault(key, []).append(a)
    return [
        Story(persona_id=pid, root=parts[0].root, parts=tuple(parts)) for (pid, _), parts in groups.items()
    ]


def candidate_questions(turns: Sequence[Turn]) -> list[Turn]:
    return [t for t in turns if t.kind == "candidate_question" and t.speaker == "candidate"]


def reply_to_candidate(turns: Sequence[Turn], question: Turn) -> Turn | None:
    """The interviewer's answer to a candidate's question: the next interviewer_answer in the slot."""
    for t in turns:
        if t.index > question.index and t.persona_id == question.persona_id:
            if t.kind == "interviewer_answer":
                return t
            if t.kind == "candidate_question":
                return None
    return None


def was_invited(turns: Sequence[Turn], persona_id: str) -> bool:
    """Did this interviewer ask for the candidate's questions (or did the slot end first)?"""
    return any(t.kind == "invite_questions" and t.persona_id == persona_id for t in turns)
