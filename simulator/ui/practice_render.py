"""HTML for the practice loops: an answer's earlier attempts shown beside it, each with its own grade,
and the drill section's suggestion. Every text is escaped; no Gradio here.

An answer turn's text and grade are its latest attempt (simulator/practice/redo.py); what is drawn
here is only the earlier ones, under the latest, and a line saying the scores use the latest.
"""

from __future__ import annotations

import html

from simulator.models import AnswerGrade, Attempt, ReplyGrade, Turn

STAR_PARTS = ("situation", "task", "action", "result")
TOLD_AT = 0.5  # a STAR part this strong counts as told (as in the CLI's coach lines)
SCORES_USE_LATEST = "Answered again: the scores use the latest attempt; the earlier ones are kept here."


def _text(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True).replace("\n", "<br>")


def grade_words(grade: AnswerGrade | None) -> str:
    """An attempt's grade in a few words: its mark, the STAR parts told, what it lacked."""
    if grade is None:
        return "not graded yet"
    if grade.status == "ungradable":
        return f"not graded: {grade.reason}"
    parts = [f"graded {grade.overall}/5" if grade.overall is not None else "graded"]
    if grade.star:
        told = [p for p in STAR_PARTS if p in grade.star and grade.star[p].score >= TOLD_AT]
        parts.append("told: " + (", ".join(told) if told else "no STAR part"))
    if grade.flags:
        parts.append(", ".join(f.replace("_", " ") for f in grade.flags))
    return " · ".join(parts)


def _reply_words(reply: ReplyGrade | None) -> str:
    return f" · reply: {reply.label.replace('_', ' ')}" if reply is not None else ""


def _attempt_block(number: int, attempt: Attempt, graded: bool) -> str:
    grade = f" · {_text(grade_words(attempt.grade) + _reply_words(attempt.reply_grade))}" if graded else ""
    tip = ""
    if graded and attempt.grade is not None and attempt.grade.feedback:
        tip = f'<p class="rt-small">{_text(attempt.grade.feedback[0])}</p>'
    return (
        f'<div class="rt-attempt rt-attempt-{number}"><p class="rt-muted rt-small">'
        f'Attempt {number}{grade}</p><div class="rt-text">{_text(attempt.text)}</div>{tip}</div>'
    )


def chat_attempts(turn: Turn, coaching: bool) -> str:
    """Under an answer in the chat: the earlier attempts, folded; their grades only in coaching mode,
    like every grade during the round."""
    if not turn.attempts:
        return ""
    latest = len(turn.attempts) + 1
    graded = f" · {_text(grade_words(turn.grade))}" if coaching else ""
    blocks = "".join(_attempt_block(i, a, coaching) for i, a in enumerate(turn.attempts, start=1))
    return (
        f'<details class="rt-attempts"><summary>Answered again: this is attempt {latest}{graded}; '
        f"earlier attempts</summary>{blocks}</details>"
    )


def attempts_card(turn: Turn) -> str:
    """In the Feedback and Replay tabs: the earlier attempts with their grades, beside the latest's."""
    if not turn.attempts:
        return ""
    blocks = "".join(_attempt_block(i, a, True) for i, a in enumerate(turn.attempts, start=1))
    latest = len(turn.attempts) + 1
    return (
        f'<div class="rt-attempts-card"><p class="rt-note"><strong>{_text(SCORES_USE_LATEST)}</strong> '
        f"Latest (attempt {latest}): {_text(grade_words(turn.grade))}.</p>{blocks}</div>"
    )


def drill_prefix(competency: str | None) -> str:
    """Before a drill's job in the session list: a drill is practice, not a round."""
    return f"Drill ({competency.replace('_', ' ')}): " if competency else ""


def redone_words(count: int) -> str:
    """After a scorecard's counts: that it reads the latest attempt of the answers given again."""
    if not count:
        return ""
    return f"; scored on the latest attempt of {count} answer{'s' if count != 1 else ''} given again"
