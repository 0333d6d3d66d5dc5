"""Feedback a candidate can act on: a few points about what is observable, each tied to a quote,
and an outline of a stronger version of the same story built from the answer's own words.

The wording lives in star.yaml (`feedback.templates`); a point whose template is removed is not made.
Nothing is invented: where a part is missing, the outline says what to add, in brackets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from simulator.grading.criteria import CriterionScore
from simulator.grading.cues import Hit
from simulator.grading.flags import Injection
from simulator.grading.pay_talk import is_pay_answer, pay_clauses, pay_outline
from simulator.grading.rubric import PartName, StarRubric
from simulator.grading.star import StoryReading
from simulator.grading.text import Text
from simulator.models import Finding

_HAS_FIGURE = re.compile(
    r"\d|\b(?:half|double|doubled|tripled|halved|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|thousand|million|dozen)\b",
    re.IGNORECASE,
)
# A missing part is looked for where it should have been: the situation at the start, the result at the end.
_WHERE_MISSING = {
    "situation": "first",
    "task": "first",
    "action": "middle",
    "result": "last",
    "clarifies_problem": "first",
    "states_approach": "first",
    "weighs_tradeoffs": "middle",
    "recommendation": "last",
    "specificity": "first",
    "specifics": "first",
    "values_shown": "first",
}


@dataclass
class Points:
    """Feedback points in priority order; each names its template and fills it."""

    rubric: StarRubric
    items: list[str] = field(default_factory=list)
    used_quotes: set[str] = field(default_factory=set)

    def add(self, key: str, quote: str, **values: object) -> None:
        template = self.rubric.feedback.templates.get(key)
        if not template or not quote or quote in self.used_quotes:
            return
        if len(self.items) >= self.rubric.feedback.max_points:
            return
        text = template.replace("{quote}", quote)
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        self.items.append(text)
        self.used_quotes.add(quote)


def _clause_quote(text: Text, where: str) -> str:
    if not text.clauses:
        return ""
    index = {"first": 0, "last": len(text.clauses) - 1, "middle": len(text.clauses) // 2}[where]
    return text.quote_clause(index)


def _unused_clause(text: Text, points: Points, where: str) -> str:
    """The clause where a missing part belongs, or the nearest one not quoted yet."""
    preferred = _clause_quote(text, where)
    if preferred not in points.used_quotes:
        return preferred
    order = range(len(text.clauses) - 1, -1, -1) if where == "last" else range(len(text.clauses))
    return next((q for q in (text.quote_clause(i) for i in order) if q not in points.used_quotes), preferred)


def _hit_quote(text: Text, hits: list[Hit]) -> str:
    return text.quote_around(hits[0].start, hits[0].end) if hits else ""


def _filler_quote(text: Text) -> str:
    if not text.filler_spans:
        return ""
    a, b = text.filler_spans[0]
    return text.window(a, b, words=3)


def _consistency_points(points: Points, findings: list[Finding]) -> None:
    for finding in findings:
        if finding.kind in ("contradiction", "embellishment", "omission"):
            points.add(finding.kind, finding.round_two_quote, round_one=finding.round_one_quote)


def _common_points(
    rubric: StarRubric,
    text: Text,
    flags: list[str],
    flag_hits: dict[str, list[Hit]],
    findings: list[Finding],
    injection: Injection,
) -> Points:
    """The points every kind of answer opens with: injection, salary, overconfidence, then round one.

    Pay clauses are never quoted as a story's part: "add a number" about a salary is bad advice."""
    points = Points(rubric)
    if "prompt_injection" in flags and injection.quotes:
        points.add("injection", injection.quotes[0])
    if "salary_too_early" in flags:
        points.add("salary", _hit_quote(text, flag_hits.get("salary_too_early", [])))
    pay = pay_clauses(text, rubric)
    if is_pay_answer(text, pay):
        figure = next((i for i in sorted(pay) if _HAS_FIGURE.search(text.clauses[i].text)), None)
        if figure is not None and "salary_too_early" not in flags:
            points.add("salary_answer", text.quote_clause(figure))
        points.add("salary_turn_back", text.quote_clause(len(text.clauses) - 1))
    points.used_quotes |= {text.quote_clause(i) for i in pay}
    if "overconfident" in flags:
        points.add("overconfident", _hit_quote(text, flag_hits.get("overconfident", [])))
    _consistency_points(points, findings)
    return points


