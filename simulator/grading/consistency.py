"""Consistency with round one: which round-one story an answer retells, and what changed.

The answer is matched to a round-one answer (and to round-one note lines) by the content words and
figures they share; none when the overlap is too weak. Claims of the same category and subject are
then compared under the tolerances of consistency.yaml, and each difference is reported with its
kind, its category and both rounds quoted verbatim.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from simulator.grading.claims import Claim, extract
from simulator.grading.rubric import ConsistencyRubric, StarRubric
from simulator.grading.text import Text, analyse, content_stems
from simulator.models import Consistency, Finding, RoundOne

NOTES_LABEL = "round-one notes"
_NOTE_SPLIT = re.compile(r"\n\s*(?:[-*•]|\d+[.)])?\s*|(?<=[.!?])\s+(?=[A-Z])")
RESULT_CATEGORIES = ("outcome",)
_CACHE: dict[tuple[int, int, str], tuple[Text, list[Claim], set[str]]] = {}
_CACHE_SIZE = 512


@dataclass
class Story:
    """One round-one answer or one line of the round-one notes, read."""

    label: str
    text: Text
    claims: list[Claim]
    stems: set[str]
    is_note: bool


def read(text: str, star: StarRubric, rubric: ConsistencyRubric) -> tuple[Text, list[Claim], set[str]]:
    """Round one is re-read for every answer of a session: cache it (pure, keyed by the text)."""
    key = (id(star), id(rubric), text)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.clear()
        analysed = analyse(text, star)
        hit = (analysed, extract(analysed, rubric), content_stems(analysed.clean))
        _CACHE[key] = hit
    return hit


def stories(round_one: RoundOne, star: StarRubric, rubric: ConsistencyRubric) -> list[Story]:
    out = []
    for qa in round_one.answers:
        if qa.answer.strip():
            text, claims, stems = read(qa.answer, star, rubric)
            out.append(Story(qa.question, text, claims, stems, is_note=False))
    for chunk in _note_chunks(round_one.notes):
        text, claims, stems = read(chunk, star, rubric)
        if stems:
            out.append(Story(NOTES_LABEL, text, claims, stems, is_note=True))
    return out


def _note_chunks(notes: str) -> list[str]:
    return [c.strip() for c in _NOTE_SPLIT.split(notes or "") if c and len(c.strip().split()) >= 3]


# ---------------------------------------------------------------- which story


def _idf(docs: list[set[str]]) -> dict[str, float]:
    n = len(docs)
    df: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            df[w] = df.get(w, 0) + 1
    return {w: math.log(1 + n / d) for w, d in df.items()}


def _entities(claims: list[Claim]) -> set[tuple[str, str]]:
    return {(c.kind, str(c.value).lower()) for c in claims if c.category != "outcome"}


def match(
    answer: set[str], answer_claims: list[Claim], candidates: list[Story], rubric: ConsistencyRubric
) -> tuple[Story | None, list[Story]]:
    """The round-one answer this answer retells (or None), and the note lines about the same story."""
    if not candidates or not answer:
        return None, []
    idf = _idf([answer, *(s.stems for s in candidates)])
    norm = math.sqrt(sum(idf[w] for w in answer))
    mine = _entities(answer_claims)
    best: tuple[float, Story] | None = None
    notes: list[Story] = []
    for story in candidates:
        shared = answer & story.stems
        weight = sum(idf[w] for w in shared)
        theirs = sum(idf[w] for w in story.stems)
        if story.is_note:
            coverage = weight / theirs if theirs else 0.0
            if len(shared) >= 2 and coverage >= rubric.matching.notes_min_coverage:
                notes.append(story)
            continue
        if len(shared) < rubric.matching.min_shared_words:
            continue
        similarity = weight / (norm * math.sqrt(theirs)) if theirs and norm else 0.0
        similarity += rubric.matching.entity_bonus * len(mine & _entities(story.claims))
        if similarity >= rubric.matching.min_similarity and (best is None or similarity > best[0]):
            best = (similarity, story)
    return (best[1] if best else None), notes


# ---------------------------------------------------------------- comparing claims


@dataclass(frozen=True)
class Located:
    claim: Claim
    story: Story


def _same_figure(a: Claim, b: Claim, rubric: ConsistencyRubric) -> bool:
    tol = rubric.tolerances
    hedged = a.hedged or b.hedged
    if a.low <= b.top and b.low <= a.top:
        return True  # ranges overlap
    gap = min(abs(a.low - b.top), abs(b.low - a.top), abs(a.low - b.low))
    if a.category == "team_size":
        return gap <= (tol.hedged_team_size if hedged else tol.team_size)
    if a.kind == "percent" and gap <= tol.percent_points:
        return True
    relative = tol.hedged_relative if hedged else tol.relative
    if a.category == "duration":
        relative = max(relative, tol.duration_relative)
    return gap <= relative * max(a.top, b.top, 1e-9)


def _comparable(a: Claim, b: Claim) -> bool:
    if a.category != b.category or a.kind != b.kind:
        return False
    if a.category == "number":
        if a.is_change != b.is_change:
            return False
        if ("from" in (a.slot, b.slot) or "to" in (a.slot, b.slot)) and a.slot != b.slot:
            return False
    return not (a.category == "duration" and a.slot != b.slot)


def _flatters(a: Claim, b: Claim) -> bool:
    """Is round two's figure the better result for the candidate?"""
    if a.category != "number" or not a.change or a.change != b.change or a.slot == "from":
        return False
    bigger = b.top > a.top
    if a.slot == "to":
        return bigger if a.change > 0 else not bigger
    return bigger


