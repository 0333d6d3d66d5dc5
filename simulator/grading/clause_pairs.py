"""Does a round-two clause tell the same fact as a round-one clause? A learned score over the pair.

Cosine closeness alone does not separate the same fact from another fact of the same story (the
margins are a few hundredths, issue 9): what else the pair shows is weighed too, namely how the
closeness compares with the other clauses on either side, the content words and figures the two
share, whether they hold claims of one kind, and where each sits in its story. The weights are
trained on two independent writers' stories told twice (tools/train_clause_alignment.py,
simulator/data/clause_alignment.json). Only the vectors the aligner has already made are used.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simulator.grading.claims import Claim
from simulator.grading.shipped import SHIPPED
from simulator.grading.text import Text

DATA = SHIPPED / "clause_alignment.json"

FEATURES = (
    "cosine",
    "below_best_for_two",  # how far below the closest round-one clause to this round-two clause
    "shared_words",  # content words in common, as a share of the shorter clause's
    "shared_kinds",  # kinds of claim (a figure of money, a date, a role ...) both clauses hold
    "other_kinds",  # kinds of claim one holds and the other does not
    "shared_values",  # the same figure in both
    "position_gap",  # how far apart the two sit in their stories (0 to 1)
    "both_first_person",
)

_SELF = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|myself)\b", re.IGNORECASE)


def _kinds(claims: list[Claim], n: int) -> list[set[str]]:
    out: list[set[str]] = [set() for _ in range(n)]
    for c in claims:
        if 0 <= c.clause < n:
            kind = c.category if c.category != "other" else c.kind.split(":")[0]
            out[c.clause].add(kind)
    return out


def _values(claims: list[Claim], n: int) -> list[set[float]]:
    out: list[set[float]] = [set() for _ in range(n)]
    for c in claims:
        if 0 <= c.clause < n and c.category in ("number", "team_size", "duration", "date") and c.low:
            out[c.clause].add(round(c.low, 6))
    return out


@dataclass(frozen=True)
class Side:
    """One round as the scorer reads it: its clauses, its claims, and the kinds and figures per clause."""

    text: Text
    claims: list[Claim]

    @property
    def n(self) -> int:
        return len(self.text.clauses)


def row_features(j: int, vector: np.ndarray, two: Side, one: Side, one_vectors: np.ndarray) -> np.ndarray:
    """Features of round-two clause `j` (its vector `vector`) against every round-one clause: shape
    (n1, len(FEATURES)). Only this clause's vector is needed: the rest of the answer is never embedded."""
    n2, n1 = two.n, one.n
    cos = one_vectors @ vector
    best = float(cos.max()) if n1 else 0.0
    mine = two.text.clause_stems(j)
    kinds2, values2 = _kinds(two.claims, n2)[j], _values(two.claims, n2)[j]
    kinds1, values1 = _kinds(one.claims, n1), _values(one.claims, n1)
    self2 = bool(_SELF.search(two.text.clauses[j].text))
    out = np.zeros((n1, len(FEATURES)), dtype=np.float64)
    for i in range(n1):
        theirs = one.text.clause_stems(i)
        out[i] = (
            cos[i],
            cos[i] - best,
            len(mine & theirs) / min(len(mine), len(theirs)) if mine and theirs else 0.0,
            len(kinds2 & kinds1[i]),
            len(kinds2 ^ kinds1[i]),
            float(bool(values2 & values1[i])),
            abs(j / max(1, n2 - 1) - i / max(1, n1 - 1)),
            float(self2 and bool(_SELF.search(one.text.clauses[i].text))),
        )
    return out


def pair_features(
    two: Text,
    two_claims: list[Claim],
    two_vectors: np.ndarray,
    one: Text,
    one_claims: list[Claim],
    one_vectors: np.ndarray,
) -> np.ndarray:
    """Features of every (round-two clause, round-one clause) pair: shape (n2, n1, len(FEATURES))."""
    a, b = Side(two, two_claims), Side(one, one_claims)
    return np.stack([row_features(j, two_vectors[j], a, b, one_vectors) for j in range(a.n)])


@dataclass(frozen=True)
class SameFactScorer:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def score(self, features: np.ndarray) -> np.ndarray:
        """The probability that each pair tells the same fact."""
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))


@lru_cache(maxsize=1)
def shipped_scorer() -> SameFactScorer | None:
    if not DATA.exists():
        return None
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None  # trained on other features: retrain (tools/train_clause_alignment.py)
    return SameFactScorer(
        np.array(data["mean"]), np.array(data["scale"]), np.array(data["weights"]), float(data["bias"])
    )
