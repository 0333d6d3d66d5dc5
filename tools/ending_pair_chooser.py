"""Which round-one and round-two clauses are the two endings to compare, chosen as a pair, by meaning.
TRIED IN SESSION 14 AND NOT SHIPPED (tools/train_ending_pair.py has the figures): kept here, outside the
grader, so the next attempt starts from a measured one.

A retelling often tells its ending by a consequence ("after that we were preparing the appeal papers",
"the shutters came down for the last time"): read alone, such a clause does not sound like an outcome, and
the clause that does ("the client was pretty stressed about the finance") is taken instead. Choosing
the pair as a pair weighs what each clause is (how much it reads as an outcome, a step, the setting;
where it sits in its story) with how the two clauses relate (how close in meaning, and how that compares
with the other clauses on either side): the round-two clause that answers round one's ending, not
the one that merely sounds most like an ending. A logistic score over every candidate pair, trained on
stories told twice by several writers with their outcome clauses marked on both sides
(tools/train_ending_pair.py); the surest pair is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulator.grading.semantic import ClauseReading, Head

FEATURES = (
    "like_one",  # how much round one's clause reads as an outcome (the ending head)
    "like_two",
    "like_one_below_best",  # how far below the most outcome-like clause of its round
    "like_two_below_best",
    "result_one",  # the STAR reading's parts
    "result_two",
    "action_one",
    "action_two",
    "setting_one",  # situation + task
    "setting_two",
    "position_one",  # 0 first clause, 1 last
    "position_two",
    "after_acting_two",  # round two's clause comes after the last one it tells as a step
    "cosine",  # the two clauses' sentence vectors
    "cosine_below_best_for_two",  # below the round-one clause closest to round two's
    "cosine_below_best_for_one",  # below the round-two clause closest to round one's
)

MIN_ACTING = 0.5  # how surely a clause must read as a step to be one (as the valence judge reads it)


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (the static vectors are not)."""
    v = np.asarray(vectors, dtype=np.float64)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-6)


def _relative(n: int) -> np.ndarray:
    return np.arange(n) / max(1, n - 1)


def pair_features(
    readings: tuple[ClauseReading, ClauseReading],
    likeness: tuple[np.ndarray, np.ndarray],
    vectors: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Features of every (round-one clause, round-two clause) pair: shape (n1, n2, len(FEATURES)).
    `vectors`: each round's clauses as unit sentence vectors (alignment.readable_clauses)."""
    one, two = readings
    like1, like2 = (np.asarray(x, dtype=np.float64) for x in likeness)
    n1, n2 = len(like1), len(like2)
    cos = np.asarray(vectors[0], dtype=np.float64) @ np.asarray(vectors[1], dtype=np.float64).T
    acting = [
        k
        for k in range(n2)
        if two.part("action")[k] >= MIN_ACTING and two.part("action")[k] > two.part("result")[k]
    ]
    last_step = acting[-1] if acting else -1

    def part(reading: ClauseReading, name: str) -> np.ndarray:
        return np.asarray(reading.part(name), dtype=np.float64)

    setting1 = part(one, "situation") + part(one, "task")
    setting2 = part(two, "situation") + part(two, "task")
    columns = {
        "like_one": like1[:, None],
        "like_two": like2[None, :],
        "like_one_below_best": (like1 - like1.max())[:, None],
        "like_two_below_best": (like2 - like2.max())[None, :],
        "result_one": part(one, "result")[:, None],
        "result_two": part(two, "result")[None, :],
        "action_one": part(one, "action")[:, None],
        "action_two": part(two, "action")[None, :],
        "setting_one": setting1[:, None],
        "setting_two": setting2[None, :],
        "position_one": _relative(n1)[:, None],
        "position_two": _relative(n2)[None, :],
        "after_acting_two": (np.arange(n2) > last_step).astype(np.float64)[None, :],
        "cosine": cos,
        "cosine_below_best_for_two": cos - cos.max(axis=0, keepdims=True),
        "cosine_below_best_for_one": cos - cos.max(axis=1, keepdims=True),
    }
    assert tuple(columns) == FEATURES
    return np.stack([np.broadcast_to(columns[name], (n1, n2)) for name in FEATURES], axis=-1)


@dataclass(frozen=True)
class PairChooser:
    version: str
    embedder: str  # the sentence model whose vectors it reads
    head: Head  # P(the two clauses are the two rounds' telling of one ending)
    min_score: float  # below this no pair is sure enough to be compared

    @classmethod
    def from_json(cls, data: dict) -> PairChooser:
        return cls(data["version"], data["embedder"], Head.from_json(data["head"]), float(data["min_score"]))

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "embedder": self.embedder,
            "features": list(FEATURES),
            "head": self.head.to_json(),
            "min_score": self.min_score,
        }

    def scores(
        self,
        readings: tuple[ClauseReading, ClauseReading],
        likeness: tuple[np.ndarray, np.ndarray],
        vectors: tuple[np.ndarray, np.ndarray],
    ) -> np.ndarray:
        x = pair_features(readings, likeness, vectors)
        n1, n2, d = x.shape
        return self.head.probabilities(x.reshape(n1 * n2, d).astype(np.float32)).reshape(n1, n2)

    def choose(
        self,
        readings: tuple[ClauseReading, ClauseReading],
        likeness: tuple[np.ndarray, np.ndarray],
        vectors: tuple[np.ndarray, np.ndarray],
        allowed: tuple[Sequence[int], Sequence[int]] | None = None,
    ) -> tuple[int, int] | None:
        """The surest pair (round one, round two), among the `allowed` clauses of each round when given;
        None when none reaches `min_score`."""
        scores = self.scores(readings, likeness, vectors)
        if allowed is not None:
            mask = np.full(scores.shape, -np.inf)
            mask[np.ix_(list(allowed[0]), list(allowed[1]))] = 0.0
            scores = scores + mask
        if scores.size == 0 or not np.isfinite(scores.max()):
            return None
        i, j = np.unravel_index(int(np.argmax(scores)), scores.shape)
        return (int(i), int(j)) if scores[i, j] >= self.min_score else None
