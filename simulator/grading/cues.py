"""Where a rubric's cues occur in an answer: each hit with its strength, clause and position."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.grading.rubric import CueGroup, StarRubric
from simulator.grading.text import Text

OPENING = 0.35  # share of the answer that counts as its opening
CLOSING = 0.6  # from here on it is the closing


@dataclass(frozen=True)
class Hit:
    weight: float
    clause: int
    start: int  # clean offsets
    end: int


def find(text: Text, patterns: list[str], rubric: StarRubric, weight: float = 1.0) -> list[Hit]:
    regex = rubric.compile(patterns)
    return [
        Hit(weight, text.clause_at(m.start()), m.start(), m.end())
        for m in regex.finditer(text.clean)
        if m.end() > m.start()
    ]


def find_groups(text: Text, groups: list[CueGroup], rubric: StarRubric) -> list[Hit]:
    size = max(len(text.clean), 1)
    first_clause_end = text.clauses[0].end if text.clauses else 0
    hits: list[Hit] = []
    for group in groups:
        for hit in find(text, group.patterns, rubric, group.weight):
            if group.where == "opening" and hit.start > max(OPENING * size, first_clause_end):
                continue
            if group.where == "closing" and hit.start < CLOSING * size:
                continue
            hits.append(hit)
    return hits


def clauses_with(hits: list[Hit]) -> set[int]:
    return {h.clause for h in hits}


def best_per_clause(hits: list[Hit]) -> dict[int, Hit]:
    """The strongest hit in each clause (the earliest when two are equally strong)."""
    best: dict[int, Hit] = {}
    for hit in hits:
        known = best.get(hit.clause)
        if (
            known is None
            or hit.weight > known.weight
            or (hit.weight == known.weight and hit.start < known.start)
        ):
            best[hit.clause] = hit
    return best


def score(hits: list[Hit], bonus: float, prefer_last: bool = False) -> tuple[float, list[Hit]]:
    """The strongest clause's weight plus a bonus per further clause that shows it; strongest first
    (and, among equals, the earliest, or the latest with `prefer_last`)."""
    order = -1 if prefer_last else 1
    ranked = sorted(best_per_clause(hits).values(), key=lambda h: (-h.weight, order * h.start))
    if not ranked:
        return 0.0, []
    extra = sum(1 for h in ranked[1:] if h.weight >= 0.5)
    return min(1.0, ranked[0].weight + bonus * extra), ranked
