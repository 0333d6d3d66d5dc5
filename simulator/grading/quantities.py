"""Amounts said in other words: normalised, so that the same amount is never a difference.

"one and a half million" is 1,500,000; "a quarter of a million" 250,000; "six figures" is somewhere
from 100,000 to 999,999; "hundreds of" from 200 to 900; "10 to 12" is a range; "about" widens the
tolerance. Two figures are the same amount when their ranges overlap or they are within the
tolerances of consistency.yaml. The vocabularies are data in that file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.grading.rubric import ConsistencyRubric

_RANGE_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_RANGE_OR = re.compile(r"\s*(?:-|–|or)\s*")
_MONEY_BEFORE = re.compile(r"[$£€\s]+$")


@dataclass(frozen=True)
class Spoken:
    """An amount read from words the digit and number-word readers do not take whole."""

    start: int
    end: int
    value: float
    high: float | None = None
    hedged: bool = False


def _alternatives(words: list[str]) -> str:
    """Longest first, so "a third" is read before "a"; nothing matches an empty list."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!x)x"


def phrases(said: list[str]) -> str:
    """An alternation of phrases, longest first, a space in one matching any run of spaces."""
    return _alternatives(said).replace(r"\ ", r"\s+")


class SpokenAmounts:
    """The readers of amounts said in words, compiled once per rubric (claims.reader holds one)."""

    def __init__(self, rubric: ConsistencyRubric) -> None:
        nw = rubric.number_words
        self.units, self.scales, self.fractions = nw.units, nw.scales, nw.fractions
        scale = f"(?:{_alternatives([w for w, v in nw.scales.items() if v >= 1000])})"
        # A whole number in digits or words, then "and a half" and a scale: "one and a half million"
        # ("one and half million", as many non-native speakers say it).
        number = f"\\d+|{_alternatives(['a', 'an', *nw.units])}"
        self.half = re.compile(
            rf"(?<![\w'])(?P<n>{number}) and (?:a )?half (?P<scale>{scale})(?![\w'])", re.IGNORECASE
        )
        # A share of a scale: "a quarter of a million", "half a million", "a million and a half".
        self.share = re.compile(
            rf"(?<![\w'])(?:(?P<f>{_alternatives(list(nw.fractions))}) of an? (?P<scale>{scale})"
            rf"|half an? (?P<hscale>{scale})"
            rf"|an? (?P<ascale>{scale}) and a half)(?![\w'])",
            re.IGNORECASE,
        )
        # An amount said by its number of digits: "six figures", "a seven-figure deal".
        self.digit_counts = {w.lower(): v for w, v in nw.units.items() if 4 <= v <= 9}
        self.figures = re.compile(
            rf"(?<![\w'])(?P<n>{_alternatives(list(self.digit_counts))})[- ]figures?(?![\w'])", re.IGNORECASE
        )
        self.vague = [(_phrase(said), low, high) for said, (low, high) in nw.vague.items()]
        # "a couple hundred", "a few thousand": a rough count of a scale, said as a range.
        self.rough_counts = {
            " ".join(w.lower().split()): (float(v), float(v)) for w, v in nw.approximate.items()
        }
        self.rough_counts |= {
            " ".join(w.lower().split()): (float(lo), float(hi)) for w, (lo, hi) in nw.vague_spans.items()
        }
        self.rough = re.compile(
            rf"(?<![\w'])(?P<n>{phrases(list(self.rough_counts))})\s+(?:of\s+)?"
            rf"(?P<scale>{_alternatives([w for w, v in nw.scales.items() if v >= 100])})(?![\w'])",
            re.IGNORECASE,
        )
        # "forty-odd", "30-odd thousand", "a hundred and twenty-something": a round number and some more,
        # up to the next round one.
        self.tens = {w.lower(): v for w, v in nw.tens.items()}
        hundreds = _alternatives(["a", "an", *(w for w, v in nw.units.items() if 1 <= v <= 9)])
        self.odd = re.compile(
            rf"(?<![\w'])(?:(?P<h>{hundreds}) hundred(?: and)? )?"
            rf"(?P<n>\d+|{_alternatives(list(nw.tens))}|(?:a |one )?hundred)[- ](?:odd|something)"
            rf"(?: (?P<scale>{scale}))?(?![\w'])",
            re.IGNORECASE,
        )
        # "from 10 to 12" (or "from about 10 to 12") is a change, not a range.
        soft = phrases([*rubric.softeners, *rubric.stressed])
        self.from_before = re.compile(rf"(?:\bfrom|\bbetween)(?:\s+(?:{soft}))?\s*$", re.IGNORECASE)

    def read(self, clean: str) -> list[Spoken]:
        """ "one and a half million", "hundreds of": amounts the plain readers would split or miss."""
        out: list[Spoken] = []
        for m in self.half.finditer(clean):
            n = m.group("n").lower()
            whole = float(n) if n.isdigit() else float(self.units.get(n, 1))
            out.append(Spoken(m.start(), m.end(), (whole + 0.5) * self.scales[m.group("scale").lower()]))
        for m in self.share.finditer(clean):
            if m.group("f"):
                key = next(k for k in self.fractions if k.lower() == m.group("f").lower())
                part, scale = self.fractions[key] / 100, m.group("scale")
            else:
                part, scale = (0.5, m.group("hscale")) if m.group("hscale") else (1.5, m.group("ascale"))
            out.append(Spoken(m.start(), m.end(), part * self.scales[scale.lower()]))
        for m in self.figures.finditer(clean):
            digits = self.digit_counts[m.group("n").lower()]
            out.append(
                Spoken(m.start(), m.end(), float(10 ** (digits - 1)), float(10**digits - 1), hedged=True)
            )
        for m in self.odd.finditer(clean):
            said = m.group("n").lower()
            n = float(said) if said.isdigit() else float(self.tens.get(said, 100))
            step = 10.0 ** (len(str(int(n))) - 1)
            if m.group("h"):
                n += 100 * self.units.get(m.group("h").lower(), 1)
            scale = self.scales[m.group("scale").lower()] if m.group("scale") else 1
            out.append(Spoken(m.start(), m.end(), n * scale, (n + step - 1) * scale, hedged=True))
        for m in self.rough.finditer(clean):
            low, high = self.rough_counts[" ".join(m.group("n").lower().split())]
            unit = self.scales[m.group("scale").lower()]
            out.append(
                Spoken(m.start(), m.end(), low * unit, high * unit if high > low else None, hedged=True)
            )
        for pattern, low, high in self.vague:
            for m in pattern.finditer(clean):
                out.append(Spoken(m.start(), m.end(), float(low), float(high), hedged=True))
        return out

    def is_range(
        self, clean: str, first_start: int, first_end: int, second_start: int, low: float, high: float
    ) -> bool:
        """ "five or six", "5-6", "10 to 12": one figure with a range. "from 10 to 12" (or "from three
        point nine to four point seven") is a change."""
        between = clean[first_end:second_start]
        if not (low < high <= max(low * 3, low + 3)):
            return False
        if _RANGE_OR.fullmatch(between):
            return True
        if not _RANGE_TO.fullmatch(between):
            return False
        before = clean[max(0, first_start - 40) : first_start]
        return not self.from_before.search(_MONEY_BEFORE.sub("", before))