def _style_points(points: Points, text: Text, flags: list[str], core: str) -> None:
    if "rambling" in flags:
        points.add("rambling", core, words=text.words)
    if text.original_words >= points.rubric.length.filler_min_words and text.filler_share >= 0.05:
        points.add("filler", _filler_quote(text), share=round(100 * text.filler_share))


def story_points(
    text: Text,
    reading: StoryReading,
    flags: list[str],
    flag_hits: dict[str, list[Hit]],
    findings: list[Finding],
    injection: Injection,
    rubric: StarRubric,
) -> list[str]:
    points = _common_points(rubric, text, flags, flag_hits, findings, injection)
    parts = reading.parts
    present = {name: reading.present(name, rubric) for name in parts}
    if "hypothetical" in flags:
        points.add("hypothetical", _hit_quote(text, flag_hits.get("hypothetical", [])))
        points.add("hypothetical_end", _clause_quote(text, "last"))
    if "vague" in flags:
        points.add("vague", _hit_quote(text, reading.generic_hits) or _clause_quote(text, "first"))
    result_quote = _hit_quote(text, parts["result"].hits)
    # A story flagged as stating no result is told so, whatever its result part scored.
    stated = present["result"] and "no_result" not in flags
    if stated and _HAS_FIGURE.search(result_quote):
        late = text.words > rubric.length.ideal_max_words
        points.add("result_late" if late else "result_concrete", result_quote)
    elif stated:
        points.add("result_vague", result_quote)
    elif "hypothetical" not in flags:
        points.add("result_missing", _clause_quote(text, "last"))
    if "we_not_i" in flags:
        points.add("we_not_i", _hit_quote(text, reading.we_hits))
    if not present["situation"]:
        points.add("situation_missing", _clause_quote(text, "first"))
    action_quote = _hit_quote(text, parts["action"].hits)
    if present["action"] and reading.i_actions and "we_not_i" not in flags:
        points.add("action_strong", action_quote)
    elif not present["action"] and "hypothetical" not in flags:
        points.add("action_missing", _clause_quote(text, "middle"))
    if "no_numbers" in flags and "result_vague" not in str(points.items):
        points.add("no_numbers", action_quote or _clause_quote(text, "last"))
    _style_points(points, text, flags, action_quote or _clause_quote(text, "middle"))
    if not present["task"]:
        points.add("task_missing", action_quote or _clause_quote(text, "first"))
    shown = [
        (f"{name}_present", parts[name].hits) for name in ("situation", "task", "action") if present[name]
    ]
    _top_up(points, text, shown)
    return points.items


def criteria_points(
    text: Text,
    scores: dict[str, CriterionScore],
    flags: list[str],
    flag_hits: dict[str, list[Hit]],
    findings: list[Finding],
    injection: Injection,
    rubric: StarRubric,
) -> list[str]:
    points = _common_points(rubric, text, flags, flag_hits, findings, injection)
    missing = [name for name, s in scores.items() if s.score < rubric.present_at]
    shown = [name for name, s in scores.items() if s.score >= rubric.present_at]
    for name in missing:
        points.add(f"{name}_missing", _unused_clause(text, points, _WHERE_MISSING.get(name, "middle")))
    for name in shown:
        points.add(f"{name}_present", _hit_quote(text, scores[name].hits))
    _style_points(points, text, flags, _clause_quote(text, "middle"))
    _top_up(points, text, [(f"{name}_present", scores[name].hits) for name in shown])
    return points.items


