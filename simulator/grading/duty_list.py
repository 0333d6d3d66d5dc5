"""Is this answer a story of one occasion, or a list of duties (what I usually do)?

The label guides say a list of duties has no scene and no actions: "As a shift manager I plan the labour,
run the briefing, handle absence" states what the candidate is responsible for (the task) and nothing that
happened once. Clause by clause it reads like a story told in the present (a role, then steps), so the
clause heads find a scene in the role and actions in the duties. Whether the answer tells one occasion
is a reading of the whole answer: how its clauses read (the heads' parts, tense and aspect, habits, roles,
the candidate acting in the past or the present) and what it is about (the mean of its clauses' static
vectors, `static_vectors.py`: microseconds, no model call). One logistic model over those, fitted by
`tools/train_duty_list.py` on every labelled answer of many writers (the clause sets, the ending sets and
the tune halves of the held-out sets: their `responsibilities` answers that state neither a scene nor an
action, against the rest) and cross-validated leaving one writer's set out; it is stored in
`simulator/data/duty_list_head.json`.

No cue list decides it: the marker lists tried first (one-occasion words, sequence words, generic objects)
made it worse when a writer's set was left out (precision .87 -> .82 at the same recall). A story that
states a scene or actions counts four times in the fit: reading one as a list costs parts it has.

When the table or the weights are missing or do not match, there is no verdict and the grade reads as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from simulator.grading.semantic import CLAUSE_PARTS, FEATURE_NAMES, ClauseReading, Embedder, clause_cues
from simulator.grading.shipped import shipped_json
from simulator.grading.text import Text

DUTY_FILE = "duty_list_head.json"
# What the answer's clauses show, as numbers; then the mean clause vector ("vec0" ...).
READING_FEATURES = (
    "habit_mean",  # the share told as a habit ("every morning", "I usually", "my duties include")
    "habit_max",
    "action_mean",  # how much the clauses read as actions, on average and at most
    "action_max",
    "situation_max",
    "result_max",
    "task_max",
    "past_share",  # the share of clauses with a past-tense form
    "present_i",  # "I check", "we plan": the share with a present-tense subject and verb
    "perfect",
    "hypothetical",
    "role_max",  # a named role: "I'm the fire warden", "as store manager"
    "role_mean",
    "role_first",  # the answer opens on the candidate's role
    "past_acts",  # how many clauses have the candidate acting in the past (saturating at five)
    "present_acts",  # the share of clauses with the candidate acting, not in the past
    "commas",  # commas a word: a list of items
    "clauses",  # how many clauses (saturating at twenty)
    "background",
    "measure",
)


@dataclass(frozen=True)
class DutyListHead:
    """What `tools/train_duty_list.py` learned, and what it read."""

    embedder: str  # the static table's name ...
    table: str  # ... and a digest of its vectors (ending.table_digest): another table is meaningless
    features: tuple[str, ...]  # READING_FEATURES, then vec0 ... vecN
    weights: np.ndarray  # one coefficient a feature (the standardisation folded in)
    bias: float
    threshold: float  # at this probability or above the answer is a list of duties

    @classmethod
    def from_json(cls, data: dict) -> DutyListHead:
        return cls(
            embedder=data["embedder"],
            table=data["table"],
            features=tuple(data["features"]),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
        )

    def to_json(self) -> dict:
        return {
            "embedder": self.embedder,
            "table": self.table,
            "features": list(self.features),
            "weights": np.round(self.weights, 5).tolist(),
            "bias": round(self.bias, 5),
            "threshold": round(self.threshold, 4),
        }

    def probability(self, inputs: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(float(inputs @ self.weights) + self.bias))))


def reading_inputs(text: Text, reading: ClauseReading) -> list[float]:
    """READING_FEATURES for one answer (its clause reading must be of this text)."""
    n = len(text.clauses)
    features = reading.features

    def column(name: str) -> np.ndarray:
        return features[:, FEATURE_NAMES.index(name)]

    habit = column("habitual")
    if reading.routine is not None:
        habit = np.maximum(habit, reading.routine)
    part = {name: reading.parts[:, CLAUSE_PARTS.index(name)] for name in CLAUSE_PARTS}
    i_did = clause_cues().i_did
    acting = np.array([bool(i_did.search(c.text)) for c in text.clauses], dtype=bool)
    past = column("past") > 0
    role = column("role")
    role_only = reading.role_only if reading.role_only is not None else np.zeros(n, dtype=bool)
    words = max(len(text.clean.split()), 1)
    return [
        float(habit.mean()),
        float(habit.max()),
        float(part["action"].mean()),
        float(part["action"].max()),
        float(part["situation"].max()),
        float(part["result"].max()),
        float(part["task"].max()),
        float(past.mean()),
        float(column("present_i").mean()),
        float(column("perfect").mean()),
        float(reading.hypothetical.mean()),
        float(role.max()),
        float(role.mean()),
        float(bool(role_only[:2].any()) or float(role[:2].max()) > 0),
        min(int((acting & past).sum()), 5) / 5,
        float((acting & ~past).mean()),
        text.clean.count(",") / words,
        min(n, 20) / 20,
        float(column("background").max()),
        float(column("has_measure").mean()),
    ]


def answer_inputs(text: Text, reading: ClauseReading, embedder: Embedder) -> np.ndarray:
    """The model's inputs: what the clauses show, then the mean of their static vectors."""
    vectors = embedder.embed([c.text for c in text.clauses])
    return np.concatenate([np.asarray(reading_inputs(text, reading)), vectors.mean(axis=0)])


@cache
def shipped_duty_list() -> tuple[DutyListHead, Embedder] | None:
    """The shipped head with the table it was trained on, or None when either is missing or they differ."""
    data = shipped_json(DUTY_FILE)
    if data is None:
        return None
    head = DutyListHead.from_json(data)
    from simulator.grading.ending import static_embedder_for

    embedder = static_embedder_for(head.embedder, head.table)
    if embedder is None:
        return None
    if len(head.features) != len(READING_FEATURES) + embedder.dim or len(head.weights) != len(head.features):
        return None
    return head, embedder


def duty_list_probability(
    text: Text, reading: ClauseReading, model: tuple[DutyListHead, Embedder] | None = None
) -> tuple[float, bool] | None:
    """The probability that the answer is a list of duties rather than a story of one occasion, and whether
    it reaches the head's threshold; None with no head or nothing to read."""
    model = model if model is not None else shipped_duty_list()
    if model is None or not text.clauses or len(reading.parts) != len(text.clauses):
        return None
    head, embedder = model
    probability = head.probability(answer_inputs(text, reading, embedder))
    return round(probability, 3), probability >= head.threshold
