"""One step of the work, done by the candidate in one round and by someone else in the other.

Round one "our head nurse, she wrote the new protocol", round two "I wrote the protocol": the candidate
took a colleague's step (an embellishment); round one "Then I present the model to the CFO", round two
"She present the model to the CFO": the candidate gave theirs away (a contradiction). The role heads
read a clause's words, and "she wrote the protocol" reads as no part of the candidate's at all; what
changed is who the subject of the same verb is. So each part of a clause told as a step is read for its
subject ("I", or one other person: he, she, a name, "my manager", "our deputy head") and its verb, and
a step of round one is set against one of round two with the same verb and the same thing done to
("wrote ... protocol"). "We" is neither side: "we changed her shift" says nothing of whose call it was.
A step handed on ("I asked Dave to log every drop" / "Dave logged every drop") has another verb, so it
is not a swap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from simulator.grading.outcome_change import Change
from simulator.grading.stance import NEGATION
from simulator.grading.text import content_stems, stem

# Where a clause holds more than one step ("I found the leak, and Ana fixed it").
_PARTS = re.compile(
    r"\s*(?:,(?!\d)|[;:\u2014\u2013]|\s-\s|\band\b|\bbut\b|\bthen\b|\bso\b)\s*", re.IGNORECASE
)
_OPENERS = r"(?:(?:and|so|then|but|also|just|basically|actually|yeah|well|like|okay|ok|um|uh|in the end)\W+)*"
# Adverbs and auxiliaries between the subject and its verb: "she then wrote", "I had already set".
_BETWEEN = r"(?:(?:had|has|have|then|also|just|already|actually|personally|herself|himself|myself|\w+ly)\s+)*"
_TITLE = (
    r"(?:manager|director|head|lead|boss|supervisor|chief|officer|partner|colleague|consultant|sponsor|"
    r"owner|founder|engineer|analyst|nurse|doctor|teacher|editor|architect|coordinator|principal|ceo|cfo|cto|vp)"
)
# Another person as the subject: "she", "he", "Thabo", "Mrs Kowalski", "my manager", "our deputy head".
_OTHER = (
    rf"(?:(?i:he|she)|(?i:mr|mrs|ms|dr)\.?\s+[A-Z][a-z]+|[A-Z][a-z]{{2,}}"
    rf"|(?i:(?:my|our|the)\s+(?:[\w-]+\s+){{0,2}}?{_TITLE}))"
)
# Capitalised words that open a clause without naming anyone.
_NOT_NAMES = frozenset(
    "the this that these those there then then it its we they our my his her their after before when "
    "while once since by in on at for from with within during over under so but and also just yes yeah "
    "honestly basically actually luckily sadly later finally eventually first next last one two three "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_BEING = frozenset(
    "am is are was were be been being 's 'm 're had has have do did does would could should will can "
    "might must think thought guess mean felt feel said says told asked wanted needed who which that "
    "and or to".split()
)
_SUBJECT_VERB = re.compile(
    rf"^\W*(?i:{_OPENERS})(?P<who>(?i:I)|{_OTHER})\s+(?i:{_BETWEEN})(?P<verb>[a-z][a-z'-]+)\b(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Step:
    clause: int
    who: str  # "I" or "other"
    verb: str  # stemmed
    done_to: frozenset[str]  # the content words after the verb, stemmed


def _who(subject: str) -> str | None:
    s = subject.strip()
    if s == "I" or s.lower() == "i":
        return "I"
    first = s.split()[0].lower().rstrip(".")
    if s[0].isupper() and first in _NOT_NAMES:
        return None
    if first in ("my", "our", "the", "he", "she", "mr", "mrs", "ms", "dr") or s[0].isupper():
        return "other"
    return None


def steps(clauses: Sequence[str]) -> list[Step]:
    """The parts of the clauses told as a step with one subject: the candidate or one other person."""
    out = []
    for index, clause in enumerate(clauses):
        for part in _PARTS.split(clause):
            found = _SUBJECT_VERB.match(part)
            if found is None or NEGATION.search(part):
                continue
            who, verb = _who(found["who"]), found["verb"].lower()
            if who is None or verb in _BEING or verb.endswith("ly"):
                continue
            done_to = frozenset(content_stems(found["rest"]))
            if done_to:
                out.append(Step(index, who, stem(verb), done_to))
    return out


# The thing done must be the same: this share of the shorter side's words after the verb, in common.
SAME_OBJECT = 0.5


def _same_step(a: Step, b: Step) -> bool:
    shared = a.done_to & b.done_to
    return a.verb == b.verb and len(shared) >= SAME_OBJECT * min(len(a.done_to), len(b.done_to))


def actor_swap(then: Sequence[str], now: Sequence[str]) -> Change | None:
    """A step told with the candidate as its subject in one round and another person in the other, when
    neither round also tells it with the other subject (a step both did is no swap)."""
    first, second = steps(then), steps(now)
    for b in second:
        for a in first:
            if a.who == b.who or not _same_step(a, b):
                continue
            # The same step told both ways within a round: "she drafted it and I drafted the rest".
            if any(_same_step(b, c) and c.who == b.who for c in first) or any(
                _same_step(a, c) and c.who == a.who for c in second
            ):
                continue
            kind = "embellishment" if b.who == "I" else "contradiction"
            return Change(kind, "role", a.clause, b.clause)
    return None
