"""The candidate's part in the story grown or shrunk between rounds: who did what, in each round.

Round one "I was one of five people on the working group" or "it was run by our regional organiser",
round two "that was mine, I owned it from start to finish": a bigger part (an embellishment). Round one
"I was the lead designer", round two "I was more of a junior on it": a smaller one (a contradiction).

Each round's part is read clause by clause from two sources. The rules parse who did what where they
can ("I led it": the candidate led; "it was led by Claire" or "Luca led it": someone else did; "I was
part of the team" or "as a junior associate": a smaller part), and the role head (stance.py) reads the
rest by meaning, when sure. The rules also read a part told by who answered to whom or who was in
charge (consistency.yaml `reporting_lines`: "the other three engineers reported to me", "that was my
project", "I'm one of two accountants working for the finance manager", "the incident commander was
my manager"), which the head, trained on parts told by verbs, often reads as nothing or backwards.
A round's part is the one side its clauses tell: lead, or a smaller part. Where the rules speak for one
side only, they decide it, so a step of the work the head misreads as leading ("I set up a courier")
does not turn a story someone else led into a mixed one. A round that tells both, or neither, is never
compared. Only the round-one answers that tell the same story are read: the one retold, and when it
tells neither side, the others of its thread (threads.py); any other answer only for a reporting line,
which is who the candidate is, and then only against the answer's own reporting line.

A title the candidate gave themselves in round one and gives to someone else today ("I'm head of
events" / "my manager, she's the head of events") is read apart (`title_given_away`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulator.grading.claims import Claim
from simulator.grading.outcome_change import Change
from simulator.grading.rubric import ConsistencyRubric
from simulator.grading.stance import Stance
from simulator.grading.text import Text, content_stems

_SMALLER = ("support", "other")

# "I ran the staff survey" or "I presented it" is a task done, not the story led: the lead in so many
# words. Someone else "ran it" or "was running it" is theirs too: the story is what they ran.
LEAD_WORDS = re.compile(
    r"\b(?:led|lead|leading|leader|in charge|head(?:ed|ing)|own(?:ed|ing))\b", re.IGNORECASE
)
_OTHERS_LEAD = re.compile(rf"{LEAD_WORDS.pattern}|\b(?:ran|run|running|drove|driving)\b", re.IGNORECASE)


# A title at this rank or below in the roles table (intern 0, junior 1) is a smaller part, whoever led
# the story: "as a junior associate I worked on the deal" retold as "I was leading that" claims more.
JUNIOR_RANK = 1


@dataclass(frozen=True)
class Said:
    """The clauses where the rules read the candidate's part in one round: led it ("I led it", "I was
    in charge of it"), or a smaller one ("I helped", "I was one of", "it was led by my manager")."""

    lead: frozenset[int] = frozenset()
    smaller: frozenset[int] = frozenset()
    # Smaller parts told by who answered to whom ("I was one of three designers", "working for the
    # finance manager"): no step of the work, so the head's reading of a lead does not overrule them.
    firm: frozenset[int] = frozenset()


def rules_said(claims: Iterable[Claim]) -> Said:
    lead, smaller = set(), set()
    for c in claims:
        if c.kind == "credit:led" and c.value == "self" and LEAD_WORDS.search(c.said):
            lead.add(c.clause)
        elif (
            (c.kind, c.value) == ("credit:support", "self")
            or ((c.kind, c.value) == ("credit:led", "other") and _OTHERS_LEAD.search(c.said))
            or (c.category == "role" and 0 <= c.rank <= JUNIOR_RANK)
        ):
            smaller.add(c.clause)
    return Said(frozenset(lead), frozenset(smaller - lead))


# A reporting line is the candidate's own only in a clause they speak of themselves in ("two accountants
# report to me", "we share a team manager"), not "Sam's two juniors reported to him".
_SELF = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|mine|myself|we|us)\b", re.IGNORECASE)


