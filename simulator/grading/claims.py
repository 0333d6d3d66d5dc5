"""The checkable claims in an answer: figures, team sizes, dates, durations, roles, outcomes, names.

Every claim keeps the clause it came from (to quote it), the clause's content words (its subject:
"latency", "checkout") and, for figures, whether it is hedged ("about 30%"), where it sits in a
"from X to Y" and whether it is a gain or a cut, so two tellings can be compared like for like.
Numbers written as words count: "five-person team" is 5, "a dozen" is about 12, "halved" is -50%.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from simulator.grading.quantities import Spoken, SpokenAmounts, phrases
from simulator.grading.rates import period_after
from simulator.grading.rubric import ConsistencyRubric, RoleTitle, expand, per_rubric
from simulator.grading.team_lists import listed_teams
from simulator.grading.text import STOPWORDS, Text, content_stems, stem, word_list

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_NO = {m: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_DATE_PREPS = (
    r"(?:in|by|until|till|since|from|early|late|mid|last|this|of|through|before|after|around|during)"
)
_DIGITS = re.compile(
    r"(?<![\w.,/:])(?P<cur>[$£€])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mag>k|m|mm|bn|million|thousand|billion|grand)(?![\w']))?",
    re.IGNORECASE,
)
_SKIP_AFTER = re.compile(r"(?:st|nd|rd|th|am|pm|a\.m|p\.m)\b|[/:]\d|\.\d", re.IGNORECASE)
_QUARTER = re.compile(
    r"(?<![\w'])(?:Q(?P<q>[1-4])|(?P<qw>first|second|third|fourth|final) quarter)"
    r"(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d|'\d\d))?(?![\w'])",
    re.IGNORECASE,
)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4}
_MONTH = re.compile(
    rf"(?<![\w'])(?P<prep>{_DATE_PREPS}\s+(?:of\s+)?)?(?P<m>{'|'.join(MONTHS)}|sept)(?:\s+(?:of\s+)?(?P<y>(?:19|20)\d\d))?(?![\w'])",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(
    r"\b(?:sav\w*|rais(?:e|ed|es|ing)|budget|revenue|cost\w*|spend\w*|arr|mrr|sales|deal|contract|pipeline|bill\w*|fund\w*|"
    r"profit\w*|price|pricing|dollars?|pounds?|euros?|per year|annually|per month|"
    # "a year later we'd passed fifteen thousand": a point in time, not a sum per year
    r"a (?:year|month)(?! (?:later|ago|earlier|after|before|into)\b))\b",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"[\s-]*([A-Za-z][\w'-]*)(?:\s+([A-Za-z][\w'-]*))?(?:\s+([A-Za-z][\w'-]*))?")
_SELF = re.compile(r"(?:^|\s)[Ii]$")  # "i led that": spoken, lower case
_ACTOR_GAP = re.compile(r"[\s,]*(?:[A-Z][\w'-]*(?: [A-Z][\w'-]*)?[\s,]*)?(?:[a-z]+ and\s*)?")
_ADVERBS = re.compile(
    r"(?:\s+(?:\w+ly|then|also|actually|eventually|finally|ultimately|just|first|who|that|personally|myself))+$",
    re.IGNORECASE,
)
_AFTER_YEAR = re.compile(
    r"\s+(?:at|in|when|while|and|but|so|we|i|the|our|my|on|with|before|after|during|or|it|that|was|where)\b",
    re.IGNORECASE,
)
_YEAR_OF_A_CALENDAR = re.compile(
    r"\s+(?:tax|financial|fiscal|school|academic|calendar|budget|business)\s+year\b", re.IGNORECASE
)
_SPAN_ANYWAY = frozenset({"before", "after", "until", "till"})
# Hedges on a span, read past to find its lead-in: "I had just under three months" is a span, not "under".
_SPAN_HEDGE = re.compile(
    r"(?:(?:the )?(?:best|better|most) part of|most of|the whole of|all of|(?:just|slightly) (?:over|under))$"
)
_RATE = frozenset({"a", "an", "per", "each", "every"})
# How far from a figure a "cut" or "grew" may sit and still be about it (characters).
CHANGE_BEFORE = 50
CHANGE_NEAR = 25
CHANGE_AFTER = 25
_HEDGE_AFTER = re.compile(r"^(?:\s*(?:or so|-?ish|give or take|ish)\b)", re.IGNORECASE)
_MULTIPLE_AFTER = re.compile(r"\s?(?:x|times)(?![\w'])", re.IGNORECASE)
# Words around figures that say nothing about *what* the figure is.
_WEAK_SUBJECT = frozenset(
    stem(w)
    for w in word_list(
        """team project work people time thing way year month week day quarter percent about around roughly
    almost nearly over under more less by from to up down cut reduced increased dropped grew went
    brought saved total whole overall improved improve improvement improving rose fell climbed jumped
    doubled halved tripled lifted boosted lowered shrank slashed trimmed increase decrease reduction growth
    gain gained came went got one two three four five six seven eight nine ten eleven twelve
    fifteen twenty thirty forty fifty sixty hundred thousand million dozen half third couple"""
    )
)


@dataclass(frozen=True)
class Claim:
    category: str  # number, team_size, date, duration, role, outcome, other
    kind: str  # percent, money:USD, multiple, count:<noun>, time, plain, team, days, year, quarter, role, ...
    value: float | str
    said: str  # as said, from the clean text
    clause: int
    start: int
    end: int
    subject: frozenset[str] = frozenset()
    hedged: bool = False
    high: float | None = None  # the top of a range ("five or six")
    slot: str = ""  # numbers: from | to | by | ""; durations: span | elapsed
    change: int = 0  # +1 a gain, -1 a cut, 0 neither
    rank: int = -1  # roles: seniority
    near: frozenset[str] = frozenset()  # content words right around a figure: what it is a figure of
    head: frozenset[str] = frozenset()  # the nearest of them: "missed bins" in "missed bins went down 15%"
    tenure: bool = (
        False  # dates: when the candidate joined, left or was promoted, not when the story happened
    )
    scope: str = ""  # figures: "whole" (the story as a whole: "the project took"), "part" (one step), ""
    qualifier: frozenset[str] = frozenset()  # team sizes: the words naming which team ("infrastructure")
    phase: str = (
        ""  # figures: "before" (a starting point: "when I joined it was 38%"), "after" (a result), ""
    )
    with_me: bool = False  # team sizes: "me and two other nurses" counts the candidate, not whom they lead
    per: float = 0.0  # figures: the period in days they are said per ("£10k a month": 30), 0 for none
    as_said: float | None = None  # lengths of time: the number said before the unit ("25 minutes": 25)

    @property
    def is_change(self) -> bool:
        return self.change != 0 or self.slot in ("from", "to", "by")

    @property
    def low(self) -> float:
        return float(self.value) if isinstance(self.value, int | float) else 0.0

    @property
    def top(self) -> float:
        return self.high if self.high is not None else self.low


@dataclass
class _Number:
    start: int
    end: int
    value: float
    hedged: bool = False
    currency: str = ""
    magnitude: bool = False
    word: bool = False
    high: float | None = None


@dataclass
class _Reader:
    """The number vocabulary of consistency.yaml, compiled."""

    rubric: ConsistencyRubric
    words: re.Pattern[str] = field(init=False)
    approximate: re.Pattern[str] = field(init=False)
    fractions: re.Pattern[str] = field(init=False)
    multiples: re.Pattern[str] = field(init=False)
    duration: re.Pattern[str] = field(init=False)
    team_nouns: frozenset[str] = field(init=False)
    labels: frozenset[str] = field(init=False)
    plus_me: frozenset[str] = field(init=False)
    titles: list[tuple[RoleTitle, re.Pattern[str]]] = field(init=False)
    teams: re.Pattern[str] = field(init=False)
    spoken: SpokenAmounts = field(init=False)
    hedge: re.Pattern[str] = field(init=False)
    softeners: list[list[str]] = field(init=False)
    soft_words: frozenset[str] = field(init=False)
    vague_spans: re.Pattern[str] = field(init=False)
    percent: re.Pattern[str] = field(init=False)
    currency_words: re.Pattern[str] = field(init=False)
    team_context: re.Pattern[str] = field(init=False)
    changes: list[tuple[int, re.Pattern[str]]] = field(init=False)
    part_of_team: re.Pattern[str] = field(init=False)
    ratio: re.Pattern[str] = field(init=False)
    season: re.Pattern[str] = field(init=False)
    holiday: re.Pattern[str] = field(init=False)
    part_of_year: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        nw = self.rubric.number_words
        vocab = sorted([*nw.units, *nw.tens, *nw.scales], key=len, reverse=True)
        alt = "|".join(map(re.escape, vocab))
        digits = "|".join(re.escape(w) for w, v in nw.units.items() if v < 10)
        big = "|".join(re.escape(w) for w, v in nw.scales.items() if v >= 1000)
        # "ninety-nine point six", "one point two million": a decimal said in words
        self.words = re.compile(
            rf"(?<![\w'])(?:(?:a|an) )?(?:{alt})(?:[ -](?:and[ -])?(?:{alt}))*"
            rf"(?: point(?: (?:{digits}))+(?: (?:{big}))?)?(?![\w'])",
            re.IGNORECASE,
        )
        # "twenty nineteen", "twenty twenty-one", "two thousand and eight": a year said in words.
        teens = "|".join(re.escape(w) for w, v in nw.units.items() if v >= 10)
        ones = "|".join(re.escape(w) for w, v in nw.units.items() if 1 <= v <= 9)
        tens = "|".join(re.escape(w) for w, v in nw.tens.items() if v <= 90)
        self.spoken_year = re.compile(
            rf"(?<![\w'])(?:(?P<c>twenty|nineteen)[ -](?P<yy>{teens}|(?:{tens})(?:[ -](?:{ones}))?)"
            rf"|two thousand(?: and)? (?P<y>{teens}|{ones}))(?![\w'-])",
            re.IGNORECASE,
        )
        self.approximate = _alternation(nw.approximate)
        self.fractions = _alternation(nw.fractions)
        self.multiples = _alternation(nw.multiples)
        units = "|".join(sorted(self.rubric.duration_units, key=len, reverse=True))
        # "eight working days", "one long weekend": a word may say what kind of unit, if it is no unit
        # itself ("18-hour days" are days), no number ("a six-week push") and no function word.
        counts = {w for said in [*nw.approximate, *nw.vague_spans, *nw.fractions] for w in said.split()}
        # ("thirty per month" is a rate: "per" says what the unit is of, it is no kind of unit.)
        not_kind = "|".join(
            map(re.escape, sorted({*vocab, *counts, *STOPWORDS, *_RATE}, key=len, reverse=True))
        )
        kind = rf"(?:(?!(?:{units})s?\b|(?:{not_kind})\b)(?P<sort>[a-z]+)[\s-]+)?"
        self.duration = re.compile(
            # "two and a half years", "a year and a half", "a year-and-a-half job"; said without the "a"
            # by many non-native speakers ("one year and half", "four days and half").
            rf"(?P<half_before>[\s-]and[\s-](?:a[\s-])?half)?[\s-]?{kind}(?P<unit>{units})s?"
            rf"(?P<half>[\s-]and[\s-](?:a[\s-])?half)?(?![\w'])",
            re.IGNORECASE,
        )
        self.team_nouns = frozenset(stem(n) for n in self.rubric.team_nouns)
        self.labels = frozenset(w.lower() for w in self.rubric.label_words)
        # One scan for all team phrasings: each pattern's `n` group renamed n0, n1, ...
        phrasings = [*self.rubric.team_patterns, *self.rubric.team_patterns_plus_me]
        renamed = [
            expand(p, self.rubric.vocabulary).replace("(?P<n>", f"(?P<n{i}>") for i, p in enumerate(phrasings)
        ]
        # "me and three others" is a team of four.
        self.plus_me = frozenset(f"n{i}" for i in range(len(self.rubric.team_patterns), len(phrasings)))
        self.teams = re.compile("|".join(f"(?:{r})" for r in renamed), re.IGNORECASE)
        self.titles = [
            (title, re.compile(_plural(expand(p, self.rubric.vocabulary)), re.IGNORECASE))
            for title in self.rubric.roles
            for p in title.patterns
        ]
        rubric = self.rubric
        self.spoken = SpokenAmounts(rubric)
        self.hedge = rubric.compile([*rubric.softeners, *rubric.hedges])
        # Longest first: "close to" is read past as one hedge.
        said = [w.lower().split() for w in [*rubric.softeners, *rubric.stressed]]
        self.softeners = sorted(said, key=len, reverse=True)
        self.soft_words = frozenset(w for words in said for w in words)
        self.vague_spans = _alternation(dict.fromkeys(nw.vague_spans, 0.0))
        self.percent = rubric.compile(rubric.percent_units)
        self.currency_words = rubric.compile(list(rubric.currency))
        self.team_context = rubric.compile(rubric.team_context)
        self.changes = [(1, rubric.compile(rubric.gain_cues)), (-1, rubric.compile(rubric.cut_cues))]
        number = rf"\d+|(?:{alt})(?:[ -](?:{alt}))?"
        # "one in ten", "seven out of ten", and with the thing counted named: "one contact in ten",
        # "one shirt in hundred", "five brackets of every hundred", "three from every five rooms".
        self.ratio = re.compile(
            rf"(?<![\w'])(?P<a>{number})(?: (?P<noun>[a-z]+))? (?:in|out of|(?:of|in|from) every) (?:an? )?"
            rf"(?P<b>{number})(?![\w'])",
            re.IGNORECASE,
        )
        self.part_of_team = rubric.compile([f"(?:{p})\\s*$" for p in rubric.same_subject.part_of_team])
        when = rubric.times_of_year
        seasons = phrases(list(when.seasons))
        self.season = re.compile(
            r"(?<![\w'])(?:(?:in|last|this|that|next|early|late|mid|by|over|during|through|the following|the|of)"
            rf"(?:\s+the)?\s+(?P<s>{seasons})(?![\w'])"
            rf"|(?P<alone>{seasons})(?=\s+(?:of\s+)?(?:19|20)\d\d\b))",  # "Summer 2023, the site went down"
            re.IGNORECASE,
        )
        self.holiday = re.compile(
            r"(?<![\w'])(?:(?:just |right )?(?P<rel>before|after|over|around|at|during|by)\s+)?"
            rf"(?P<h>{phrases(list(when.holidays))})(?![\w'])",
            re.IGNORECASE,
        )
        # "early 2022", "the end of 2021": part of a year.
        self.part_of_year = re.compile(
            rf"(?<![\w'])(?:the )?(?P<part>{phrases(list(when.parts_of_year))})[\s-]+"
            r"(?:(?P<y>(?:19|20)\d\d)|the year)(?![\w'])",
            re.IGNORECASE,
        )

    def unhedged(self, words: list[str]) -> list[str]:
        """The words before a figure without the hedges right before it ("by about half" -> "by")."""
        words = [w.lower() for w in words]
        while words:
            soft = next((s for s in self.softeners if words[-len(s) :] == s), None)
            if soft is None:
                break
            del words[-len(soft) :]
        return words

    def parse_words(self, said: str) -> float:
        whole, point, decimals = said.lower().partition(" point ")
        if point:
            units, scales = self.rubric.number_words.units, self.rubric.number_words.scales
            digits = "".join(str(units[w]) for w in decimals.split() if w in units)
            scale = next((scales[w] for w in decimals.split() if w in scales), 1)  # "one point two million"
            return (self._parse_whole(whole) + (float(f"0.{digits}") if digits else 0.0)) * scale
        return self._parse_whole(said)

    def is_large(self, said: str) -> bool:
        """Does a number in words carry a scale of a thousand or more ("fifty grand", "two million")?"""
        scales = self.rubric.number_words.scales
        return any(scales.get(t, 0) >= 1000 for t in re.split(r"[\s-]+", said.lower()))

    def _parse_whole(self, said: str) -> float:
        nw = self.rubric.number_words
        total = 0.0
        current = 0.0
        for token in re.split(r"[\s-]+", said.lower()):
            if token in ("a", "an", "and", ""):
                if token in ("a", "an"):
                    current = max(current, 0.0)
                continue
            if token in nw.units:
                current += nw.units[token]
            elif token in nw.tens:
                current += nw.tens[token]
            elif token in nw.scales:
                scale = nw.scales[token]
                if scale == 100:
                    current = max(current, 1.0) * 100
                else:
                    total += max(current, 1.0) * scale
                    current = 0.0
        return total + current

    def parse(self, said: str) -> float | None:
        said = said.strip().lower()
        digits = _DIGITS.fullmatch(said)
        if digits:
            return _digit_value(digits)
        for key, value in self.rubric.number_words.approximate.items():
            if said == key:
                return float(value)
        if self.words.fullmatch(said):
            return self.parse_words(said)
        return None


def _alternation(table: dict[str, float] | dict[str, int]) -> re.Pattern[str]:
    keys = sorted(table, key=len, reverse=True)
    if not keys:
        return re.compile(r"(?!x)x")
    alt = "|".join(re.escape(k).replace(r"\ ", r"[\s-]+") for k in keys)
    return re.compile(rf"(?<![\w'])(?:{alt})(?![\w'])", re.IGNORECASE)


def _digit_value(m: re.Match[str]) -> float:
    value = float(m.group("num").replace(",", ""))
    mag = (m.group("mag") or "").lower()
    if mag in ("k", "thousand", "grand"):
        value *= 1_000
    elif mag in ("m", "mm", "million"):
        value *= 1_000_000
    elif mag in ("bn", "billion"):
        value *= 1_000_000_000
    return value


reader = per_rubric(_Reader)


class Taken:
    """Spans of the clean text already read as something, one byte per character: checking a span
    costs its own length, not the number of spans taken so far (which made long answers quadratic)."""

    def __init__(self, size: int) -> None:
        self._mask = bytearray(size)

    def add(self, a: int, b: int) -> None:
        b = min(b, len(self._mask))
        if b > a:
            self._mask[a:b] = b"\x01" * (b - a)

    def covers(self, pos: int) -> bool:
        return 0 <= pos < len(self._mask) and self._mask[pos] == 1

    def overlaps(self, a: int, b: int) -> bool:
        return self._mask.find(1, a, b) != -1


# ---------------------------------------------------------------- finding the numbers


def _numbers(clean: str, read: _Reader, spoken: list[Spoken], taken: Taken) -> list[_Number]:
    """The figures in `clean` not yet taken; `spoken` are its amounts in other words (`SpokenAmounts.read`)."""
    found: list[_Number] = []
    read_here = Taken(len(clean))

    def free(a: int, b: int) -> bool:
        return not taken.overlaps(a, b) and not read_here.overlaps(a, b)

    def keep(number: _Number) -> None:
        found.append(number)
        read_here.add(number.start, number.end)

    for amount in spoken:
        if free(amount.start, amount.end):
            keep(
                _Number(
                    amount.start,
                    amount.end,
                    amount.value,
                    hedged=amount.hedged,
                    word=True,
                    magnitude=amount.value >= 1000,
                    high=amount.high,
                )
            )
    for m in _DIGITS.finditer(clean):
        if _SKIP_AFTER.match(clean, m.end()) or not free(m.start(), m.end()):
            continue
        keep(
            _Number(
                m.start(),
                m.end(),
                _digit_value(m),
                currency=m.group("cur") or "",
                magnitude=bool(m.group("mag")),
            )
        )
    for m in read.approximate.finditer(clean):
        if free(m.start(), m.end()):
            value = read.rubric.number_words.approximate[
                _key(m.group(0), read.rubric.number_words.approximate)
            ]
            keep(_Number(m.start(), m.end(), float(value), hedged=True, word=True))
    for m in read.words.finditer(clean):
        if _GRAND.search(m.group(0)) and _GRAND_NOUN.match(clean, m.end()):
            continue  # "a grand total", "the grand opening": no thousand of anything
        if free(m.start(), m.end()):
            value = read.parse_words(m.group(0))
            if value > 0:
                keep(_Number(m.start(), m.end(), value, word=True, magnitude=read.is_large(m.group(0))))
    found.sort(key=lambda n: n.start)
    # "five or six", "5-6", "10 to 12": one hedged figure with a range.
    merged: list[_Number] = []
    for number in found:
        if merged:
            last = merged[-1]
            if last.high is None and read.spoken.is_range(
                clean, last.start, last.end, number.start, last.value, number.value
            ):
                last.high, last.end, last.hedged = number.value, number.end, True
                continue
        merged.append(number)
    return merged


def _key(said: str, table: Mapping[str, object]) -> str:
    norm = re.sub(r"[\s-]+", " ", said.lower())
    return norm if norm in table else next(k for k in table if k.lower() == norm)


def _hedged(text: Text, start: int, end: int, rubric: ConsistencyRubric) -> bool:
    """Hedges are looked for in the original ("like 30%"), since the clean copy drops "like"."""
    a, b = text.span_original(start, end)
    before = text.original[max(0, a - 32) : a].replace("\u2019", "'")
    if any(m.end() >= len(before.rstrip()) - 1 for m in reader(rubric).hedge.finditer(before)):
        return True
    return bool(_HEDGE_AFTER.match(text.original[b : b + 16]))


_PREV_WORD = re.compile(r"[A-Za-z$£€'-]+")
PREV_WORDS_REACH = 48  # characters per word looked back at first; widened only when words are longer


def _prev_words(clean: str, pos: int, count: int, floor: int) -> list[str]:
    """The last `count` words before `pos` (not before `floor`). Reads back only as far as it needs:
    reading from `floor` every time cost the whole text per figure."""
    reach = PREV_WORDS_REACH * (count + 1)
    while True:
        lo = max(floor, pos - reach)
        words = _PREV_WORD.findall(clean, lo, pos)
        # More words than asked for: a word cut at `lo` is not among the last `count`.
        if lo == floor or len(words) > count:
            return words[-count:]
        reach *= 4


# A spoken aside between "to" and its figure: "went from four point one to, i want to say, nearly seven".
_ASIDE = re.compile(r"\b(?P<edge>to|from),\s+[a-z' ]{2,30},\s*(?P<soft>[a-z ]*)$", re.IGNORECASE)


# Verbs that sum up before "to": "came to", "amounted to", "the pack ran to forty pages".
_TOTALLED = frozenset(
    {
        "came",
        "comes",
        "come",
        "coming",
        "amounted",
        "amounts",
        "amounting",
        "totalled",
        "totaled",
        "ran",
        "runs",
    }
)


def _slot(clean: str, start: int, floor: int, read: _Reader) -> str:
    before = read.unhedged(_prev_words(clean, start, 5, floor))[-3:]
    aside = _ASIDE.search(clean, max(floor, start - 60), start)
    if aside and all(w in read.soft_words for w in aside.group("soft").lower().split()):
        before = [aside.group("edge").lower()]
    tail = before[-2:] if len(before) >= 2 else before
    if not before:
        return ""
    last = before[-1]
    if last == "from" or (last in ("about", "around", "roughly", "nearly") and "from" in tail):
        return "from"
    if last == "to" and len(before) >= 2 and before[-2] in _TOTALLED:
        return ""  # "the commission came to around ninety thousand": a total, not where a change ended
    if last in ("to", "under", "below", "above", "over") and "from" not in tail[-1:]:
        return "to" if last == "to" or "from" in before else ""
    if last == "by" or (len(tail) == 2 and tail[0] == "by"):
        return "by"
    return ""


def _change(text: Text, clause_index: int, pos: int, rubric: ConsistencyRubric, near: bool = False) -> int:
    """+1 when the figure is a gain ("grew to 40"), -1 a cut ("cut by 30%"), 0 neither.

    `near`: counts of things need the verb close by ("dropped the slides and showed three examples"
    is not a cut of three).
    """
    clause = text.clauses[clause_index]
    best: tuple[int, int] | None = None  # (distance, direction)
    before = CHANGE_NEAR if near else CHANGE_BEFORE
    lo, hi = max(clause.start, pos - before), min(clause.end, pos + CHANGE_AFTER)
    for direction, cues in reader(rubric).changes:
        for m in cues.finditer(text.clean, lo, hi):
            distance = pos - m.start() if m.start() <= pos else (m.start() - pos) * 2
            if best is None or distance < best[0]:
                best = (distance, direction)
    return best[1] if best else 0


def _subject(text: Text, clause_index: int, drop: set[str]) -> frozenset[str]:
    return frozenset(text.clause_stems(clause_index) - _WEAK_SUBJECT - drop)


# ---------------------------------------------------------------- the claims


def extract(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    if not text.clauses:
        return []
    read = reader(rubric)
    claims: list[Claim] = []
    taken = Taken(len(text.clean))
    claims += _dates(text, taken, rubric)
    claims += _listed_teams(text, rubric, read, taken)
    claims += _teams(text, rubric, read, taken)
    claims += _figures(text, rubric, read, taken)
    claims += _roles(text, rubric)
    claims += _outcomes(text, rubric)
    claims += _named(text, rubric)
    claims += _credit(text, rubric)
    claims = _restated_spans(text, _joined_lengths(text, claims, rubric))
    return [_situate(text, _rate(text, c, rubric), rubric) for c in claims]


_JOINED = re.compile(r"\s+(?:and\s+)?")
_LAST_WORD = re.compile(r"([a-z]+?)s?$", re.IGNORECASE)


def _joined_lengths(text: Text, claims: list[Claim], rubric: ConsistencyRubric) -> list[Claim]:
    """ "3 hours 40 minutes", "two years and three months": one length of time told in two units, the
    bigger first, the second less than one of the first. Read apart, "40 minutes" would be compared as
    a time of its own. ("fifteen days, a fortnight" says one length twice: `_restated_spans`.)"""
    times = sorted((c for c in claims if c.category == "duration" or c.kind == "time"), key=lambda c: c.start)
    joined: dict[int, Claim] = {}  # the first unit's claim -> the whole length
    gone: set[int] = set()  # the later units, now part of a whole
    head: Claim | None = None
    for claim in times:
        whole = joined.get(id(head), head) if head is not None else None
        if (
            head is None
            or whole is None
            or whole.category != claim.category
            or whole.clause != claim.clause
            or claim.high is not None
            or not 0 < claim.low < _unit_of(whole, rubric)
            or not _JOINED.fullmatch(text.clean, whole.end, claim.start)
        ):
            head = claim
            continue
        high = whole.high + claim.low if whole.high is not None else None
        said = text.clean[whole.start : claim.end]
        joined[id(head)] = replace(whole, value=whole.low + claim.low, high=high, end=claim.end, said=said)
        gone.add(id(claim))
    return [joined.get(id(c), c) for c in claims if id(c) not in gone]


def _unit_of(claim: Claim, rubric: ConsistencyRubric) -> float:
    """One of the unit a length of time was said in, in days ("3 hours" -> 0.042); 0 for none."""
    m = _LAST_WORD.search(claim.said)
    return float(rubric.duration_units.get(m.group(1).lower(), 0.0)) if m else 0.0


# Between two lengths of time, only these: the second says the first again ("a few weeks, under a
# month", "six weeks or maybe two months"), and the two are one span.
_RESTATING = re.compile(
    r"[\s,;:\u2013\u2014-]*(?:(?:or|maybe|perhaps|say|so|like|i mean|well|about|around|roughly|nearly|"
    r"almost|under|less than|just under|not even|not quite|no more than|at most)(?![\w'])[\s,;:-]*)*",
    re.IGNORECASE,
)
RESTATED_RATIO = 2.5  # two spans this far apart at most, said back to back, are one said twice


def _restated_spans(text: Text, claims: list[Claim]) -> list[Claim]:
    """One span said twice in one breath ("within a few weeks, under a month") is one span, as wide as
    both: two would be two facts, and which of them round one's span is would be anyone's guess."""
    spans = sorted((c for c in claims if c.category == "duration"), key=lambda c: c.start)
    kept: list[tuple[Claim, Claim]] = []  # (the first saying, the span as now read)
    for span in spans:
        last = kept[-1][1] if kept else None
        restates = (
            last is not None
            and last.clause == span.clause
            and _RESTATING.fullmatch(text.clean, last.end, span.start) is not None
        )
        low, top = (min(last.low, span.low), max(last.top, span.top)) if last else (0.0, 0.0)
        if last is None or not restates or low <= 0 or top / low > RESTATED_RATIO:
            kept.append((span, span))
            continue
        # The time to a result, when either says so ("within a few weeks, under a month").
        slot = last.slot if last.slot == span.slot or "within" not in (last.slot, span.slot) else "within"
        said = text.clean[last.start : span.end]
        one = replace(last, value=low, high=top, hedged=True, end=span.end, said=said, slot=slot)
        kept[-1] = (kept[-1][0], one)
    now = {id(first): one for first, one in kept}
    return [now.get(id(c), c) for c in claims if c.category != "duration" or id(c) in now]


def _rate(text: Text, claim: Claim, rubric: ConsistencyRubric) -> Claim:
    """A figure said per period ("£10k a month", "200 tickets a week") carries that period."""
    if claim.category != "number":
        return claim
    units = {u: rubric.duration_units[u] for u in rubric.rate_periods if u in rubric.duration_units}
    per, end = period_after(text.clean, claim.end, units)
    # The period is quoted with the figure: "£2,000 a month", not "£2,000", against "£48,000 a year".
    return replace(claim, per=per, end=end, said=text.clean[claim.start : end]) if per else claim


_TOKENS = re.compile(r"[A-Za-z][\w'-]*")
_WORD_RUN = re.compile(r"(?:[A-Za-z][\w'-]* )+$")  # the words right before a point, no punctuation between


def _content(words: list[str], drop: frozenset[str], soft: frozenset[str]) -> list[str]:
    out = []
    for word in words:
        low = word.lower()
        if low in STOPWORDS or low in soft or len(low) <= 2:
            continue  # "close to a quarter of a million": a hedge says nothing about what is counted
        stemmed = stem(low)
        if stemmed not in _WEAK_SUBJECT and stemmed not in drop:
            out.append(stemmed)
    return out


def _situate(text: Text, claim: Claim, rubric: ConsistencyRubric) -> Claim:
    """What a figure is about, from the words right around it, and whether it is about the whole story
    or one step of it: "over four months we moved ..." and "dual-write for two weeks while ..." are
    durations of different things."""
    if claim.category not in ("number", "team_size", "duration", "date", "outcome"):
        return claim
    rule = rubric.same_subject
    clause = text.clauses[claim.clause]
    before = _TOKENS.findall(text.clean[clause.start : claim.start])
    after = _TOKENS.findall(text.clean[claim.end : clause.end])
    soft = reader(rubric).soft_words
    own = frozenset(_content(_TOKENS.findall(claim.said), frozenset(), soft))
    drop = own if claim.kind.startswith("count:") else frozenset()
    words = rule.duration_window_words if claim.category == "duration" else rule.window_words
    ahead, behind = _content(before, drop, soft), _content(after, drop, soft)
    if claim.category == "duration" and not ahead and claim.clause > 0 and _POINTS_BACK.match(clause.text):
        # "when I covered her leave - that was three months -": the span is of what was just said.
        previous = text.clauses[claim.clause - 1]
        ahead = _content(_TOKENS.findall(text.clean[previous.start : previous.end]), drop, soft)
    near = ahead[-words:] + behind[:words]
    size = rule.date_head_words if claim.category == "date" else rule.head_words
    head = frozenset(ahead[-size:] if ahead else behind[:size])
    lo = max(clause.start, claim.start - rule.scope_chars_before)
    hi = min(clause.end, claim.end + rule.scope_chars_after)
    around = ("" if lo == clause.start else "~ ") + text.clean[lo:hi]
    # A step is said right next to its figure ("the first two weeks", "two weeks while ..."), not in
    # the reason given after it ("it took nine months, because each practice had its own rules").
    reason = next((i for i, w in enumerate(after) if w.lower() in _REASON), len(after))
    tight = " ".join([*before[-rule.part_words :], claim.said, *after[: min(rule.part_words, reason)]])
    scope = ""
    if claim.category == "duration" and claim.slot == "within":
        pass  # the time until a result ("within our first quarter") is no step of the work
    elif rule.end_to_end and rubric.compile(rule.end_to_end).search(text.clean[clause.start : hi]):
        scope = "whole"  # "from the first exam to the last": its "first" and "last" are no steps
    elif rule.part and rubric.compile(rule.part).search(tight):
        scope = "part"
    elif rule.whole and rubric.compile(rule.whole).search(around):
        scope = "whole"
    qualifier: set[str] = set()
    if claim.category == "team_size":
        # "the separate infrastructure team of 3": the words right before it, back to "a", "the", "our"...
        run = _WORD_RUN.search(text.clean, max(clause.start, claim.start - 60), claim.start)
        for word in reversed(run.group(0).split() if run else []):
            if word.lower() in STOPWORDS:
                break
            qualifier.add(stem(word.lower()))
        if rule.other_team and rubric.compile(rule.other_team).search(
            text.clean[max(clause.start, claim.start - 40) : claim.start]
        ):
            qualifier.add("<other>")
    tenure = (
        claim.category == "date"
        and bool(rule.tenure)
        and bool(rubric.compile(rule.tenure).search(around))
        and not _NTH_YEAR.fullmatch(claim.said)  # "in my second year there": counted from the joining
    )
    return replace(
        claim,
        near=frozenset(near),
        head=head,
        scope=scope,
        qualifier=frozenset(qualifier),
        tenure=tenure,
        phase=_phase(text.clean[clause.start : claim.start], rubric, claim.category),
    )


# A clause that opens by pointing back ("that was three months", "it took a year"): about the last one.
_POINTS_BACK = re.compile(
    r"\s*(?:and |so |but )?(?:that|it|this|which)(?:'s| was| is| took| lasted| ran)\b", re.IGNORECASE
)

# Words that open the reason for what was just said: what follows them is about something else.
_REASON = frozenset({"because", "cos", "since", "as"})


# A span of time is the state after the work only when time is said to have passed ("after two
# quarters our time to hire was 41 days"), not when a figure went "down to" something before it.
_TIME_PASSED = re.compile(r"\b(?:after|later|since|afterwards|now|today|by the end)\b", re.IGNORECASE)


def _phase(lead_in: str, rubric: ConsistencyRubric, category: str = "number") -> str:
    """A figure told as a starting point or as the state after the work, from the words before it in
    its clause ("when I joined, churn was 38%" / "two quarters later it was 31%")."""
    rule = rubric.alignment
    if rule.after and rubric.compile(rule.after).search(lead_in):
        if category == "duration" and not _TIME_PASSED.search(lead_in):
            return ""
        return "after"
    if rule.before and rubric.compile(rule.before).search(lead_in):
        return "before"
    return ""


def _claim(
    text: Text, category: str, kind: str, value: float | str, start: int, end: int, **extra: object
) -> Claim:
    clause = text.clause_at(start)
    drop = extra.pop("drop", set())
    return Claim(
        category,
        kind,
        value,
        text.clean[start:end],
        clause,
        start,
        end,
        subject=_subject(text, clause, drop),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _time_of_year(text: Text, low: float, high: float, start: int, end: int) -> Claim:
    return _claim(text, "date", "time_of_year", low, start, end, high=high)


_AGO = re.compile(
    r"(?<![\w'])(?:(?P<last>last year|the year before last|this year)|"
    r"(?P<n>a|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|a few|\d{1,2}) years? ago)(?![\w'])",
    re.IGNORECASE,
)
_AGO_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_AGO_WORDS |= {"nine": 9, "ten": 10, "a couple of": 2, "a few": 3}
# Years named by what happened in them: the pandemic began in 2020 and is the same fact whatever the words.
_ERA = re.compile(
    r"(?<![\w'])(?P<when>before|during|in|after)\s+(?:the\s+)?(?:(?:covid|corona)(?:virus|-19)?(?:\s+pandemic)?|"
    r"pandemic|lockdowns?|first lockdown)(?![\w'])",
    re.IGNORECASE,
)
_ERA_YEARS = {"before": (2018.0, 2020.0), "during": (2020.0, 2021.0), "in": (2020.0, 2021.0)}
_ERA_YEARS["after"] = (2021.0, 2023.0)


def _spoken_dates(text: Text, taken: Taken, rubric: ConsistencyRubric) -> list[Claim]:
    """Seasons ("last spring"), years counted back ("two years ago", "last year") and years named by an
    event everyone dates ("just before the pandemic"): dates as people say them."""
    out = []
    clean = text.clean
    read, when = reader(rubric), rubric.times_of_year
    for m in read.season.finditer(clean):
        if m.group("alone"):
            low, high = when.seasons[_key(m.group("alone"), when.seasons)]
            out.append(_time_of_year(text, low, high, m.start(), m.end()))
            continue
        if m.group("s").lower() == "fall" and m.group(0).lower().startswith("the "):
            continue  # "the fall in sales"
        if m.group("s").lower() == "fall" and m.group(0).lower().startswith("of"):
            continue  # "the fall of the wall"
        low, high = when.seasons[_key(m.group("s"), when.seasons)]
        out.append(_time_of_year(text, low, high, m.start("s"), m.end("s")))
    for m in read.holiday.finditer(clean):
        month = when.holidays[_key(m.group("h"), when.holidays)]
        rel = (m.group("rel") or "").lower()
        low, high = (
            (month - 1.0, month)
            if rel == "before"
            else (month, month + 1.0)
            if rel == "after"
            else (month, month)
        )
        out.append(_time_of_year(text, low, high, m.start(), m.end()))
    for m in read.part_of_year.finditer(clean):
        low, high = when.parts_of_year[_key(m.group("part"), when.parts_of_year)]
        out.append(_time_of_year(text, low, high, m.start(), m.end("part")))
    for m in _AGO.finditer(clean):
        said = (m.group("last") or m.group("n")).lower()
        ago = {"last year": 1, "the year before last": 2, "this year": 0}.get(said)
        if ago is None:
            ago = int(said) if said.isdigit() else _AGO_WORDS.get(said, 1)
        hedge = 1.0 if said == "a few" else 0.0
        out.append(_claim(text, "date", "ago", float(ago), m.start(), m.end(), high=ago + hedge))
        taken.add(*m.span())
    for m in _ERA.finditer(clean):
        if re.search(r"\b(?:19|20)\d\d\b", clean):
            continue  # the year is said too: the event only places it
        low, high = _ERA_YEARS[m.group("when").lower()]
        out.append(_claim(text, "date", "year", low, m.start(), m.end(), high=high, hedged=True))
        taken.add(*m.span())
    return [_later(text, c) for c in _outermost(out)]


_LATER_BEFORE = re.compile(r"\b(?:following|next|after\s+that|subsequent)\s+(?:the\s+)?$", re.IGNORECASE)


def _later(text: Text, c: Claim) -> Claim:
    """ "by the following spring", "the next summer": a time after the story's own date, in a later year,
    never the date the story happened (slot "later")."""
    if c.kind == "time_of_year" and _LATER_BEFORE.search(text.clean, max(0, c.start - 24), c.start):
        return replace(c, slot="later")
    return c


def _outermost(dates: list[Claim]) -> list[Claim]:
    """A time of the year said inside a longer one is part of it: "just after the summer holidays" is
    late August, not the summer as well (read as two times, the story's date was never told once)."""
    return [
        c
        for c in dates
        if not any(
            o is not c and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
            for o in dates
        )
    ]


def _named_month(clean: str, start: int) -> bool:
    """ "I used March instead of April numbers": a month's name written with its capital inside a
    sentence is the month, with no "in" before it ("May I ..." opens a sentence; the verbs are lower case)."""
    if not clean[start].isupper():
        return False
    before = clean[:start].rstrip()
    return bool(before) and before[-1] not in ".!?:;\"'(\n"


# "in '22", "the spring of '19": a year said by its last two digits.
_SHORT_YEAR = re.compile(r"(?<![\w'])['\u2019](?P<yy>\d\d)(?![\w%'])")
_MONTHS = "|".join(MONTHS)


def _spoken_year(m: re.Match[str], read: _Reader) -> float | None:
    """ "twenty nineteen" is 2019, "nineteen ninety-eight" 1998, "two thousand and eight" 2008; "twenty
    fifty" is no year anyone tells a story about."""
    if m.group("y"):
        return 2000.0 + read.parse_words(m.group("y"))
    century, year = read.parse_words(m.group("c")), read.parse_words(m.group("yy"))
    value = century * 100 + year
    return value if 1980 <= value <= 2039 else None


# Before and after a figure: the start of a clause or a pause ("the rattle recall, twenty sixteen.").
_OPENS = re.compile(r"(?:^|[,;:.!?(]|\u2014|--|\s-)\s*$")
_CLOSES = re.compile(r"\s*(?:$|[,;:.!?)]|\u2014|--|-\s)")


def _set_apart(clean: str, start: int, end: int) -> bool:
    """A year in words told on its own between pauses, with no "in" before it: "oh, the rattle
    recall, twenty sixteen." Never a count: "twenty sixteen" is no number a speaker says of things."""
    return bool(_OPENS.search(clean, max(0, start - 4), start)) and bool(_CLOSES.match(clean, end))


def _dates(text: Text, taken: Taken, rubric: ConsistencyRubric) -> list[Claim]:
    out = _spoken_dates(text, taken, rubric)
    clean = text.clean
    read = reader(rubric)
    for m in read.spoken_year.finditer(clean):
        said = _spoken_year(m, read)
        prev = _prev_words(clean, m.start(), 1, 0)
        # "this was march twenty twenty-two", "this was twenty twenty": a month or a "was" before it too.
        said_as_date = prev and re.fullmatch(
            _DATE_PREPS + rf"|back|year|was|is|{'|'.join(MONTHS)}", prev[-1].lower()
        )
        if said is not None and (said_as_date or _set_apart(clean, m.start(), m.end())):
            out.append(_claim(text, "date", "year", said, m.start(), m.end()))
            taken.add(*m.span())
    for m in _QUARTER.finditer(clean):
        q = m.group("q") or str(_QUARTER_WORDS[m.group("qw").lower()])
        before = clean[max(0, m.start() - 6) : m.start()].lower()
        if m.group("qw") and "last" in before:
            continue  # "last quarter" moves with the calendar
        if _OWN_PERIOD.search(clean, max(0, m.start() - 20), m.start()) and not m.group("y"):
            continue  # "profitable within our first quarter": a span from the start (read as a duration)
        if m.group("qw") and not m.group("y") and _ends_story_period(clean, m.start(), m.end()):
            continue  # "live before the end of the first quarter": the same, read by _end_of_nth
        first = 3.0 * int(q) - 2.0
        out.append(_time_of_year(text, first, first + 2.0, m.start(), m.end()))
        taken.add(*m.span())
        year = m.group("y")
        if year and len(year) == 4:
            out.append(_claim(text, "date", "year", float(year), m.start("y"), m.end("y")))
    for m in _MONTH.finditer(clean):
        month = m.group("m").lower()
        if not m.group("prep") and not m.group("y") and not _named_month(clean, m.start("m")):
            continue  # "may" the verb, "march" the verb: a month needs "in", "by", ... or a year
        number = float(_MONTH_NO[month])
        out.append(_time_of_year(text, number, number, m.start("m"), m.end("m")))
        if m.group("y"):
            out.append(_claim(text, "date", "year", float(m.group("y")), m.start("y"), m.end("y")))
            taken.add(*m.span("y"))
    seasons = "|".join(map(re.escape, rubric.times_of_year.seasons))  # "the spring of '19"
    for m in _SHORT_YEAR.finditer(clean):
        prev = _prev_words(clean, m.start(), 1, 0)
        if prev and re.fullmatch(rf"{_DATE_PREPS}|back|{seasons}|{_MONTHS}", prev[-1].lower()):
            short = int(m.group("yy"))
            out.append(
                _claim(
                    text, "date", "year", float(short + (2000 if short < 40 else 1900)), m.start(), m.end()
                )
            )
            taken.add(*m.span())
    for m in re.finditer(
        r"(?<![\w$£€.,])((?:19[89]|20[0-3])\d)(?![\w%]|\s?(?:%|percent|people|users|customers))", clean
    ):
        if taken.covers(m.start()):
            continue
        prev = _prev_words(clean, m.start(), 1, 0)
        after = clean[m.end() : m.end() + 12].lower()
        looks_like_year = (
            (
                prev
                and re.fullmatch(
                    _DATE_PREPS + r"|back|summer|spring|fall|autumn|winter|year|fy", prev[-1].lower()
                )
            )
            or not re.match(r"\s+[a-z]", after)
            # "this was 2016 at the council": a year followed by a preposition or a new clause
            or bool(_AFTER_YEAR.match(after))
            # "the start of the 2021 tax year": a year named by the calendar it belongs to
            or bool(_YEAR_OF_A_CALENDAR.match(clean, m.end()))
        )
        if looks_like_year:
            out.append(_claim(text, "date", "year", float(m.group(1)), m.start(), m.end()))
            taken.add(*m.span())
    return out + _years_into(text, out)


# "I joined in 2016, and in my second year there ...": the story's year, counted from the joining.
_NTH_YEAR = re.compile(
    r"(?<![\w'])in (?:my|our) (?P<nth>first|second|third|fourth|fifth) year(?: (?:there|at [A-Z][\w&-]*|with (?:them|[A-Z][\w&-]*)))?(?![\w'])",
    re.IGNORECASE,
)
_JOINED_IN = re.compile(
    r"\b(?:joined|started (?:at|with|there)|was (?:hired|taken on))\b[^.!?]*$", re.IGNORECASE
)
_NTH_NUMBER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def _years_into(text: Text, dates: list[Claim]) -> list[Claim]:
    """A year told as the candidate's Nth year somewhere, after saying when they joined it."""
    out = []
    years = [d for d in dates if d.kind == "year" and d.high is None]
    for m in _NTH_YEAR.finditer(text.clean):
        joined = next(
            (
                d
                for d in reversed(years)
                if d.end <= m.start()
                and m.start() - d.end <= 80
                and _JOINED_IN.search(text.clean, max(0, d.start - 60), d.start)
            ),
            None,
        )
        if joined is not None:
            first = joined.low + _NTH_NUMBER[m.group("nth").lower()] - 1
            out.append(_claim(text, "date", "year", first, m.start(), m.end(), high=first + 1.0, hedged=True))
    return out


def _listed_teams(text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken) -> list[Claim]:
    """A team told as the people in it ("three PhD students, two master's students and a technician"):
    one team size, their sum, read before any one count in it is read as the whole team."""
    out = []
    clauses = [(c.start, c.end) for c in text.clauses]
    for team in listed_teams(text.clean, clauses, rubric, read.parse):
        if taken.overlaps(team.start, team.end):
            continue
        if _spells_out(text, team.start, read):
            taken.add(team.start, team.end)  # its counts are no teams either: "two devs" is not the team
            continue
        # Whether round one's "team of five" counted the candidate is anyone's guess (as for "me and three").
        out.append(
            _claim(
                text,
                "team_size",
                "team",
                team.value,
                team.start,
                team.end,
                hedged=team.with_me,
                with_me=team.with_me,
            )
        )
        taken.add(team.start, team.end)
    return out


# Between a team's size and the list that spells it out: "a team of three: me, a designer and a copywriter".
_SPELLED_OUT = re.compile(r"[\s,:;\u2013\u2014-]*$")


def _spells_out(text: Text, start: int, read: _Reader) -> bool:
    """Is the list at `start` the people of a team size said right before it ("there were four of us,
    me, two devs and a designer")? Then the size said is the figure, and the list adds nothing."""
    clause = text.clauses[text.clause_at(start)]
    before = text.clean[clause.start : start]
    return any(_SPELLED_OUT.fullmatch(before, m.end()) for m in read.teams.finditer(before))


def _teams(text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken) -> list[Claim]:
    out = []
    for m in read.teams.finditer(text.clean):
        group = next(g for g, v in m.groupdict().items() if v is not None)
        said = m.group(group)
        value = read.parse(said)
        if value is not None and group in read.plus_me:
            value += 1
        if value is None or value <= 1 or taken.covers(m.start(group)):
            continue
        hedged = (
            group in read.plus_me  # whether "a team of five" counted the candidate is anyone's guess
            or bool(read.hedge.search(m.group(0)))
            or _hedged(text, m.start(group), m.end(group), rubric)
            or said.lower() in rubric.number_words.approximate
        )
        high, end = _range_after(text.clean, m.end(group), value, read)
        if _PER_PERIOD.match(text.clean, max(m.end(), end)):
            continue  # "we had about seventy people a day going through": a rate of people, not a team
        claim = _claim(
            text,
            "team_size",
            "team",
            value,
            m.start(),
            max(m.end(), end),
            hedged=hedged or high is not None,
            high=high,
            with_me=group in read.plus_me,
        )
        out.append(claim)
        taken.add(m.start(group), max(m.end(group), end))
    return out


# Counts said in words, as they come before what they count ("seventy people", "twelve grand").
_COUNT_WORDS = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty"
_PER_PERIOD = re.compile(
    rf"\s+(?:{'|'.join(sorted(_RATE))})\s+(?:day|week|month|year|shift|night)\b", re.IGNORECASE
)
# A count and the thing counted right before "a day" ("seventy people a day", "two colleagues a week"):
# the day is the period of a rate. A lead-in between ("trained 9 nurses over a month") makes it a span.
_COUNT_THEN_NOUN = re.compile(
    rf"(?:\d[\d,.]*|(?<![\w'])(?:{_COUNT_WORDS}|hundred|thousand|dozen))\s+(?P<noun>[a-z]{{3,}})\s$",
    re.IGNORECASE,
)
_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*\s?(?:k|m|bn|%)?|grand|thousand|million|billion|hundred|percent|pounds|dollars|euros|"
    rf"(?<![\w'])(?:{_COUNT_WORDS}|dozen)|"
    r"quid|bucks|(?<![\w'])(?!(?:was|is|has|us|this|its|his|hers|does|goes|takes|lasts|as|yes|plus|across|"
    r"less|unless|nearly|always|perhaps|sometimes|towards|besides)\s$)[a-z]{2,}s)\s$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(
    r"(?<![\w'])(?P<n>(?P<part>a quarter|a third|three quarters|two thirds) of an?|an?|one|half an?|"
    r"the (?:next|following|past|last)|(?:our|its|their|his|her) first|"
    r"(?P<most>(?:most|the (?:best|better) part) of (?:the|a|that|an)))"
    r"(?: (?:whole|full|entire|single|extra))?(?=[ -])",
    re.IGNORECASE,
)
# "within our first quarter", "in its first year": the first span of the story's own clock.
_OWN_PERIOD = re.compile(r"\b(?:within|in|during|by)\s+(?:our|its|their|his|her)\s+$", re.IGNORECASE)
# "all live before the end of the first quarter", "by the end of our second month": the story's own
# clock, so a span from its start (no calendar quarter: that one names its year, or says Q1).
_END_OF_NTH = re.compile(
    r"(?<![\w'])(?:by|before|at)\s+(?P<said>the\s+end\s+of\s+(?:the|our|its|their)\s+(?P<nth>first|second|third)"
    r"\s+(?P<unit>[a-z]+))(?![\w'])(?!,?\s+(?:of\s+)?(?:19|20)\d\d)",
    re.IGNORECASE,
)
_NTH = {"first": 1.0, "second": 2.0, "third": 3.0}


