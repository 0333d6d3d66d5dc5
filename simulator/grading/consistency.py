"""Consistency with round one: which round-one story an answer retells, and what changed.

The answer is matched to a round-one answer (and to round-one note lines) by the content words and
figures they share, or failing that by meaning; none when neither is close. Facts told in another
round-one answer ("I lead a team of 9" in "tell me about your role") are compared too when their
clause and the answer's clause say the same thing (alignment.py). Claims of the same category and
subject are then compared as normalised amounts (quantities.py) under the tolerances of
consistency.yaml, and each difference is reported with its kind, its category and both rounds quoted
verbatim. A new detail is reported as one that does not conflict only when it is aligned with a
round-one clause with confidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from simulator.grading.actor_swap import actor_swap
from simulator.grading.alignment import ClauseAligner
from simulator.grading.change_ratio import Ratio, bigger, ratios, same_ratio
from simulator.grading.claims import Claim, extract
from simulator.grading.clients import changed_client
from simulator.grading.named_slots import slot_swaps
from simulator.grading.outcome_change import (
    Change,
    endings,
    is_setting,
    is_step,
    judged_change,
    outcome_change,
    shipped_valence,
)
from simulator.grading.quantities import Amount, same_amount, same_time_of_year
from simulator.grading.rates import readings
from simulator.grading.reasons import changed_reason, denied
from simulator.grading.role_change import (
    LEAD_WORDS,
    Said,
    lines_said,
    part,
    role_can_change,
    role_change,
    said_in,
    title_given_away,
)
from simulator.grading.rubric import ConsistencyRubric, StarRubric
from simulator.grading.stance import read_stance, shipped_stance
from simulator.grading.text import Text, analyse, content_stems, stem
from simulator.grading.threads import thread
from simulator.grading.word_swap import swaps
from simulator.models import Consistency, Finding, RoundOne

if TYPE_CHECKING:  # the semantic seam is only named here; it is passed in
    import numpy as np

    from simulator.grading.semantic import ClauseReading, Meaning

NOTES_LABEL = "round-one notes"
_NOTE_SPLIT = re.compile(r"\n\s*(?:[-*•]|\d+[.)])?\s*|(?<=[.!?])\s+(?=[A-Z])")
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


def _question_words(rubric: ConsistencyRubric) -> frozenset[str]:
    return frozenset(stem(w) for w in rubric.matching.question_stopwords)


def _idf(docs: list[set[str]]) -> dict[str, float]:
    n = len(docs)
    df: dict[str, int] = {}
    for doc in docs:
        for w in doc:
            df[w] = df.get(w, 0) + 1
    return {w: math.log(1 + n / d) for w, d in df.items()}


def _entities(claims: list[Claim]) -> set[tuple[str, str]]:
    """Figures and names: "I led it" or "we launched" is in every story and tells none apart."""
    return {
        (c.kind, str(c.value).lower())
        for c in claims
        if c.category != "outcome" and not c.kind.startswith("credit:")
    }


def match(
    answer: set[str], answer_claims: list[Claim], candidates: list[Story], rubric: ConsistencyRubric
) -> tuple[Story | None, list[Story]]:
    """The round-one answer this answer retells (or None), and the note lines about the same story."""
    if not candidates or not answer:
        return None, []
    idf = _idf([answer, *(s.stems for s in candidates)])
    # Sums over sets of words use fsum: a plain sum depends on the order the set is walked in, which
    # Python's string hashing changes from one process to the next, so two stories that share words
    # alike won or lost by a last bit, and the same answer was matched to another story in 1 run of 6.
    norm = math.sqrt(math.fsum(idf[w] for w in answer))
    mine = _entities(answer_claims)
    best: tuple[float, Story] | None = None
    notes: list[Story] = []
    for story in candidates:
        shared = answer & story.stems
        weight = math.fsum(idf[w] for w in shared)
        theirs = math.fsum(idf[w] for w in story.stems)
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


def _one_line(story: Story, rubric: ConsistencyRubric) -> bool:
    return len(story.text.original.split()) <= rubric.matching.one_line_words


def match_by_meaning(
    answer: Text,
    candidates: list[Story],
    embed: Callable[[Sequence[str]], np.ndarray],
    rubric: ConsistencyRubric,
) -> Story | None:
    """The round-one answer a retelling in other words retells, when no story shares enough words
    ("the packaging one" for "our cardboard contract"): the whole answer's vector is much closer to
    it than to any other. Strict (consistency.yaml, matching): two stories of one job are close too."""
    answers = [s for s in candidates if not s.is_note]
    if not answers or not answer.original.strip():
        return None
    # The words as said, as the bar was calibrated: the clean copy drops fillers.
    vectors = embed([answer.original, *(s.text.original for s in answers)])
    closeness = sorted(((float(vectors[0] @ v), i) for i, v in enumerate(vectors[1:])), reverse=True)
    best, at = closeness[0]
    rule = rubric.matching
    # With one round-one answer there is no other to be closer than: it must clear the bar by the margin.
    runner_up = closeness[1][0] if len(closeness) > 1 else rule.meaning_min_similarity
    if best >= rule.meaning_min_similarity and best - runner_up >= rule.meaning_min_margin:
        return answers[at]
    return None


# ---------------------------------------------------------------- comparing claims


@dataclass(frozen=True)
class Located:
    claim: Claim
    story: Story


def _same_figure(a: Claim, b: Claim, rubric: ConsistencyRubric) -> bool:
    """The same amount, within the tolerances; rates per different periods as a year's worth each."""
    return any(
        same_amount(
            Amount(a.low * x, a.top * x, a.hedged),
            Amount(b.low * y, b.top * y, b.hedged),
            a.category,
            a.kind,
            rubric,
        )
        for x, y in readings(a.per, b.per)
    )


def _same_kind(a: Claim, b: Claim) -> bool:
    if a.kind == b.kind:
        return True
    # "£10,000" and "fifty grand": money either way, even when one names no currency.
    if a.kind.startswith("money:") and b.kind.startswith("money:"):
        return "money:" in (a.kind, b.kind)
    # "300 tickets" and "tickets went from 300 a week": the counted thing named just before a bare figure.
    counted, bare = (a, b) if a.kind.startswith("count:") else (b, a)
    return bare.kind == "plain" and counted.kind.startswith("count:") and counted.kind[6:] in bare.near


def _comparable(a: Claim, b: Claim, phased: bool = True) -> bool:
    """Two figures that may be one fact told twice. `phased=False` lets a starting point and an ending
    be lined up, for agreement only: the same amount said again is the same fact, wherever it sits."""
    if a.category != b.category or not _same_kind(a, b):
        return False
    if phased and _before_and_after(a, b):
        return False
    if a.category == "number":
        if a.is_change != b.is_change and not (_counted(a) and _counted(b)):
            return False
        if ("from" in (a.slot, b.slot) or "to" in (a.slot, b.slot)) and a.slot != b.slot:
            return False
    return not (a.category == "duration" and a.slot != b.slot)


def _counted(c: Claim) -> bool:
    """A number of things that a verb acts on ("signed 18 new accounts", "cut 40 SKUs") is still that
    number of things: told with another verb ("i got fifteen", "we delisted 75 products") it is the
    same fact. A share or an amount of money that rose is not its level, and "by", "from" and "to"
    say where a figure sits in a change."""
    return (c.kind == "plain" or c.kind.startswith("count:")) and not c.slot


def _before_and_after(a: Claim, b: Claim) -> bool:
    """A starting point in round one against the state after the work in round two ("churn was 38%"
    / "31% after two quarters"): the story's before and after, not one fact told twice. A round-one
    figure that is itself a change or a result ("from 22 to 14 minutes") is compared as usual. A span
    told as a state ("time to hire was 58 days" / "after two quarters it was 41 days") is a figure too."""
    if a.category == "duration" and not a.slot == b.slot == "span":
        return False
    if a.category not in ("number", "duration"):
        return False
    if a.phase == "before" and b.phase != "before":
        return True
    return b.phase == "after" and not a.phase and not a.is_change


# A clause the STAR reading takes for the candidate's action or for the result, and one it leans to
# reading as a result.
SURE_ACTION = 0.5
SURE_RESULT = 0.5
LEANS_RESULT = 0.3


