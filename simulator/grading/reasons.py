"""Why the story's work began, told in each round, and whether round two gives another reason.

"We automated invoice matching because our auditors flagged unmatched invoices" retold as "the reason
we started the invoice matching project was simply volume: our team was drowning" is a different
story of why. A reason is read where the words say one is given: "because ...", "due to ...", "the
reason (we started) ... was ...", "the trigger for that was ...". Two reasons are compared only when
they explain the same thing: both the start of the story ("it started because", "we introduced it
because") or clauses about the same work ("automated invoice matching" / "the invoice matching
project").

Sentence vectors do not separate a fact from another fact told in a whole clause (alignment.py), but
the reason alone, cut out of its clause, is read well enough: a paraphrased reason ("parents kept
complaining about the food" / "the steady stream of complaints from families") stays close, another
reason ("the board wanted a single view" / "an audit finding") does not (consistency.yaml
`reasons.max_similarity`, set on tests/data/pairs_indep/fact_pairs_w9.jsonl). Round two may add a
reason; it changes the reason only when none of its reasons for that thing is close to one of round
one's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.grading.rubric import ConsistencyRubric
from simulator.grading.text import Text, content_stems

_SENTENCE = re.compile(r"[^.!?;:]+(?:[:;][^.!?]+)?[.!?]?")
# Where a reason stops: the next thing the speaker moves on to ("..., so I ...", "... and then I ...").
_REASON_ENDS = re.compile(
    r",?\s+(?:so|and so|and then|then|but|which is why|that's why|and that's why)\s+(?:i|we)\b|,\s+(?:so|but)\s+",
    re.IGNORECASE,
)
MAX_REASON_WORDS = 24
MIN_REASON_WORDS = 2
OPENING_CLAUSES = 1  # a reason said in the story's first clauses sets up its work
MIN_EXPLAINED_WORDS = 3  # content words before "the reason is" that tell what it explains


@dataclass(frozen=True)
class Reason:
    clause: int  # where the reason is said (to quote it)
    what: str  # what it explains, as said ("we automated invoice matching")
    why: str  # the reason, as said ("our auditors flagged ...")
    start: bool  # it explains why the story's work began at all


def _cut(why: str) -> str:
    end = _REASON_ENDS.search(why)
    why = why[: end.start()] if end else why
    words = why.strip(" ,.;:-").split()
    return " ".join(words[:MAX_REASON_WORDS])


def reasons(text: Text, rubric: ConsistencyRubric) -> list[Reason]:
    """Every reason the text gives, with what it explains."""
    rule = rubric.reasons
    if not rule.cues and not rule.reason_nouns:
        return []
    because = rubric.compile(rule.cues)
    noun = rubric.compile(rule.reason_nouns)
    starts = rubric.compile(rule.start_words)
    out: list[Reason] = []
    clean = text.clean
    for sentence in _SENTENCE.finditer(clean):
        said = sentence.group(0)
        found = noun.search(said)
        if found:
            # "the reason we started the project was X", "the trigger for that was really the audit"
            verb = re.search(r"\b(?:was|is|were)\b", said[found.end() :])
            if verb is None:
                continue
            what = said[found.end() : found.end() + verb.start()]
            why = _cut(said[found.end() + verb.end() :])
            at = sentence.start() + found.start()
            # The reason for "it", "that", or with no object at all, is the reason for the story, unless
            # the sentence told what it explains first: "the frame went up a week early, and I think the
            # main reason is this change" explains the result, not why the work began.
            before = said[: found.start()]
            if not content_stems(what) and len(content_stems(before)) >= MIN_EXPLAINED_WORDS:
                what = before
            start = not content_stems(what) or bool(starts.search(what))
        else:
            found = because.search(said)
            if found is None:
                continue
            what = said[: found.start()]
            why = _cut(said[found.end() :])
            at = sentence.start() + found.start()
            start = bool(starts.search(what))
        if len(why.split()) < MIN_REASON_WORDS or not content_stems(why):
            continue
        out.append(Reason(text.clause_at(at), what.strip(" ,"), why, start))
    return out


def _same_thing(a: Reason, b: Reason, min_shared: int) -> bool:
    """Do two reasons both explain why the story's work began? One says so ("it started because",
    "the reason was"), and the other does too, or names the same work ("we moved the warehouse" /
    "the move"), or is given as the story opens, where its work is set up. A reason for a step of
    the work ("they pushed back because ...") is left alone: it may be one more reason."""
    if not (a.start or b.start):
        return False
    if a.start and b.start:
        return True
    if len(content_stems(a.what) & content_stems(b.what)) >= min_shared:
        return True
    return (b if a.start else a).clause <= OPENING_CLAUSES


@dataclass(frozen=True)
class ReasonChange:
    round_one_clause: int
    round_two_clause: int
    similarity: float


def changed_reason(
    then: Text,
    now: Text,
    embed: Callable[[Sequence[str]], np.ndarray],
    rubric: ConsistencyRubric,
) -> ReasonChange | None:
    """Round two gives another reason for what round one explained, with no reason close to round one's."""
    rule = rubric.reasons
    before, after = reasons(then, rubric), reasons(now, rubric)
    pairs = [(a, b) for a in before for b in after if _same_thing(a, b, rule.min_shared_what)]
    if not pairs:
        return None
    whys = sorted({r.why for pair in pairs for r in pair})
    vectors = dict(zip(whys, embed(whys), strict=True))
    scored = [(float(vectors[a.why] @ vectors[b.why]), a, b) for a, b in pairs]
    for a in before:
        mine = [(s, b) for s, x, b in scored if x is a]
        if not mine:
            continue
        best, b = max(mine, key=lambda sb: sb[0])
        if best < rule.max_similarity:
            return ReasonChange(a.clause, b.clause, best)
    return None


# Where a denial's object stops: "it wasn't really that we were running out of space over time, it
# was overnight".
_DENIED_ENDS = re.compile(r"[,.;:!?]|\s(?:it was|but|so|and then)\s", re.IGNORECASE)
MIN_DENIED_SHARE = 0.6


def denied(then: Text, now: Text, rubric: ConsistencyRubric) -> ReasonChange | None:
    """Round two says outright that round one's account was not so: "it wasn't really that we were
    running out of space" against round one's "We were running out of space". What is denied must
    be round one's own clause told again (most of its words), not a guess nobody made."""
    cues = rubric.reasons.denials
    if not cues:
        return None
    for m in rubric.compile(cues).finditer(now.clean):
        rest = now.clean[m.end() :]
        end = _DENIED_ENDS.search(rest)
        stems = content_stems(rest[: end.start()] if end else rest)
        if len(stems) < MIN_REASON_WORDS:
            continue
        for clause in then.clauses:
            shared = stems & then.clause_stems(clause.index)
            if len(shared) >= MIN_REASON_WORDS and len(shared) >= MIN_DENIED_SHARE * len(stems):
                return ReasonChange(clause.index, now.clause_at(m.start()), 0.0)
    return None