def _ends_story_period(clean: str, start: int, end: int) -> bool:
    """Is the ordinal period at clean[start:end] the end of one in "by the end of the first quarter"?"""
    return any(m.end() == end for m in _END_OF_NTH.finditer(clean, max(0, start - 40), end))


# "we ran the pilot from March to September": a span told by the months it began and ended in.
_PART_OF_MONTH = r"(?:the )?(?:(?:(?:start|beginning|end|middle) of |mid-?|early |late )(?:the )?)?"
_MONTH_TO_MONTH = re.compile(
    rf"(?<![\w'])(?:from|between) {_PART_OF_MONTH}(?P<a>{'|'.join(MONTHS)})"
    rf"(?: (?P<ya>(?:19|20)\d\d))? (?:to|until|till|through|and) {_PART_OF_MONTH}"
    rf"(?P<b>{'|'.join(MONTHS)})(?: (?P<yb>(?:19|20)\d\d))?(?![\w'])",
    re.IGNORECASE,
)
# "we started in february and it ran right through to october", "we start the translation in September
# 2020 and we finish in July 2021": a span told by when it started and when it ended, in one sentence.
_STARTED_TO_ENDED = re.compile(
    rf"(?<![\w'])(?:start|started|starting|began|begin|kicked off)\b[^.;!?]{{0,40}}?\bin {_PART_OF_MONTH}"
    rf"(?P<a>{'|'.join(MONTHS)})(?: (?P<ya>(?:19|20)\d\d))?\b[^.;!?]{{0,50}}?"
    rf"\b(?:through to|right through to|until|till|finish(?:ed)? in|ended in|end in|done in|live in)"
    rf" {_PART_OF_MONTH}(?P<b>{'|'.join(MONTHS)})(?: (?P<yb>(?:19|20)\d\d))?(?![\w'])",
    re.IGNORECASE,
)
# Before it, one of these (within six words) says the span is how long something went on.
_RAN = frozenset(
    {"ran", "run", "running", "worked", "lasted", "went", "covered", "took", "was", "were", "spent"}
)