def _phased_by_story(text: Text, claims: list[Claim], reading: ClauseReading) -> list[Claim]:
    """A figure with no lead-in words that place it ("we got it under two seconds on mobile") is where
    things ended when its clause reads as the result, or leans to it and comes after the candidate
    acted: what the clause is in its story says so, whatever words open it. Never a change ("from 22
    minutes to 14" tells its own before and after) and never the story's first clause, where it starts
    (a one-line answer reads as a result as often as a setting). Round one is read the same way, so two
    endings told apart are still compared."""
    action, result = reading.part("action"), reading.part("result")
    setting = reading.part("situation") + reading.part("task")
    acted = [bool(a >= SURE_ACTION) for a in action]
    out = []
    for c in claims:
        i = c.clause
        leans = i > 0 and (result[i] >= SURE_RESULT or (result[i] >= LEANS_RESULT and any(acted[:i])))
        ended = (
            c.category == "number" and not c.phase and not c.is_change and leans and result[i] > setting[i]
        )
        out.append(replace(c, phase="after") if ended else c)
    return out


def _flatters(a: Claim, b: Claim) -> bool:
    """Is round two's figure the better result for the candidate? A bigger team of their own is too.
    A duration is never one: a shorter span may be a faster result or less time in a role."""
    if a.category == "team_size":
        return b.top > a.top and "<other>" not in a.qualifier
    # "saved about £60k" / "took out a quarter of a million": one says it is a gain, the other does not.
    change = a.change if a.change == b.change or not b.change else b.change if not a.change else 0
    if a.kind.startswith("money:") and a.slot != "to":
        change = change or a.change  # "saved about £45k" / "cut spend by £200k": both are money kept
    if a.category != "number" or not change or a.slot == "from":
        return False
    bigger = b.top * (a.per / b.per if a.per and b.per else 1.0) > a.top
    if a.slot == "to":
        return bigger if change > 0 else not bigger
    return bigger


def _same_head(a: Claim, c: Claim) -> bool:
    """The words nearest one figure are among the words around the other: "conversion went up by 12%"
    and "lifted conversion by 20%" are both about conversion; "retention improved by 3%" is not."""
    return bool(a.head & c.near or c.head & a.near)


def _same_subject(a: Claim, c: Claim, category: str, alone: bool, rubric: ConsistencyRubric) -> bool:
    """Are two figures of one category figures of the same thing? Only then can they disagree.

    The words right around them overlap ("p95 latency ... by 30%" / "cut latency by 60%"), or their
    role in the story is the same: both the story's only headline change, both the duration of the
    whole project, both the candidate's own team. A duration of the whole project and one of a step in
    it ("over four months" / "dual-write for two weeks") are never the same thing.
    """
    if a.scope and c.scope and a.scope != c.scope:
        return False
    if category == "team_size":
        other = "<other>" in a.qualifier, "<other>" in c.qualifier
        if other[0] != other[1]:
            return False
        named_a, named_c = a.qualifier - {"<other>"}, c.qualifier - {"<other>"}
        return not (named_a and named_c and not named_a & named_c)
    rule = rubric.same_subject
    if category == "duration":
        return len(a.near & c.near) >= rule.min_shared_duration or a.scope == c.scope == "whole"
    if _same_head(a, c):
        return True
    # The only figure of its kind on each side is the same figure told twice: the story's headline
    # change, or the only count of the same thing ("200 tickets a week" / "80 tickets a week").
    if not alone:
        return False
    if a.kind.startswith("count:"):
        return _counted(a) and _counted(c)  # the counted noun is what they share
    # Two headline changes that name different things ("revenue" / "conversion") are two results.
    named_apart = bool(a.head and c.head)  # each names what it measures, and they differ
    return a.is_change and c.is_change and not named_apart


def _comparable_by_meaning(a: Claim, c: Claim) -> bool:
    """Two figures that may be one fact retold: of one kind, in the same place in a change ("saved
    about £60k" and "took out a quarter of a million" are both the saving, whichever verb says so)."""
    if _comparable(a, c):
        return True
    loose = a.category == c.category == "number" and _kin(a, c)
    return loose and not (a.slot or c.slot) and not _before_and_after(a, c)


def _kin(a: Claim, c: Claim) -> bool:
    """Figures a retold clause may tell as each other: money of one kind, or counts of things whatever
    noun names them ("I placed 22 candidates" / "i did thirty-one", "cut 40 SKUs" / "delisted 75
    products"). Only clauses lined up by meaning compare them (`_retold`)."""
    if a.kind.startswith("money:"):
        return _same_kind(a, c)
    if not (a.category == c.category == "number" and _counted(a) and _counted(c)):
        return False
    # Two figures that each name what they count, and name different things ("30 staff" / "two
    # supervisors"), are two facts; one that names nothing ("i did thirty-one") may be the other.
    return a.kind == c.kind or not (_names_its_noun(a) and _names_its_noun(c))


def _names_its_noun(c: Claim) -> bool:
    return c.kind.startswith("count:") and c.kind[6:] in {
        stem(w) for w in re.findall(r"[\w'-]+", c.said.lower())
    }


def _at(c: Claim) -> int:
    return c.start


def _values(claims: list[Claim]) -> set[tuple[float, float]]:
    """The figures told, of any category: one said in both rounds ("30 staff" / "thirty people") is
    lined up, whatever it is read as."""
    return {(c.low, c.top) for c in claims if c.category in ("number", "team_size", "duration")}


def _retold(
    x: Located,
    c: Claim,
    ones: list[Located],
    twos: list[Claim],
    aligner: ClauseAligner,
    told: tuple[set[tuple[float, float]], set[tuple[float, float]]] = (set(), set()),
) -> bool:
    """Is `c` round one's figure `x` retold, by meaning? Round one's clause is the closest to round
    two's (passing over clauses whose figures are told again) and close enough, and the two clauses
    hold as many figures of the kind not said in the other round, `a` and `c` in the same place: a
    clause's vector cannot say which of two figures in it is which, the order they are told in can."""
    a = x.claim
    if a.is_change and c.is_change and a.head and c.head and not a.kind.startswith("money:"):
        # Two changes, each naming what it measures ("conversion went up by 12%" / "retention improved
        # by 3%"): the words have said they differ. Money is money whatever it is called.
        return False
    # Several figures of one kind in each clause are lined up in the order told, when there are as
    # many on each side ("of the 22 who came, 17 passed" / "of about twenty, only eleven got it").
    mine = sorted((y.claim for y in ones if y.story is x.story and y.claim.clause == a.clause), key=_at)
    mine = [y for y in mine if _same_kind(y, a) or _kin(y, a)]
    theirs = sorted((d for d in twos if d.clause == c.clause and (_same_kind(d, c) or _kin(d, c))), key=_at)
    # A figure said in both rounds ("a target of 10" / "the target was ten") is lined up already: the
    # rest are.
    then = {(y.claim.low, y.claim.top) for y in ones if y.story is x.story} | told[0]
    now = {(d.low, d.top) for d in twos} | told[1]
    left = [y for y in mine if (y.low, y.top) not in now], [d for d in theirs if (d.low, d.top) not in then]
    if a not in left[0] or c not in left[1] or len(left[0]) != len(left[1]):
        return False
    if left[0].index(a) != left[1].index(c):
        return False
    # The closest round-one clause, passing over those whose figures of this kind are all told again
    # already: "My target was 12", read with the clause before it, is close to "the target was twelve
    # and i got fifteen" too, but its figure is lined up.
    kin = [y.claim for y in ones if y.story is x.story and (_same_kind(y.claim, a) or _kin(y.claim, a))]
    lined = {y.clause for y in kin if (y.low, y.top) in now} - {
        y.clause for y in kin if (y.low, y.top) not in now
    }
    # Only a round-one clause holding a figure of this kind can be where this figure was told: a clause
    # that tells two facts ("we delisted around 75 products, gave the space to ready meals, and sales
    # went up 9%") is often closest to the one about the other fact, with no figure of this kind. On
    # two independent writers' stories (tools/story_alignment.py) the kind cut wrong alignments of
    # figures by more than half and found changed figures the closest clause missed.
    holding = {y.clause for y in kin} - lined
    scores = [(aligner.similarity(c.clause, x.story.text, i), i) for i in sorted(holding)]
    score, best = max(scores, default=(0.0, -1))
    # Two clauses that each hold the same run of figures ("of the 22 who came, 17 passed") are lined up
    # by the figures too: a looser closeness in meaning is enough.
    threshold = aligner.threshold() if len(mine) < 2 else aligner.loose_threshold()
    if best != a.clause or score < threshold:
        return False
    rivals = {d.clause for d in twos if d.clause != c.clause and _comparable_by_meaning(a, d)}
    return all(aligner.similarity(r, x.story.text, a.clause) < score for r in rivals)


