"""Re-grade a saved session with the current rubrics (or another engine) and say what changed.

The new grades go beside the old ones (Turn.regrades), never over them, so an old session stays
explainable after the rubrics change.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engines.base import Engine
from simulator.grading.rubric import STAR_PARTS
from simulator.models import AnswerGrade, Session
from simulator.story_chains import grade_request


@dataclass(frozen=True)
class GradeChange:
    turn_index: int
    answer: str
    before: AnswerGrade | None
    after: AnswerGrade

    def differences(self) -> list[str]:
        before, after = self.before, self.after
        if before is None:
            return [f"newly graded: {after.status}, overall {after.overall}"]
        out = []
        if before.status != after.status:
            out.append(f"status {before.status} -> {after.status}")
        if before.overall != after.overall:
            out.append(f"overall {before.overall} -> {after.overall}")
        if (
            before.structure is not None
            and after.structure is not None
            and abs(before.structure - after.structure) >= 0.05
        ):
            out.append(f"structure {before.structure:.2f} -> {after.structure:.2f}")
        for part in STAR_PARTS:
            old, new = before.star.get(part), after.star.get(part)
            if old and new and abs(old.score - new.score) >= 0.1:
                out.append(f"{part} {old.score:.2f} -> {new.score:.2f}")
        gained = sorted(set(after.flags) - set(before.flags))
        lost = sorted(set(before.flags) - set(after.flags))
        if gained:
            out.append("new flags: " + ", ".join(gained))
        if lost:
            out.append("flags gone: " + ", ".join(lost))
        old_findings = {(f.kind, f.category) for f in before.consistency.findings}
        new_findings = {(f.kind, f.category) for f in after.consistency.findings}
        for kind, category in sorted(new_findings - old_findings):
            out.append(f"new finding: {kind} ({category})")
        for kind, category in sorted(old_findings - new_findings):
            out.append(f"finding gone: {kind} ({category})")
        if before.grader.rubric_version != after.grader.rubric_version:
            out.append(f"rubrics {before.grader.rubric_version} -> {after.grader.rubric_version}")
        return out


def regrade(session: Session, engine: Engine) -> list[GradeChange]:
    """Grade every answer again; compare with its latest grade. Does not modify the session."""
    changes = []
    for turn in session.turns:
        if turn.kind != "answer":
            continue
        latest = turn.regrades[-1] if turn.regrades else turn.grade
        changes.append(
            GradeChange(turn.index, turn.text, latest, engine.grade(grade_request(session, turn.index)))
        )
    return changes
