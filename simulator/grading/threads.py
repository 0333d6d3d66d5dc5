"""Which round-one answers tell one story: a follow-up question goes on with the answer before it.

An interviewer who asks "What was your part on the fraud model?" or "How did the testing go?" names,
as something already known ("the", "that"), a thing the previous answer told: the two answers
are one story, and what the candidate says of their part in one holds for the other. "Tell me about a
project you led" names nothing known: a new story starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from simulator.grading.text import content_stems

# A thing named as known, and the few words after it that say which (read from every such word:
# "your part on the fraud project" names "the fraud project" too). "Your" names the candidate's own
# job ("your team", "your role"), which every answer may mention, not a thing one answer told.
_KNOWN = re.compile(r"\b(?=(?:the|that|this|those|these)\s+((?:[\w'-]+\s+){0,2}[\w'-]+))", re.IGNORECASE)


def goes_on(question: str, before: str, generic: frozenset[str] = frozenset()) -> bool:
    """Does `question` ask about something the answer `before` told? `generic`: stems that name no
    thing (the question's own words: "tell", "part", "time")."""
    named = {s for m in _KNOWN.finditer(question) for s in content_stems(m.group(1))} - generic
    return bool(named & content_stems(before))


def thread(questions: Sequence[str], answers: Sequence[str], at: int, generic: frozenset[str]) -> list[int]:
    """The other answers of the story answer `at` is part of, nearest first."""
    linked = [i > 0 and goes_on(questions[i], answers[i - 1], generic) for i in range(len(answers))]
    start, end = at, at
    while start > 0 and linked[start]:
        start -= 1
    while end + 1 < len(answers) and linked[end + 1]:
        end += 1
    return sorted((i for i in range(start, end + 1) if i != at), key=lambda i: (abs(i - at), i))
