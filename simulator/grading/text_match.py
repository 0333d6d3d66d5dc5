"""Plain-text matching for the session-level checks: cue phrases, content words, quotable spans.

Cue lists live in the rubric files; this module only knows how to find them. A cue is a word or
phrase matched case-insensitively on word boundaries, with common endings allowed ("challenge"
finds "challenges"); a cue ending in `*` matches any ending ("prioriti*" finds "prioritise" and
"prioritization").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

# Function words and spoken fillers: they say nothing about which story is being told.
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't could couldn't did didn't do does doesn't doing don't down
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself
    let's me more most mustn't my myself no nor not of off on once only or other ought our ours ourselves
    out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the
    their theirs them themselves then there there's these they they'd they'll they're they've this those
    through to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when
    when's where where's which while who who's whom why why's will with won't would wouldn't you you'd
    you'll you're you've your yours yourself yourselves
    um uh er erm ah oh hmm like yeah yes okay ok well so basically actually really just kind sort know
    mean guess think thing things stuff lot lots got get gets getting go going went gone say said says
    one two also maybe pretty quite right anyway still even much many way ways bit
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'+#.-]*[a-z0-9+#]|[a-z0-9]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens; keeps "c++", "node.js", "p95", "team-wide"."""
    return [t.removesuffix("'s") for t in _TOKEN.findall(text.lower())]


def stem(word: str) -> str:
    """A crude English stem, enough to make "deadlines" meet "deadline" and "migrated" meet "migrating".

    Consistency matters more than linguistics: the same word always maps to the same stem.
    """
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) >= 6 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) >= 5 and word.endswith("ed"):
        word = word[:-2]
    elif len(word) >= 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    return word


def content_words(text: str, ignore: Iterable[str] = ()) -> list[str]:
    """Stemmed words that carry meaning: no stopwords, no one-letter tokens, none of `ignore`."""
    skip = {stem(w.lower()) for w in ignore}
    out = []
    for tok in tokens(text):
        if tok in STOPWORDS or len(tok) < 2:
            continue
        s = stem(tok)
        if s not in skip:
            out.append(s)
    return out


def word_count(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=4096)
def cue_pattern(cue: str) -> re.Pattern[str]:
    body = cue.strip().lower()
    wildcard = body.endswith("*")
    body = body.rstrip("*").strip()
    parts = [re.escape(p) for p in body.split()]
    joined = r"[\s-]+".join(parts)
    ending = r"\w*" if wildcard else r"(?:s|es|ed|d|ing)?"
    start = r"(?<!\w)" if body[:1].isalnum() else ""
    end = r"(?!\w)" if body[-1:].isalnum() or wildcard else ""
    return re.compile(start + joined + ending + end, re.IGNORECASE)


@dataclass(frozen=True)
class CueHit:
    cue: str
    start: int
    end: int


def find_cues(text: str, cues: Iterable[str]) -> list[CueHit]:
    """The first hit of each cue found in the text, in order of position."""
    hits = []
    for cue in cues:
        if not cue.strip():
            continue
        m = cue_pattern(cue).search(text)
        if m:
            hits.append(CueHit(cue, m.start(), m.end()))
    return sorted(hits, key=lambda h: h.start)


def has_cue(text: str, cues: Iterable[str]) -> bool:
    return any(cue.strip() and cue_pattern(cue).search(text) for cue in cues)


def sentence_around(text: str, start: int, end: int, max_words: int = 30) -> str:
    """The sentence holding text[start:end], trimmed to about `max_words` around it."""
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text) + 1]
    left = max(b for b in bounds if b <= start)
    right = min((b for b in bounds if b > end), default=len(text))
    sentence = text[left:right].strip()
    words = sentence.split()
    if len(words) <= max_words:
        return sentence
    # Keep the window of words around the hit.
    hit_at = len(text[left:start].split())
    lo = max(0, min(hit_at - max_words // 3, len(words) - max_words))
    window = " ".join(words[lo : lo + max_words])
    return ("… " if lo else "") + window + (" …" if lo + max_words < len(words) else "")


def first_sentence(text: str, max_words: int = 30) -> str:
    text = text.strip()
    return sentence_around(text, 0, 0, max_words) if text else ""


def quoted(text: str) -> str:
    return f"\u201c{text.strip()}\u201d"


def shorten(text: str, max_words: int) -> str:
    words = text.split()
    return text.strip() if len(words) <= max_words else " ".join(words[:max_words]) + " …"


class TfIdf:
    """Term weights over a small corpus (one session's stories), so rare shared words count most."""

    def __init__(self, documents: Sequence[Sequence[str]]):
        self.n = len(documents)
        df: Counter[str] = Counter()
        for doc in documents:
            df.update(set(doc))
        self.idf = {w: math.log((1 + self.n) / (1 + c)) + 1.0 for w, c in df.items()}

    def vector(self, doc: Sequence[str]) -> dict[str, float]:
        counts = Counter(doc)
        vec = {w: (1 + math.log(c)) * self.idf.get(w, 1.0) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {w: v / norm for w, v in vec.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())