def _figures(
    r1: list[Located], r2: list[Claim], category: str, rubric: ConsistencyRubric
) -> tuple[list[tuple[Located, Claim, str]], set[int]]:
    """Differences in figures of one category, and the round-two claims that agree with round one."""
    ones = [x for x in r1 if x.claim.category == category]
    twos = [c for c in r2 if c.category == category]

    def about_same(a: Claim, c: Claim) -> bool:
        # Same figure about the same thing: shared words, the very same value, or the only such
        # figure on each side.
        if a.subject & c.subject or category == "team_size" or (a.low, a.top) == (c.low, c.top):
            return True
        alone_then = sum(1 for y in ones if _comparable(y.claim, a)) == 1
        alone_now = sum(1 for d in twos if _comparable(a, d)) == 1
        return alone_then and alone_now

    said_then = {x.claim.low for x in r1 if x.claim.category in ("number", "team_size", "duration")}
    said_now = {c.low for c in r2 if c.category in ("number", "team_size", "duration")}
    agreed: set[int] = set()
    for x in ones:
        for c in twos:
            if _comparable(x.claim, c) and _same_figure(x.claim, c, rubric) and about_same(x.claim, c):
                agreed.add(id(c))
    out: list[tuple[Located, Claim, str]] = []
    used: set[int] = set()
    for x in ones:
        a = x.claim
        candidates = [c for c in twos if _comparable(a, c)]
        if not candidates or any(_same_figure(a, c, rubric) and about_same(a, c) for c in candidates):
            continue
        free = [c for c in candidates if id(c) not in agreed and id(c) not in used]
        related = [c for c in free if a.subject & c.subject]
        if (not related and category != "number") or (not related and a.is_change):
            # One figure of this kind on each side is the same figure, even without shared words.
            alike = [y for y in ones if _comparable(y.claim, a)]
            if len(alike) == 1 and len(candidates) == 1 and free:
                related = free
        if category == "team_size" and not related:
            related = free
        if not related:
            continue
        b = max(related, key=lambda c: (len(a.subject & c.subject), -abs(c.low - a.low)))
        if "plain" in (a.kind, b.kind) and (b.low in said_then or a.low in said_now):
            continue  # a bare figure that the other round also says, with some other unit: the same figure
        used.add(id(b))
        out.append((x, b, "embellishment" if _flatters(a, b) else "contradiction"))
    return out, agreed


