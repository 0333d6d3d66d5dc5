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
SHARED_MIN_WEIGHT = 0.35  # a discounted cue this strong may still quote its piece of a shared clause
# Where a clause that shows two parts may be cut to quote each one.
_JOINT = re.compile(r"[,;:]\s+|\s(?:and|so|but|which|because|while|then|until)\s", re.IGNORECASE)
GOAL_WEIGHT = 0.9  # a task cue this strong marks a goal clause
GOAL_DISCOUNT = 0.5  # a result cue inside a goal clause counts this much


@dataclass
class PartScore:
    score: float
    hits: list[Hit]  # strongest first; the clauses this part owns before those it shares
    primary: frozenset[int] = frozenset()  # clauses that show this part better than any other

    def evidence(self, text: Text, limit: int = MAX_EVIDENCE) -> list[str]:
        """Quotes of the clauses this part owns; from a clause another part owns, only the piece of it
        that shows this one ("... and by three everyone was in a room"), or the whole clause when this
        part owns none."""
        quotes: list[str] = []
        own = [h for h in self.hits if h.clause in self.primary]
        for hit in own:
            _add(quotes, text.quote_around(hit.start, hit.end), limit)
        for hit in self.hits:
            if hit.clause not in self.primary and hit.weight >= SHARED_MIN_WEIGHT:
                piece = _piece(text, hit)
                if piece is not None:
                    _add(quotes, text.quote(*piece), limit)
        if not quotes and self.hits:
            _add(quotes, text.quote_around(self.hits[0].start, self.hits[0].end), limit)
        return quotes


def _add(quotes: list[str], quote: str, limit: int) -> None:
    if quote and quote not in quotes and len(quotes) < limit:
        quotes.append(quote)


def _piece(text: Text, hit: Hit) -> tuple[int, int] | None:
    """The part of a shared clause that holds the hit: from the last joint before it ("and", "so",
    "which", a comma) to the next one after it; None when that is the whole clause."""
    clause = text.clauses[hit.clause]
    joints = [m.end() for m in _JOINT.finditer(text.clean, clause.start, hit.start)]
    start = joints[-1] if joints else clause.start
    after = _JOINT.search(text.clean, hit.end, clause.end)
    end = after.start() if after else clause.end
    if start <= clause.start or text.clean[start:end].count(" ") < 2:
        return None
    return start, end


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
    state_at: frozenset[int] = frozenset()  # clauses told as how things stood or still stand

    def scale_parts(self, factor: float, real: frozenset[int] = frozenset()) -> None:
        """Count for less each part told only in what the candidate would do (a hypothetical answer's
        "situation" never happened); a part shown in a `real` clause (a past example the answer tells)
        keeps its weight and is quoted from there."""
        for name, part in self.parts.items():
            shown = [h for h in part.hits if h.clause in real and h.weight >= SHARED_MIN_WEIGHT]
            if shown:
                part.hits = shown
            else:
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


def _state_hits(text: Text, rubric: StarRubric) -> list[Hit]:
    """The cues of clauses that tell how things stood or still stand ("the table had grown to 1.2 billion
    rows", "we're still collecting data"), unless the same clause says what it changed to."""
    rule = rubric.clause_parts
    if not rule.before_state:
        return []
    before = cues.find(text, rule.before_state, rubric, rule.before_state_weight)
    after = cues.clauses_with(cues.find(text, rule.after_state, rubric)) if rule.after_state else set()
    return [h for h in before if h.clause not in after]


def _before_state(text: Text, found: dict[PartName, list[Hit]], rubric: StarRubric) -> frozenset[int]:
    """How things stood is the situation, not a result. Returns those clauses."""
    hits = _state_hits(text, rubric)
    state = frozenset(h.clause for h in hits)
    if state:
        found["result"] = [h for h in found["result"] if h.clause not in state]
        found["situation"] = found["situation"] + hits
    return state


def _owners(found: dict[PartName, list[Hit]], rubric: StarRubric) -> dict[int, PartName]:
    """Each clause's part: the one whose strongest cue in it is strongest (ties by `tie_order`)."""
    order = {name: i for i, name in enumerate(rubric.clause_parts.tie_order)}
    best: dict[int, tuple[float, int, PartName]] = {}
    for name in STAR_PARTS:
        for hit in found[name]:
            key = (hit.weight, -order.get(name, len(order)), name)
            known = best.get(hit.clause)
            if known is None or key[:2] > known[:2]:
                best[hit.clause] = key
    return {clause: key[2] for clause, key in best.items()}