def _lone_counts_aligned(
    x: Located,
    r1: list[Located],
    r2: list[Claim],
    taken: set[int],
    told: tuple[set[tuple[float, float]], set[tuple[float, float]]],
    aligner: ClauseAligner,
    rubric: ConsistencyRubric,
) -> list[Claim]:
    """A count retold in a clause that the same-fact scorer reads, with confidence, as retelling round
    one's clause, each the only count in its clause not told in the other round: the same count, whatever
    nouns name it ("three hundred password reset tickets a week" / "nearly a thousand password resets")."""
    a = x.claim
    if not _counted(a) or x.story.is_note or a.phase == "before":
        return []

    def lone(claims: list[Claim], clause: int, other_round: set[tuple[float, float]]) -> list[Claim]:
        return [
            d
            for d in claims
            if d.clause == clause
            and d.category == "number"
            and _counted(d)
            and (d.low, d.top) not in other_round
        ]

    mine = lone([y.claim for y in r1 if y.story is x.story], a.clause, told[1])
    if mine != [a]:
        return []
    out = []
    for clause in sorted(
        {c.clause for c in r2 if id(c) not in taken and c.category == "number" and _counted(c)}
    ):
        theirs = lone(r2, clause, told[0])
        if len(theirs) != 1 or id(theirs[0]) in taken:
            continue
        at, likely = aligner.same_fact(clause, x.story.text, x.story.claims)
        if at == a.clause and likely >= rubric.alignment.min_same_count:
            out.append(theirs[0])
    return out if len(out) == 1 else []


def _figures(
    r1: list[Located],
    r2: list[Claim],
    category: str,
    rubric: ConsistencyRubric,
    aligner: ClauseAligner | None = None,
) -> tuple[list[tuple[Located, Claim, str]], set[int]]:
    """Differences in figures of one category, and the round-two claims that agree with round one.
    With sentence vectors, a figure the words around it do not tie to round one's is compared when
    its clause retells round one's clause (`_retold`)."""
    ones = [x for x in r1 if x.claim.category == category]
    twos = [c for c in r2 if c.category == category]
    by_meaning = aligner is not None and aligner.by_meaning

    # Is a round-one figure the only one of its kind on each side? Counted once per figure, not per
    # pair compared (which made a long answer's figures quadratic).
    alone = {
        id(x.claim): sum(1 for y in ones if _comparable(y.claim, x.claim)) == 1
        and sum(1 for d in twos if _comparable(x.claim, d)) == 1
        for x in ones
    }

    def about_same(a: Claim, c: Claim) -> bool:
        if (a.low, a.top) == (c.low, c.top):
            return True  # the very same value: nothing to report, whatever it is about
        return _same_subject(a, c, category, alone[id(a)], rubric)

    said_then = {x.claim.low for x in r1 if x.claim.category in ("number", "team_size", "duration")}
    said_now = {c.low for c in r2 if c.category in ("number", "team_size", "duration")}
    before_a_unit = _before_a_unit([x.claim for x in r1]), _before_a_unit(r2)
    agreed: set[int] = set()
    for x in ones:
        for c in twos:
            if _comparable(x.claim, c, False) and _same_figure(x.claim, c, rubric) and about_same(x.claim, c):
                agreed.add(id(c))
    out: list[tuple[Located, Claim, str]] = []
    used: set[int] = set()
    for x in ones:
        a = x.claim
        candidates = [c for c in twos if _comparable(a, c)]
        told_again = [c for c in twos if _comparable(a, c, False)]
        if any(_same_figure(a, c, rubric) and about_same(a, c) for c in told_again):
            continue
        free = [c for c in candidates if id(c) not in agreed and id(c) not in used]
        related = [c for c in free if _same_subject(a, c, category, alone[id(a)], rubric)]
        if not related and by_meaning and not x.story.is_note:
            assert aligner is not None
            taken = agreed | used
            loose = [c for c in twos if id(c) not in taken and _comparable_by_meaning(a, c)]
            if any(_same_figure(a, c, rubric) for c in loose if c not in candidates):
                continue  # told again, in a clause the verbs frame otherwise
            told = _values([y.claim for y in r1 if y.story is x.story]), _values(r2)
            related = [c for c in loose if _retold(x, c, ones, twos, aligner, told)]
            if not related:
                related = _lone_counts_aligned(x, r1, r2, agreed | used, told, aligner, rubric)
        if not related:
            continue
        b = max(
            related, key=lambda c: (len(a.near & c.near), len(a.subject & c.subject), -abs(c.low - a.low))
        )
        if "plain" in (a.kind, b.kind) and (b.low in said_then or a.low in said_now):
            continue  # a bare figure that the other round also says, with some other unit: the same figure
        if "plain" in (a.kind, b.kind) and (
            (not b.slot and b.low in before_a_unit[0]) or (not a.slot and a.low in before_a_unit[1])
        ):
            continue  # "twenty-five" / "a target of 25 minutes": the same, unless it ends a change
        if _same_figure(a, b, rubric):
            continue  # lined up by meaning, and the same amount ("a third" / "roughly 33 percent")
        used.add(id(b))
        out.append((x, b, "embellishment" if _flatters(a, b) else "contradiction"))
    return out, agreed


def _before_a_unit(claims: list[Claim]) -> set[float]:
    """The numbers a round says before a unit of time ("25 minutes": 25), as said, not in days."""
    return {c.as_said for c in claims if c.as_said is not None}


def _changed_ratio(
    r1: list[Located], r2: list[Claim], rubric: ConsistencyRubric
) -> list[tuple[Ratio, Located, Ratio, str]]:
    """A change told by its size in one round and by its two ends in the other ("orders more than
    doubled" / "went from about 1,100 to 1,500"), compared as after / before (change_ratio.py). Only
    a change not told the same way again, in the same direction, and tied to the other by the words
    around it or as the only such change on each side: the story's headline result."""
    said = {c.low for c in r2}, {x.claim.low for x in r1}
    by_story: dict[int, list[Located]] = {}
    for x in r1:
        by_story.setdefault(id(x.story), []).append(x)
    located = {id(x.claim): x for x in r1}
    ones = [
        r
        for xs in by_story.values()
        for r in ratios([x.claim for x in xs])
        if not all(e.low in said[0] for e in r.ends)
    ]
    twos = [r for r in ratios(r2) if not all(e.low in said[1] for e in r.ends)]
    tol = rubric.tolerances
    out: list[tuple[Ratio, Located, Ratio, str]] = []
    for a in ones:
        rising = a.value > 1
        same_way = [
            b for b in twos if b.value != 1 and (b.value > 1) == rising and len(a.ends) + len(b.ends) == 3
        ]
        if not same_way or a.value == 1:
            continue
        alone = len(same_way) == 1 and sum(1 for o in ones if o.value != 1 and (o.value > 1) == rising) == 1
        tied = [b for b in same_way if any(e.near & f.near for e in a.ends for f in b.ends)]
        apart = _named_apart(a, same_way[0], _number_words(rubric))
        b = tied[0] if len(tied) == 1 else same_way[0] if alone and not apart else None
        if b is None or same_ratio(a, b, tol.change_ratio, tol.hedged_change_ratio):
            continue
        out.append((a, located[id(a.quoted)], b, "embellishment" if bigger(a, b) else "contradiction"))
        break
    return out


def _number_words(rubric: ConsistencyRubric) -> frozenset[str]:
    nw = rubric.number_words
    return frozenset(w.lower() for w in [*nw.units, *nw.tens, *nw.scales])


def _named_apart(a: Ratio, b: Ratio, numbers: frozenset[str]) -> bool:
    """Two changes that each name what they measure, and name different things ("hosting costs dropped
    by 30%" / "deploy time went from two hours to fifteen minutes"): two results, not one told twice.
    A number word near a figure names nothing ("it roughly halved them, so like one in sixteen")."""
    heads_a = frozenset().union(*(e.head for e in a.ends)) - numbers
    heads_b = frozenset().union(*(f.head for f in b.ends)) - numbers
    near_a = frozenset().union(*(e.near for e in a.ends))
    near_b = frozenset().union(*(f.near for f in b.ends))
    return bool(heads_a and heads_b) and not (heads_a & near_b or heads_b & near_a)


