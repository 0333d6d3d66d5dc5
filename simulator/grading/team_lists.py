"""A team told as the people in it, not as one figure, added up into one team size.

People often count their team out loud instead of giving its size: "I was supervising three PhD
students, two master's students and a technician" (six), "myself, a joiner, a plumber and an
electrician" (four, the candidate among them), "the day shift was six people, late shift another
four, plus two on weekends, and all of them reported to me" (twelve). Read item by item, the first
count alone ("three") would be compared with round one's team as if it were the whole team.

Only lists that say they are the candidate's own people are read: a list led by "supervising",
"managed", "in charge of" ...; a list that starts with the candidate ("myself, a ..."); or counts in
one clause closed by "all of them reported to me". The cues are in rubrics/consistency.yaml
(`team_lists`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simulator.grading.rubric import ConsistencyRubric, expand, per_rubric

# Up to two words that say what kind of people ("master's students", "site supervisors"): no function
# words, and no word that joins two items of the list.
_MOD = (
    r"(?:(?!(?:with|of|for|and|or|to|in|on|at|from|by|per|a|an|the|other|more|who|that|plus|another|"
    r"me|myself)\b)[\w'-]+\s+){0,2}"
)
# Spoken asides between the lead and the list: "supervising, let me count, three PhD students".
_ASIDE = r"(?:\s*,?\s*(?:let me (?:count|think|see)|i think|you know|like|so|basically)\s*,?)*"
_JOIN = r"(?:\s*,\s*(?:and\s+|plus\s+)?|\s+(?:and|plus)\s+)"
# A bare count adds people only when nothing is counted right after it ("plus two on weekends",
# "another four,"): "plus two weeks", "and 40 tickets" add nobody.
_BARE_END = re.compile(r"\s*(?:[,.;:]|$|\s(?:on|in|at|across|covering|doing|working)\b)", re.IGNORECASE)


@dataclass(frozen=True)
class ListedTeam:
    start: int  # the list, from its lead or first item to its last item (or the "reported to me")
    end: int
    value: float  # how many people, the candidate too when `with_me`
    with_me: bool


@dataclass(frozen=True)
class _Patterns:
    item: re.Pattern[str]  # one count of people: "three PhD students", "a technician"
    led_list: re.Pattern[str]  # lead, aside, then the items
    me_list: re.Pattern[str]  # "myself, a joiner, a plumber and an electrician"
    more: re.Pattern[str]  # "another four", "plus two"
    all_mine: re.Pattern[str]


def _build(rubric: ConsistencyRubric) -> _Patterns | None:
    rule = rubric.team_lists
    if not rule.leads:
        return None
    vocab = rubric.vocabulary
    num = vocab["num"]
    people = f"(?:{vocab['person']}|{vocab['doer']})"
    # "two other developers", "one more nurse": still people of the list.
    item = rf"(?:(?:{num})|an?)\s+(?:other\s+|more\s+)?{_MOD}{people}(?![\w'])"
    items = rf"{item}(?:{_JOIN}{item})+"
    # After a weaker lead ("my team was", "I had"), only people named as such ("analysts", "an intern"):
    # "I had two customers and a supplier" is no team.
    named = rf"(?:(?:{num})|an?)\s+(?:other\s+|more\s+)?{_MOD}(?:{vocab['person']})(?![\w'])"
    leads = "|".join(f"(?:{expand(p, vocab)})" for p in rule.leads)
    weak = "|".join(f"(?:{expand(p, vocab)})" for p in rule.weak_leads) or r"(?!x)x"
    return _Patterns(
        item=re.compile(
            rf"(?<![\w'])(?P<n>{num}|an?)\s+(?:other\s+|more\s+)?{_MOD}{people}(?![\w'])", re.IGNORECASE
        ),
        led_list=re.compile(
            rf"(?:(?:{leads}){_ASIDE}\s+(?P<items>{items})|(?:{weak}){_ASIDE}\s+(?P<named>{named}(?:{_JOIN}{named})+))",
            re.IGNORECASE,
        ),
        me_list=re.compile(
            rf"(?<![\w'])(?:just\s+)?(?:me|myself)(?:\s*,\s*|\s+(?:and|plus)\s+)(?P<items>{items})",
            re.IGNORECASE,
        ),
        more=re.compile(
            rf"(?<![\w'])(?:{'|'.join(f'(?:{expand(p, vocab)})' for p in rule.more)})\s+(?P<n>{num})(?![\w'])",
            re.IGNORECASE,
        ),
        all_mine=re.compile(
            "|".join(f"(?:{expand(p, vocab)})" for p in rule.all_mine) or r"(?!x)x", re.IGNORECASE
        ),
    )


_patterns = per_rubric(_build)


def listed_teams(
    clean: str,
    clauses: list[tuple[int, int]],
    rubric: ConsistencyRubric,
    parse: Callable[[str], float | None],
) -> list[ListedTeam]:
    """Every team told as a list of its people, with how many that comes to."""
    p = _patterns(rubric)
    if p is None:
        return []

    def count(said: str) -> float | None:
        return 1.0 if said.lower() in ("a", "an") else parse(said)

    def total(a: int, b: int) -> float | None:
        values = [count(m.group("n")) for m in p.item.finditer(clean, a, b)]
        return sum(v for v in values if v) if values and all(values) else None

    out: list[ListedTeam] = []
    for m in p.led_list.finditer(clean):
        group = "items" if m.group("items") else "named"
        value = total(m.start(group), m.end(group))
        if value and value > 1:
            out.append(ListedTeam(m.start(), m.end(), value, with_me=False))
    for m in p.me_list.finditer(clean):
        value = total(m.start("items"), m.end("items"))
        if value and not any(t.start <= m.start() < t.end for t in out):
            out.append(ListedTeam(m.start(), m.end(), value + 1, with_me=True))
    for start, end in clauses:
        out += _tallied(clean, start, end, p, count, out)
    return out


def _tallied(
    clean: str,
    start: int,
    end: int,
    p: _Patterns,
    count: Callable[[str], float | None],
    found: list[ListedTeam],
) -> list[ListedTeam]:
    """Counts of people in one clause closed by "all of them reported to me": their sum is the team."""
    closing = p.all_mine.search(clean, start, end)
    if closing is None or any(t.start < closing.end() and start < t.end for t in found):
        return []
    first = p.item.search(clean, start, closing.start())
    if first is None or first.group("n").lower() in ("a", "an"):
        return []
    values = [count(first.group("n"))]
    pos = first.end()
    while True:
        nxt = p.more.search(clean, pos, closing.start())
        person = p.item.search(clean, pos, closing.start())
        if person and (nxt is None or person.start() <= nxt.start()):
            values.append(count(person.group("n")))
            pos = person.end()
        elif nxt and _BARE_END.match(clean, nxt.end()):
            values.append(count(nxt.group("n")))
            pos = nxt.end()
        else:
            break
    if len(values) < 2 or not all(values):
        return []
    return [ListedTeam(first.start(), closing.end(), float(sum(v for v in values if v)), with_me=False)]
