"""One word swapped for another in the same frame: "a six-storey timber frame block" told as "a six-storey
steel frame block", "our supplier in Vietnam" as "our supplier in India".

Found without a list of materials, places or tools: the words right before and after are the same in
both rounds and carry meaning themselves (not "the", "a", "in"), the swapped words are each said in only
one round, and they are not one word in two forms ("rebuilt" / "built"). A reworded retelling rarely
keeps both neighbours and changes only the word between them, unless the two words mean the same
("whole" / "entire"): the caller checks that by meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.grading.text import STOPWORDS, Text, stem

_WORD = re.compile(r"[A-Za-z][\w'-]*")
MIN_LETTERS = 3
# A verb swapped for another is most often the same action reworded ("fixed" / "sorted"): only names,
# things and qualities are compared.
_VERB_FORM = re.compile(r"(?:ed|ing)$")
SAME_START = 3  # "choosing" / "chose": one word in two forms


@dataclass(frozen=True)
class Swap:
    then: str
    now: str
    round_one_clause: int
    round_two_clause: int


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _meaningful(word: str) -> bool:
    return len(word) >= MIN_LETTERS and word not in STOPWORDS


def _other_word(old: str, new: str) -> bool:
    if _VERB_FORM.search(old) or _VERB_FORM.search(new):
        return False
    return stem(old) != stem(new) and old[:SAME_START] != new[:SAME_START]


def swaps(then: Text, now: Text) -> list[Swap]:
    said_then = {stem(w) for w in _words(then.clean)}
    said_now = {stem(w) for w in _words(now.clean)}
    frames: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for clause in then.clauses:
        words = _words(clause.text)
        for k in range(1, len(words) - 1):
            frames.setdefault((words[k - 1], words[k + 1]), []).append((words[k], clause.index))
    out: list[Swap] = []
    for clause in now.clauses:
        words = _words(clause.text)
        for k in range(1, len(words) - 1):
            left, word, right = words[k - 1], words[k], words[k + 1]
            if not (_meaningful(left) and _meaningful(right) and _meaningful(word)):
                continue
            if stem(word) in said_then:
                continue
            for old, index in frames.get((left, right), []):
                if _meaningful(old) and stem(old) not in said_now and _other_word(old, word):
                    out.append(Swap(old, word, index, clause.index))
    return out