def _is_result(c: Claim) -> bool:
    return c.category == "outcome" or (c.category == "number" and c.is_change)


def _gained_after(c: Claim) -> bool:
    """A result that came some time after the work ("within two weeks late deliveries had fallen").
    The work finished, delivered or launched is not one: "we finished the installation in six weeks"
    is how long the work took, as "it took us three weeks" is."""
    return _is_result(c) and not (c.kind == "outcome:delivery" and c.value == "+")


# "a fifteen-minute huddle", "a two-week course": a length joined to a thing describes the thing,
# never how long the story took. Spoken and typed in a hurry the hyphen goes ("a five minute quiz"):
# a count above one before a singular unit is the same length of a thing.
# ("most of the month" is a span: "the" joins no length to a thing.)
_LENGTH_OF_A_THING = re.compile(
    r"\w-(?:second|minute|hour|day|week|month|year)$"
    r"|(?<![\w'])(?!(?:a|an|one|1|the|that)\s)[\w.]+\s(?:second|minute|hour|day|week|month|year)$",
    re.IGNORECASE,
)


def _story_span(durations: list[Claim]) -> Claim | None:
    """How long the story took, if one span says it: the only one told, or the one told as the whole
    ("the build was two years in the end"), else the only one that is not one step of it. Beside
    others, the time since something ("after two quarters") is no span of the work."""
    # (and the time since some other event, "within seven days of any missed payment", never is one)
    durations = [d for d in durations if not _LENGTH_OF_A_THING.search(d.said) and d.slot != "since"]
    if len(durations) == 1:
        return durations[0]
    spans = [d for d in durations if d.slot != "elapsed"]
    whole = [d for d in spans if d.scope == "whole"]
    if len(whole) == 1:
        return whole[0]
    rest = [d for d in spans if d.scope != "part"]
    return rest[0] if len(rest) == 1 else None


def _lone_durations(
    r1: list[Located], r2: list[Claim], rubric: ConsistencyRubric
) -> list[tuple[Located, Claim, str]]:
    """How long the story took, told once on each side, however it is worded ("most of a year" /
    "about six weeks", "the next fortnight" / "the next two months"). When the two are tied to each
    other (a word around them in common, or one told as the whole story's span) they are compared
    within the usual tolerance; otherwise only when far apart, so a reworded or rounded span never is."""
    ones = [x for x in r1 if x.claim.category == "duration" and not x.story.is_note]
    if len({id(x.story) for x in ones}) != 1:
        return []  # spans from more than one round-one answer: which is this story's is anyone's guess
    a = _story_span([x.claim for x in ones])
    b = _story_span([c for c in r2 if c.category == "duration"])
    if a is None or b is None:
        return []
    x = next(x for x in ones if x.claim is a)
    if (a.scope and b.scope and a.scope != b.scope) or _before_and_after(a, b):
        return []
    if (a.slot == "elapsed") != (b.slot == "elapsed"):
        return []  # "after three months failed deliveries were at 9%" / "two weeks to train them": two spans
    if a.low <= b.top and b.low <= a.top:
        return []
    # "It took me just over two years" / "passed all four in about eleven months": a span and the time
    # to finish are one fact when the words around them say so; "within two weeks late deliveries had
    # fallen" is the time to a result, held to that only when far apart.
    then_results = {y.claim.clause for y in r1 if y.story is x.story and _gained_after(y.claim)}
    to_result = (a.slot == "within" and a.clause in then_results) or (
        b.slot == "within" and any(_gained_after(c) and c.clause == b.clause for c in r2)
    )
    spans = {a.slot, b.slot} <= {"span", "within"} and not (to_result and a.slot != b.slot)
    # Told as the whole on one side, or as the time the work took to finish ("we finished the installation
    # in six weeks" / "it took us only three weeks"): the story's one span either way.
    tied = bool(a.near & b.near) or ((a.slot == b.slot or spans) and "whole" in (a.scope, b.scope))
    if spans and tied:
        if _same_figure(a, b, rubric):
            return []
    else:
        low, high = sorted((max(a.low, 1e-9), max(b.low, 1e-9)))
        if high / low < rubric.tolerances.lone_duration_ratio:
            return []
    return [(x, b, "embellishment" if _flatters(a, b) else "contradiction")]


def _sets(
    r1: list[Located], r2: list[Claim], category: str, kind_prefix: str
) -> list[tuple[Located, Claim, str]]:
    """Dates, outcomes: a difference when the two rounds share no value of the same kind, and the two
    are about the same thing: words around them in common, or one value on each side (the story's date,
    its outcome). "I joined in 2019" and "we launched in 2021" are two dates, not a contradiction."""
    out = []
    if category == "date":  # "by the following spring": a later time, not the story's date
        r1 = [x for x in r1 if x.claim.slot != "later"]
        r2 = [c for c in r2 if c.slot != "later"]
    kinds = {
        x.claim.kind for x in r1 if x.claim.category == category and x.claim.kind.startswith(kind_prefix)
    }
    for kind in sorted(kinds):
        ones = [x for x in r1 if x.claim.kind == kind]
        twos = [c for c in r2 if c.kind == kind]
        if not twos:
            continue
        if any(_same_date(x.claim, c) for x in ones for c in twos):
            if kind != "time_of_year":
                continue
            # "In March we started ... by the summer it was live" / "In May we started ... by the summer":
            # the summer is told again, and the start, said of the same event, moved.
            left = [x for x in ones if not any(_same_date(x.claim, c) for c in twos)]
            now_left = [c for c in twos if not any(_same_date(x.claim, c) for x in ones)]
            moved = [(x, c) for x in left for c in now_left if _same_head(x.claim, c)]
            out += [(moved[0][0], moved[0][1], "contradiction")] if moved else []
            continue
        pairs = [(x, c) for x in ones for c in twos if _same_head(x.claim, c)]
        # One value each side is the story's date or outcome, unless one is when the candidate joined
        # ("in 2019 I joined the team" / "it launched in 2021").
        alone = _told_once([x.claim for x in ones]) and _told_once(twos)
        if not pairs and alone and ones[-1].claim.tenure == twos[0].tenure:
            pairs = [(ones[-1], twos[0])]
        if not pairs and category == "date":
            # "I joined in 2016, and in my second year there ..." / "this was 2020": set apart from
            # when the candidate joined, one date is left on each side, and it is the story's.
            story_then = [x for x in ones if not x.claim.tenure]
            story_now = [c for c in twos if not c.tenure]
            one_each = (
                len({str(x.claim.value) for x in story_then}) == len({str(c.value) for c in story_now}) == 1
            )
            if one_each and len(story_then) < len(ones):
                pairs = [(story_then[-1], story_now[0])]
        if pairs:
            x, b = pairs[0]
            # A bad ending turned good ("the branch still closed" / "we kept the doors open") flatters.
            better = category == "outcome" and x.claim.value == "-" and b.value == "+"
            out.append((x, b, "embellishment" if better else "contradiction"))
    return out


def _told_once(claims: list[Claim]) -> bool:
    """One value, said once or in several words that agree: "the week between Christmas and New Year"
    is one time of the year (two holidays a week apart), as "in 2019, back in 2019" is one year."""
    if not claims:
        return False
    first = claims[0]
    if first.kind == "time_of_year":
        near = (first.low - NEXT_TO, first.top + NEXT_TO)
        return all(same_time_of_year(near, (c.low, c.top)) for c in claims[1:])
    return all(_same_date(first, c) for c in claims[1:])


# Times of the year this close (in months) are one time told in two words ("Christmas", "New Year").
NEXT_TO = 0.5


def _same_date(a: Claim, b: Claim) -> bool:
    """The same value, or years that overlap ("just before the pandemic" / "in 2019"), or times of the
    year that do ("in March" / "Q1", "just before Christmas" / "in December")."""
    if a.kind == "time_of_year":
        return same_time_of_year((a.low, a.top), (b.low, b.top))
    if a.kind in ("year", "ago") and isinstance(a.value, float) and isinstance(b.value, float):
        return a.low <= b.top and b.low <= a.top
    return str(a.value) == str(b.value)


