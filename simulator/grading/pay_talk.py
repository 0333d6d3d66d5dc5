"""Pay talk inside an answer: the clauses that raise it, and the stronger version of a pay answer.

No advice tells a candidate to name a number before an offer. An answer that is mostly pay talk
("I'm on 88k now; around 95 to 105 thousand plus equity") gets the outline in star.yaml
(`pay_first`, `pay_if_pressed`, `pay_then`): put pay off until there is an offer and, if pressed,
give a researched range for the role. A story that mentions pay in passing keeps its own outline,
built without the pay clauses, so no line of it repeats a figure.
"""

from __future__ import annotations

from simulator.grading import cues
from simulator.grading.flags import sentence_hits
from simulator.grading.rubric import StarRubric
from simulator.grading.text import Text

PAY_OUTLINE = ("pay_first", "pay_if_pressed", "pay_then")
# An answer is a pay answer when at least this share of its clauses talk pay.
MOSTLY_PAY = 0.5


def pay_clauses(text: Text, rubric: StarRubric) -> set[int]:
    """The clauses that talk pay, whoever raised it (the salary cues, not the flag)."""
    hits = cues.find(text, rubric.salary.cues, rubric) + sentence_hits(text, rubric.salary, rubric)
    return {hit.clause for hit in hits}


def is_pay_answer(text: Text, clauses: set[int]) -> bool:
    return bool(clauses) and len(clauses) >= MOSTLY_PAY * max(1, len(text.clauses))


def pay_outline(rubric: StarRubric) -> list[str]:
    """The stronger version of a pay answer, as the rubric words it; a line left out of it is not shown."""
    labels = rubric.feedback.outline_labels
    missing = rubric.feedback.outline_missing
    return [f"{labels.get(key, key)}: {missing[key]}" for key in PAY_OUTLINE if key in missing]
