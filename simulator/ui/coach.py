"""What a coach would say first about a session: the three things to fix, each with the answers
that show it. Pure: reads the stored grades, and data/coach_fixes.yaml for the wording."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from simulator.catalog import load_model
from simulator.models import Session, Strict, Turn

FIXES_FILE = Path(__file__).resolve().parent.parent / "data" / "coach_fixes.yaml"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class FixSpec(Strict):
    title: str = Field(min_length=1)
    advice: str = Field(min_length=1)
    dimensions: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    replies: list[str] = Field(default_factory=list)
    quote: Literal["first", "last", "none"] = "first"
    show_length_from: int | None = Field(None, ge=1)  # say how many words, from this many on


class FixesFile(Strict):
    weak_below: float = Field(0.5, gt=0.0, le=1.0)
    answers_per_fix: int = Field(3, ge=1)
    fixes: dict[str, FixSpec] = Field(min_length=1)


@cache
def fixes_file(path: Path = FIXES_FILE) -> FixesFile:
    return load_model(path, FixesFile)


@dataclass(frozen=True)
class Evidence:
    """One answer that shows a fix: the turn (to link to), who asked, and the words to quote."""

    turn: Turn
    quote: str
    shortfall: float
    words: int | None = None  # the answer's length, when the fix is about length


@dataclass(frozen=True)
class Fix:
    id: str
    title: str
    advice: str
    answers: list[Evidence]  # every answer that shows it, the clearest first
    shown: int  # how many of them the summary quotes


def answer_sentence(text: str, where: str) -> str:
    """The answer's first or last whole sentence, as said (never cut mid-sentence)."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]
    if not sentences or where == "none":
        return ""
    return sentences[-1] if where == "last" else sentences[0]


def _shortfall(turn: Turn, spec: FixSpec, weak_below: float) -> float | None:
    """How far this answer falls short on the fix (None: it does not show it)."""
    grade = turn.grade
    if grade is None or grade.status == "ungradable":
        return None
    gaps = [
        weak_below - grade.dimensions[d] for d in spec.dimensions if grade.dimensions.get(d, 1.0) < weak_below
    ]
    flagged = any(f in grade.flags for f in spec.flags)
    replied = turn.reply_grade is not None and turn.reply_grade.label in spec.replies
    if not gaps and not flagged and not replied:
        return None
    return max(gaps, default=0.0) + (weak_below if flagged or replied else 0.0)


def things_to_fix(session: Session, count: int = 3, rules: FixesFile | None = None) -> list[Fix]:
    """The `count` fixes that most answers show (ties: the larger total shortfall), in that order."""
    rules = rules or fixes_file()
    answers = [t for t in session.turns if t.kind == "answer" and t.speaker == "candidate"]
    found: list[tuple[int, float, Fix]] = []
    for fix_id, spec in rules.fixes.items():
        shown: list[Evidence] = []
        for turn in answers:
            gap = _shortfall(turn, spec, rules.weak_below)
            if gap is not None:
                length = len(turn.text.split())
                long = spec.show_length_from is not None and length >= spec.show_length_from
                shown.append(
                    Evidence(turn, answer_sentence(turn.text, spec.quote), gap, length if long else None)
                )
        if not shown:
            continue
        shown.sort(key=lambda e: (-e.shortfall, e.turn.index))
        fix = Fix(fix_id, spec.title, spec.advice, shown, min(len(shown), rules.answers_per_fix))
        found.append((len(shown), sum(e.shortfall for e in shown), fix))
    found.sort(key=lambda item: (-item[0], -item[1]))
    return [fix for _, _, fix in found[:count]]
