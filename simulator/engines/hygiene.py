"""Is a spoken line the interviewer speaking, or the model talking about its task?

Small models read their prompt back ("YOUR TASK NOW ...") or describe the job they were given
("This is a skill question that requires you to ask the candidate ... choose one from the list of
questions"). Either is refused by what it is, with the phrases kept in
simulator/data/transcript_hygiene.yaml; the engine then asks once more and falls back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HYGIENE = Path(__file__).resolve().parent.parent / "data" / "transcript_hygiene.yaml"


@dataclass(frozen=True)
class Refusal:
    reason: str
    pattern: re.Pattern[str]


@cache
def _refusals() -> tuple[Refusal, ...]:
    data = yaml.safe_load(HYGIENE.read_text(encoding="utf-8"))
    pieces = data["prompt_pieces"]
    talk = data["task_talk"]
    return (
        Refusal(pieces["reason"], re.compile("|".join(re.escape(p) for p in pieces["phrases"]))),
        Refusal(
            talk["reason"],
            re.compile("|".join(rf"\b(?:{p})\b" for p in talk["patterns"]), re.IGNORECASE),
        ),
    )


def not_spoken(text: str) -> str | None:
    """Why this line is not the interviewer speaking to the candidate, or None if it is."""
    return next((r.reason for r in _refusals() if r.pattern.search(text)), None)
