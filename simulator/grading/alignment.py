"""Which round-one clause a round-two clause retells: by meaning, not by shared words.

With sentence vectors (the semantic seam, `Meaning.embed`), two clauses tell the same fact when their
vectors are close (consistency.yaml `alignment.min_similarity`); without them, when they share enough
content words. Similarity only narrows the candidates: the fact's kind, amount and subject still
decide whether two claims disagree (consistency.py).

What is embedded, and when, is measured (bench.quality): the model costs about 1.5 ms of CPU per token
it reads, in a batch as alone, so the fewest tokens win, not the fewest calls. Round one is embedded once per
session (`round_one_texts`, warmed in the background as a session starts, then the embedder's cache);
an answer clause only when a fact in it is compared, most of an answer never.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from simulator.grading.claims import Claim
from simulator.grading.clause_pairs import SameFactScorer, Side, row_features, shipped_scorer
from simulator.grading.rubric import ConsistencyRubric
from simulator.grading.text import Text

if TYPE_CHECKING:  # the semantic seam is only named here; it is passed in
    from simulator.grading.semantic import Meaning


# A clause this short ("that was three months") is read with the one before it: alone it says
# nothing about what it is a figure of.
SHORT_CLAUSE_WORDS = 6


def readable_clauses(text: Text) -> list[str]:
    """Each clause as the sentence model reads it: a short one with the clause before it."""
    out = []
    for i, clause in enumerate(text.clauses):
        if i and len(clause.text.split()) < SHORT_CLAUSE_WORDS:
            out.append(f"{text.clauses[i - 1].text} {clause.text}")
        else:
            out.append(clause.text)
    return out


def round_one_texts(round_one: Sequence[Text]) -> list[str]:
    """What an aligner embeds of round one: the texts to warm before a session's first answer."""
    return [t for text in round_one for t in readable_clauses(text)]


@dataclass
class ClauseAligner:
    answer: Text
    round_one: list[Text]
    rubric: ConsistencyRubric
    meaning: Meaning | None = None
    claims: list[Claim] = field(default_factory=list)  # the answer's, for the same-fact scorer
    scorer: SameFactScorer | None = field(default_factory=shipped_scorer)
    _offsets: dict[int, int] = field(init=False, default_factory=dict)
    _theirs: list[str] = field(init=False, default_factory=list)
    _their_vectors: np.ndarray | None = field(init=False, default=None)
    _mine: dict[int, np.ndarray] = field(init=False, default_factory=dict)
    _readable_answer: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        offset = 0
        for text in self.round_one:
            if id(text) not in self._offsets:
                self._offsets[id(text)] = offset
                offset += len(text.clauses)
                self._theirs += readable_clauses(text)
        self._readable_answer = readable_clauses(self.answer)

    @property
    def by_meaning(self) -> bool:
        return (
            self.meaning is not None
            and self.meaning.embedder is not None
            and bool(self.answer.clauses)
            and bool(self._theirs)
        )

    def _vector(self, clause: int) -> np.ndarray:
        """An answer clause's vector, made when first asked for: only clauses that carry a fact are
        compared, so most of an answer is never embedded (the model costs tens of ms a clause)."""
        assert self.meaning is not None
        if self._their_vectors is None:  # round one (cached by the embedder) with this clause: one call
            vectors = self.meaning.embed([*self._theirs, self._readable_answer[clause]])
            self._their_vectors, self._mine[clause] = vectors[:-1], vectors[-1]
        if clause not in self._mine:
            self._mine[clause] = self.meaning.embed([self._readable_answer[clause]])[0]
        return self._mine[clause]

    def similarity(self, clause: int, text: Text, other: int) -> float:
        """How alike a clause of the answer and a clause of a round-one text are (cosine, or the share
        of content words in common when there are no vectors)."""
        if self.by_meaning and id(text) in self._offsets:
            vector = self._vector(clause)
            assert self._their_vectors is not None
            return float(self._their_vectors[self._offsets[id(text)] + other] @ vector)
        mine, theirs = self.answer.clause_stems(clause), text.clause_stems(other)
        if not mine or not theirs:
            return 0.0
        return len(mine & theirs) / min(len(mine), len(theirs))

    def threshold(self) -> float:
        rule = self.rubric.alignment
        return rule.min_similarity if self.by_meaning else rule.min_overlap

    def loose_threshold(self) -> float:
        """Closeness enough when something besides meaning ties two clauses (the same run of figures,
        a fact about who the candidate is)."""
        if self.by_meaning:
            return min(self.threshold(), self.rubric.alignment.standing_min_similarity)
        return self.threshold()

    def aligned(self, clause: int, text: Text, other: int, standing: bool = False) -> bool:
        """Do the two clauses tell the same fact, with confidence? `standing`: a fact about who the
        candidate is (their team, their title), which any story may retell."""
        threshold = self.loose_threshold() if standing else self.threshold()
        return self.similarity(clause, text, other) >= threshold

    def best(self, clause: int, text: Text) -> tuple[int, float]:
        """The round-one clause of `text` closest to an answer clause, and how close."""
        if not text.clauses:
            return 0, 0.0
        scores = [self.similarity(clause, text, i) for i in range(len(text.clauses))]
        i = max(range(len(scores)), key=lambda k: scores[k])
        return i, scores[i]

    def _same_fact_scores(self, clause: int, text: Text, their_claims: list[Claim]) -> np.ndarray | None:
        if self.scorer is None or not self.by_meaning or id(text) not in self._offsets or not text.clauses:
            return None
        vector = self._vector(clause)
        assert self._their_vectors is not None
        start = self._offsets[id(text)]
        theirs = self._their_vectors[start : start + len(text.clauses)]
        features = row_features(
            clause, vector, Side(self.answer, self.claims), Side(text, their_claims), theirs
        )
        return self.scorer.score(features)

    def same_fact(self, clause: int, text: Text, their_claims: list[Claim]) -> tuple[int, float]:
        """The round-one clause of `text` most likely to tell the fact of an answer clause, and how
        likely (clause_pairs.py): closeness weighed with the words, kinds of claim and figures the two
        share and where each sits. Without vectors or a trained scorer: the closest clause, and 1.0
        when it clears the similarity bar (0.0 otherwise)."""
        if not text.clauses:
            return 0, 0.0
        scores = self._same_fact_scores(clause, text, their_claims)
        if scores is None:
            i, score = self.best(clause, text)
            return i, float(score >= self.threshold())
        i = int(np.argmax(scores))
        return i, float(scores[i])