def _top_up(points: Points, text: Text, shown: Sequence[tuple[str, list[Hit]]] = ()) -> None:
    """At least `min_points`: add what the answer does show, each with its own quote."""
    for key, hits in shown:
        if len(points.items) >= points.rubric.feedback.min_points:
            return
        for hit in hits:
            quote = text.quote_around(hit.start, hit.end)
            if quote not in points.used_quotes:
                points.add(key, quote)
                break


_CONNECTIVES = re.compile(
    r"^(?:(?:and|so|but|then|also|anyway|well|okay|ok|yeah|like|because|basically)\b[ ,]*)+", re.IGNORECASE
)


def _sentence(text: str) -> str:
    """A clause as an outline line: without the "and so" that joined it to the last one."""
    text = _CONNECTIVES.sub("", text.strip(" ,;:-")).strip(" ,;:-")
    text = text.rstrip(".!?")
    return text[:1].upper() + text[1:] if text else text


def _clause_texts(
    text: Text, hits: list[Hit], limit: int, taken: set[int], prefer: str = "first"
) -> list[str]:
    """The clauses that show a part best (as ranked by the story reading; otherwise a result: the strongest,
    latest; others: the strongest, earliest), then told in the order they were said."""
    if prefer == "ranked":
        ranked = hits  # already in order: a story part's own clauses, strongest first
    elif prefer == "last":
        ranked = sorted(hits, key=lambda h: (-h.weight, -h.start))
    else:
        ranked = sorted(hits, key=lambda h: (-h.weight, h.start))
    chosen: list[int] = []
    for hit in ranked:
        if hit.clause in taken or hit.clause in chosen or hit.weight < 0.5:
            continue
        chosen.append(hit.clause)
        if len(chosen) == limit:
            break
    taken.update(chosen)
    return [_sentence(text.clauses[i].text) for i in sorted(chosen)]


def story_outline(text: Text, reading: StoryReading, rubric: StarRubric) -> list[str]:
    """S, T, A, R lines from the answer's own clauses (fillers out), in order; gaps marked."""
    labels = rubric.feedback.outline_labels
    missing = rubric.feedback.outline_missing
    taken = pay_clauses(text, rubric)  # a figure for oneself is no part of a stronger story
    if is_pay_answer(text, taken):
        return pay_outline(rubric)
    lines = []
    # The result is claimed first so that a late "we cut it by 40%" is not used up as an action.
    result = (
        _clause_texts(text, reading.parts["result"].hits, 1, taken, "ranked")
        if reading.present("result", rubric)
        else []
    )
    chosen: dict[str, list[str]] = {"result": result}
    parts: tuple[tuple[PartName, int], ...] = (("situation", 1), ("task", 1), ("action", 3))
    for name, limit in parts:
        chosen[name] = (
            _clause_texts(text, reading.parts[name].hits, limit, taken, "ranked")
            if reading.present(name, rubric)
            else []
        )
    for name in ("situation", "task", "action", "result"):
        label = labels.get(name, name.title())
        body = "; ".join(chosen[name])
        if not body:
            body = missing.get(name, "[add]")
        elif name == "result" and not _HAS_FIGURE.search(body) and "result_figure" in missing:
            body += " " + missing["result_figure"]
        lines.append(f"{label}: {body}")
    return lines


def criteria_outline(text: Text, scores: dict[str, CriterionScore], rubric: StarRubric) -> list[str]:
    labels = rubric.feedback.outline_labels
    missing = rubric.feedback.outline_missing
    pay = pay_clauses(text, rubric)
    if is_pay_answer(text, pay):
        return pay_outline(rubric)
    taken = set(pay)
    lines = []
    for name, score in scores.items():
        prefer = "last" if _WHERE_MISSING.get(name) == "last" else "first"
        chosen = _clause_texts(text, score.hits, 2, taken, prefer) if score.score >= rubric.present_at else []
        if not chosen and score.score >= rubric.present_at:
            chosen = _clause_texts(text, score.hits, 1, set(pay), prefer)  # shared with another line
        body = "; ".join(chosen) or missing.get(name, "[add]")
        lines.append(f"{labels.get(name, name.replace('_', ' ').title())}: {body}")
    return lines