def _phrase(said: str) -> re.Pattern[str]:
    body = re.escape(said).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w']){body}(?![\w'])", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A figure as a range, with whether it was hedged."""

    low: float
    top: float
    hedged: bool


def same_amount(a: Amount, b: Amount, category: str, kind: str, rubric: ConsistencyRubric) -> bool:
    """Are two figures of one kind the same amount, allowing for rounding and for hedges?"""
    tol = rubric.tolerances
    hedged = a.hedged or b.hedged
    if a.low <= b.top and b.low <= a.top:
        return True  # ranges overlap
    # The gap between the nearest ends, against the nearer of them: "about 50" is not "hundreds of"
    # (200 to 900), however wide the top of that range is.
    lower, upper = (a, b) if a.top < b.low else (b, a)
    gap, reference = upper.low - lower.top, upper.low
    if category == "team_size":
        return gap <= (tol.hedged_team_size if hedged else tol.team_size)
    # Points of rounding ("38%" / "about 40%"), but not a fifth of a small share ("5.3%" / "nearly 7%").
    if kind == "percent" and gap <= tol.percent_points and gap <= tol.percent_points_share * reference:
        return True
    relative = tol.hedged_relative if hedged else tol.relative
    if category == "duration":
        relative = max(relative, tol.duration_relative)
    return gap <= relative * max(reference, 1e-9)


def same_time_of_year(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Do two times of the year (months, 1 to 14: a winter runs from 12 into the next 14) overlap, a
    year round? "Q1" and "March" do; "just before Christmas" and "summer" do not."""
    return any(a[0] <= b[1] + shift and b[0] + shift <= a[1] for shift in (-12.0, 0.0, 12.0))
