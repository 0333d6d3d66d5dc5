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

# A whole number in digits or words, then "and a half" and a scale: "one and a half million".
_HALF_SCALE = re.compile(
    r"(?<![\w'])(?P<n>\d+|{words}) and a half (?P<scale>thousand|million|billion)(?![\w'])", re.IGNORECASE
)
# A share of a scale: "a quarter of a million", "half a million", "a million and a half".
_SCALE_SHARE = re.compile(
    r"(?<![\w'])(?:(?P<f>{fractions}) of an? (?P<scale>thousand|million|billion)"
    r"|half an? (?P<hscale>thousand|million|billion)"
    r"|an? (?P<ascale>million|billion) and a half)(?![\w'])",
    re.IGNORECASE,
)
# An amount said by its number of digits: "six figures", "a seven-figure deal".
_FIGURES = re.compile(r"(?<![\w'])(?P<n>four|five|six|seven|eight|nine)[- ]figures?(?![\w'])", re.IGNORECASE)
_DIGIT_COUNT = {"four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_RANGE_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_FROM_BEFORE = re.compile(
    r"(?:\bfrom|\bbetween)(?:\s+(?:about|around|roughly|approximately|nearly|almost|some|just))?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Spoken:
    """An amount read from words the digit and number-word readers do not take whole."""

    start: int
    end: int
    value: float
    high: float | None = None
    hedged: bool = False


def _word_numbers(rubric: ConsistencyRubric) -> str:
    units = sorted(rubric.number_words.units, key=len, reverse=True)
    return "|".join(map(re.escape, ["a", "an", *units]))


def spoken_amounts(clean: str, rubric: ConsistencyRubric) -> list[Spoken]:
    """ "one and a half million", "hundreds of": amounts the plain readers would split or miss."""
    out: list[Spoken] = []
    half = re.compile(_HALF_SCALE.pattern.replace("{words}", _word_numbers(rubric)), re.IGNORECASE)
    scales = rubric.number_words.scales
    units = rubric.number_words.units
    for m in half.finditer(clean):
        n = m.group("n").lower()
        whole = float(n) if n.isdigit() else float(units.get(n, 1))
        out.append(Spoken(m.start(), m.end(), (whole + 0.5) * scales[m.group("scale").lower()]))
    fractions = rubric.number_words.fractions
    said = "|".join(map(re.escape, sorted(fractions, key=len, reverse=True))) or "(?!x)x"
    share = re.compile(_SCALE_SHARE.pattern.replace("{fractions}", said), re.IGNORECASE)
    for m in share.finditer(clean):
        if m.group("f"):
            key = next(k for k in fractions if k.lower() == m.group("f").lower())
            part, scale = fractions[key] / 100, m.group("scale")
        else:
            part, scale = (0.5, m.group("hscale")) if m.group("hscale") else (1.5, m.group("ascale"))
        out.append(Spoken(m.start(), m.end(), part * scales[scale.lower()]))
    for m in _FIGURES.finditer(clean):
        digits = _DIGIT_COUNT[m.group("n").lower()]
        out.append(Spoken(m.start(), m.end(), float(10 ** (digits - 1)), float(10**digits - 1), hedged=True))
    for phrase, (low, high) in rubric.number_words.vague.items():
        pattern = re.escape(phrase).replace(r"\ ", r"\s+")
        for m in re.finditer(rf"(?<![\w']){pattern}(?![\w'])", clean, re.IGNORECASE):
            out.append(Spoken(m.start(), m.end(), float(low), float(high), hedged=True))
    return out


def is_range(
    clean: str, first_start: int, first_end: int, second_start: int, low: float, high: float
) -> bool:
    """ "five or six", "5-6", "10 to 12": one figure with a range. "from 10 to 12" (or "from three point
    nine to four point seven") is a change."""
    between = clean[first_end:second_start]
    if not (low < high <= max(low * 3, low + 3)):
        return False
    if re.fullmatch(r"\s*(?:-|–|or)\s*", between):
        return True
    if not _RANGE_TO.fullmatch(between):
        return False
    before = clean[max(0, first_start - 40) : first_start]
    return not _FROM_BEFORE.search(re.sub(r"[$£€\s]+$", "", before))


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
    if kind == "percent" and gap <= tol.percent_points:
        return True
    relative = tol.hedged_relative if hedged else tol.relative
    if category == "duration":
        relative = max(relative, tol.duration_relative)
    return gap <= relative * max(reference, 1e-9)


def same_time_of_year(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Do two times of the year (months, 1 to 14: a winter runs from 12 into the next 14) overlap, a
    year round? "Q1" and "March" do; "just before Christmas" and "summer" do not."""
    return any(a[0] <= b[1] + shift and b[0] + shift <= a[1] for shift in (-12.0, 0.0, 12.0))