_FIELD = re.compile(r"\s+of\s+(?:the\s+)?([A-Za-z][\w&-]*(?:\s+[A-Z][\w&-]*)?)")
# "Head of department" names no field: it is the same job as "head of science".
_GENERIC_FIELDS = frozenset({"department", "team", "group", "unit", "function", "division", "operation"})
# Titles this senior are told apart by what they are titles of ("scrum master" / "product owner").
_NAMED_TITLE_RANK = 3


def _title_words(claim: Claim, text: Text) -> tuple[set[str], set[str]]:
    """A title's own words and its field: "Head of Sales" -> ({head, sales}, {sales})."""
    said = claim.said
    field = _FIELD.match(text.clean, claim.end)
    if field:
        said += " of " + field.group(1)
    words = content_stems(said)
    named = _FIELD.search(said)
    return words, content_stems(named.group(1)) - _GENERIC_FIELDS if named else set()


def _other_title(a: Claim, a_text: Text, b: Claim, b_text: Text) -> bool:
    """Two titles of one seniority that are different jobs: "Head of Marketing" / "Head of Sales"."""
    (words_a, field_a), (words_b, field_b) = _title_words(a, a_text), _title_words(b, b_text)
    if field_a and field_b:
        return not field_a & field_b
    return a.rank >= _NAMED_TITLE_RANK and bool(words_a) and bool(words_b) and not words_a & words_b


def _roles(
    r1: list[Located], r2: list[Claim], answer: Text, lead_rank: int
) -> list[tuple[Located, Claim, str]]:
    ones = [x for x in r1 if x.claim.category == "role"]
    twos = [c for c in r2 if c.category == "role"]
    if not ones or not twos:
        return []
    if {x.claim.value for x in ones} & {c.value for c in twos}:
        for x in ones:
            for c in twos:
                if x.claim.value == c.value and not _other_title(x.claim, x.story.text, c, answer):
                    return []  # the same title told again
        x, c = next((x, c) for x in ones for c in twos if x.claim.value == c.value)
        return [(x, c, "contradiction")]
    a = max(ones, key=lambda x: x.claim.rank)
    b = max(twos, key=lambda c: c.rank)
    leads_a_team = any(
        x.claim.category == "team_size" and "<other>" not in x.claim.qualifier and not x.claim.with_me
        for x in r1
    )
    if b.rank > a.claim.rank and b.rank <= lead_rank and leads_a_team:
        return []  # "a senior analyst ... I lead a team of 4" is the lead of that team: no new title
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
        # A name told in both rounds is set aside ("the supplier in Vietnam"): one name left on each
        # side is the other one retold ("a second supplier in Poland" / "in Portugal").
        shared = {a for a in v1 for b in v2 if a in b or b in a} | {
            b for a in v1 for b in v2 if a in b or b in a
        }
        if shared:
            v1, v2 = v1 - shared, v2 - shared
            if len(v1) != 1 or len(v2) != 1:
                continue
            ones = [x for x in ones if str(x.claim.value).lower() in v1]
            twos = [c for c in twos if str(c.value).lower() in v2]
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
            # Round one said someone else led "it" (the story): any "I led" in round two claims it; and
            # round two's "I presented it" with nothing named claims the story round one gave away.
            same_thing = a.subject & b.subject or not a.subject or not b.subject
            if b.kind == a.kind and b.value == "self" and same_thing:
                out.append((x, b, "embellishment"))
                break
    return out


def _leads(claims: list[Claim], lead_rank: int) -> list[Claim]:
    """Where the candidate says they led it: "I led / ran / owned it", or a lead's title or above."""
    return [
        c
        for c in claims
        if (c.kind == "credit:led" and c.value == "self") or (c.category == "role" and c.rank >= lead_rank)
    ]


def _who_led(
    r1: list[Located], r2: list[Claim], rubric: ConsistencyRubric
) -> list[tuple[Located, Claim, str]]:
    """The candidate's part in the story: round one "I helped build it", round two "I led it" is a bigger
    role (an embellishment); round one "I was the project lead", round two "my manager led it and I
    supported her" is a different one (a contradiction)."""
    lead_rank = rubric.lead_rank
    led_then = [x for x in r1 if x.claim in _leads([y.claim for y in r1], lead_rank) and not x.story.is_note]
    # "I ran two usability tests" is a task done, not the story led: a lead told in other words is read
    # by meaning (role_change.py).
    led_now = [c for c in _leads(r2, lead_rank) if c.category == "role" or LEAD_WORDS.search(c.said)]
    helped_then = [x for x in r1 if x.claim.kind == "credit:support" and x.claim.value == "self"]
    if helped_then and not led_then and led_now:
        return [(helped_then[0], led_now[0], "embellishment")]
    titled_now = [c for c in r2 if c.category == "role" and c.rank >= rubric.support_outranked_at]
    if helped_then and not led_then and titled_now:
        return [(helped_then[0], titled_now[0], "embellishment")]
    others_led = [c for c in r2 if c.kind == "credit:led" and c.value == "other"]
    helped_now = [c for c in r2 if c.kind == "credit:support" and c.value == "self"]
    if led_then and not led_now and others_led:
        return [(led_then[0], others_led[0], "contradiction")]
    if led_then and not led_now and helped_now and not any(x.claim.category == "role" for x in led_then):
        return [(led_then[0], helped_now[0], "contradiction")]
    return []


def _explain(kind: str, category: str, r1: str, r2: str, rubric: ConsistencyRubric) -> str:
    template = rubric.explanations.get(f"{kind}.{category}") or rubric.explanations.get(kind) or "{r1} / {r2}"
    return template.replace("{r1}", r1).replace("{r2}", r2)


def _category(claim: Claim, rubric: ConsistencyRubric) -> str:
    if claim.kind.startswith("credit:") and claim.kind.split(":", 1)[1] in rubric.credit.role_groups:
        return "role"
    return claim.category


_QUOTED_AROUND = frozenset({"duration", "date", "team_size"})


def _finding(
    kind: str,
    x: Located,
    b: Claim,
    answer: Text,
    rubric: ConsistencyRubric,
    starts: tuple[int, int] | None = None,
) -> Finding:
    """`starts`: where to quote each round from, when not from its claim (a change told by two ends)."""
    a = x.claim
    # A span, date or team told late in a long clause is quoted from a little before it: the quote
    # must hold the figure it is about ("... and within a few weeks, under a month, we'd cleared it").
    located = starts is not None or (a.category in _QUOTED_AROUND and b.category in _QUOTED_AROUND)
    one, two = starts or (a.start, b.start)
    return Finding(
        kind=kind,
        category=_category(a, rubric),
        round_two_quote=answer.quote_around(two, b.end) if located else answer.quote_clause(b.clause),
        round_one_quote=x.story.text.quote_around(one, a.end)
        if located
        else x.story.text.quote_clause(a.clause),
        explanation=_explain(kind, _category(a, rubric), a.said, b.said, rubric),
    )


def _related_clause(story: Story, claim: Claim) -> int:
    scores = [(len(story.text.clause_stems(c.index) & claim.subject), -c.index) for c in story.text.clauses]
    best = max(range(len(scores)), key=lambda i: scores[i]) if scores else 0
    return best


def _bigger_outcomes(r1: list[Located], r2: list[Claim], found: set[str]) -> list[tuple[Located, Claim, str]]:
    """A good ending replaced by a bigger one of the same kind ("we kept the account" / "they doubled the
    retainer", "got a spot bonus" / "it got me promoted"). Only when neither round tells a bad ending of
    that kind, so a mixed story is left to the polarity check."""
    out = []
    for kind in sorted({x.claim.kind for x in r1 if x.claim.category == "outcome"} - found):
        ones = [x for x in r1 if x.claim.kind == kind]
        twos = [c for c in r2 if c.kind == kind]
        if not twos or any(x.claim.value != "+" for x in ones) or any(c.value != "+" for c in twos):
            continue
        then = max(ones, key=lambda x: x.claim.rank)
        now = max(twos, key=lambda c: c.rank)
        if now.rank > then.claim.rank:
            out.append((then, now, "embellishment"))
    return out


