"""`interview --coach`: the grade of each answer, shown as it is given, in one or two short lines."""

from __future__ import annotations

from simulator.models import Turn

STAR_PARTS = ("situation", "task", "action", "result")
PRESENT_AT = 0.5  # a STAR part this strong counts as told


def coach_lines(turn: Turn) -> list[str]:
    """What a coach beside the candidate would say about one answer; nothing for other turns."""
    grade = turn.grade
    if turn.kind != "answer" or grade is None:
        return []
    if grade.status == "ungradable":
        return [f"coach: not graded: {grade.reason}"]
    parts = []
    if grade.overall is not None:
        parts.append(f"{grade.overall}/5")
    if grade.star:
        told = [
            p[0].upper() + ("+" if grade.star[p].score >= PRESENT_AT else "-")
            for p in STAR_PARTS
            if p in grade.star
        ]
        parts.append("STAR " + " ".join(told))
    if grade.flags:
        parts.append("flags: " + ", ".join(f.replace("_", " ") for f in grade.flags))
    reply = getattr(turn, "reply_grade", None)
    if reply is not None:
        parts.append(f"reply: {reply.label.replace('_', ' ')}")
    lines = ["coach: " + " | ".join(parts)]
    if grade.feedback:
        lines.append(f"coach: tip: {grade.feedback[0]}")
    return lines
