"""A story's STAR parts and the dimensions around them (ownership, specificity, conciseness).

Each part scores 0-1 from the cues in star.yaml, with the clauses that show it quoted verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from simulator.grading import cues
from simulator.grading.cues import Hit
from simulator.grading.rubric import STAR_PARTS, PartName, StarRubric
from simulator.grading.text import Text

# Capitalised words inside a sentence are names (people, products, companies): concrete detail.
_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][\w&.-]*[a-zA-Z]|(?<=[a-z,;:] )[A-Z]{2,}\b")
_NOT_NAMES = frozenset({"I", "I'm", "I'd", "I've", "I'll", "OK", "Okay"})
MAX_EVIDENCE = 3
GOAL_WEIGHT = 0.9  # a task cue this strong marks a goal clause
GOAL_DISCOUNT = 0.5  # a result cue inside a goal clause counts this much


@dataclass
class PartScore:
    score: float
    hits: list[Hit]  # strongest first

    def evidence(self, text: Text, limit: int = MAX_EVIDENCE) -> list[str]:
        quotes: list[str] = []
        for hit in self.hits:
            quote = text.quote_around(hit.start, hit.end)
            if quote and quote not in quotes:
                quotes.append(quote)
            if len(quotes) == limit:
                break
        return quotes


@dataclass
class StoryReading:
    """What the STAR rubric sees in an answer."""

    parts: dict[PartName, PartScore]
    i_actions: int
    we_actions: int
    we_hits: list[Hit]
    concrete: int
    generic_hits: list[Hit]
    dimensions: dict[str, float] = field(default_factory=dict)

    def scale_parts(self, factor: float) -> None:
        """Count every part for less (a hypothetical answer's "situation" never happened)."""
        for name, part in self.parts.items():
            part.score = round(part.score * factor, 3)
            self.dimensions[name] = part.score

    def present(self, part: PartName, rubric: StarRubric) -> bool:
        return self.parts[part].score >= rubric.present_at


def names(text: Text) -> int:
    return len({m.group(0) for m in _NAME.finditer(text.clean) if m.group(0) not in _NOT_NAMES})


def specificity(text: Text, rubric: StarRubric) -> tuple[float, int, list[Hit]]:
    spec = rubric.specificity
    concrete = len(cues.find(text, spec.concrete, rubric)) + names(text)
    generic = cues.find(text, spec.generic, rubric)
    value = min(1.0, concrete / spec.saturation) - spec.generic_penalty * len(generic)
    return max(0.0, min(1.0, value)), concrete, generic


def conciseness(text: Text, rubric: StarRubric) -> float:
    length = rubric.length
    words = text.words
    if words < length.ideal_min_words:
        value = words / length.ideal_min_words
    elif words <= length.ideal_max_words:
        value = 1.0
    else:
        value = 1.0 - (words - length.ideal_max_words) / length.ideal_max_words
    if text.original_words >= length.filler_min_words:
        value -= text.filler_share * length.filler_weight
    return max(0.0, min(1.0, value))


def read_story(text: Text, rubric: StarRubric) -> StoryReading:
    found = {name: cues.find_groups(text, rubric.parts[name].cues, rubric) for name in STAR_PARTS}
    # "My target was to cut overtime by a quarter" is the task, not the result it reads like.
    goal_clauses = {h.clause for h in found["task"] if h.weight >= GOAL_WEIGHT}
    found["result"] = [
        replace(h, weight=round(h.weight * GOAL_DISCOUNT, 3)) if h.clause in goal_clauses else h
        for h in found["result"]
    ]
    parts = {}
    for name in STAR_PARTS:
        # A story ends on its result: between equally strong cues, the later one shows it.
        value, ranked = cues.score(found[name], rubric.extra_clause_bonus, prefer_last=name == "result")
        parts[name] = PartScore(round(value, 3), ranked)
    own = rubric.ownership
    # Counted per mention, not per clause: "we decided, we wrote and we added" is three times "we".
    i_hits = cues.find(text, own.i_actions, rubric)
    i_starts = {h.start for h in i_hits}
    we_hits = [h for h in cues.find(text, own.we_actions, rubric) if h.start not in i_starts]
    spec, concrete, generic = specificity(text, rubric)
    reading = StoryReading(parts, len(i_starts), len({h.start for h in we_hits}), we_hits, concrete, generic)
    total = reading.i_actions + reading.we_actions
    ownership = 0.3 if total == 0 else min(1.0, 0.2 + reading.i_actions / total)
    reading.dimensions = {name: parts[name].score for name in STAR_PARTS} | {
        "ownership": round(ownership, 3),
        "specificity": round(spec, 3),
        "conciseness": round(conciseness(text, rubric), 3),
    }
    return reading


def structure(dimensions: dict[str, float], flags: list[str], rubric: StarRubric) -> float:
    """The weighted dimensions, marked down by each flag that carries a penalty."""
    weights = rubric.structure.weights
    total = sum(weights.values()) or 1.0
    value = sum(w * dimensions.get(name, 0.0) for name, w in weights.items()) / total
    for flag in flags:
        value *= rubric.structure.penalties.get(flag, 1.0)
    return round(max(0.0, min(1.0, value)), 3)