def lines_said(texts: Sequence[str], rubric: ConsistencyRubric, story: bool = True) -> Said:
    """The clauses that tell the candidate's part by who answered to whom (consistency.yaml
    `reporting_lines`): over others ("the other three engineers reported to me", "I supervise the newer
    workers"), a lead's part; under someone ("I'm one of two accountants working for the finance
    manager", "we share a team manager"), a smaller one. With `story`, also who was in charge of the
    story ("that was my project"; "the incident commander was my manager"). A clause that tells both
    says neither."""
    lines = rubric.reporting_lines
    # Each list compiled as the rubric declares it: compiled once as it loads, never by an answer.
    over = [rubric.compile(p) for p in ([lines.over, lines.owned] if story else [lines.over])]
    under = [rubric.compile(p) for p in ([lines.under, lines.others_owned] if story else [lines.under])]
    mine = [i for i, t in enumerate(texts) if _SELF.search(t)]
    lead = {i for i in mine if any(p.search(texts[i]) for p in over)}
    smaller = {i for i in mine if any(p.search(texts[i]) for p in under)}
    return Said(frozenset(lead - smaller), frozenset(smaller - lead))


def said_in(claims: Iterable[Claim], texts: Sequence[str], rubric: ConsistencyRubric) -> Said:
    """What the rules read of the candidate's part in one round: who did what (`rules_said`) and who
    answered to whom (`lines_said`). A clause read both ways is a lead: "I led it, working for Ana"."""
    a, b = rules_said(claims), lines_said(texts, rubric)
    lead = a.lead | b.lead
    return Said(frozenset(lead), frozenset((a.smaller | b.smaller) - lead), b.smaller - lead)


def _sure(stance: Stance, what: tuple[str, ...], sure: float) -> list[int]:
    """Clauses read as one of `what` with at least `sure` probability, surest first."""
    found = {i for i in range(len(stance.role)) for w in what if stance.p(w, i) >= sure}
    return sorted(found, key=lambda i: -max(stance.p(w, i) for w in what))


def _heard(stance: Stance, rules: frozenset[int]) -> list[int]:
    """The rules' clauses for a smaller part, unless the head reads the clause as leading outright: "I
    helped the new starters settle in" is the candidate helping someone, not a smaller part."""
    return sorted(
        i
        for i in rules
        if i < len(stance.role) and stance.p("lead", i) <= max(0.5, sum(stance.p(w, i) for w in _SMALLER))
    )


def part(stance: Stance, sure: float, rules: Said = Said()) -> tuple[list[int], list[int]]:
    """The round's clauses telling that the candidate led, and those telling a smaller part, surest
    first: both empty when the round tells neither side or both."""
    # "I led it" in so many words is the candidate's lead, whatever the head reads.
    led_r, small_r = sorted(rules.lead), sorted(set(_heard(stance, rules.smaller)) | rules.firm)
    if bool(led_r) != bool(small_r):
        return led_r, small_r  # the rules speak for one side
    if led_r and small_r:
        return [], []
    # The rest is read by meaning; a clause the rules read is not read again ("I was one of three
    # designers, and the payment screens were my part" is one of three, whatever "my part" reads as).
    told = rules.lead | rules.smaller
    led = [i for i in _sure(stance, ("lead",), sure) if i not in told]
    small = [i for i in _sure(stance, _SMALLER, sure) if i not in told]
    if led and small:
        return [], []
    return led, small


def role_can_change(then: Stance, sure: float, said_then: Said = Said(), said_now: Said = Said()) -> bool:
    """Whether `role_change` could find a change against this round one, whatever the answer's clauses
    read as: when it could not, they need not go to the model for the candidate's part."""
    led_then, small_then = part(then, sure, said_then)
    if not led_then and not small_then:
        return False  # round one says both, or neither: nothing to set the answer against
    # Round one led; the answer's own "I led" means its part is not a smaller one (or says both).
    return not (led_then and said_now.lead)


