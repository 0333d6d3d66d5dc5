"""Delivery figures from word timings: pace, long pauses and filler words. Pure arithmetic.

Pace counts words that are not fillers, over the time from the first word to the last, so
silence before the first word (the recorder starting) does not slow it down. The settings and
the coaching ranges are data: simulator/data/delivery.yaml.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml

from simulator.models import Delivery, Pause

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "delivery.yaml"
_LETTERS = re.compile(r"[^a-z']+")


@dataclass(frozen=True)
class TimedWord:
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class Norms:
    fillers: frozenset[str]
    filler_phrases: tuple[tuple[str, str], ...]
    long_pause_s: float
    pace_low: float
    pace_high: float
    fillers_per_minute_high: float
    long_answer_s: float


@cache
def norms() -> Norms:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    phrases = tuple(tuple(p.split()) for p in data["filler_phrases"])
    return Norms(
        fillers=frozenset(data["fillers"]),
        filler_phrases=tuple((a, b) for a, b in phrases),
        long_pause_s=float(data["long_pause_s"]),
        pace_low=float(data["pace_wpm"]["low"]),
        pace_high=float(data["pace_wpm"]["high"]),
        fillers_per_minute_high=float(data["fillers_per_minute_high"]),
        long_answer_s=float(data["long_answer_s"]),
    )


def plain(word: str) -> str:
    """A word as fillers are matched: lower case, letters and apostrophes only ("Um," -> "um")."""
    return _LETTERS.sub("", word.lower())


def count_fillers(words: list[str], rules: Norms | None = None) -> tuple[Counter[str], int]:
    """Each filler and how often, and how many of `words` were part of one."""
    rules = rules or norms()
    found: Counter[str] = Counter()
    plain_words = [plain(w) for w in words]
    used = 0
    i = 0
    while i < len(plain_words):
        pair = tuple(plain_words[i : i + 2])
        if len(pair) == 2 and pair in rules.filler_phrases:
            found[" ".join(pair)] += 1
            used += 2
            i += 2
            continue
        if plain_words[i] in rules.fillers:
            found[plain_words[i]] += 1
            used += 1
        i += 1
    return found, used


def long_pauses(words: list[TimedWord], threshold_s: float) -> list[Pause]:
    """Every silence between two words at least `threshold_s` long, where it began and its length."""
    pauses = []
    for before, after in pairwise(words):
        gap = after.start - before.end
        if gap >= threshold_s:
            pauses.append(Pause(at_s=round(before.end, 2), length_s=round(gap, 2)))
    return pauses


def measure(words: list[TimedWord], duration_s: float, rules: Norms | None = None) -> Delivery:
    """The delivery of one recording from its word timings and its length in seconds."""
    rules = rules or norms()
    words = [w for w in words if plain(w.word)]  # punctuation-only tokens are not words
    fillers, filler_words = count_fillers([w.word for w in words], rules)
    spoken = len(words) - filler_words
    speaking_s = (words[-1].end - words[0].start) if words else 0.0
    minutes = speaking_s / 60.0
    # A single word has no pace worth reporting; a span under a second would inflate it absurdly.
    enough = speaking_s >= 1.0
    return Delivery(
        words_per_minute=round(spoken / minutes, 1) if enough else 0.0,
        pauses=long_pauses(words, rules.long_pause_s),
        fillers=dict(sorted(fillers.items())),
        fillers_per_minute=round(sum(fillers.values()) / minutes, 2) if enough else 0.0,
        duration_s=round(max(duration_s, 0.0), 2),
        words=spoken,
    )


def without_fillers(text: str, rules: Norms | None = None) -> str:
    """The transcript as an answer to grade: one-word fillers ("um", "uh") taken out, the rest verbatim.

    They are counted in the delivery; the grade reads the story, so a filler can never cost a STAR
    part. Two-word fillers ("you know") stay: taken out, they could change what a sentence says.
    """
    rules = rules or norms()
    kept: list[str] = []
    sentence_start, dropped_first = True, False
    for token in text.split():
        if plain(token) in rules.fillers:
            if kept and token.endswith(",") and kept[-1].endswith(","):
                kept[-1] = kept[-1][:-1]  # "I, uh, fixed" -> "I fixed"
            elif (
                kept
                and token.rstrip(",").endswith((".", "?", "!"))
                and not kept[-1].endswith((".", "?", "!"))
            ):
                kept[-1] = kept[-1].rstrip(",") + token.rstrip(",")[-1]  # the sentence's end stays
                sentence_start = True
            dropped_first = dropped_first or sentence_start
            continue
        if dropped_first and token[:1].islower():  # "Um, so we..." -> "So we..."
            token = token[0].upper() + token[1:]
        kept.append(token)
        sentence_start, dropped_first = token.endswith((".", "?", "!")), False
    return " ".join(kept)


def combined(first: Delivery, then: Delivery) -> Delivery:
    """One answer recorded in two goes: the second's pauses placed after the first recording."""
    fillers = Counter(first.fillers)
    fillers.update(then.fillers)

    def speaking_s(d: Delivery) -> float:  # the speech behind each pace figure
        return d.words / d.words_per_minute * 60 if d.words_per_minute > 0 else 0.0

    speaking = speaking_s(first) + speaking_s(then)
    words = first.words + then.words
    shifted = [Pause(at_s=round(p.at_s + first.duration_s, 2), length_s=p.length_s) for p in then.pauses]
    return Delivery(
        words_per_minute=round(words / (speaking / 60), 1) if speaking >= 1 else 0.0,
        pauses=[*first.pauses, *shifted],
        fillers=dict(sorted(fillers.items())),
        fillers_per_minute=round(sum(fillers.values()) / (speaking / 60), 2) if speaking >= 1 else 0.0,
        duration_s=round(first.duration_s + then.duration_s, 2),
        words=words,
    )
