"""Non-story answers (skills, case, culture fit) scored on their own rubric's criteria.

A criterion scores from its cues (the strongest hit per clause, summed) and from built-in signals
(figures, names, the company's name, an example from the candidate's past), up to its saturation.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.grading import cues
from simulator.grading.cues import Hit
from simulator.grading.rubric import CriteriaRubric, StarRubric
from simulator.grading.star import conciseness, names
from simulator.grading.text import Text

_DIGITS = r"\d[\d,.]*%?"


@dataclass
class CriterionScore:
    score: float
    hits: list[Hit]  # strongest first


@dataclass
class Signals:
    """Facts about the answer that criteria may count (which ones is up to the rubric file)."""

    numbers: int
    names: int
    company: bool
    past_story: bool
    examples: int


def signals(text: Text, rubric: StarRubric, company: str | None, story_clauses: int) -> Signals:
    numbers = len(cues.find(text, [_DIGITS], rubric))
    mentions_company = bool(company and company.strip().lower() in text.clean.lower())
    examples = len(
        cues.find(text, ["for (?:example|instance)", "(?:at|in) my (?:last|previous) (?:job|role)"], rubric)
    )
    return Signals(numbers, names(text), mentions_company, story_clauses >= 2, examples)


def _signal_value(name: str, found: Signals) -> float:
    if name == "numbers":
        return 0.5 * min(found.numbers, 3)
    if name == "names":
        return 0.5 * min(found.names, 3)
    if name == "company":
        return 1.0 if found.company else 0.0
    if name == "past_story":
        return 1.0 if found.past_story else 0.0
    if name == "examples":
        return 0.8 * min(found.examples, 2)
    return 0.0


def score_criteria(
    text: Text, criteria: CriteriaRubric, rubric: StarRubric, found: Signals
) -> dict[str, CriterionScore]:
    out = {}
    for name, criterion in criteria.criteria.items():
        hits = cues.find_groups(text, criterion.cues, rubric)
        ranked = sorted(cues.best_per_clause(hits).values(), key=lambda h: (-h.weight, h.start))
        total = sum(h.weight for h in ranked) + sum(_signal_value(s, found) for s in criterion.signals)
        out[name] = CriterionScore(round(min(1.0, total / criterion.saturation), 3), ranked)
    return out


def dimensions(
    text: Text, criteria: CriteriaRubric, scores: dict[str, CriterionScore], rubric: StarRubric
) -> dict[str, float]:
    dims = {name: s.score for name, s in scores.items()}
    dims["conciseness"] = round(conciseness(text, rubric), 3)
    return dims


def composite(criteria: CriteriaRubric, dims: dict[str, float]) -> float:
    total = sum(criteria.weights.values()) or 1.0
    value = sum(w * dims.get(name, 0.0) for name, w in criteria.weights.items()) / total
    return round(max(0.0, min(1.0, value)), 3)
