"""What a clause says about how the story ended and about the candidate's part in it, read by meaning.

Two small heads trained by `tools/train_consistency.py` on clauses written for them
(`tests/data/consistency/`) and stored in `simulator/data/consistency_heads.json`. Each reads a clause's
sentence vector (the semantic seam, `Meaning.embed`) and a few cues that vectors blur (a negation, a
"but ... still"): the outcome head says whether the clause tells a good ending (won, renewed, passed,
on time, worked), a bad one (lost, churned, failed, late, did not work) or no ending at all (the
starting problem, an action, background); the role head whether the candidate led or owned it,
supported it (helped, one of several, a junior), someone else led it, or none of these.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from simulator.grading.semantic import Head
from simulator.grading.shipped import shipped_json

if TYPE_CHECKING:  # the semantic seam is only named here; it is passed in
    from simulator.grading.semantic import Meaning

STANCE_FILE = "consistency_heads.json"
OUTCOMES = ("good", "bad", "none")
ROLES = ("lead", "support", "other", "none")

# Cues the sentence vectors blur: "renewed" and "did not renew" are close in meaning-space.
NEGATION = re.compile(r"\b(?:not|never|no|nothing|without|hardly|nor)\b|n't\b", re.IGNORECASE)
_CONTRAST = re.compile(r"\b(?:but|still|despite|though|although|unfortunately|sadly|anyway)\b", re.IGNORECASE)
_SELF = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|mine|myself)\b")
_PASSIVE_BY = re.compile(r"\b(?:was|were|is)\s+(?:\w+\s+)?by\b|\b\w+ed by\b", re.IGNORECASE)
CUES = ("negation", "contrast", "self", "by")


def cue_features(texts: Sequence[str]) -> np.ndarray:
    rows = [
        [
            min(2, len(NEGATION.findall(t))),
            float(bool(_CONTRAST.search(t))),
            float(bool(_SELF.search(t))),
            float(bool(_PASSIVE_BY.search(t))),
        ]
        for t in texts
    ]
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), len(CUES))


def features(texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    """What the heads read: the clause's sentence vector, then its cues."""
    return np.hstack([np.asarray(vectors, dtype=np.float32), cue_features(texts)])


@dataclass(frozen=True)
class StanceHeads:
    version: str
    embedder: str  # the embedder the weights expect
    outcome: Head
    role: Head
    thresholds: dict[str, float]  # how sure a reading must be to be compared (fitted with the heads)

    @classmethod
    def from_json(cls, data: dict) -> StanceHeads:
        return cls(
            data["version"],
            data["embedder"],
            Head.from_json(data["outcome"]),
            Head.from_json(data["role"]),
            {k: float(v) for k, v in data["thresholds"].items()},
        )

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "embedder": self.embedder,
            "outcome": self.outcome.to_json(),
            "role": self.role.to_json(),
            "thresholds": self.thresholds,
        }


@cache
def shipped_stance() -> StanceHeads | None:
    data = shipped_json(STANCE_FILE)
    return None if data is None else StanceHeads.from_json(data)


@dataclass(frozen=True)
class Stance:
    """Per clause: the probability of each outcome (OUTCOMES) and role (ROLES), and its unit vector."""

    outcome: np.ndarray
    role: np.ndarray
    vectors: np.ndarray
    said: tuple[str, ...] = ()  # per clause, the statement its outcome reading is of

    def p(self, what: str, index: int) -> float:
        if what in OUTCOMES:
            return float(self.outcome[index, OUTCOMES.index(what)])
        return float(self.role[index, ROLES.index(what)])


# A clause often holds two statements ("I rebuilt the plan, but we still failed the audit"; "that was
# mine, basically, I owned it"): each part is read too, and the surest reading speaks for the clause
# (a comma inside a figure, "9,000", splits nothing). Splitting further, at "so" or at an "and" that
# opens a statement, found more changes but called an elaboration on the v4 check a changed part.
_PARTS = re.compile(r"\s*(?:,(?!\d)|[;:\u2014\u2013]|\s-\s|\bbut\b|\band then\b)\s*", re.IGNORECASE)
MIN_PART_WORDS = 3
LONG_CLAUSE_WORDS = 10


def fragments(clause: str) -> list[str]:
    """The parts of a clause read on their own; a clause with one statement is read whole."""
    if len(clause.split()) < LONG_CLAUSE_WORDS:
        return [clause]
    parts = [p.strip() for p in _PARTS.split(clause) if len(p.split()) >= MIN_PART_WORDS]
    return parts if len(parts) > 1 else [clause]


