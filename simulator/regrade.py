"""Re-grade a saved session with the current rubrics (or another engine) and say what changed.

The new grades go beside the old ones (Turn.regrades), never over them, so an old session stays
explainable after the rubrics change.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engines.base import Engine
from simulator.grading.rubric import STAR_PARTS
from simulator.models import AnswerGrade, ReplyGrade, Session, Turn
from simulator.story_chains import grade_request


@dataclass(frozen=True)
class GradeChange:
    turn_index: int
    answer: str
    before: AnswerGrade | None
    after: AnswerGrade
    # A follow-up's answer is also graded on what the follow-up asked (None: not a follow-up's answer).
    reply_before: ReplyGrade | None = None
    reply_after: ReplyGrade | None = None

    def differences(self) -> list[str]:
        story = self._story_differences()
        if self.reply_after is not None:  # a follow-up's answer: its grade is the story's so far
            story = [f"story so far: {line}" for line in story]
        return self._reply_differences() + story

    def _reply_differences(self) -> list[str]:
        before, after = self.reply_before, self.reply_after
        if after is None:
            return []
        shown = (
            f"{label_words(after.label)} (\u201c{after.quote}\u201d)"
            if after.quote
            else label_words(after.label)
        )
        if before is None:
            return [f"reply to the follow-up newly graded: {shown}"]
        if before.label != after.label:
            return [f"reply to the follow-up: {label_words(before.label)} -> {shown}"]
        return []

    def _story_differences(self) -> list[str]:
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


def label_words(label: str) -> str:
    """A reply label as a person reads it: "dont_know" is "don't know"."""
    return {"dont_know": "don't know", "partly": "partly answered"}.get(label, label)


def regrade(session: Session, engine: Engine) -> list[GradeChange]:
    """Grade every answer again; compare with its latest grade. Does not modify the session."""
    changes = []
    by_index = {t.index: t for t in session.turns}
    for turn in session.turns:
        if turn.kind != "answer":
            continue
        latest = turn.regrades[-1] if turn.regrades else turn.grade
        after = engine.grade(grade_request(session, turn.index))
        asked = by_index.get(turn.reply_to) if turn.reply_to is not None else None
        reply_after = _regrade_reply(engine, asked, turn)
        reply_before = turn.reply_regrades[-1] if turn.reply_regrades else turn.reply_grade
        changes.append(GradeChange(turn.index, turn.text, latest, after, reply_before, reply_after))
    return changes


def _regrade_reply(engine: Engine, asked: Turn | None, answer: Turn) -> ReplyGrade | None:
    if asked is None or asked.kind != "follow_up":
        return None
    return engine.grade_reply(asked.text, answer.text, asked.follow_up_reason)