def _sets(
    r1: list[Located], r2: list[Claim], category: str, kind_prefix: str
) -> list[tuple[Located, Claim, str]]:
    """Dates, outcomes: a difference when the two rounds share no value of the same kind."""
    out = []
    kinds = {
        x.claim.kind for x in r1 if x.claim.category == category and x.claim.kind.startswith(kind_prefix)
    }
    for kind in sorted(kinds):
        ones = [x for x in r1 if x.claim.kind == kind]
        twos = [c for c in r2 if c.kind == kind]
        if not twos or {str(x.claim.value) for x in ones} & {str(c.value) for c in twos}:
            continue
        out.append((ones[-1], twos[0], "contradiction"))
    return out


def _roles(r1: list[Located], r2: list[Claim]) -> list[tuple[Located, Claim, str]]:
    ones = [x for x in r1 if x.claim.category == "role"]
    twos = [c for c in r2 if c.category == "role"]
    if not ones or not twos or {x.claim.value for x in ones} & {c.value for c in twos}:
        return []
    a = max(ones, key=lambda x: x.claim.rank)
    b = max(twos, key=lambda c: c.rank)
    return [(a, b, "embellishment" if b.rank > a.claim.rank else "contradiction")]


def _names(r1: list[Located], r2: list[Claim], answer: Text) -> list[tuple[Located, Claim, str]]:
    out: list[tuple[Located, Claim, str]] = []
    reported: set[str] = set()
    for kind in sorted({x.claim.kind for x in r1 if x.claim.kind.startswith("slot:")}):
        ones = [x for x in r1 if x.claim.kind == kind]
        twos = [c for c in r2 if c.kind == kind]
        if not twos:
            continue
        v1 = {str(x.claim.value).lower() for x in ones}
        v2 = {str(c.value).lower() for c in twos}
        if any(a in b or b in a for a in v1 for b in v2):
            continue
        said_today = answer.clean.lower()
        said_then = " ".join(x.story.text.clean.lower() for x in ones)
        if any(re.search(rf"\b{re.escape(v)}\b", said_today) for v in v1):
            continue  # round two names round one's thing too: a second name, not a swap
        if any(re.search(rf"\b{re.escape(v)}\b", said_then) for v in v2):
            continue
        if v2 & reported:
            continue  # the same name caught by two slots ("when I was at X" is also "at X")
        reported |= v2
        out.append((ones[0], twos[0], "contradiction"))
    return out


def _credit(r1: list[Located], r2: list[Claim]) -> list[tuple[Located, Claim, str]]:
    out = []
    for x in r1:
        a = x.claim
        if not a.kind.startswith("credit:") or a.value != "other":
            continue
        if any(
            y.claim.kind == a.kind and y.claim.value == "self" and y.claim.subject & a.subject for y in r1
        ):
            continue
        if any(c.kind == a.kind and c.value == "other" for c in r2):
            continue  # round two still gives it to someone else too
        for b in r2:
            same_thing = a.subject & b.subject or (not a.subject and not b.subject)
            if b.kind == a.kind and b.value == "self" and same_thing:
                out.append((x, b, "embellishment"))
                break
    return out


def _explain(kind: str, category: str, r1: str, r2: str, rubric: ConsistencyRubric) -> str:
    template = rubric.explanations.get(f"{kind}.{category}") or rubric.explanations.get(kind) or "{r1} / {r2}"
    return template.replace("{r1}", r1).replace("{r2}", r2)


def _finding(kind: str, x: Located, b: Claim, answer: Text, rubric: ConsistencyRubric) -> Finding:
    a = x.claim
    return Finding(
        kind=kind,
        category=a.category,
        round_two_quote=answer.quote_clause(b.clause),
        round_one_quote=x.story.text.quote_clause(a.clause),
        explanation=_explain(kind, a.category, a.said, b.said, rubric),
    )


def _related_clause(story: Story, claim: Claim) -> int:
    scores = [(len(story.text.clause_stems(c.index) & claim.subject), -c.index) for c in story.text.clauses]
    best = max(range(len(scores)), key=lambda i: scores[i]) if scores else 0
    return best


