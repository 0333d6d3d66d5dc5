"""The grader's clauses that show what a writer marked: spans are exact substrings of the answer (the
held-out format checks it), so clauses are matched to them by characters, not by shared words."""

from __future__ import annotations

from simulator.grading.text import Text


def marked_clauses(text: Text, answer: str, spans: list[str]) -> set[int]:
    """The clauses that hold at least half of a marked span, or are half inside one."""
    ranges = [(answer.find(s), answer.find(s) + len(s)) for s in spans if answer.find(s) >= 0]
    marked = set()
    for i, clause in enumerate(text.clauses):
        a, b = text.span_original(clause.start, clause.end)
        for s, e in ranges:
            overlap = max(0, min(b, e) - max(a, s))
            if overlap >= 0.5 * (b - a) or overlap >= 0.5 * (e - s):
                marked.add(i)
    return marked