def compare(
    answer: Text,
    answer_claims: list[Claim],
    story: Story | None,
    notes: list[Story],
    result_told: bool,
    rubric: ConsistencyRubric,
    aligned: list[Located] | None = None,
    aligner: ClauseAligner | None = None,
    everything: list[Claim] | None = None,
) -> list[Finding]:
    sources = ([story] if story else []) + notes
    r1 = [Located(c, s) for s in sources for c in s.claims] + (aligned or [])
    r2 = answer_claims
    diffs: list[tuple[Located, Claim, str]] = []
    agreed: set[int] = set()
    for category in ("number", "team_size", "duration"):
        found, ok = _figures(r1, r2, category, rubric, aligner)
        diffs += found
        agreed |= ok
    # A change told by its size is quoted from where its figures start ("from about 1,100 to 1,500").
    starts: dict[tuple[int, int], tuple[int, int]] = {}
    if not any(b.category == "number" for _, b, _ in diffs):
        for a, x, b, kind in _changed_ratio(r1, r2, rubric):
            diffs.append((x, b.quoted, kind))
            starts[id(x.claim), id(b.quoted)] = a.ends[0].start, b.ends[0].start
    if not any(b.category == "duration" for _, b, _ in diffs):
        diffs += _lone_durations(r1, r2, rubric)
    diffs += _sets(r1, r2, "date", "")
    diffs += _roles(r1, r2, answer, rubric.lead_rank)
    outcomes = _sets(r1, r2, "outcome", "outcome:")
    diffs += outcomes + _bigger_outcomes(r1, r2, {b.kind for _, b, _ in outcomes})
    diffs += _names(r1, r2, answer)
    roles = (
        _who_led(r1, r2, rubric)
        if not any(kind and x.claim.category == "role" for x, _, kind in diffs)
        else []
    )
    diffs += roles
    # A change of who led is one finding, not two.
    diffs += [d for d in _credit(r1, r2) if not roles]
    findings = [
        _finding(kind, x, b, answer, rubric, starts.get((id(x.claim), id(b)))) for x, b, kind in diffs
    ]
    findings += _omission(r1, r2, answer, result_told, rubric)
    if sources:
        findings += _elaborations(sources[0], r1, r2, diffs, agreed, answer, rubric, aligner, everything)
    return findings


def _omission(
    r1: list[Located], r2: list[Claim], answer: Text, result_told: bool, rubric: ConsistencyRubric
) -> list[Finding]:
    """The story's result gone from the retelling; or an unflattering outcome quietly dropped from it
    ("we opened on the promised date, but went 30% over budget" retold as "we opened on the date")."""
    if not answer.clauses:
        return []
    results = [
        x for x in r1 if x.claim.category == "outcome" or (x.claim.category == "number" and x.claim.is_change)
    ]
    results.sort(key=lambda x: (x.story.label, x.claim.start))  # the story's last result is its outcome
    if not results:
        return []
    told = (
        result_told
        or any(c.category == "outcome" or (c.category == "number" and c.is_change) for c in r2)
        or _repeated(results[-1], r1, r2)
    )
    if not told:
        return [_omitted(results[-1], len(answer.clauses) - 1, answer, rubric)]
    kinds_now = {c.kind for c in r2}
    bad_now = {c.kind for c in r2 if c.category == "outcome" and c.value == "-"}
    # A mixed ending ("won the tender, though security went to a rival") retold as only the good part.
    mixed = {x.claim.kind for x in results if x.claim.value == "+"}
    for x in results:
        a = x.claim
        dropped = a.kind not in kinds_now or (a.kind in mixed and a.kind not in bad_now)
        if a.category == "outcome" and a.value == "-" and dropped and not x.story.is_note:
            return [_omitted(x, len(answer.clauses) - 1, answer, rubric)]
    return []


def _repeated(x: Located, r1: list[Located], r2: list[Claim]) -> bool:
    """Round two says a figure of the clause round one's result is in ("1,200 hampers", "30%"): it tells
    that result, in other words."""
    figures = {
        y.claim.low
        for y in r1
        if y.story is x.story and y.claim.clause == x.claim.clause and y.claim.category != "outcome"
    }
    figures.discard(0.0)
    return any(c.category in ("number", "team_size", "duration") and c.low in figures for c in r2)


def _omitted(x: Located, clause: int, answer: Text, rubric: ConsistencyRubric) -> Finding:
    category = "outcome" if x.claim.category == "outcome" else "number"
    return Finding(
        kind="omission",
        category=category,
        round_two_quote=answer.quote_clause(clause),
        round_one_quote=x.story.text.quote_clause(x.claim.clause),
        explanation=_explain("omission", category, x.claim.said, "", rubric),
    )


def _elaborations(
    story: Story,
    r1: list[Located],
    r2: list[Claim],
    diffs: list[tuple[Located, Claim, str]],
    agreed: set[int],
    answer: Text,
    rubric: ConsistencyRubric,
    aligner: ClauseAligner | None = None,
    everything: list[Claim] | None = None,
) -> list[Finding]:
    """New details that do not conflict. `everything` is all of round one's claims: a figure of a kind
    round one gave anywhere, at another value, is not called new."""
    everything = everything if everything is not None else [x.claim for x in r1]
    differing_claims = {id(b) for _, b, _ in diffs}
    differing_categories = {x.claim.category for x, _, _ in diffs}
    said_then = {(x.claim.kind, str(x.claim.value)) for x in r1}
    out: list[Finding] = []
    seen: set[str] = set()
    clauses_told: set[int] = set()
    for c in r2:
        if len(out) >= rubric.max_elaborations:
            break
        if c.kind.startswith("credit:") or id(c) in agreed or id(c) in differing_claims:
            continue
        if c.category in differing_categories:
            continue
        if (c.kind, str(c.value)) in said_then or c.said.lower() in seen or _said_before(c, r1):
            continue
        if any(_comparable(a, c) and a.phase == c.phase for a in everything):
            continue  # round one has a figure of this kind that might be this one, told otherwise: say nothing
        if aligner is not None:
            # "Does not conflict" only where the new detail sits in a clause that retells round one:
            # close in meaning, and read as telling the same fact by the scorer trained on two writers'
            # stories told twice (clause_pairs.py), which weighs what else the two clauses share.
            clause, score = aligner.best(c.clause, story.text)
            if score < aligner.threshold():
                continue
            if aligner.by_meaning and aligner.scorer is not None:
                clause, likely = aligner.same_fact(c.clause, story.text, story.claims)
                if likely < rubric.alignment.min_same_fact:
                    continue
        else:
            clause = _related_clause(story, c)
        if _may_be_changed(c, story, clause, r2, rubric):
            continue
        if c.clause in clauses_told:
            continue  # one new detail per clause ("from 64% to 71%" is one)
        clauses_told.add(c.clause)
        seen.add(c.said.lower())
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


def _may_be_changed(c: Claim, story: Story, clause: int, r2: list[Claim], rubric: ConsistencyRubric) -> bool:
    """The round-one clause a new figure's clause retells holds a figure of its category that round two
    never tells again, within the tolerances ("about sixty appointment requests a day" / "nearly two
    hundred booking emails every day"): the new figure may be that one, changed. Nothing is said rather
    than "does not conflict"."""
    if c.category not in ("number", "team_size", "duration"):
        return False
    return any(
        y.clause == clause
        and y.category == c.category
        and not any(d.category == y.category and _same_figure(y, d, rubric) for d in r2)
        for y in story.claims
    )


def _said_before(c: Claim, r1: list[Located]) -> bool:
    """Not new: the same figure in other words ("from 40 to 110" / "40 to 110 members"), or the same name
    in part ("at Brackwell" / "at Brackwell Logistics")."""
    if c.category in ("number", "team_size", "duration"):
        return any(x.claim.category == c.category and x.claim.low == c.low for x in r1)
    if c.kind.startswith("slot:"):
        name = str(c.value).lower()
        return any(
            x.claim.kind.startswith("slot:")
            and (name in str(x.claim.value).lower() or str(x.claim.value).lower() in name)
            for x in r1
        )
    return False


