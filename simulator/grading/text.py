"""An answer as the grader reads it: fillers out for matching, clauses for locating, verbatim quotes.

Spoken answers are full of "um", "like", "you know", stutters ("I I went") and sentences that never
end. Cues are matched on a *clean* copy with those taken out; every position in the clean copy maps
back to the original, so a quote shown to the user is always a verbatim substring of what they said.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from simulator.grading.rubric import StarRubric

# Same-length replacements only, so offsets into the original stay valid.
_UNIFY = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
)
# A word said twice and then joined on is no stutter: "twenty twenty-one" is a year.
_STUTTER = re.compile(r"(?<![\w'])([A-Za-z']+)(?:[ \t]*,?[ \t]+\1)+(?![\w'-])", re.IGNORECASE)
_LEGIT_REPEATS = frozenset({"that", "had", "is", "very", "really", "so", "no", "bye", "ha"})
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"')\]]*[ ]+|[ ]*\n[ \n]*")
_NOT_AN_END = re.compile(
    r"(?:\b(?:e\.g|i\.e|vs|etc|approx|dr|mr|mrs|ms|st|no|inc|ltd|co)\.|\b[A-Z]\.)$", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z0-9$£€%][\w'$£€%.,-]*")
_TOKEN = re.compile(r"[a-z0-9']+")
_EDGE = " \t\n,;:-–—.!?\"'()[]"


def word_list(text: str) -> list[str]:
    return text.split()


STOPWORDS = frozenset(
    word_list(
        """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves i'm i've i'd i'll we're we've we'd
    it's that's there's don't didn't wasn't weren't couldn't wouldn't can't won't isn't aren't
    hasn't haven't let's um uh erm er like yeah okay ok well really actually basically kind sort
    thing things stuff lot lots get got getting go went going gone make made making know knew think
    thought say said tell told want wanted way time bit pretty quite even still maybe around much
    many every one two three first second next last back able sure right just something anything
    everything someone everyone us come came take took put see saw look looked need needed mean
    meant"""
    )
)


@functools.lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """A crude stem, enough to match "migrated", "migrating" and "migration"."""
    w = word.lower().strip("'").removesuffix("'s")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ation") and len(w) > 6:
        w = w[:-5] + "at"
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def content_stems(text: str) -> set[str]:
    """The words that carry meaning, stemmed: what two tellings of one story share."""
    return {
        stem(t) for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS and len(t) > 2 and not t.isdigit()
    }


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def has_words(text: str, start: int, end: int, count: int) -> bool:
    """Are there at least `count` words in text[start:end]? Stops reading at the count-th word, so
    asking it at every marker of a long sentence stays linear (counting them all did not)."""
    for seen, _ in enumerate(_WORD.finditer(text, start, end), start=1):
        if seen >= count:
            return True
    return count <= 0


@dataclass(frozen=True)
class Clause:
    index: int
    start: int  # offsets into the clean text
    end: int
    text: str


@dataclass
class Text:
    """One answer, read: the original, its clean copy, the map between them, and its clauses."""

    original: str
    clean: str
    origin: list[int]  # clean offset -> original offset
    clauses: list[Clause] = field(default_factory=list)
    filler_hits: int = 0
    filler_spans: list[tuple[int, int]] = field(default_factory=list)  # original offsets of fillers
    original_words: int = 0
    quote_words: int = 24
    quote_trim: frozenset[str] = frozenset()
    # Clause starts, built once per clause list: clause_at runs for every cue match, so rebuilding
    # them per call made grading quadratic in the answer's length.
    _starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _starts_of: list[Clause] | None = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> int:
        return word_count(self.clean)

    @property
    def filler_share(self) -> float:
        return self.filler_hits / self.original_words if self.original_words else 0.0

    def clause_at(self, pos: int) -> int:
        if self._starts_of is not self.clauses:
            self._starts = [c.start for c in self.clauses]
            self._starts_of = self.clauses
        return max(0, bisect.bisect_right(self._starts, pos) - 1)

    def clause_stems(self, index: int) -> set[str]:
        return content_stems(self.clauses[index].text)

    def span_original(self, start: int, end: int) -> tuple[int, int]:
        if not self.origin or end <= start:
            return (0, 0)
        start = min(max(start, 0), len(self.origin) - 1)
        end = min(max(end, start + 1), len(self.origin))
        return self.origin[start], self.origin[end - 1] + 1

    def quote(self, start: int, end: int) -> str:
        """The original text behind a clean span, trimmed to whole words: always a verbatim substring."""
        a, b = self.span_original(start, end)
        return _trim_quote(self.original, a, b, self.quote_words, self.quote_trim)

    def quote_clause(self, index: int) -> str:
        clause = self.clauses[index]
        return self.quote(clause.start, clause.end)

    def window(self, a: int, b: int, words: int = 4) -> str:
        """A verbatim piece of the original around original offsets [a, b), a few words either side."""
        before = list(re.finditer(r"\S+", self.original[:a]))
        after = list(re.finditer(r"\S+", self.original[b:]))
        start = before[-words].start() if len(before) >= words else 0
        end = b + after[words - 1].end() if len(after) >= words else len(self.original)
        start, end = _strip_edges(self.original, start, end)
        return self.original[start:end]

    def quote_around(self, start: int, end: int) -> str:
        """The clause holding a match, or a window of it around the match when the clause is long."""
        clause = self.clauses[self.clause_at(start)]
        words_before = word_count(self.clean[clause.start : start])
        if word_count(clause.text) <= self.quote_words or words_before <= self.quote_words // 3:
            return self.quote(clause.start, clause.end)
        # Start a few words before the match so the quote reads as a phrase.
        pieces = list(re.finditer(r"\S+", self.clean[clause.start : start]))
        begin = clause.start + pieces[max(0, len(pieces) - 3)].start() if pieces else start
        return self.quote(begin, clause.end)


def _strip_edges(original: str, a: int, b: int) -> tuple[int, int]:
    while a < b and original[a] in _EDGE:
        a += 1
    while b > a and original[b - 1] in _EDGE:
        b -= 1
    return a, b


def _trim_quote(original: str, a: int, b: int, max_words: int, drop: frozenset[str]) -> str:
    a, b = _strip_edges(original, a, b)
    words = list(re.finditer(r"\S+", original[a:b]))
    # Leading "and", "so", "um" are dropped while enough is left to read.
    skip = 0
    while skip < len(words) - 3 and words[skip].group(0).lower().strip(",.;:-") in drop:
        skip += 1
    if skip:
        a += words[skip].start()
        words = list(re.finditer(r"\S+", original[a:b]))
    if len(words) > max_words:
        b = a + words[max_words - 1].end()
    a, b = _strip_edges(original, a, b)
    return original[a:b]


def _removals(text: str, rubric: StarRubric) -> tuple[list[tuple[int, int]], int]:
    spans: list[tuple[int, int]] = []
    hits = 0
    plain = [p for p in rubric.transcript.fillers if "(?P<f>" not in p]
    # A pattern with a named group cannot share an alternation (the names would repeat): one each.
    grouped = [
        rubric.compile([p], re.IGNORECASE | re.MULTILINE) for p in rubric.transcript.fillers if "(?P<f>" in p
    ]
    for regex in [rubric.compile(plain), *grouped]:
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            if "f" in regex.groupindex and m.group("f") is not None:
                spans.append(m.span("f"))
            else:
                spans.append(m.span())
            hits += 1
    spans = [_absorb_commas(text, a, b) for a, b in spans]
    for m in _STUTTER.finditer(text):
        if m.group(1).lower() in _LEGIT_REPEATS:
            continue
        last = m.end() - len(m.group(1))
        spans.append((m.start(), last))
    return sorted(spans), hits


def _absorb_commas(text: str, a: int, b: int) -> tuple[int, int]:
    """', um,' goes as a whole: the commas only set the filler off ("I was, uh, working")."""
    after = re.match(r"[ \t]*,", text[b : b + 3])
    if not after:
        return a, b
    before = re.search(r",[ \t]*$", text[max(0, a - 3) : a])
    if before:
        return a - (len(before.group(0))), b + after.end()
    return a, b + after.end()


_RUNS = re.compile(r"\S+|\s+")


def _clean(text: str, removals: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """The text without the removed spans, whitespace collapsed (a line break kept as one), with the
    original offset of every character kept."""
    out: list[str] = []
    origin: list[int] = []
    kept: list[tuple[int, int]] = []
    pos = 0
    for a, b in removals:
        if a > pos:
            kept.append((pos, a))
        pos = max(pos, b)
    if pos < len(text):
        kept.append((pos, len(text)))
    for a, b in kept:
        for m in _RUNS.finditer(text, a, b):
            token = m.group(0)
            if token[0].isspace():
                mark = "\n" if "\n" in token else " "
                if out and out[-1] in " \n":
                    if mark == "\n":
                        out[-1] = "\n"
                    continue
                out.append(mark)
                origin.append(m.start())
            else:
                if out and out[-1] not in " \n" and origin and origin[-1] + 1 != m.start():
                    # A removed filler sat between two words: keep them apart.
                    out.append(" ")
                    origin.append(m.start())
                out.append(token)
                origin.extend(range(m.start(), m.end()))
    clean = "".join(out)
    start = len(clean) - len(clean.lstrip(" \n,"))
    end = len(clean.rstrip(" \n"))
    return clean[start:end], origin[start:end]


# Second pass on the clean copy: stutters that only show once fillers are gone ("I, uh, I set up"),
# and punctuation left dangling ("as a team, you know." -> "as a team, .").
_TIDY = (
    re.compile(r",(?=[ ]*,)"),
    re.compile(r"(?<![\w'])([A-Za-z']+)(?:,?[ ]+\1)+(?![\w'-])", re.IGNORECASE),
    re.compile(r"[ ]*,[ ]*(?=[.!?;:]|$)"),
    re.compile(r"[ ]+(?=[,.!?;:])"),
    re.compile(r"^[ ,]+"),
)


def _tidy(clean: str, origin: list[int]) -> tuple[str, list[int]]:
    drop: list[tuple[int, int]] = []
    for m in _TIDY[1].finditer(clean):
        if m.group(1).lower() not in _LEGIT_REPEATS:
            drop.append((m.start(), m.end() - len(m.group(1))))
    for regex in (_TIDY[0], *_TIDY[2:]):
        drop.extend(m.span() for m in regex.finditer(clean) if m.end() > m.start())
    if not drop:
        return clean, origin
    keep = [True] * len(clean)
    for a, b in drop:
        keep[a:b] = [False] * (b - a)
    return "".join(c for c, k in zip(clean, keep, strict=True) if k), [
        o for o, k in zip(origin, keep, strict=True) if k
    ]


def _sentence_breaks(text: str) -> Iterator[re.Match[str]]:
    """The marks and spaces between sentences: not after a decimal point, an initial or "e.g."."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _NOT_AN_END.search(text[start : m.start()]) and "\n" not in m.group(0):
            continue
        yield m
        start = m.end()