def compare(
    answer: Text,
    answer_claims: list[Claim],
    story: Story | None,
    notes: list[Story],
    result_told: bool,
    rubric: ConsistencyRubric,
) -> list[Finding]:
    sources = ([story] if story else []) + notes
    r1 = [Located(c, s) for s in sources for c in s.claims]
    r2 = answer_claims
    diffs: list[tuple[Located, Claim, str]] = []
    agreed: set[int] = set()
    for category in ("number", "team_size", "duration"):
        found, ok = _figures(r1, r2, category, rubric)
        diffs += found
        agreed |= ok
    diffs += _sets(r1, r2, "date", "")
    diffs += _roles(r1, r2)
    diffs += _sets(r1, r2, "outcome", "outcome:")
    diffs += _names(r1, r2, answer)
    diffs += _credit(r1, r2)
    findings = [_finding(kind, x, b, answer, rubric) for x, b, kind in diffs]
    findings += _omission(r1, r2, answer, result_told, rubric)
    if sources:
        findings += _elaborations(sources[0], r1, r2, diffs, agreed, answer, rubric)
    return findings


def _omission(
    r1: list[Located], r2: list[Claim], answer: Text, result_told: bool, rubric: ConsistencyRubric
) -> list[Finding]:
    results = [
        x for x in r1 if x.claim.category == "outcome" or (x.claim.category == "number" and x.claim.is_change)
    ]
    results.sort(key=lambda x: (x.story.label, x.claim.start))  # the story's last result is its outcome
    if not results or result_told or not answer.clauses:
        return []
    if any(c.category == "outcome" or (c.category == "number" and c.is_change) for c in r2):
        return []
    x = results[-1]
    category = "outcome" if x.claim.category == "outcome" else "number"
    return [
        Finding(
            kind="omission",
            category=category,
            round_two_quote=answer.quote_clause(len(answer.clauses) - 1),
            round_one_quote=x.story.text.quote_clause(x.claim.clause),
            explanation=_explain("omission", category, x.claim.said, "", rubric),
        )
    ]


def _elaborations(
    story: Story,
    r1: list[Located],
    r2: list[Claim],
    diffs: list[tuple[Located, Claim, str]],
    agreed: set[int],
    answer: Text,
    rubric: ConsistencyRubric,
) -> list[Finding]:
    differing_claims = {id(b) for _, b, _ in diffs}
    differing_categories = {x.claim.category for x, _, _ in diffs}
    said_then = {(x.claim.kind, str(x.claim.value)) for x in r1}
    out: list[Finding] = []
    seen: set[str] = set()
    for c in r2:
        if len(out) >= rubric.max_elaborations:
            break
        if c.kind.startswith("credit:") or id(c) in agreed or id(c) in differing_claims:
            continue
        if c.category in differing_categories:
            continue
        if (c.kind, str(c.value)) in said_then or c.said.lower() in seen:
            continue
        seen.add(c.said.lower())
        clause = _related_clause(story, c)
        out.append(
            Finding(
                kind="elaboration",
                category=c.category,
                round_two_quote=answer.quote_clause(c.clause),
                round_one_quote=story.text.quote_clause(clause),
                explanation=_explain("elaboration", c.category, "", c.said, rubric),
            )
        )
    return out


def check(
    answer: Text,
    round_one: RoundOne,
    result_told: bool,
    star: StarRubric,
    rubric: ConsistencyRubric,
    answer_claims: list[Claim] | None = None,
) -> Consistency:
    """The consistency part of a grade: the matched round-one question and every difference found."""
    if round_one.is_empty():
        return Consistency()
    candidates = stories(round_one, star, rubric)
    if answer_claims is None:
        answer_claims = extract(answer, rubric)
    story, notes = match(content_stems(answer.clean), answer_claims, candidates, rubric)
    if story is None and not notes:
        return Consistency()
    findings = compare(answer, answer_claims, story, notes, result_told, rubric)
    label = story.label if story else NOTES_LABEL
    return Consistency(findings=findings, matched_round_one=label)
