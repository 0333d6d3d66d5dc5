"""What the grader is asked to grade: a domain value, so grading needs nothing from the engines.

The engines import it (`simulator.engines.base` re-exports it for its callers); the arrow runs one
way, from engines to grading.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.models import Job, RoundOne


@dataclass(frozen=True)
class GradeRequest:
    """One answer to grade. `question_kind` is the persona's tag; None means infer from wording."""

    question: str
    answer: str
    round_one: RoundOne = field(default_factory=RoundOne)
    question_kind: str | None = None
    job: Job | None = None
