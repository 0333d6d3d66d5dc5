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

import base64
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from simulator.grading.ending import clause_outcomes, shipped_ending
from simulator.grading.semantic import ClauseReading, Head
from simulator.grading.shipped import shipped_json
from simulator.grading.stance import NEGATION, Stance, features
from simulator.grading.text import Text, content_stems

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
        if reading is not None and (is_setting(reading, i) or is_step(reading, i)):
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


SURE_STEP = 0.9  # a step the reading is all but certain of


def is_step(reading: ClauseReading, i: int) -> bool:
    """A step the candidate took, not what came of it: "I moved two loaders across from departures" is
    no ending, however its words lean. Only when the reading is sure of it."""
    action = reading.part("action")[i]
    return bool(action >= SURE_STEP and action > reading.part("result")[i])


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


# ---------------------------------------------------------------- the pair, judged as a pair
#
# The stance head reads a clause's own words ("complaints dropped" leans bad), and splits a clause into
# fragments that may leave the ending out ("so three years."): two such readings rarely line up into a
# change. The pair is judged instead: each round's clause that reads most as its outcome (the ending
# head's clause model) is read whole, from its last "but" on, by a head that says whether an ending was
# good for the candidate, trained on endings told both ways, by their consequences, partly or not yet
# (tests/data/outcomes_indep/, tools/train_outcome.py). The pair is a change when the two clauses are
# about the same thing and round one read good and round two not, by a product whose threshold was
# chosen for cross-validated precision on pairs never trained on.

VALENCE_FILE = "outcome_valence.json"
LAST_CLAUSES = 3  # where a retelling tells its ending: its last clauses


@dataclass(frozen=True)
class RememberedEndings:
    """Endings whose valence is known, kept as sentence vectors: a new ending reads as the ones nearest
    it in meaning did. "they're still with us today" sits by "they're still a customer three years
    later", "the auditors came back with two major findings" by "the audit found serious gaps": a
    consequence or a state of things now, which one linear direction of meaning-space blurs."""

    vectors: np.ndarray  # (endings, dim) unit vectors, stored as int8 (cosines move by under 0.01)
    good: np.ndarray  # per ending: 1.0 good for the candidate, 0.0 not
    neighbours: int  # how many nearest endings vote
    sharpness: float  # how much a nearer one counts: weight exp(sharpness x cosine)

    @classmethod
    def of(
        cls, vectors: np.ndarray, good: np.ndarray, neighbours: int, sharpness: float
    ) -> RememberedEndings:
        """Quantised as stored, so what was measured in training is what ships."""
        return cls(_dequantise(_quantise(vectors)), np.asarray(good, np.float32), neighbours, sharpness)

    def good_share(self, vectors: np.ndarray) -> np.ndarray:
        cosines = np.asarray(vectors, np.float32) @ self.vectors.T
        k = min(self.neighbours, cosines.shape[1])
        nearest = np.argsort(-cosines, axis=1, kind="stable")[:, :k]
        weight = np.exp(self.sharpness * np.take_along_axis(cosines, nearest, axis=1))
        return (weight * self.good[nearest]).sum(axis=1) / weight.sum(axis=1)

    def to_json(self) -> dict:
        return {
            "dim": int(self.vectors.shape[1]),
            "vectors_int8": base64.b64encode(_quantise(self.vectors).tobytes()).decode("ascii"),
            "good": "".join("1" if g else "0" for g in self.good),
            "neighbours": self.neighbours,
            "sharpness": self.sharpness,
        }

    @classmethod
    def from_json(cls, data: dict) -> RememberedEndings:
        raw = np.frombuffer(base64.b64decode(data["vectors_int8"], validate=True), dtype=np.int8)
        good = np.asarray([c == "1" for c in data["good"]], dtype=np.float32)
        vectors = _dequantise(raw.reshape(len(good), int(data["dim"])))
        return cls(vectors, good, int(data["neighbours"]), float(data["sharpness"]))


def _quantise(vectors: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(np.asarray(vectors, np.float32) * 127.0), -127, 127).astype(np.int8)


