"""What a candidate's turn is, beyond its words: a real question, thanks, a polite "no more
questions", or an answer that strayed from the question. Cues live in data/candidate_turns.yaml."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from simulator.models import Strict

DATA = Path(__file__).parent / "data" / "candidate_turns.yaml"
_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset(
    "a an the and or but of to in on for with at by from about what how why when do does did you your is are "
    "was were be been it this that i me my we our us they their there here have has had can could would "
    "should will so then just really very also as if not no yes its it's i'm i've we're think thought know knew "
    "like get got make made want say said thing things time times way much many lot one".split()
)

TurnKind = Literal["question", "thanks", "decline"]


class TurnCues(Strict):
    declines: list[str] = Field(min_length=1)
    decline_whole: list[str] = Field(min_length=1)
    decline_max_words: int = Field(ge=1)
    thanks: list[str] = Field(min_length=1)
    off_topic_min_words: int = Field(ge=1)


@cache
def cues() -> TurnCues:
    return TurnCues.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def _plain(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("\u2019", "'")))


def _has(text: str, phrases: list[str]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", text) for p in phrases)


def classify(text: str) -> TurnKind:
    """A turn in the question phase: a question, thanks (the floor stays open), or a decline."""
    if "?" in text:
        return "question"
    plain = _plain(text)
    words = plain.split()
    spec = cues()
    if plain in spec.decline_whole or (len(words) <= spec.decline_max_words and _has(plain, spec.declines)):
        return "decline"
    if _has(plain, spec.thanks):
        return "thanks"
    return "question"


def content_words(text: str) -> set[str]:
    """Words that carry meaning, lightly stemmed so 'moving' meets 'move'."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def strays(answer: str, question: str, job_words: frozenset[str] | set[str]) -> bool:
    """An answer of some length that shares no word with the question or the job: off the topic."""
    words = content_words(answer)
    if len(answer.split()) < cues().off_topic_min_words:
        return False
    return not (words & content_words(question)) and not (words & job_words)
