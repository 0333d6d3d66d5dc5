"""A story's ending told the other way round: won then lost, renewed then churned, on time then late.

Read by meaning (stance.py), not by a list of verbs: each clause that ends the story in either round is
read as a good or a bad ending, and a round-two ending is set against the round-one ending closest to
it in meaning. A change is reported only when both readings are sure, the two clauses are about the
same thing, and the nearest round-one ending is the opposite one (a mixed story keeps its mix). The
starting problem ("the branch was on the closure list") is not an ending: a clause the story reading
(the STAR heads) takes for the situation or the task is never compared, so a starting point set
against a result is not a change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.grading.semantic import ClauseReading
from simulator.grading.stance import NEGATION, Stance
from simulator.grading.text import content_stems

SURE_SETTING = 0.5  # below this the STAR reading is not sure the clause sets the scene


@dataclass(frozen=True)
class Change:
    kind: str  # contradiction | embellishment
    category: str  # outcome | role
    round_one_clause: int
    round_two_clause: int


def endings(stance: Stance, reading: ClauseReading | None, margin: float) -> list[tuple[int, float]]:
    """The clauses that tell how the story ended, each with its polarity (p(good) - p(bad)), when the
    reading leans one way by at least `margin`."""
    out = []
    for i in range(len(stance.outcome)):
        polarity = stance.p("good", i) - stance.p("bad", i)
        if stance.p("none", i) > 0.5 or abs(polarity) < margin:
            continue
        if reading is not None and is_setting(reading, i):
            continue
        out.append((i, polarity))
    return out


# Two statements with this share of their content words in common, negated alike, are one statement
# told twice ("shipped the first version in three weeks" / "got that first version out in three weeks"):
# two readings of it that differ are the head's noise, not a change.
SAME_WORDS = 0.5
INSIDE_WORDS = 0.75


def same_statement(a: str, b: str) -> bool:
    words_a, words_b = content_stems(a), content_stems(b)
    if not words_a or not words_b:
        return False
    shared = len(words_a & words_b) / min(len(words_a), len(words_b))
    negated = len(NEGATION.findall(a)) % 2 == len(NEGATION.findall(b)) % 2
    # One told inside the other ("churn dropped from 5% to 3%" / "churn among small business customers
    # dropped from 5% to 3% over the next quarter"), or mostly the same words, and no word swapped for
    # its opposite alone ("we won the contract" / "we lost the contract" share half).
    inside = shared >= INSIDE_WORDS
    alike = shared >= SAME_WORDS and len(words_a ^ words_b) <= len(words_a & words_b)
    return negated and (inside or alike)


def is_setting(reading: ClauseReading, i: int) -> bool:
    """The situation or the task, not what came of the work: "we were at risk of the improvement plan".
    Only when the reading is sure of it: a clause no part claims ("Honestly it didn't really help")
    may still be how the story ended."""
    setting = reading.part("situation")[i] + reading.part("task")[i]
    return bool(setting >= SURE_SETTING and setting > reading.part("result")[i] + reading.part("action")[i])


def outcome_change(
    then: list[tuple[int, float]],
    now: list[tuple[int, float]],
    then_vectors: np.ndarray,
    now_vectors: np.ndarray,
    min_similarity: float,
    min_gap: float = 0.0,
    then_said: tuple[str, ...] = (),
    now_said: tuple[str, ...] = (),
) -> Change | None:
    """The round-two ending whose nearest round-one ending leans the other way, by at least `min_gap`
    between the two polarities (a sure reading on one side makes up for a weaker one on the other), most
    alike first."""
    best: tuple[float, Change] | None = None
    for i, polarity in now:
        scored = [(float(then_vectors[j] @ now_vectors[i]), j, before) for j, before in then]
        close = [x for x in scored if x[0] >= min_similarity]
        # Any round-one ending this close that leans the same way: the ending is told again (or the
        # story was mixed), and the reading is not sure enough to say which part changed.
        if not close or any(before * polarity > 0 for _, _, before in close):
            continue
        similarity, j, before = max(close)
        if abs(before - polarity) < min_gap:
            continue
        # That round-one ending told again elsewhere in the answer, the same way: it did not change
        # (the answer's other clause is read as an ending of some other step).
        if any(
            k != i and after * before > 0 and float(then_vectors[j] @ now_vectors[k]) >= similarity
            for k, after in now
        ):
            continue
        if then_said and now_said and same_statement(then_said[j], now_said[i]):
            continue
        kind = "embellishment" if before < 0 < polarity else "contradiction"
        if best is None or similarity > best[0]:
            best = (similarity, Change(kind, "outcome", j, i))
    return best[1] if best else None