def _dequantise(stored: np.ndarray) -> np.ndarray:
    vectors = stored.astype(np.float32) / 127.0
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-6)


@dataclass(frozen=True)
class ValenceHead:
    version: str
    embedder: str  # the sentence model whose vectors the head reads
    head: Head  # P(the ending was good for the candidate) from stance.features
    threshold: float  # P(good then) x P(not good now) from which a pair is a change
    min_similarity: float  # how alike (cosine) two endings must be to be set against each other
    min_likeness: float = 0.0  # how much round two's clause must read as an outcome (ending head)
    both_ways: bool = False  # also a not-good ending told as good
    remembered: RememberedEndings | None = None  # with it, P(good) is the head's and theirs, averaged
    # The judge shipped before this one (one way, the head alone): what it finds stands, so a change it
    # read surely is not lost to the new judge's other mistakes.
    earlier: ValenceHead | None = None
    # How surely a clause must read as the candidate's step to be one (a step hides what came before it
    # from the ending). The new judge asks .5: a closing remark no part claims ("that was a big one for
    # me", action .08 against result .07) is no step. The earlier one reads as it was shipped (0).
    min_acting: float = 0.0

    @classmethod
    def from_json(cls, data: dict) -> ValenceHead:
        remembered, earlier = data.get("remembered"), data.get("earlier")
        return cls(
            data["version"],
            data["embedder"],
            Head.from_json(data["head"]),
            float(data["threshold"]),
            float(data["min_similarity"]),
            float(data.get("min_likeness", 0.0)),
            bool(data.get("both_ways", False)),
            RememberedEndings.from_json(remembered) if remembered else None,
            ValenceHead.from_json(earlier) if earlier else None,
            float(data.get("min_acting", 0.0)),
        )

    def to_json(self) -> dict:
        out = {
            "version": self.version,
            "embedder": self.embedder,
            "head": self.head.to_json(),
            "threshold": self.threshold,
            "min_similarity": self.min_similarity,
            "min_likeness": self.min_likeness,
            "both_ways": self.both_ways,
            "min_acting": self.min_acting,
        }
        if self.remembered is not None:
            out["remembered"] = self.remembered.to_json()
        if self.earlier is not None:
            out["earlier"] = self.earlier.to_json()
        return out

    def good(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        by_head = self.head.probabilities(features(texts, vectors)).reshape(-1)
        if self.remembered is None:
            return by_head
        return (by_head + self.remembered.good_share(vectors)) / 2.0


@cache
def shipped_valence() -> ValenceHead | None:
    data = shipped_json(VALENCE_FILE)
    return None if data is None else ValenceHead.from_json(data)


def outcome_likeness(text: Text, reading: ClauseReading) -> np.ndarray | None:
    """Per clause, how much it reads as a real outcome (the ending head's clause model, ending.py); None
    without that head."""
    ending = shipped_ending()
    if ending is None or len(reading.features) != len(text.clauses):
        return None
    return clause_outcomes(text, reading, ending)


def _acting(reading: ClauseReading, k: int, min_acting: float = 0.0) -> bool:
    action = reading.part("action")[k]
    return bool(action >= min_acting and action > reading.part("result")[k])


def after_acting(reading: ClauseReading, clauses: list[int], min_acting: float = 0.0) -> list[int]:
    """The clauses after the last one the STAR reading takes for the candidate's action (leaning to it
    at least `min_acting`): where a story tells how it ended. A problem told on the way ("the builder
    had cold-called her") comes before."""
    acted = [k for k in range(len(reading.parts)) if _acting(reading, k, min_acting)]
    return [k for k in clauses if not acted or k > acted[-1]]


def ending_candidates(
    texts: tuple[Text, Text], readings: tuple[ClauseReading, ClauseReading], min_acting: float = 0.0
) -> tuple[list[int], list[int]]:
    """The clauses that may tell each round's ending: neither the situation, the task nor an action
    (leaning to it at least `min_acting`); round two's among its last clauses, after the candidate acted."""
    then, now = readings
    n = len(texts[1].clauses)
    ones = [
        i
        for i in range(len(texts[0].clauses))
        if not is_setting(then, i) and not _acting(then, i, min_acting)
    ]
    last = [j for j in range(max(0, n - LAST_CLAUSES), n) if not is_setting(now, j)]
    return ones, after_acting(now, last, min_acting)


def ending_pair(
    texts: tuple[Text, Text],
    readings: tuple[ClauseReading, ClauseReading],
    min_likeness: float = 0.0,
    min_acting: float = 0.0,
) -> tuple[int, int] | None:
    """Each round's clause that reads most as its outcome, among those that are neither the situation,
    the task nor an action: round one's anywhere, round two's among its last clauses after the candidate
    acted, reading as an outcome at least `min_likeness`. (round one, round two)."""
    then, now = readings
    ones, twos = ending_candidates(texts, readings, min_acting)
    like_then, like_now = outcome_likeness(texts[0], then), outcome_likeness(texts[1], now)
    if not ones or not twos or like_then is None or like_now is None:
        return None
    i, j = ones[int(np.argmax(like_then[ones]))], twos[int(np.argmax(like_now[twos]))]
    # Round two's clause that reads as little of an outcome ("we had no fire deaths that year, which I
    # can't claim was all us") tells none to compare. Round one's is not held to it: the ending head
    # reads an approval as no real result ("the council approved the plans"), yet it is how it ended.
    if like_now[j] < min_likeness:
        return None
    return i, j


# "Their first feedback was rough, we nearly lost it, but we rebuilt the deck and won": what came after
# the last "but" is how it ended.
_BUT = re.compile(r"\bbut\b", re.IGNORECASE)
MIN_PART_WORDS = 3


def ending_part(clause: str) -> str:
    """The part of a clause that tells how things ended: what follows its last "but", when both sides say
    something on their own; else the whole clause ("But by the spring they had left" keeps its "but")."""
    *before, last = _BUT.split(clause)
    said_before = len(" ".join(before).split()) >= MIN_PART_WORDS
    return last.strip() if said_before and len(last.split()) >= MIN_PART_WORDS else clause


def changed_score(
    texts: tuple[Text, Text],
    readings: tuple[ClauseReading, ClauseReading],
    embed: Callable[[Sequence[str]], np.ndarray],
    valence: ValenceHead,
) -> tuple[float, str, int, int] | None:
    """How surely the two rounds' outcomes, read whole, went from good to not good (or, `both_ways`, the
    other way round), when the two clauses are alike enough to be about the same thing: (the
    probability, "contradiction" or "embellishment", round-one clause, round-two clause). `embed` is the
    sentence model: two clauses more, round one's cached for the session."""
    found = ending_pair(texts, readings, valence.min_likeness, valence.min_acting)
    if found is None:
        return None
    i, j = found
    pair = [ending_part(texts[0].clauses[i].text), ending_part(texts[1].clauses[j].text)]
    vectors = embed(pair)
    if float(vectors[0] @ vectors[1]) < valence.min_similarity:
        return None
    good_then, good_now = (float(g) for g in valence.good(pair, vectors))
    worse = good_then * (1.0 - good_now)
    better = (1.0 - good_then) * good_now if valence.both_ways else 0.0
    if better > worse:
        return better, "embellishment", i, j
    return worse, "contradiction", i, j


def judged_change(
    texts: tuple[Text, Text],
    readings: tuple[ClauseReading, ClauseReading],
    embed: Callable[[Sequence[str]], np.ndarray],
    valence: ValenceHead,
) -> Change | None:
    """Round one's outcome told in round two as one that was not as good (or better, `both_ways`), by the
    judge or, failing it, by the one shipped before it."""
    for judge in (valence, valence.earlier):
        if judge is None:
            continue
        scored = changed_score(texts, readings, embed, judge)
        if scored is not None and scored[0] >= judge.threshold:
            _, kind, i, j = scored
            return Change(kind, "outcome", i, j)
    return None
