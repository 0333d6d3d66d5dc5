"""A question's kind (behavioural, skills, case, culture, potential, pressure) and its rubric.

The persona's tag is authoritative; a question graded alone gets its kind from its wording, by the
patterns in star.yaml, checked in the file's order.
"""

from __future__ import annotations

import re

from simulator.grading.rubric import QUESTION_KINDS, StarRubric


def infer_kind(question: str, rubric: StarRubric, company: str | None = None) -> str:
    text = question.replace("\u2019", "'").replace("\u2018", "'")
    if company and re.match(r"\s*why\b", text, re.IGNORECASE) and company.lower() in text.lower():
        return "culture"  # "Why Acme?"
    for kind, rule in rubric.kinds.items():
        if rule.patterns and rubric.compile(rule.patterns).search(text):
            return kind
    return rubric.default_kind


def resolve_kind(question: str, tagged: str | None, rubric: StarRubric, company: str | None = None) -> str:
    if tagged and tagged.strip().lower() in QUESTION_KINDS:
        return tagged.strip().lower()
    return infer_kind(question, rubric, company)


def rubric_for(kind: str, rubric: StarRubric) -> str:
    """star, reasoning, culture or story_or_reasoning (decided once the answer is read)."""
    rule = rubric.kinds.get(kind)  # type: ignore[call-overload]
    return rule.grade_as if rule else "star"