def check(
    answer: Text,
    round_one: RoundOne,
    result_told: bool,
    star: StarRubric,
    rubric: ConsistencyRubric,
    answer_claims: list[Claim] | None = None,
    question: str = "",
    meaning: Meaning | None = None,
) -> Consistency:
    """The consistency part of a grade: the matched round-one question and every difference found.

    The question counts towards which story is retold: a follow-up often names it ("You mentioned the
    Salesforce migration ...") while a spoken answer goes straight to the new detail. With `meaning`
    (sentence vectors), clauses are aligned by meaning; without it, by the words they share."""
    if round_one.is_empty():
        return Consistency()
    candidates = stories(round_one, star, rubric)
    if answer_claims is None:
        answer_claims = extract(answer, rubric)
    said = content_stems(answer.clean) | (content_stems(question) - _question_words(rubric))
    if meaning is not None:  # where each figure sits in its story, by the STAR reading (cached, cheap)
        answer_claims = _phased_by_story(answer, answer_claims, meaning.read(answer, star))
        candidates = [
            s
            if s.is_note
            else replace(s, claims=_phased_by_story(s.text, s.claims, meaning.read(s.text, star)))
            for s in candidates
        ]
    story, notes = match(said, answer_claims, candidates, rubric)
    if meaning is not None and meaning.embedder is not None:
        if story is None and not notes:
            story = match_by_meaning(answer, candidates, meaning.embed, rubric)
        elif story is not None and _one_line(story, rubric):
            # A one-line follow-up ("Ho Chi Minh City.") shares a name with the answer and wins on
            # words, being short; the story told is another answer when it is much closer by meaning.
            story = match_by_meaning(answer, candidates, meaning.embed, rubric) or story
    aligner = ClauseAligner(answer, [s.text for s in candidates], rubric, meaning, answer_claims)
    if story is None and not notes:
        return Consistency()
    others = _told_elsewhere(story, candidates, rubric) if story is not None else []
    aligned = _aligned_elsewhere(answer_claims, candidates, story, notes, aligner, others)
    everything = [c for s in candidates for c in s.claims]
    findings = compare(answer, answer_claims, story, notes, result_told, rubric, aligned, aligner, everything)
    findings += _given_away(answer, answer_claims, candidates, findings, rubric)
    if story is not None and meaning is not None:
        standing = [s for s in candidates if not s.is_note and all(s is not o for o in [story, *others])]
        findings = _with_meaning(
            findings, answer, answer_claims, story, star, rubric, meaning, others, standing
        )
    label = story.label if story else NOTES_LABEL
    return Consistency(findings=findings, matched_round_one=label)


def _given_away(
    answer: Text,
    answer_claims: list[Claim],
    candidates: list[Story],
    findings: list[Finding],
    rubric: ConsistencyRubric,
) -> list[Finding]:
    """A title the candidate gave themselves in any round-one answer, given to someone else today
    (role_change.title_given_away): "I'm head of events" / "my manager, she's the head of events"."""
    titles = [(c, s.text) for s in candidates if not s.is_note for c in s.claims if c.category == "role"]
    found = title_given_away(titles, answer, answer_claims, rubric)
    if found is None:
        return []
    claim, text, j = found
    then, now = text.quote_clause(claim.clause), answer.quote_clause(j)
    if any(f.category == "role" and then in (f.round_one_quote, f.round_two_quote) for f in findings):
        return []  # the rules' change of title already quotes it
    why = _explain("contradiction", "role", text.clauses[claim.clause].text, answer.clauses[j].text, rubric)
    return [
        Finding(
            kind="contradiction", category="role", round_two_quote=now, round_one_quote=then, explanation=why
        )
    ]


def _told_elsewhere(story: Story, candidates: list[Story], rubric: ConsistencyRubric) -> list[Story]:
    """The other round-one answers of the retold story (threads.py), nearest first: the one that tells
    the candidate's part ("What was your part on the fraud model?") may not be the one retold."""
    answers = [s for s in candidates if not s.is_note]
    at = next(i for i, s in enumerate(answers) if s is story)
    questions, texts = [s.label for s in answers], [s.text.clean for s in answers]
    return [answers[i] for i in thread(questions, texts, at, _question_words(rubric))]


def _with_meaning(
    findings: list[Finding],
    answer: Text,
    answer_claims: list[Claim],
    story: Story,
    star: StarRubric,
    rubric: ConsistencyRubric,
    meaning: Meaning,
    others: Sequence[Story] = (),
    standing: Sequence[Story] = (),
) -> list[Finding]:
    """Changes of outcome and of the candidate's part that the rules did not see, read by meaning
    (outcome_change.py, role_change.py): what the rules found in a category stands, and a new detail
    quoted from a clause that now reads as a change is no longer called one that does not conflict."""
    heads = shipped_stance()
    told: set[str] = {f.category for f in findings if f.kind in ("contradiction", "embellishment")}
    # A part the rules found changed ("senior analyst" / "pricing manager") may have changed a second
    # way too ("my manager presented it" / "I took it to the committee myself"): the part is read by
    # meaning still, and what it finds stands when it quotes neither round's clause the rules quoted.
    ruled = {
        q
        for f in findings
        if f.category == "role" and f.kind in ("contradiction", "embellishment")
        for q in (f.round_one_quote, f.round_two_quote)
    }
    told -= {"role"}
    if heads is None or {"outcome", "role"} <= told or not answer.clauses or not story.text.clauses:
        return findings
    reading_then, reading_now = meaning.read(story.text, star), meaning.read(answer, star)
    then = read_stance([c.text for c in story.text.clauses], meaning, heads)  # once a session: cached
    if then is None:
        return findings
    # Round one read first: with no ending or no part of the candidate's told there, nothing in the
    # answer can change it, and its clauses need not go to the model.
    margin, sure = heads.thresholds["outcome_margin"], heads.thresholds["role"]
    endings_then = endings(then, reading_then, margin)
    skip = set(told)
    if not endings_then:
        skip.add("outcome")
    said = (said_in(story.claims, _texts(story.text), rubric), said_in(answer_claims, _texts(answer), rubric))
    told_in, role_then = story, then  # where round one tells the candidate's part, and how it reads
    # Another answer of the story may tell the part; any other answer, only by who answered to whom
    # ("two accountants report to me" when asked about the role): that is who the candidate is, set
    # against who the answer says they are ("I'm one of two accountants working for ..."), never
    # against a step of today's story ("I helped the IT team choose the scanners").
    lines_now = lines_said(_texts(answer), rubric, story=False)
    elsewhere = [(o, said_in(o.claims, _texts(o.text), rubric), said[1]) for o in others]
    if bool(lines_now.lead) != bool(lines_now.smaller):
        elsewhere += [(o, lines_said(_texts(o.text), rubric, story=False), lines_now) for o in standing]
    for other, said_there, said_now in elsewhere if not any(part(then, sure, said[0])) else ():
        if said_now is lines_now and bool(said_there.lead) == bool(said_there.smaller):
            continue  # read by the rules alone, never by the head: another story's steps are not this one's
        reading = read_stance(_texts(other.text), meaning, heads)  # cached too
        if reading is not None and any(part(reading, sure, said_there)):
            told_in, role_then, said = other, reading, (said_there, said_now)
            break
    if not role_can_change(role_then, sure, *said):
        skip.add("role")
    now = read_stance(
        [c.text for c in answer.clauses],
        meaning,
        heads,
        _worth_reading(answer, reading_now, skip, said[1]),
        reads=[r for r in ("outcome", "role") if r not in skip],  # only what is compared below is read
    )
    if now is None:
        return findings
    changes: list[Change] = []
    if "outcome" not in skip:
        change = outcome_change(
            endings_then,
            endings(now, reading_now, margin),
            then.vectors,
            now.vectors,
            heads.thresholds["outcome_similarity"],
            heads.thresholds["outcome_gap"],
            then_said=then.said,
            now_said=now.said,
        )
        changes += [change] if change else []
    valence = shipped_valence()  # the two endings judged as a pair, read whole (outcome_change.judged_change)
    if "outcome" not in told and not changes and valence is not None and valence.embedder == heads.embedder:
        change = judged_change((story.text, answer), (reading_then, reading_now), meaning.embed, valence)
        changes += [change] if change else []
    if "role" not in skip:
        texts = [c.text for c in told_in.text.clauses], [c.text for c in answer.clauses]
        quoted = frozenset(j for j in range(len(answer.clauses)) if answer.quote_clause(j) in ruled)
        change = role_change(role_then, now, sure, *said, *texts, quoted)
        if change and told_in is not story:  # told in another answer: the answer's clause must retell it
            vectors = meaning.embed([*texts[0], texts[1][change.round_two_clause]])
            close = max(float(v @ vectors[-1]) for v in vectors[:-1])
            change = change if close >= rubric.alignment.standing_min_similarity else None
        if change and ruled:  # the rules' change told again, not a second one
            quotes = {
                told_in.text.quote_clause(change.round_one_clause),
                answer.quote_clause(change.round_two_clause),
            }
            change = None if quotes & ruled else change
        changes += [change] if change else []
    if "role" not in told and told_in is story and not any(c.category == "role" for c in changes):
        # One step of the work done by the candidate in one round and by someone else in the other.
        swap = actor_swap(_texts(story.text), _texts(answer))
        if swap and ruled:
            quotes = {
                story.text.quote_clause(swap.round_one_clause),
                answer.quote_clause(swap.round_two_clause),
            }
            swap = None if quotes & ruled else swap
        changes += [swap] if swap else []
    if "other" not in told:
        swap = _swapped(story.text, answer, meaning, heads.thresholds["swap_similarity"])
        swap = swap or _told_otherwise(story.text, answer, meaning, rubric)
        changes += [swap] if swap else []
    if not changes:
        return findings
    then_text = {"role": told_in.text}  # the round-one answer each category's change was read in
    added = [
        Finding(
            kind=c.kind,
            category=c.category,
            round_two_quote=answer.quote_clause(c.round_two_clause),
            round_one_quote=then_text.get(c.category, story.text).quote_clause(c.round_one_clause),
            explanation=_explain(
                c.kind,
                c.category,
                then_text.get(c.category, story.text).clauses[c.round_one_clause].text,
                answer.clauses[c.round_two_clause].text,
                rubric,
            ),
        )
        for c in changes
    ]
    changed = {f.round_two_quote for f in added}
    return [f for f in findings if f.kind != "elaboration" or f.round_two_quote not in changed] + added