# Who did what in a part of a clause. A part told as a step of the work by the candidate or their team
# ("I worked with the IT supplier to ...", "and then we moved two crews"): its subject is "I" or "we"
# and its verb an action, not a being ("I was", "I'm", "I've been", "I think"). A step tells what was
# done, not how big the candidate's part was: the role head reads an "I" step as leading or as nothing,
# never as a smaller part or someone else's ("I did the research, designed every step and ran the tests"
# is no claim to be junior), and a "we" step as nothing ("we filed manually" says nothing of whose
# call it was). A part with no subject of its own ("wrote up the user stories", "for the upload
# step") goes on with the one before it; "I did not lead it" is a part, told by what was not done.
_OPENERS = r"(?:(?:and|so|then|but|also|just|basically|actually|yeah|well|like|okay|ok|first|after that)\W+)*"
_BEING = r"(?:am|was|were|'m|'s|is|are|being|been|seem|seemed|felt|feel|think|guess|mean|suppose)\b"
# A short phrase of when or where may come first ("Over six months I doubled it", "In March we moved").
_SETTING = r"(?:(?:over|in|within|during|after|before|by|for|last|this|on|at)\s+(?:[\w'-]+\s+){0,3}?)?"
_STEP = re.compile(
    rf"^\W*{_OPENERS}{_SETTING}(?:I|we)(?:'ve|'d|\s+(?:have|had|would|will|then|also|just|\w+ly))*\s+"
    rf"(?!{_BEING}|not\b)[a-z]+",
    re.IGNORECASE,
)
_OWN_SUBJECT = re.compile(
    rf"^\W*{_OPENERS}(?:[A-Z]|(?:i|we|he|she|they|it|you|that|this|there|the|our|my|his|her|their|a|an)\b)"
)


def steps(parts: Sequence[str]) -> list[bool]:
    """Which of a clause's parts (`fragments`) are told as steps of the work."""
    return [who is not None for who in steps_by(parts)]


_WE = re.compile(rf"^\W*{_OPENERS}{_SETTING}we\b", re.IGNORECASE)


def steps_by(parts: Sequence[str]) -> list[str | None]:
    """Who does each of a clause's parts told as a step: "I", "we", or None for a part that is no step."""
    out: list[str | None] = []
    for part in parts:
        if _STEP.search(part):
            who: str | None = "we" if _WE.search(part) else "I"
        else:
            who = out[-1] if out and not _OWN_SUBJECT.search(part) else None
        out.append(None if who is None or NEGATION.search(part) else who)
    return out


_LEAD, _NO_ROLE = ROLES.index("lead"), ROLES.index("none")


def _as_step(row: np.ndarray) -> np.ndarray:
    """A role reading with only leading kept: the rest goes to "none"."""
    step = np.zeros_like(row)
    step[_LEAD], step[_NO_ROLE] = row[_LEAD], 1.0 - row[_LEAD]
    return step


def _surest(rows: np.ndarray) -> int:
    """The row whose strongest reading other than "none" (the last class) is strongest."""
    return int(np.argmax(rows[:, :-1].max(axis=1)))


def _last_told(rows: np.ndarray) -> int:
    """The last row read as something other than "none": a clause tells its ending last ("I rewrote the
    letter, tested it with 12 claimants, and calls dropped by 30%"); failing that, the surest row."""
    told = [i for i in range(len(rows)) if rows[i, -1] < 0.5]
    return told[-1] if told else _surest(rows)


READINGS = ("outcome", "role")


