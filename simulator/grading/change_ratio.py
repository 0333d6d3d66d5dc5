"""How much a figure changed, as a ratio of after to before, however the change was told.

"Monthly orders went from about 1,100 to 1,500" and "orders more than doubled" are one change told
two ways: 1,100 to 1,500 is a rise of a third, doubling a rise of 100%. Neither pair of figures can be
compared as amounts (1,500 is not 2), but both say how many times bigger the figure ended up, and
those can: "missed appointments dropped from 12% to 9%" (x0.75) and "it roughly halved them" (x0.5)
are two different results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.grading.claims import Claim


@dataclass(frozen=True)
class Ratio:
    """One change: after / before, the figures it was read from, and whether only its size was told
    ("doubled", "cut by 15%") or both ends ("from 1,100 to 1,500")."""

    value: float
    quoted: Claim  # the figure a finding quotes: the end of a change, or the change itself
    ends: tuple[Claim, ...]
    hedged: bool


def _pairs(claims: list[Claim]) -> list[Ratio]:
    """ "from X to Y" in one clause, of one kind: the change is Y / X."""
    out = []
    for start in (c for c in claims if c.category == "number" and c.slot == "from" and c.low > 0):
        end = next(
            (
                c
                for c in claims
                if c.slot == "to"
                and c.clause == start.clause
                and c.kind == start.kind
                and c.start > start.start
            ),
            None,
        )
        if end is not None:
            out.append(Ratio(end.low / start.low, end, (start, end), start.hedged or end.hedged))
    return out


def _sizes(claims: list[Claim]) -> list[Ratio]:
    """A change told by its size alone: "doubled", "three times", "halved", "cut by 15%"."""
    out = []
    for c in claims:
        if c.category != "number" or c.slot != "by" or not c.change:
            continue
        if c.kind == "multiple" and c.change > 0 and c.low > 1:
            out.append(Ratio(c.low, c, (c,), c.hedged))
        elif c.kind == "percent" and 0 < c.low < 100:
            out.append(Ratio(1 + c.change * c.low / 100, c, (c,), c.hedged))
    return out


def ratios(claims: list[Claim]) -> list[Ratio]:
    return _pairs(claims) + _sizes(claims)


def same_ratio(a: Ratio, b: Ratio, tolerance: float, hedged_tolerance: float) -> bool:
    """Within the tolerance, as a share of the bigger change ("about a third more" and "from 300 to
    420" are one rise); a rise of percentage points ("by 3%" against "from 12% to 9%") is the same
    change too when the ends are shares."""
    allowed = hedged_tolerance if a.hedged or b.hedged else tolerance
    if abs(math.log(a.value) - math.log(b.value)) <= math.log(1 + allowed):
        return True
    return _as_points(a, b) or _as_points(b, a)


def _as_points(size: Ratio, ends: Ratio) -> bool:
    """ "up by 3%" said of "from 12% to 15%": three points, the same change."""
    if len(size.ends) != 1 or len(ends.ends) != 2 or size.quoted.kind != "percent":
        return False
    start, end = ends.ends
    if start.kind != "percent":
        return False
    return math.isclose(abs(end.low - start.low), size.quoted.low, rel_tol=0.1)


def bigger(a: Ratio, b: Ratio) -> bool:
    """Is `b` the bigger change in the same direction (a bigger rise or a deeper cut)?"""
    return abs(math.log(b.value)) > abs(math.log(a.value))
