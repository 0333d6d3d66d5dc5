"""An answer longer than the grader reads: where it is cut, and the note that says so.

Grading is linear in an answer's length, but an answer of megabytes would still hold a server core
for seconds and say nothing an interviewer would sit through. So the grader reads the first
`limits.MAX_ANSWER_CHARS` characters, cut at a word, and the grade says so (flag `too_long`, and
the first feedback point): never a silent truncation. The answer itself is stored whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.grading.rubric import StarRubric
from simulator.models import AnswerGrade

FLAG = "too_long"
WORD_BACK = 200  # how far back from the limit a cut looks for a space, so no word is split
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Capped:
    text: str  # what is graded: the whole answer, or its first part
    length: int  # the answer's full length, in characters

    @property
    def cut(self) -> bool:
        return len(self.text) < self.length


def cap(answer: str, limit: int | None) -> Capped:
    """The part of the answer that is graded: all of it, or the first `limit` characters cut at a space."""
    if limit is None or len(answer) <= limit:
        return Capped(answer, len(answer))
    spaces = [m.start() for m in _SPACE.finditer(answer, max(0, limit - WORD_BACK), limit + 1)]
    end = spaces[-1] if spaces else limit
    return Capped(answer[:end], len(answer))


def note(capped: Capped, grade: AnswerGrade, rubric: StarRubric) -> AnswerGrade:
    """The grade of the first part, saying that only the first part was graded."""
    template = rubric.feedback.templates.get(
        FLAG, "Only the first {graded} of {length} characters of this answer were graded."
    )
    message = template.replace("{graded}", f"{len(capped.text):,}").replace("{length}", f"{capped.length:,}")
    flags = [*grade.flags, FLAG] if FLAG not in grade.flags else list(grade.flags)
    return grade.model_copy(update={"flags": flags, "feedback": [message, *grade.feedback]})