def read_stance(
    texts: Sequence[str],
    meaning: Meaning,
    heads: StanceHeads,
    wanted: Sequence[bool] | None = None,
    reads: Collection[str] = READINGS,
) -> Stance | None:
    """The clauses' stances, or None when the model behind `meaning` is not the one the heads expect.
    Clauses not `wanted` are not sent to the model (it costs tens of ms a clause) and read as "none".

    `reads`: the readings the caller will use. A clause's outcome is its last part told as an ending
    (`_last_told`), whatever its earlier parts read; so when the role is not wanted, the parts go to the
    model from the last one back, and those before the first that tells an ending are never sent (their
    role then reads "none"). When the outcome is not wanted, a part told as a step done by "we" is not
    sent (its role reads "none" whatever its vector; its outcome "none"). The readings the caller uses
    are those it would get from every part: the same findings for fewer tokens."""
    if meaning.embedder is None or meaning.embedder.name != heads.embedder:
        return None
    wanted = list(wanted) if wanted is not None else [True] * len(texts)
    pieces = [fragments(t) if w else [] for t, w in zip(texts, wanted, strict=True)]
    dim = meaning.embedder.dim
    nothing_o, nothing_r = np.eye(len(OUTCOMES))[-1], np.eye(len(ROLES))[-1]
    if "role" not in reads:
        return _outcomes_only(texts, pieces, meaning, heads)
    who_by_piece = [steps_by(p) for p in pieces]
    # Parts whose vectors can change a reading the caller uses: all of them, save "we" steps when only
    # the role is read.
    sent = [[not ("outcome" not in reads and who == "we") for who in by] for by in who_by_piece]
    flat = [f for p, keep in zip(pieces, sent, strict=True) for f, k in zip(p, keep, strict=True) if k]
    embedded = np.asarray(meaning.embed(flat), dtype=np.float32) if flat else np.zeros((0, dim), np.float32)
    x = features(flat, embedded)
    outcome_read, role_read = heads.outcome.probabilities(x), heads.role.probabilities(x)
    was_sent = np.array([k for keep in sent for k in keep], dtype=bool)
    vectors = np.zeros((len(was_sent), dim), dtype=np.float32)
    outcome = np.tile(nothing_o, (len(was_sent), 1)).astype(outcome_read.dtype)  # the heads' own precision
    role = np.tile(nothing_r, (len(was_sent), 1)).astype(role_read.dtype)
    vectors[was_sent], outcome[was_sent], role[was_sent] = embedded, outcome_read, role_read
    for k, who in enumerate(w for by in who_by_piece for w in by):
        if who is not None:  # a step done by "we" tells nothing of the candidate's own part
            role[k] = _as_step(role[k]) if who == "I" else nothing_r
    rows_o, rows_r, rows_v, said = [], [], [], []
    at = 0
    for p in pieces:
        if not p:
            said.append("")
            rows_o.append(nothing_o)
            rows_r.append(nothing_r)
            rows_v.append(np.zeros(dim, dtype=np.float32))
            continue
        span = slice(at, at + len(p))
        o = _last_told(outcome[span])
        said.append(p[o])
        rows_o.append(outcome[span][o])
        rows_v.append(vectors[span][o])
        rows_r.append(role[span][_surest(role[span])])
        at += len(p)
    shape = (len(texts), 0)
    if not texts:
        return Stance(np.zeros(shape), np.zeros(shape), np.zeros((0, dim)))
    return Stance(np.stack(rows_o), np.stack(rows_r), np.stack(rows_v), tuple(said))


def _outcomes_only(
    texts: Sequence[str], pieces: list[list[str]], meaning: Meaning, heads: StanceHeads
) -> Stance:
    """`read_stance` for the outcome alone: each clause's parts read from the last one back, in one model
    call per round for every clause still unsettled, until a part tells an ending (`_last_told`'s pick);
    a clause none of whose parts does is read whole, as `_last_told` then picks its surest part."""
    dim = meaning.embedder.dim if meaning.embedder is not None else 0
    nothing_o, nothing_r = np.eye(len(OUTCOMES))[-1], np.eye(len(ROLES))[-1]
    read: list[dict[int, tuple[np.ndarray, np.ndarray]]] = [{} for _ in pieces]  # part -> (outcome, vector)
    unsettled = [i for i, p in enumerate(pieces) if p]
    back = 1
    while unsettled:
        asked = [(i, len(pieces[i]) - back) for i in unsettled if back <= len(pieces[i])]
        if not asked:
            break
        flat = [pieces[i][j] for i, j in asked]
        vectors = np.asarray(meaning.embed(flat), dtype=np.float32)
        outcome = heads.outcome.probabilities(features(flat, vectors))
        for (i, j), row, vector in zip(asked, outcome, vectors, strict=True):
            read[i][j] = (row, vector)
        unsettled = [i for i in unsettled if not any(row[-1] < 0.5 for row, _ in read[i].values())]
        back += 1
    rows_o, rows_v, said = [], [], []
    for p, known in zip(pieces, read, strict=True):
        if not p:
            rows_o.append(nothing_o)
            rows_v.append(np.zeros(dim, dtype=np.float32))
            said.append("")
            continue
        parts = sorted(known)  # the parts read: a suffix of the clause's parts
        o = parts[_last_told(np.stack([known[j][0] for j in parts]))]
        rows_o.append(known[o][0])
        rows_v.append(known[o][1])
        said.append(p[o])
    if not texts:
        shape = (0, 0)
        return Stance(np.zeros(shape), np.zeros(shape), np.zeros((0, dim)))
    roles = np.tile(nothing_r, (len(texts), 1))
    return Stance(np.stack(rows_o), roles, np.stack(rows_v), tuple(said))