def _month_spans(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    """How long, from the months it ran between: March to September is six months, or seven, counted
    whole (the months themselves are read as dates too)."""
    out = []
    month = rubric.duration_units.get("month", 30.0)
    told = [(m, False) for m in _MONTH_TO_MONTH.finditer(text.clean)]
    told += [(m, True) for m in _STARTED_TO_ENDED.finditer(text.clean)]
    for m, by_its_ends in told:
        clause = text.clauses[text.clause_at(m.start())]
        ran = _RAN & {w.lower() for w in _prev_words(text.clean, m.start(), 6, clause.start)}
        if not (ran or by_its_ends):
            continue
        a, b = _MONTH_NO[m.group("a").lower()], _MONTH_NO[m.group("b").lower()]
        years = int(m.group("yb")) - int(m.group("ya")) if m.group("ya") and m.group("yb") else None
        months = b - a + 12 * years if years is not None else (b - a) % 12
        if months <= 0:
            continue
        span = _claim(text, "duration", "days", months * month, m.start(), m.end(), slot="span")
        out.append(replace(span, high=(months + 1) * month, hedged=True))
    return out


# "before his probation was even over, which at our depot is three months": a period of the story
# named, and how long it is said in a "which is ..." right after it. Done before it ends, the work took
# that long at most.
_NAMED_PERIOD = re.compile(
    r"(?<![\w'])(?:before|until|till|by the end of|within|inside|during)\s+(?:his|her|their|my|our|the|its)\s+"
    r"(?:[a-z-]+\s+){0,2}?(?:probation|trial|notice|induction|placement|internship|contract|secondment|"
    r"pilot|term|rotation|apprenticeship|training)(?:\s+period)?\b[^.;!?]{0,40}?,\s*which\s+"
    r"(?:[\w']+\s+){0,4}?(?:is|was|lasts|lasted|runs|ran|takes|took)\s+(?:only\s+|just\s+|about\s+|around\s+)?"
    r"(?=\S)",
    re.IGNORECASE,
)


def _named_period_lengths(text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken) -> list[Claim]:
    """How long a named period is, said after it ("before his probation was over, which is three months"):
    the time the work took, at most (hedged: it was done some time before the period ended)."""
    out = []
    for m in _NAMED_PERIOD.finditer(text.clean):
        n = read.words.match(text.clean, m.end()) or _DIGITS.match(text.clean, m.end())
        if n is None:
            continue
        value = read.parse(n.group(0))
        dm = read.duration.match(text.clean, n.end())
        if not value or not dm or taken.overlaps(n.start(), dm.end()):
            continue
        days = value * rubric.duration_units[dm.group("unit").lower()]
        out.append(_claim(text, "duration", "days", days, n.start(), dm.end(), slot="within", hedged=True))
        taken.add(n.start(), dm.end())
    return out


def _end_of_nth(text: Text, rubric: ConsistencyRubric, taken: Taken) -> list[Claim]:
    """'By the end of the first quarter': done within that span of the story (an upper bound, hedged)."""
    out = []
    for m in _END_OF_NTH.finditer(text.clean):
        days = rubric.duration_units.get(m.group("unit").lower())
        if days is None or taken.overlaps(m.start("said"), m.end("said")):
            continue
        value = _NTH[m.group("nth").lower()] * days
        out.append(
            _claim(
                text, "duration", "days", value, m.start("said"), m.end("said"), slot="within", hedged=True
            )
        )
        taken.add(m.start("said"), m.end("said"))
    return out


_PART_OF = {"a quarter": 0.25, "a third": 1 / 3, "three quarters": 0.75, "two thirds": 2 / 3}
_COMPOUND_AFTER = re.compile(r"-(?!long\b|and\b|or\b)[a-z]", re.IGNORECASE)


def _article_durations(
    text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken, held: Taken
) -> list[Claim]:
    """'It took a month', 'over a whole year', 'half a day': one unit (or half) said with an article."""
    out = []
    for m in _ARTICLE.finditer(text.clean):
        dm = read.duration.match(text.clean, m.end())
        if not dm or (dm.group(0).rstrip().endswith("s") and not dm.group("half")):
            continue
        if taken.overlaps(m.start(), dm.end()) or held.overlaps(m.start(), dm.end()):
            continue  # "a quarter of a million": an amount
        if dm.group("unit").lower() in read.labels and _LABEL_NUMBER.match(text.clean, dm.end()):
            continue  # "I had a year 10 group": a year group, not a year's time
        if _COMPOUND_AFTER.match(text.clean, dm.end()):
            continue  # "a day-therapy wing", "a year-end close", "on a day-to-day basis": a name, no length
        value = 0.5 if m.group("n").lower().startswith("half") or m.group("most") else 1.0
        if m.group("part"):  # "a quarter of a year": three months, not a share of anything
            value = _PART_OF[m.group("part").lower()]
        if m.group("n").lower() in ("a", "an") and (
            _RATE_BEFORE.search(text.clean[max(0, m.start() - 16) : m.start()])
            or _counted_per(text.clean[max(0, m.start() - 32) : m.start()], rubric)
        ):
            continue  # "fifty grand a year", "200 tickets a week": a rate, not how long anything took
        number = _Number(m.start(), m.end(), value, word=True)
        hedged = _hedged(text, m.start(), m.end(), rubric)  # "about a year"
        # "most of the month": more than half of one, up to all of it.
        most: dict[str, object] = (
            {"hedged": True, "high": rubric.duration_units[dm.group("unit").lower()]}
            if m.group("most")
            else {}
        )
        plain: dict[str, object] = {"hedged": hedged, "high": None}
        claim = _duration(text, number, dm, rubric, plain | most)
        clause = text.clauses[text.clause_at(m.start())]
        if claim is not None and _measured_time(
            text.clean[clause.start : m.start()], text.clean[dm.end() : clause.end]
        ):
            claim = replace(claim, category="number", kind="time", slot="")  # "one week on average"
        if claim is not None:
            out.append(claim)
            taken.add(m.start(), dm.end())
    spans = rubric.number_words.vague_spans
    if spans:
        for m in read.vague_spans.finditer(text.clean):
            dm = read.duration.match(text.clean, m.end())
            if not dm or not dm.group(0).rstrip().endswith("s") or taken.overlaps(m.start(), dm.end()):
                continue
            low, high = spans[_key(m.group(0), spans)]
            unit = rubric.duration_units[dm.group("unit").lower()]
            number = _Number(m.start(), m.end(), low, word=True)
            claim = _duration(text, number, dm, rubric, {"hedged": True, "high": high * unit})
            if claim is not None:
                out.append(claim)
                taken.add(m.start(), dm.end())
    return out


def _counted_per(before: str, rubric: ConsistencyRubric) -> bool:
    """ "seventy people a day": a count of things right before a unit of time said with "a"."""
    m = _COUNT_THEN_NOUN.search(before)
    if m is None:
        return False
    noun = m.group("noun").lower()
    return (
        noun not in STOPWORDS and noun not in rubric.duration_lead_ins and noun not in rubric.duration_units
    )


def _range_after(clean: str, pos: int, value: float, read: _Reader) -> tuple[float | None, int]:
    """'five or six', '5-6': the top of the range and where it ends, if the figure has one."""
    m = re.match(r"\s*(?:-|–|or|to)\s*([\w.]+(?:[ -]\w+)?)", clean[pos : pos + 24])
    if not m:
        return None, pos
    for candidate in (m.group(1), m.group(1).split(" ")[0].split("-")[0]):
        top = read.parse(candidate)
        if top is not None and value < top <= max(value * 3, value + 3):
            return top, pos + m.start(1) + len(candidate)
    return None, pos


_COMPARED = re.compile(
    r"\s+(?:(?P<less>less|fewer|lower|smaller|cheaper|shorter)|more|higher|bigger|larger|longer)\b",
    re.IGNORECASE,
)


def _figures(text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken) -> list[Claim]:
    clean = text.clean
    out: list[Claim] = []
    held = Taken(len(clean))
    # Fractions ("cut it in half", "by a third") and multiples ("doubled") before plain numbers.
    # "a quarter of a million", "six figures": amounts (read with the numbers below), not shares.
    spoken = read.spoken.read(clean)
    for amount in spoken:
        held.add(amount.start, amount.end)
    for m in read.approximate.finditer(clean):
        held.add(*m.span())  # "half a dozen"
    for m in read.fractions.finditer(clean):
        if held.overlaps(m.start(), m.end()):
            continue
        prev = read.unhedged(_prev_words(clean, m.start(), 4, 0))[-2:]
        after = clean[m.end() : m.end() + 4].lower()
        # "a third less than before", "a quarter fewer calls": the size of a change, said by comparing.
        than = _COMPARED.match(clean, m.end())
        if read.duration.match(clean, m.end() + len(" of a")) and re.match(r" of an? ", clean[m.end() :]):
            continue  # "a quarter of a year": a length of time (_article_durations)
        if (prev and prev[-1] in ("by", "in")) or after.startswith(" of") or than:
            value = rubric.number_words.fractions[_key(m.group(0), rubric.number_words.fractions)]
            clause = text.clause_at(m.start())
            direction = _change(text, clause, m.start(), rubric) or (-1 if prev and prev[-1] == "in" else 0)
            if than:
                direction = -1 if than.group("less") else 1
            slot = "by" if (prev and prev[-1] in ("by", "in")) or than else ""
            out.append(
                _claim(
                    text,
                    "number",
                    "percent",
                    float(value),
                    m.start(),
                    m.end(),
                    slot=slot,
                    change=direction,
                    hedged=_hedged(text, m.start(), m.end(), rubric),
                )
            )
            taken.add(*m.span())
    for m in read.multiples.finditer(clean):
        value = rubric.number_words.multiples[_key(m.group(0), rubric.number_words.multiples)]
        out.append(_claim(text, "number", "multiple", float(value), m.start(), m.end(), change=1, slot="by"))
        taken.add(*m.span())
    if re.search(r"(?<![\w'])halved(?![\w'])", clean, re.IGNORECASE):
        m2 = re.search(r"(?<![\w'])halved(?![\w'])", clean, re.IGNORECASE)
        assert m2 is not None
        out.append(_claim(text, "number", "percent", 50.0, m2.start(), m2.end(), change=-1, slot="by"))
        taken.add(*m2.span())
    out += _ratios(text, rubric, read, taken)
    figures: list[Claim] = _end_of_nth(text, rubric, taken) + _month_spans(text, rubric)
    figures += _named_period_lengths(text, rubric, read, taken)
    figures += _article_durations(text, rubric, read, taken, held)
    for number in _numbers(clean, read, spoken, taken):
        claim = _classify(text, number, rubric, read)
        if claim is not None:
            figures.append(claim)
    figures.sort(key=lambda c: c.start)
    return out + _share_units(_elided_counts(figures))


def _ratios(text: Text, rubric: ConsistencyRubric, read: _Reader, taken: Taken) -> list[Claim]:
    """ "one in ten", "three out of four": a share, compared as the percentage it is ("10%", "75%")."""
    out = []
    clean = text.clean
    for m in read.ratio.finditer(clean):
        part, whole = read.parse(m.group("a")), read.parse(m.group("b"))
        if part is None or not whole or not 0 < part < whole <= 1000 or taken.overlaps(*m.span()):
            continue
        if read.duration.match(clean, m.end()):
            continue  # "one in two weeks": a span, not a share
        if m.group("noun") and _COUNTED_AFTER.match(clean, m.end()):
            continue  # "two nurses in three wards": two counts of two things, not a share of one
        clause = text.clause_at(m.start())
        slot = _slot(clean, m.start(), text.clauses[clause].start, read)
        change = _change(text, clause, m.start(), rubric)
        out.append(
            _claim(
                text,
                "number",
                "percent",
                round(100 * part / whole, 1),
                m.start(),
                m.end(),
                slot=slot,
                change=change,
            )
        )
        taken.add(*m.span())
    return out


# A plural noun right after a share's whole ("in three wards"): the whole counts something else.
_COUNTED_AFTER = re.compile(r" (?!(?:was|is|has|does|goes)\b)[a-z]+s\b")


def _share_units(figures: list[Claim]) -> list[Claim]:
    """'from 900 to 300 ms': the bare 900 is in ms too, and with no verb saying so, 900 -> 300 is a cut."""
    out = list(figures)
    for i, claim in enumerate(out):
        if claim.slot != "from":
            continue
        j = next(
            (k for k in range(i + 1, len(out)) if out[k].clause == claim.clause and out[k].slot == "to"), None
        )
        if j is None:
            continue
        partner = out[j]
        if claim.kind == "plain" and partner.kind != "plain":
            claim = replace(claim, kind=partner.kind, category=partner.category)
        elif partner.kind == "plain" and claim.kind != "plain":
            partner = replace(partner, kind=claim.kind, category=claim.category)
        if claim.change or partner.change:
            direction = claim.change or partner.change
        else:
            direction = 1 if partner.low > claim.low else -1 if partner.low < claim.low else 0
        claim, partner = replace(claim, change=direction), replace(partner, change=direction)
        out[i], out[j] = claim, partner
    return out


def _classify(
    text: Text,
    n: _Number,
    rubric: ConsistencyRubric,
    read: _Reader,
) -> Claim | None:
    clean = text.clean
    clause_index = text.clause_at(n.start)
    clause = text.clauses[clause_index]
    pos = n.end
    while pos < len(clean) and clean[pos] == " ":
        pos += 1
    prev = _prev_words(clean, n.start, 1, clause.start)
    # "GBP 40,000", "EUR 2 million": a currency said by its code before the figure, as invoices and
    # non-native speakers often do, is money, not a name ("Python 3").
    coded = _currency_code(clean, n, prev, rubric)
    if coded is not None:
        n = replace(n, currency=coded[0], start=coded[1])
    elif (
        prev
        and prev[-1][:1].isupper()
        and prev[-1].lower() not in MONTHS
        and clean[clause.start : n.start].strip() != prev[-1]
    ):
        return None  # "Python 3", "Windows 11": a name, not a figure
    label = _LABEL_BEFORE.search(clean, max(clause.start, n.start - 16), n.start)
    if label and label.group(1).lower() in read.labels and not n.currency:
        return None  # "year 11 students", "a grade 4": a name for a group or a mark, not an amount
    hedged = n.hedged or _hedged(text, n.start, n.end, rubric)
    extra: dict[str, object] = {"hedged": hedged, "high": n.high}
    slot = _slot(clean, n.start, clause.start, read)
    if _MARGIN.match(clean, pos + _unit_length(clean, pos)):
        slot = "by"  # "£5k under the budget", "two weeks ahead of the deadline": a difference, not a level
    pm = read.percent.match(clean, pos)
    if pm:
        change = _change(text, clause_index, n.start, rubric)
        return _claim(
            text, "number", "percent", n.value, n.start, pm.end(), slot=slot, change=change, **extra
        )
    mm = _MULTIPLE_AFTER.match(clean, n.end)
    if mm and not n.word:
        return _claim(text, "number", "multiple", n.value, n.start, mm.end(), slot="by", change=1, **extra)
    cm = read.currency_words.match(clean, pos)
    # "twenty-five grand": a sum of money whatever the clause says around it.
    grand = bool(_GRAND.search(clean, n.start, n.end)) and not _GRAND_NOUN.match(clean, n.end)
    if n.currency or cm or grand or (n.magnitude and _MONEY_WORDS.search(clause.text)):
        code = rubric.currency.get(n.currency) or (rubric.currency.get(cm.group(0).lower(), "") if cm else "")
        end = cm.end() if cm else n.end
        change = _change(text, clause_index, n.start, rubric)
        return _claim(
            text, "number", f"money:{code}", n.value, n.start, end, slot=slot, change=change, **extra
        )
    dm = read.duration.match(clean, n.end)
    if dm:
        # A span that went down or up ("the wait was down to about 12 days") is a measured figure, not
        # how long the work took.
        change = _change(text, clause_index, n.start, rubric, near=True)
        # So is a time averaged over many ("changeovers took on average 90 minutes", "the median wait
        # was 3 hours", "when I started, our average wait was 11 minutes"): a measure of something
        # that recurs, compared as a figure with its before and after, never the story's own span.
        lead_in = clean[clause.start : n.start]
        measured = (slot in ("from", "to") and change != 0) or _measured_time(
            lead_in, clean[dm.end() : clause.end]
        )
        span = None if measured else _duration(text, n, dm, rubric, extra)
        if span is not None:
            return span
        following = clean[dm.end() : dm.end() + 16].strip(" ,").split(" ", 1)[0].lower()
        if following in rubric.not_duration:
            return None  # "two weeks before launch": a point in time, not a figure
        # "saved about 80 hours a month", "dropped to 8 days": an amount of time, in days whatever the
        # unit ("three weeks" and "21 days" are one amount); only the words around it say of what.
        unit, unit_top = unit_days(dm, rubric)
        half = 0.5 if dm.group("half") or dm.group("half_before") else 0.0
        top = n.high if n.high is not None else n.value if unit_top != unit else None
        high = (top + half) * unit_top if top is not None else None
        return _claim(
            text,
            "number",
            "time",
            (n.value + half) * unit,
            n.start,
            dm.end(),
            slot=slot,
            change=change,
            hedged=hedged,
            high=high,
            as_said=n.value,
        )
    nxt = _NEXT_WORDS.match(clean, n.end)
    noun = _noun(nxt)
    people = nxt is not None and any(
        w and stem(w.lower()) in read.team_nouns for w in (noun, nxt.group(1), nxt.group(2))
    )
    # "my 18 nursing staff": people the candidate calls their own are their team.
    own = bool(_OWN_BEFORE.search(clean, max(clause.start, n.start - 8), n.start))
    some = read.part_of_team.search(clean[max(clause.start, n.start - 24) : n.start])
    if people and (own or read.team_context.search(clause.text)) and not some:
        if n.value <= 1:
            return None
        return _claim(text, "team_size", "team", n.value, n.start, nxt.end(1) if nxt else n.end, **extra)
    if n.word and n.value <= 1 and not slot:
        return None  # "one of them", "one day"
    of_them = None if noun else _OF_THE.match(clean, n.end)
    if of_them:
        # "a hundred and twenty of those events": the things counted, named after the figure; some of
        # a group, never the size of a team.
        noun, end = of_them.group("noun"), of_them.end()
    elif noun:
        at = next((g for g in (3, 2) if nxt and nxt.group(g) and noun == nxt.group(g)), 1)
        end = nxt.end(at) if nxt else n.end
    if noun:
        change = _change(text, clause_index, n.start, rubric, near=True)
        return _claim(
            text,
            "number",
            f"count:{stem(noun)}",
            n.value,
            n.start,
            end,
            slot=slot,
            change=change,
            drop={stem(noun)},
            **extra,
        )
    change = _change(text, clause_index, n.start, rubric)
    if n.word and not slot and not change and n.value == int(n.value):
        # A bare word number ("the two of them") says too little, unless it counts the thing counted
        # just before it ("the target was twelve new accounts and i got fifteen"): `_elided_counts`.
        return _claim(text, "number", _BARE, n.value, n.start, n.end, **extra)
    return _claim(text, "number", "plain", n.value, n.start, n.end, slot=slot, change=change, **extra)


_BARE = "bare"
_GRAND = re.compile(r"(?<![\w'])grand$", re.IGNORECASE)
_GRAND_NOUN = re.compile(
    r"\s+(?:total|opening|scheme|prix|final|plan|tour|slam|design|piano|old)\b", re.IGNORECASE
)

# A currency code right before a figure: "GBP 40,000", "USD 1.2m" (any case; the code must be one of
# consistency.yaml's currency words of three letters, so "pounds 40" is not read backwards).
_CODE_BEFORE = re.compile(r"(?<![\w'])(?P<code>[A-Za-z]{3})\s?$")


def _currency_code(
    clean: str, n: _Number, prev: list[str], rubric: ConsistencyRubric
) -> tuple[str, int] | None:
    if n.currency or not prev or len(prev[-1]) != 3 or prev[-1].lower() not in rubric.currency:
        return None
    m = _CODE_BEFORE.search(clean, max(0, n.start - 5), n.start)
    if m is None or not prev[-1].isupper():
        return None  # codes are written in capitals: "eur" in lower-case speech is too rare to trust
    return m.group("code").lower(), m.start()


def _elided_counts(figures: list[Claim]) -> list[Claim]:
    """A figure with no noun after a count in the same clause counts the same thing: "the target was
    eighteen placements and i did thirty-one". A bare word number with no count before it is dropped."""
    out: list[Claim] = []
    for claim in figures:
        if claim.kind in (_BARE, "plain") and not claim.slot:
            before = [
                c for c in out if c.clause == claim.clause and c.kind.startswith("count:") and not c.slot
            ]
            if before:
                counted = before[-1]
                out.append(replace(claim, kind=counted.kind, change=0))
                continue
        if claim.kind != _BARE:
            out.append(claim)
    return out


# After a figure (and its unit), these make it a difference from a reference: "£5k under the budget".
_MARGIN = re.compile(
    r"(?:under|over|below|above|ahead of|behind|short of|beyond)\s+(?:the|our|their|its|my|what|plan|budget|target)\b",
    re.IGNORECASE,
)
_UNIT = re.compile(r"(?:%|percent|per cent|[a-z]+)\s+", re.IGNORECASE)


def _unit_length(clean: str, pos: int) -> int:
    """The length of the one word (a unit: "%", "days", "quid") right after a figure, if one follows."""
    m = _UNIT.match(clean, pos)
    return m.end() - pos if m and not _MARGIN.match(clean, pos) else 0


def _noun(nxt: re.Match[str] | None) -> str | None:
    """The thing counted: '12 enterprise customers' -> customers; '300 ms' -> ms."""
    if not nxt:
        return None
    first, second = nxt.group(1), nxt.group(2)
    if first.lower() in _NOT_NOUNS or _PAST_VERB.search(first):
        return None  # "17 passed their GCSE": what the 17 did, not what they were
    if first.lower().endswith("s") or not second or second.lower() in _NOT_NOUNS:
        return first
    if second.lower().endswith("s"):
        return second
    third = nxt.group(3)
    # "14 new school accounts": two words before the plural that is counted.
    plural = third and _PLURAL.search(third) and third.lower() not in _NOT_NOUNS
    return third if plural else first


_PLURAL = re.compile(r"[a-z](?<![su])s$", re.IGNORECASE)


_LABEL_NUMBER = re.compile(
    r"\s+(?:\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen)\b)", re.IGNORECASE
)
_LABEL_BEFORE = re.compile(r"(?<![\w'-])([a-z]+) $", re.IGNORECASE)
# A verb in the past right after a figure: "17 passed", "40 joined", "three dropped out". ("-eed" is a
# noun as often: "two speed".)
_PAST_VERB = re.compile(r"^[a-z]{2,}(?<!e)ed$")
_OF_THE = re.compile(
    r"\s+of\s+(?:the|those|these|our|their|my)\s+(?:[a-z][\w-]*\s+)?(?P<noun>[a-z][\w-]*s)(?![\w'])",
    re.IGNORECASE,
)
_OWN_BEFORE = re.compile(r"(?<![\w'])(?:my|our)\s+$", re.IGNORECASE)
_NOT_NOUNS = STOPWORDS | frozenset(
    word_list(
        """per times x percent k m each other others after before during since until while because though
    although once into onto across through via plus minus instead against among within without
    between"""
    )
)


_SPAN_HEDGE_AFTER = re.compile(r"\s*(?:or so|-?ish|give or take|or thereabouts)(?![\w'])", re.IGNORECASE)


# A length of time said from an event: "after the surgery", "after launch" (not "after that", a step).
_OF_EVENT = re.compile(
    r"of (?:(?:a|an|any|the|each|every|their|its|his|her|our|my) )?(?!it\b|that\b|this\b|work\b|effort\b)[a-z]{3,}"
)
_SINCE_EVENT = re.compile(r"after (?:the |my |our |his |her |their )?(?!that\b|this\b|it\b|which\b)[a-z]{3,}")


# "the average wait", "a median of", "on average", "typically": a time measured over many cases.
# "each changeover is taking one hour and half": a time per case is one too.
_AVERAGED = re.compile(
    r"\b(?:average|averaged|averaging|median|mean|typical|typically|each)\b", re.IGNORECASE
)
_AVERAGED_AFTER = re.compile(r"^\W*(?:(?:on|in) )?average\b", re.IGNORECASE)


# "ten working days" are two weeks of the calendar, and may be said as ten days: a working day is from
# one day to 7/5 of one, a working week from five days to seven.
_WORKING = frozenset({"working", "business", "work"})
WORKING_DAYS = {"day": (1.0, 7 / 5), "week": (5.0, 7.0), "fortnight": (10.0, 14.0)}


def unit_days(dm: re.Match[str], rubric: ConsistencyRubric) -> tuple[float, float]:
    """The days in one unit of a length of time as said, as a range ("working days": 1 to 1.4 each)."""
    unit = dm.group("unit").lower()
    days = float(rubric.duration_units[unit])
    if (dm.group("sort") or "").lower() in _WORKING and unit in WORKING_DAYS:
        return WORKING_DAYS[unit]
    return days, days


def _measured_time(lead_in: str, after: str) -> bool:
    """Is a length of time in its clause a measure (an average) rather than a span? ("had been up for a
    quarter of a year" is a span: a starting state alone does not make a measure.)"""
    return bool(_AVERAGED.search(lead_in) or _AVERAGED_AFTER.match(after))


def _duration(
    text: Text, n: _Number, dm: re.Match[str], rubric: ConsistencyRubric, extra: dict[str, object]
) -> Claim | None:
    clean = text.clean
    clause = text.clauses[text.clause_at(n.start)]
    unit, unit_top = unit_days(dm, rubric)
    half = 0.5 if dm.group("half") or dm.group("half_before") else 0.0
    days = (n.value + half) * unit
    if n.high is not None or unit_top != unit:
        # "six to eight weeks": the top of the range is in the same unit, so 56 days, not 8.
        extra = extra | {"high": ((n.high if n.high is not None else n.value) + half) * unit_top}
    if _SPAN_HEDGE_AFTER.match(clean, dm.end()):
        extra = extra | {"hedged": True}  # "six months or so"
    after = clean[dm.end() : dm.end() + 24].lower().lstrip(" -")
    # "it took us the best part of two years": the lead-in is read past a hedge said before the figure.
    before = reader(rubric).unhedged(_prev_words(clean, n.start, 8, clause.start))
    while before and (hedge := _SPAN_HEDGE.search(" ".join(before[-4:]))):
        before = before[: -len(hedge.group(0).split())]
    before = before[-4:]
    not_duration = set(rubric.not_duration)
    next_word = after.split(" ", 1)[0].strip(",.;:") if after else ""
    leads = [w for w in before if w in set(rubric.duration_lead_ins)]
    if next_word in _RATE:
        return None  # "30 hours a month" is a rate: counted as a figure, not a span
    if re.match(r"\d", after) or reader(rubric).words.match(after):
        return None  # "a year 10 group", "in week 3": a unit with a number after it names one, it is no span
    # "two weeks before launch" is a point in time; "we had two sprints before the deadline" is a span.
    if next_word in not_duration and not (leads and next_word in _SPAN_ANYWAY):
        return None
    if (before and before[-1] in not_duration) or after.startswith("after that"):
        return None
    compound = "-" in clean[n.end : dm.start("unit") + 1] or bool(re.match(r"-", clean[n.end : n.end + 1]))
    trail = any(after.startswith(t) for t in rubric.duration_trails)
    # "a program of two weeks", "a contract of six months": the thing's length said after it.
    trail = trail or (len(before) >= 2 and before[-1] == "of" and before[-2] in rubric.duration_trails)
    if _SINCE_EVENT.match(after):
        # "nine months after surgery", "it was about six months after the surgery": the time since an
        # event, read alike with a lead-in or without.
        return _claim(
            text, "duration", "days", days, n.start, dm.end(), slot="elapsed", as_said=n.value, **extra
        )
    if not (compound or trail or leads):
        return None
    # How long the work took ("took", "spent", "over") is not the time to an outcome ("within a year").
    last = leads[-1] if leads else ""
    slot = (
        "elapsed" if last == "after" else "within" if last in ("within", "inside", "in", "under") else "span"
    )
    if slot == "within" and _OF_EVENT.match(after):
        slot = "since"  # "a phone call within seven days of any missed payment": the time since an event
    return _claim(text, "duration", "days", days, n.start, dm.end(), slot=slot, as_said=n.value, **extra)


def _roles(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    out = []
    lead = rubric.compile(rubric.self_role)
    titles = reader(rubric).titles
    not_self = rubric.compile([" " + p if not p.startswith(" ") else p for p in rubric.not_self_role_after])
    for m in lead.finditer(text.clean):
        clause = text.clauses[text.clause_at(m.start())]
        window_end = min(clause.end, m.end() + 48)
        window = text.clean[m.end() : window_end]
        best: tuple[int, int, int, RoleTitle] | None = None
        for title, regex in titles:
            rm = regex.search(window)
            if not rm or len(window[: rm.start()].split()) > 2:
                continue
            key = (rm.end() - rm.start(), title.rank)
            if best is None or key > (best[0], best[1]):
                best = (key[0], key[1], m.end() + rm.end(), title)
        if best is not None:
            if not_self.match(text.clean, best[2]):
                continue  # "as the client wanted": someone else, not the candidate's own role
            title = best[3]
            out.append(_claim(text, "role", "role", title.title, m.start(), best[2], rank=title.rank))
    return out


def _plural(body: str) -> str:
    # "engineer" also matches "engineers" (as in "one of the engineers").
    return body.removesuffix("(?![\\w'])") + "(?:s|es)?(?![\\w'])"


def _negated(text: Text, start: int, rubric: ConsistencyRubric) -> bool:
    clause = text.clauses[text.clause_at(start)]
    before = text.clean[clause.start : start]
    words = re.findall(r"[\w']+", before)[-3:]
    negation = rubric.compile(rubric.negations)
    return any(negation.fullmatch(w) for w in words)


def outcome_group(name: str) -> tuple[str, int]:
    """An outcome type's group and rank: "deal@2" is a bigger good ending of a deal (grew the account)
    than a plain "deal" (rank 1: kept it), so the two are compared as the same outcome."""
    group, _, rank = name.partition("@")
    return group, int(rank) if rank.isdigit() else 1


def _outcomes(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    out = []
    taken: dict[str, Taken] = {}
    for outcome in rubric.outcomes:
        group, rank = outcome_group(outcome.name)
        spans = taken.setdefault(group, Taken(len(text.clean)))
        for sign, patterns in (("+", outcome.positive), ("-", outcome.negative)):
            for m in rubric.compile(patterns).finditer(text.clean):
                if spans.overlaps(m.start(), m.end()):
                    continue
                spans.add(*m.span())
                polarity = sign
                if _negated(text, m.start(), rubric):
                    polarity = "-" if sign == "+" else "+"
                start = m.start()
                clause = text.clauses[text.clause_at(start)]
                words = list(re.finditer(r"[\w']+", text.clean[clause.start : start]))
                if words and text.clean[clause.start + words[-1].end() : start].strip() == "":
                    # Show "we never launched" / "it didn't ship", not just the verb.
                    back = 2 if len(words) >= 2 and _negated(text, start, rubric) else 1
                    start = clause.start + words[-back].start()
                kind = f"outcome:{group}"
                out.append(
                    _claim(
                        text, "outcome", kind, polarity, start, m.end(), rank=rank if polarity == "+" else -1
                    )
                )
    return out


def _named(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    out = []
    for slot in rubric.named_slots:
        regex = rubric.compile([slot.pattern], flags=0)
        for m in regex.finditer(text.clean):
            value = m.group("value").strip().rstrip(".,;:!?-")
            words = value.split()
            while words and (words[-1].lower() in _NOT_NOUNS or words[-1].lower() in MONTHS):
                words.pop()
            if not words or words[0] in (
                "I",
                "We",
                "The",
                "A",
                "It",
                "My",
                "Our",
                "This",
                "That",
                "Then",
                "So",
                "And",
                "But",
            ):
                continue
            value = " ".join(words)
            out.append(
                _claim(text, "other", f"slot:{slot.name}", value, m.start(), m.start("value") + len(value))
            )
    return out


def _credit(text: Text, rubric: ConsistencyRubric) -> list[Claim]:
    out = []
    others = rubric.compile(rubric.credit.others)
    for group, verbs in rubric.credit.verbs.items():
        for m in rubric.compile(verbs).finditer(text.clean):
            clause = text.clauses[text.clause_at(m.start())]
            before = _ADVERBS.sub("", text.clean[clause.start : m.start()].rstrip(" ,"))
            self_match = _SELF.search(before)
            if m.group(0).lower().endswith(" by"):
                # "It was led by my manager, Claire": the one named after "by" did it.
                by_me = re.match(r"\s*(?:me|myself)\b", text.clean[m.end() :], re.IGNORECASE)
                actor, start = (
                    ("self" if by_me else "other"),
                    clause.start + len(before) - len(before.lstrip()),
                )
            elif self_match:
                actor, start = "self", clause.start + self_match.end() - 1
            else:
                offset = max(0, len(before) - 60)
                om = None
                for candidate in others.finditer(before, offset):
                    om = candidate
                # "Our head chef, Luca, designed and led it": a name and another verb may stand between.
                if om is None or not _ACTOR_GAP.fullmatch(before[om.end() :]):
                    continue
                actor, start = "other", clause.start + om.start()
            # "It was led by Claire": what was led is the story itself, named by no word of its own.
            passive = m.group(0).lower().endswith(" by")
            obj = set() if passive else content_stems(text.clean[m.end() : min(clause.end, m.end() + 60)])
            said = text.clean[start : min(clause.end, m.end() + 30)].strip()
            said = re.sub(r"\s+\S*$", "", said) if len(said) > m.end() - start else said
            out.append(
                Claim("other", f"credit:{group}", actor, said, clause.index, start, m.end(), frozenset(obj))
            )
    return out