def sentence_ends(text: str) -> list[int]:
    """Where each sentence but the last ends: the offset its next sentence starts at. The flags read a
    sentence at a time with these; the clauses are cut inside the same sentences (`_sentences`)."""
    return [m.end() for m in _sentence_breaks(text)]


def _sentences(clean: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _sentence_breaks(clean):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(clean):
        spans.append((start, len(clean)))
    return spans


def _split_long(
    clean: str, start: int, end: int, markers: re.Pattern[str], max_words: int
) -> list[tuple[int, int]]:
    """Cut an over-long sentence before discourse markers ("and then", "so", "because")."""
    if word_count(clean[start:end]) <= max_words:
        return [(start, end)]
    cuts = [start]
    for m in markers.finditer(clean, start, end):
        if has_words(clean, cuts[-1], m.start(), 4) and has_words(clean, m.start(), end, 3):
            cuts.append(m.start())
    pieces = [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        if word_count(clean[a:b]) > 2 * max_words:
            out.extend(_split_commas(clean, a, b, max_words))
        else:
            out.append((a, b))
    return out


def _split_commas(clean: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    cuts = [start]
    for m in re.finditer(r",\s+", clean[start:end]):
        pos = start + m.end()
        if has_words(clean, cuts[-1], pos, max_words // 2):
            cuts.append(pos)
    if len(cuts) == 1:
        # No commas either: cut every max_words words so evidence stays local.
        words = list(re.finditer(r"\S+", clean[start:end]))
        cuts = [start + words[i].start() for i in range(0, len(words), max_words)]
    return [(a, b) for a, b in zip(cuts, [*cuts[1:], end], strict=True)]


def _unlabelled(text: str, rubric: StarRubric) -> tuple[str, list[int] | None]:
    """The answer without its STAR labels ("Situation:", "**Result** -") and a transcriber's notes
    ("[inaudible]"), and the offset in `text`
    of each character kept (None when there was no label). A part counts for what the answer shows,
    never for the label in front of it: with the labels gone first, a labelled answer reads exactly as
    the same answer without them (fillers, names, words and all)."""
    if not rubric.transcript.unsaid:
        return text, None
    spans = [m.span() for m in rubric.compile(rubric.transcript.unsaid).finditer(text) if m.end() > m.start()]
    if not spans:
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for a, b in [*spans, (len(text), len(text))]:
        pieces.append(text[pos:a])
        origin.extend(range(pos, a))
        pos = b
    return "".join(pieces), origin


def analyse(original: str, rubric: StarRubric) -> Text:
    """Read an answer: labels and fillers out, sentences and clauses found, offsets kept."""
    unified = original.translate(_UNIFY)
    told, told_origin = _unlabelled(unified, rubric)
    removals, hits = _removals(told, rubric)
    clean, origin = _clean(told, removals)
    clean, origin = _tidy(clean, origin)
    if told_origin is not None:
        origin = [told_origin[o] for o in origin]
        removals = [(told_origin[a], told_origin[b - 1] + 1) for a, b in removals if b > a]
    text = Text(
        original=original,
        clean=clean,
        origin=origin,
        filler_hits=hits,
        original_words=word_count(told),
        quote_words=rubric.transcript.quote_words,
        quote_trim=frozenset(w.lower() for w in rubric.transcript.quote_trim),
    )
    text.filler_spans = removals
    markers = rubric.compile(rubric.transcript.clause_markers)
    spans: list[tuple[int, int]] = []
    for a, b in _sentences(clean):
        spans.extend(_split_long(clean, a, b, markers, rubric.transcript.max_clause_words))
    clauses: list[Clause] = []
    for a, b in spans:
        while a < b and clean[a] in _EDGE:
            a += 1
        while b > a and clean[b - 1] in " \n,;:":
            b -= 1
        if b > a:
            clauses.append(Clause(len(clauses), a, b, clean[a:b]))
    if not clauses and clean:
        clauses.append(Clause(0, 0, len(clean), clean))
    text.clauses = clauses
    return text