def _rank(hits: list[Hit], primary: set[int], bonus: float, prefer_last: bool) -> list[Hit]:
    """The best hit per clause, the clauses this part owns first, then by strength: the strongest cue
    plus `bonus` per further cue of the part in that clause ("in the end we cut it by 60%")."""
    per_clause: dict[int, int] = {}
    for hit in hits:
        per_clause[hit.clause] = per_clause.get(hit.clause, 0) + 1
    order = -1 if prefer_last else 1
    best = cues.best_per_clause(hits).values()

    def key(h: Hit) -> tuple[bool, float, int]:
        strength = h.weight + bonus * min(per_clause[h.clause] - 1, 3)
        return (h.clause not in primary, -round(strength, 6), order * h.start)

    return sorted(best, key=key)


def read_story(text: Text, rubric: StarRubric) -> StoryReading:
    found = {name: cues.find_groups(text, rubric.parts[name].all_cues, rubric) for name in STAR_PARTS}
    # "My target was to cut overtime by a quarter" is the task, not the result it reads like.
    goal_clauses = {h.clause for h in found["task"] if h.weight >= GOAL_WEIGHT}
    found["result"] = [
        replace(h, weight=round(h.weight * GOAL_DISCOUNT, 3)) if h.clause in goal_clauses else h
        for h in found["result"]
    ]
    state_at = _before_state(text, found, rubric)
    # A clause counts mainly for the part it shows best; its cues of other parts count for less.
    owners = _owners(found, rubric)
    rule = rubric.clause_parts
    parts = {}
    for name in STAR_PARTS:
        hits = [
            h
            if owners.get(h.clause) == name
            else replace(h, weight=round(h.weight * rule.secondary_factor, 3))
            for h in found[name]
        ]
        primary = {c for c, owner in owners.items() if owner == name}
        # A story ends on its result: between equally strong cues, the later one shows it.
        value, _ = cues.score(hits, rubric.extra_clause_bonus)
        ranked = _rank(hits, primary, rule.cue_bonus, prefer_last=name == "result")
        parts[name] = PartScore(round(value, 3), ranked, frozenset(primary))
    own = rubric.ownership
    # Counted per mention, not per clause: "we decided, we wrote and we added" is three times "we".
    i_hits = _own_actions(text, rubric)
    i_starts = {h.start for h in i_hits}
    all_i = {h.start for h in cues.find(text, own.i_actions, rubric)}
    we_hits = [h for h in cues.find(text, own.we_actions, rubric) if h.start not in all_i]
    spec, concrete, generic = specificity(text, rubric)
    reading = StoryReading(
        parts, len(i_starts), len({h.start for h in we_hits}), we_hits, concrete, generic, state_at=state_at
    )
    total = reading.i_actions + reading.we_actions
    ownership = 0.3 if total == 0 else min(1.0, 0.2 + reading.i_actions / total)
    reading.dimensions = {name: parts[name].score for name in STAR_PARTS} | {
        "ownership": round(ownership, 3),
        "specificity": round(spec, 3),
        "conciseness": round(conciseness(text, rubric), 3),
    }
    return reading


def _own_actions(text: Text, rubric: StarRubric) -> list[Hit]:
    """The candidate's own actions said with "I": not inside someone else's words ("she said I should
    have..."), nor an opinion ("I think we did")."""
    own = rubric.ownership
    hits = cues.find(text, own.i_actions, rubric)
    if not own.not_own:
        return hits
    blockers = cues.find(text, own.not_own, rubric)
    return [
        h for h in hits if not any(b.clause == h.clause and b.start <= h.start < b.end + 40 for b in blockers)
    ]


def structure(dimensions: dict[str, float], flags: list[str], rubric: StarRubric) -> float:
    """The weighted dimensions, marked down by each flag that carries a penalty."""
    weights = rubric.structure.weights
    total = sum(weights.values()) or 1.0
    value = sum(w * dimensions.get(name, 0.0) for name, w in weights.items()) / total
    for flag in flags:
        value *= rubric.structure.penalties.get(flag, 1.0)
    return round(max(0.0, min(1.0, value)), 3)
