"""A place, a tool or a supplier named in round one and another told in its place, when the rest of the
clause is told in other words: "I set up our first overseas office, in Singapore" / "I chose an office
in the Marunouchi district, near Tokyo Station"; "an NGO in northern Kenya" / "the water project in
northern uganda".

word_swap.py needs the words around a swap told again; here only the little word that opens the slot
("in", "near", "using") is the same. Round one names the thing (a capital inside its clause, as typed
answers write names) and round two never says it; round two says, after the same little word, a word
round one never says. Whether that word is another thing of the same kind is read by meaning, by the
caller: two places or two tools sit close to each other for the sentence model ("Poland" / "Romania",
"AWS" / "Google"), a place and a word that names no place do not ("Brisbane" / "whole", "Cork" /
"admission"); and the two clauses must read as one fact told twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from simulator.grading.text import STOPWORDS, Text, stem
from simulator.grading.word_swap import (
    FIGURE_OR_DATE,
    TOKEN,
    abbreviation,
    meaningful,
    one_word,
    shortened,
    tokens,
)

# Little words that open a place, a tool or a supplier. Not "to" or "for": they open a verb or a
# purpose as often ("to Eastern Europe" / "to Poland" widened a search, and named no other place).
OPENERS = frozenset("in at from near via through using with".split())
_DETERMINERS = frozenset("the a an our their my".split())
# Days are dates, compared as dates (claims.py), never as names: "on Monday" / "on the sunday night".
_DAY = re.compile(r"^(?:mon|tues|wednes|thurs|fri|satur|sun)day$")
MAX_MODIFIERS = 2  # words said in both rounds between the opener and the name: "in northern Kenya"


@dataclass(frozen=True)
class SlotSwap:
    then: str
    now: str
    round_one_clause: int
    round_two_clause: int


def _said(value: str, stems: set[str]) -> bool:
    return any(stem(w) in stems for w in value.split())


def _slots(raw: list[str], said_other: set[str], names_only: bool) -> Iterator[tuple[str, int]]:
    """(opener, where its slot starts) for each opener among the words `raw`: past a determiner and up
    to MAX_MODIFIERS words the other round says too ("in northern Kenya"); with `names_only`, a
    capitalised word is never passed over, as it may be the name itself."""
    for k, word in enumerate(raw[:-1]):
        if word.lower() not in OPENERS:
            continue
        j = k + 1
        if raw[j].lower() in _DETERMINERS:
            j += 1
        skipped = 0
        while (
            j < len(raw)
            and skipped < MAX_MODIFIERS
            and stem(raw[j].lower()) in said_other
            and not (names_only and raw[j][0].isupper())
        ):
            j, skipped = j + 1, skipped + 1
        yield word.lower(), j


def _named_after_openers(text: str, said_other: set[str]) -> list[tuple[str, str, bool]]:
    """(opener, name, initials) for each name a clause says after an opener: the capitalised words
    there, past a determiner and up to two words the other round says too; `initials` when the name is
    letters in capitals ("ED", "GCSE"), which a retelling may spell out in words of no capital."""
    raw = TOKEN.findall(text)
    out = []
    for opener, j in _slots(raw, said_other, names_only=True):
        name, initials = [], False
        while j < len(raw) and raw[j][0].isupper() and raw[j] != "I":
            name.append(raw[j].lower())
            initials = initials or (len(raw[j]) > 1 and raw[j].isupper())
            j += 1
        if name and not any(FIGURE_OR_DATE.search(w) or _DAY.match(w) for w in name):
            out.append((opener, " ".join(name), initials))
    return out


def _told_after_openers(text: str, said_other: set[str], cased: bool) -> list[tuple[str, str]]:
    """(opener, word) for the first word after each opener that the other round never says, past a
    determiner and up to two words it does say: a name, taken whole when capitalised. An answer that
    writes names with capitals (`cased`) must write this one so; speech is often written all in lower
    case ("in northern uganda"), and there any word may be a name."""
    raw = TOKEN.findall(text)
    out = []
    for opener, j in _slots(raw, said_other, names_only=False):
        if j >= len(raw):
            continue
        first = raw[j].lower()
        if cased and not raw[j][0].isupper():
            continue  # an answer that writes names with capitals names none here
        if not first[0].isalpha() or first in STOPWORDS or not meaningful(first):
            continue
        if FIGURE_OR_DATE.search(first) or _DAY.match(first) or stem(first) in said_other:
            continue
        name = [first]
        while raw[j][0].isupper() and j + 1 < len(raw) and raw[j + 1][0].isupper() and raw[j + 1] != "I":
            j += 1
            name.append(raw[j].lower())
        out.append((opener, " ".join(name)))
    return out


def capitalised(text: str, word: str) -> bool:
    first = word.split()[0]
    return any(w.lower() == first and w[0].isupper() for w in TOKEN.findall(text))


def writes_names(text: Text) -> bool:
    """Does the answer write names with capitals: a capital inside a clause, other than "I"?"""
    return any(
        w[0].isupper() and not w.startswith("I'") and w != "I"
        for clause in text.clauses
        for w in TOKEN.findall(clause.text)[1:]
    )


def slot_swaps(then: Text, now: Text) -> list[SlotSwap]:
    """Every pair of a name round one says after an opener (and round two never says) and a word round
    two says after the same opener (and round one never says), with their clauses."""
    said_then = {stem(w) for w in tokens(then.clean)}
    said_now = {stem(w) for w in tokens(now.clean)}
    cased = writes_names(now)
    out: list[SlotSwap] = []
    for one in then.clauses:
        for opener, name, initials in _named_after_openers(one.text, said_now):
            if _said(name, said_now):
                continue
            for two in now.clauses:
                for opener_now, word in _told_after_openers(two.text, said_then, cased):
                    if opener_now != opener or _said(word, said_then):
                        continue
                    if initials and not capitalised(two.text, word):
                        continue  # "in ED" / "in emergency": initials spelt out, or another word
                    a, b = name.split(), word.split()
                    if one_word(a[0], b[0]) or shortened(name, word) or shortened(word, name):
                        continue
                    if abbreviation(a, b) or abbreviation(b, a):
                        continue
                    out.append(SlotSwap(name, word, one.index, two.index))
    return out