def _texts(text: Text) -> list[str]:
    return [c.text for c in text.clauses]


# Two names of one kind of thing (two places, two tools) read at least this close as words (0.865-0.93
# on the develop pairs: "Tableau" / "Looker", "Poland" / "Romania"); a place against a word that names
# no place, mostly below it ("Brisbane" / "whole" 0.84, "Philippines" / "home" 0.86). The few above it
# ("Portugal" / "textile" 0.875, "ED" / "emergency" 0.876) are left out by named_slots.py: an answer
# that writes names with capitals wrote no capital there, and initials may be spelt out. Read on the
# tune sets and three writers' story pairs: the changes it finds come from eight writers.
SAME_KIND = 0.865
# ... and the two clauses read as one fact told twice at least this close (a place changed in a clause
# told otherwise read 0.82-0.95; another fact of the same story naming another country, 0.819).
SLOT_CLAUSE_SIMILARITY = 0.82


def _swapped(then: Text, now: Text, meaning: Meaning, max_similarity: float) -> Change | None:
    """One thing named in place of another in the same frame (word_swap.py), when the two words do not
    mean the same: "timber" / "steel" is a change, "whole" / "entire" a rewording. Then a name told in
    another clause's slot (named_slots.py), when the two are things of one kind in one fact told twice."""
    for swap in swaps(then, now):
        vectors = meaning.embed([swap.then, swap.now])
        if float(vectors[0] @ vectors[1]) < max_similarity:
            return Change("contradiction", "other", swap.round_one_clause, swap.round_two_clause)
    for slot in slot_swaps(then, now):
        one, two = then.clauses[slot.round_one_clause].text, now.clauses[slot.round_two_clause].text
        words = meaning.embed([slot.then, slot.now])
        kin = float(words[0] @ words[1])
        if not SAME_KIND <= kin < max_similarity:
            continue
        clauses = meaning.embed([one, two])
        if float(clauses[0] @ clauses[1]) >= SLOT_CLAUSE_SIMILARITY:
            return Change("contradiction", "other", slot.round_one_clause, slot.round_two_clause)
    return None


def _told_otherwise(then: Text, now: Text, meaning: Meaning, rubric: ConsistencyRubric) -> Change | None:
    """Another reason for starting the work (reasons.py), round one's account denied outright, or
    another client described (clients.py)."""
    found = (
        changed_reason(then, now, meaning.embed, rubric)
        or denied(then, now, rubric)
        or changed_client(then, now, meaning.embed, rubric)
    )
    return Change("contradiction", "other", found.round_one_clause, found.round_two_clause) if found else None


# Spoken answers are often written in lower case ("i led that"); "My part was small" opens a sentence.
_SELF = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|mine|myself)\b", re.IGNORECASE)
# Where a story's ending is told: its last clauses.
ENDING_CLAUSES = 3


def _worth_reading(answer: Text, reading: ClauseReading, told: set[str], said: Said) -> list[bool]:
    """The answer clauses the model reads: the candidate's part is told in the first person, the ending
    in the last clauses, and neither in the situation or the task (the STAR reading, which is cheap).

    Of those, a clause goes to the model only when its reading can still change what is found (each
    clause costs tens of ms): as an ending, only where `endings` may count it (not a step the reading is
    sure of); as the candidate's part, not once the rules read "I led it" in so many words, except where
    they also read a smaller part (`role_change.part` then reads the head on those clauses alone)."""
    n = len(answer.clauses)
    out = []
    for i, clause in enumerate(answer.clauses):
        role = "role" not in told and bool(_SELF.search(clause.text))
        ending = "outcome" not in told and i >= n - ENDING_CLAUSES and not is_setting(reading, i)
        may_end = "outcome" not in told and not is_setting(reading, i) and not is_step(reading, i)
        may_tell_part = "role" not in told and (not said.lead or i in said.smaller)
        out.append((role or ending) and (may_end or may_tell_part))
    return out


def _same_fact_kind(a: Claim, b: Claim) -> bool:
    if a.kind.startswith(("credit:", "slot:")) or b.kind.startswith(("credit:", "slot:")):
        return a.kind.split(":")[0] == b.kind.split(":")[0]
    return a.category == b.category


def _standing(claim: Claim) -> bool:
    """A fact about who the candidate is: their own team's size, their title."""
    return claim.category == "role" or (claim.category == "team_size" and "<other>" not in claim.qualifier)


# Two lengths of time further apart than this are two facts, never one retold: "four years as the
# pharmacist" and "ten minutes a day"; "two weeks" and "two years" can be one fact told wrong.
OTHER_TIME_RATIO = 100.0


def _tied(a: Claim, b: Claim) -> bool:
    """A figure from another answer is this story's only when the words around the two tie them and,
    for lengths of time, the two are of one order: "three years as a physio" (asked how long) is not
    "ten minutes a day" of today's story, however close the two clauses read."""
    if a.category not in ("number", "duration"):
        return True
    if a.kind == "time" or a.category == "duration":
        low, high = sorted((max(a.low, 1e-9), max(b.low, 1e-9)))
        if high / low > OTHER_TIME_RATIO:
            return False
    return bool(a.near & b.near) or _same_head(a, b)


def _aligned_elsewhere(
    answer_claims: list[Claim],
    candidates: list[Story],
    story: Story | None,
    notes: list[Story],
    aligner: ClauseAligner,
    same_story: Sequence[Story] = (),
) -> list[Located]:
    """Facts from the other round-one answers that the answer retells: "I lead a team of 9" said
    when asked about the role, "where I lead a team of 4" in today's story. A claim comes along only
    when a claim of the same kind of fact sits in an answer clause aligned with its own clause.
    `same_story`: the other answers of the retold story (`_told_elsewhere`)."""
    out: list[Located] = []
    used = {id(s) for s in [story, *notes] if s is not None}
    # The retold story's own facts come first: another answer fills in only a kind of fact it lacks
    # ("I lost a deal" in another story says nothing against this story's "we signed").
    own_kinds = {c.kind for s in [story, *notes] if s is not None for c in s.claims}
    # Who did what is told of one story: another story's "I led the move" says nothing of this one.
    thread_of = {id(s) for s in same_story}
    for other in candidates:
        if id(other) in used or other.is_note:
            continue
        for a in other.claims:
            if a.kind in own_kinds or (a.kind.startswith("credit:") and id(other) not in thread_of):
                continue
            if any(
                _same_fact_kind(a, b)
                and (_standing(a) or _tied(a, b))
                and aligner.aligned(b.clause, other.text, a.clause, _standing(a))
                for b in answer_claims
            ):
                # Whether it spans the whole story or a step of it is a question about that other answer.
                out.append(Located(replace(a, scope=""), other))
    return out