# Two clauses with this share of their content words in common, counted against the longer one, tell
# the same thing ("I selected the pieces and wrote the labels" / "I chose the pieces, wrote all the
# labels"); a clause that only names the story ("our hybrid working policy") is not one told again.
SAME_WORDS = 0.5


def _told_again(a: str, b: str) -> bool:
    words_a, words_b = content_stems(a), content_stems(b)
    return bool(words_a and words_b) and len(words_a & words_b) >= SAME_WORDS * max(
        len(words_a), len(words_b)
    )


def _new(
    now: list[int], other_side: list[int], then_texts: Sequence[str], now_texts: Sequence[str]
) -> list[int]:
    """The answer's clauses that are not round-one clauses told again, unless the round-one clause was
    read as the other side: "I chose the pieces and wrote the labels", read as leading today and not in
    round one, is the head's noise, not a bigger part."""
    return [
        j
        for j in now
        if not any(
            _told_again(then_texts[i], now_texts[j]) for i in range(len(then_texts)) if i not in other_side
        )
    ]


# A lead the head alone reads in today's answer is the candidate's only where the candidate does
# something in that clause: "I" in it. "my" alone is what is theirs, not what they did: "his mum went to
# the head to say he liked school, that made my year" read as leading the story on a clean retelling.
_SELF_DOES = re.compile(r"(?<![\w'])i(?:'m|'ve|'d|'ll)?(?![\w'])", re.IGNORECASE)
# ... and not where "I" only says what the candidate thinks or knows: "I think the main reason is this
# change", "which was how I knew things had changed" tell the speaker's view of the story, no part in it.
_SELF_VIEW = re.compile(
    r"(?<![\w'])(?:i'd\s+say|i\s+would\s+say|i\s+(?:(?:really|honestly|still|just|do|did)\s+)?"
    r"(?:think|thought|guess|believe|believed|know|knew|feel|felt|mean|suppose|reckon|remember|"
    r"realised|realized|hope))(?![\w'])",
    re.IGNORECASE,
)


def _acts(text: str) -> bool:
    """Does the candidate do something in this clause: an "I" that is not only their view of it?"""
    return len(_SELF_DOES.findall(text)) > len(_SELF_VIEW.findall(text))


# A smaller part the head alone reads is the candidate's only in a clause that speaks of them: "the
# compliance people, and honestly, watching someone give up, that did the persuading" is what persuaded,
# not who did the work. Someone else leading it, in so many words, is read by the rules (`rules_said`).
_SPEAKS_OF_SELF = re.compile(
    r"(?<![\w'])(?:i|i'm|i've|i'd|me|my|mine|myself|we|we'd|we've|us|our)(?![\w'])", re.IGNORECASE
)


# Two parts read by the head alone, neither said in so many words, are a change only when the two
# readings are this sure together: a sure reading on one side makes up for a weaker one on the other,
# two borderline ones never make a change ("I started a monthly recognition board" read as leading,
# "I also moved our shift meeting" as a smaller part: two steps of the work, not two parts).
BOTH_READ = 1.2


def _reading(stance: Stance, index: int, what: tuple[str, ...]) -> float:
    return max(stance.p(w, index) for w in what)


def _heads_only(said: Said, *clauses: int) -> bool:
    return not any(c in said.lead or c in said.smaller for c in clauses)


