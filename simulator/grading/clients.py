"""Whom the work was for, described rather than named, in each round: "a project for a budget airline"
retold as "we had this client, it was a ferry company" is another client.

A description is read where the words say whom the work was for ("for a ...", "the client was a
...", "our client, a ...") and it ends in a word for an organisation (consistency.yaml
`clients.organisations`: "airline", "bank", "charity", ...), so "for a month" or "for the team" is
none. Two descriptions are the same client when they share a content word ("a chain of dental
practices" / "the dentists") or read alike as phrases (`clients.min_similarity`, set on the client
pairs of tests/data/pairs_indep/fact_pairs_w9.jsonl, where the same client read 0.875 and more and
another 0.85 and less); otherwise round two describes another client. A name ("for Larchmont Foods")
is compared as a name (consistency.py `_names`), not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from simulator.grading.rubric import ConsistencyRubric
from simulator.grading.text import Text, content_stems

MAX_WORDS_BEFORE = 3  # "a family-run ice-cream maker": words before the organisation noun


@dataclass(frozen=True)
class Client:
    clause: int
    said: str  # "a budget airline"


@dataclass(frozen=True)
class ClientChange:
    round_one_clause: int
    round_two_clause: int
    similarity: float


def _pattern(rubric: ConsistencyRubric) -> re.Pattern[str] | None:
    rule = rubric.clients
    return _compiled(tuple(rule.lead_ins), tuple(rule.organisations))


@cache  # built once per rubric's lists, not twice a compared answer
def _compiled(lead_ins: tuple[str, ...], organisations: tuple[str, ...]) -> re.Pattern[str] | None:
    if not organisations or not lead_ins:
        return None
    lead = "|".join(f"(?:{p})" for p in lead_ins)
    nouns = "|".join(re.escape(n) for n in sorted(organisations, key=len, reverse=True))
    return re.compile(
        rf"(?:{lead})[,\s]+(?:(?:it|that|this|which) (?:was|is)[,\s]+)?"
        rf"(?P<said>(?:a|an|the|this|one) (?:[\w'-]+ ){{0,{MAX_WORDS_BEFORE}}}?(?:{nouns})(?:s|es)?)(?![\w'-])",
        re.IGNORECASE,
    )


def clients(text: Text, rubric: ConsistencyRubric) -> list[Client]:
    pattern = _pattern(rubric)
    if pattern is None:
        return []
    return [Client(text.clause_at(m.start("said")), m.group("said")) for m in pattern.finditer(text.clean)]


def changed_client(
    then: Text,
    now: Text,
    embed: Callable[[Sequence[str]], np.ndarray],
    rubric: ConsistencyRubric,
) -> ClientChange | None:
    """Round two describes whom the work was for, round one did too, and no description of round two's
    is round one's in other words."""
    before, after = clients(then, rubric), clients(now, rubric)
    if not before or not after:
        return None
    stems = {c.said: content_stems(c.said) for c in [*before, *after]}
    if any(stems[a.said] & stems[b.said] for a in before for b in after):
        return None
    said = sorted(stems)
    vectors = dict(zip(said, embed(said), strict=True))
    scored = [(float(vectors[a.said] @ vectors[b.said]), a, b) for a in before for b in after]
    best, a, b = max(scored, key=lambda s: s[0])
    if best >= rubric.clients.min_similarity:
        return None
    return ClientChange(a.clause, b.clause, best)
