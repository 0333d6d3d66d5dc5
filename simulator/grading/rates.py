"""Figures said per period of time: "about ten thousand pounds a month" is "£120,000 a year".

A figure followed by "a month", "per year", "every week" or "annually" is a rate. Two rates over
different periods are compared as the amount they come to in a year; a rate and a figure that names
no period may be either the rate or what it comes to in a year ("saved £10k a month" / "saved
£120k"), and are one amount when either reading agrees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_ADVERBS = {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day"}


def _pattern(units: Mapping[str, float]) -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    adverbs = "|".join(_ADVERBS)
    return re.compile(
        rf"\s*(?:(?:a|an|per|each|every)\s+(?P<unit>{names})(?![\w'-])|(?P<adverb>{adverbs})(?![\w'-]))",
        re.IGNORECASE,
    )


_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def period_after(clean: str, end: int, units: Mapping[str, float]) -> tuple[float, int]:
    """The period, in days, that the figure ending at `end` is said per ("£10k a month" -> 30), and
    where the saying of it ends; (0, end) for a figure said per nothing."""
    key = tuple(sorted(units))
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = _pattern(units)
    m = pattern.match(clean, end)
    if not m:
        return 0.0, end
    unit = (m.group("unit") or _ADVERBS.get((m.group("adverb") or "").lower(), "")).lower()
    days = float(units.get(unit, 0.0))
    return (days, m.end()) if days else (0.0, end)


DAYS_IN_YEAR = 365.0


def readings(per_a: float, per_b: float) -> list[tuple[float, float]]:
    """The factors to multiply two figures by before comparing them: the same period (or none) as
    said; two periods as a year's worth each; one period against none, either way."""
    if per_a == per_b:
        return [(1.0, 1.0)]
    yearly = (DAYS_IN_YEAR / per_a if per_a else 1.0, DAYS_IN_YEAR / per_b if per_b else 1.0)
    if per_a and per_b:
        return [yearly]
    return [(1.0, 1.0), yearly]