def role_change(
    then: Stance,
    now: Stance,
    sure: float,
    said_then: Said = Said(),
    said_now: Said = Said(),
    then_texts: Sequence[str] = (),
    now_texts: Sequence[str] = (),
    quoted: frozenset[int] = frozenset(),
) -> Change | None:
    """`then_texts` / `now_texts`: the clauses' words, to tell a clause told again from a new one.
    `quoted`: the answer's clauses a change the rules found already quotes: not read again."""
    led_then, small_then = part(then, sure, said_then)
    led_now, small_now = part(now, sure, said_now)
    led_now, small_now = [j for j in led_now if j not in quoted], [j for j in small_now if j not in quoted]
    if then_texts and now_texts:
        # A part the rules read in so many words is the answer's, even in a clause that retells round
        # one's setting ("In the child protection team in Glasgow I supervise the newer workers").
        led_now = [
            j
            for j in led_now
            if j in said_now.lead
            or (_acts(now_texts[j]) and j in _new([j], small_then, then_texts, now_texts))
        ]
        small_now = [
            j
            for j in small_now
            if j in said_now.smaller
            or (_SPEAKS_OF_SELF.search(now_texts[j]) and j in _new([j], led_then, then_texts, now_texts))
        ]
    if small_then and led_now:
        i, j, kind = small_then[0], led_now[0], "embellishment"
        sure_of = _reading(then, i, _SMALLER) + _reading(now, j, ("lead",))
    elif led_then and small_now:
        i, j, kind = led_then[0], small_now[0], "contradiction"
        sure_of = _reading(then, i, ("lead",)) + _reading(now, j, _SMALLER)
    else:
        return None
    if _heads_only(said_then, i) and _heads_only(said_now, j) and sure_of < BOTH_READ:
        return None
    return Change(kind, "role", i, j)


# The candidate's own title is only given away when it names one post: a lead's or above, in more than
# one word ("head of events", "lead architect"); "she was a manager too" says nothing of the candidate.
_TRAILING = re.compile(r"(?:\s+(?:at|on|for|in|of|with|and|to|from|the|a|an))+$", re.IGNORECASE)


def own_title(claim: Claim, text: Text, rubric: ConsistencyRubric) -> str | None:
    """The words of a title the candidate gave themselves ("I'm head of events at" -> "head of events"),
    when it names one post (`_TRAILING`'s note); else None."""
    if claim.category != "role" or claim.rank < rubric.lead_rank:
        return None
    said = text.clean[claim.start : claim.end]
    lead_in = rubric.compile(rubric.self_role).match(said)
    title = _TRAILING.sub("", said[lead_in.end() :] if lead_in else said).strip(" ,")
    title = re.sub(r"^(?:the|a|an)\s+", "", title, flags=re.IGNORECASE)
    return title if len(title.split()) >= 2 else None


def given_away(title: str, clause: str) -> bool:
    """Whether the clause gives the title to someone else: "my manager, she's the head of events",
    "Nikos, he was the lead architect", "the lead architect was Nikos"."""
    t = r"\s+".join(re.escape(w) for w in title.split())
    other = rf"\b(?:he|she|they)(?:'s|\s+is|\s+was|\s+were)\s+(?:(?:the|our|my|their)\s+)?{t}\b"
    named_after = rf"\b(?:the|our|my)\s+{t},?\s+(?:was|is)\s+(?!I\b|me\b)\w+"
    # The candidate answering to the title's holder: "I reported into the head of events".
    under = rf"\bI\s+(?:report(?:ed)?|was\s+reporting|worked|was\s+working)\s+(?:into|(?:in\s+|directly\s+)?(?:to|for|under))\s+(?:the|our|my)\s+{t}\b"
    return any(re.search(p, clause, re.IGNORECASE) for p in (other, named_after, under))


def title_given_away(
    titles: Sequence[tuple[Claim, Text]],
    answer: Text,
    answer_claims: Iterable[Claim],
    rubric: ConsistencyRubric,
) -> tuple[Claim, Text, int] | None:
    """A title the candidate gave themselves in round one (`titles`: their claims and the answers they
    were told in), given to someone else in the answer: the round-one claim, its answer and the answer's
    clause. Not when the answer gives the title to the candidate too ("I'm head of events, she was
    head of events before me")."""
    mine = {c.value for c in answer_claims if c.category == "role"}
    for claim, text in titles:
        title = own_title(claim, text, rubric)
        if title is None or claim.value in mine:
            continue
        for j, clause in enumerate(answer.clauses):
            if given_away(title, clause.text):
                return claim, text, j
    return None
