"""HTML for the page: chat messages, the status line, scorecards, charts, tables, the replay view.

Every value put into the markup goes through `inert`, which escapes it, or is a number formatted
here: text from a person or a file (answers, questions, the job, imported sessions) and even the
fields a schema limits to a few words (verdicts, kinds), so a schema change can never make one
live. The page's chat renders HTML without Markdown, so escaped text stays text. Only the markup
built here, with fixed class names, is live (tests/test_import_hostile.py puts a payload in every
field an import accepts and checks that).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from datetime import datetime

from pydantic import ValidationError

from simulator import panel_verdict
from simulator.grading.rubric import STAR_PARTS
from simulator.grading.thank_you import ThankYouCheck
from simulator.models import AnswerGrade, EngineUsage, Persona, ReplyGrade, Scorecard, Session, Turn
from simulator.regrade import GradeChange, label_words
from simulator.store import SessionSummary
from simulator.story_chains import loop_findings
from simulator.ui.practice_render import attempts_card, chat_attempts, drill_prefix, redone_words

KIND_LABELS = {
    "follow_up": "follow-up",
    "invite_questions": "your questions",
    "candidate_question": "your question",
    "interviewer_answer": "answer",
    "wrap_up": "wrap-up",
    "handoff": "hand-off",
    "interruption": "interrupts",
}
# Muted, readable avatar colours; a persona always gets the same one.
_AVATAR_COLOURS = ("#2f6f8f", "#7a4e8c", "#3f7d4f", "#9a5b2e", "#8c3f5a", "#4b5a9c", "#5f6b2d", "#2d6b6b")


def inert(text: object) -> str:
    """Escape text (or anything, as its text) for HTML and keep its line breaks."""
    shown = "" if text is None else str(text)
    return html.escape(shown, quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def _quote(text: str) -> str:
    return f"\u201c{inert(text)}\u201d"


def persona_name(persona_id: str, personas: dict[str, Persona]) -> str:
    persona = personas.get(persona_id)
    return persona.name if persona else persona_id


def avatar(persona_id: str, personas: dict[str, Persona]) -> str:
    persona = personas.get(persona_id)
    initials = persona.initials() if persona else (persona_id[:2].upper() or "?")
    colour = _AVATAR_COLOURS[int(hashlib.sha1(persona_id.encode()).hexdigest(), 16) % len(_AVATAR_COLOURS)]
    return f'<span class="rt-avatar" style="background:{colour}" aria-hidden="true">{inert(initials)}</span>'


def speaker_line(persona_id: str, personas: dict[str, Persona], extra: str = "") -> str:
    persona = personas.get(persona_id)
    title = f'<span class="rt-title">{inert(persona.title)}</span>' if persona else ""
    tail = f'<span class="rt-meta">{inert(extra)}</span>' if extra else ""
    return (
        f'<div class="rt-speaker">{avatar(persona_id, personas)}'
        f'<strong class="rt-name">{inert(persona_name(persona_id, personas))}</strong>{title}{tail}</div>'
    )


# ---------------------------------------------------------------- grades


def badge(grade: AnswerGrade | None, story: bool = False) -> str:
    """The discreet per-answer mark in the chat (`story`: the story so far, under a follow-up's answer)."""
    if grade is None:
        return ""
    if grade.status == "ungradable":
        return f'<span class="rt-badge rt-badge-none" title="{inert(grade.reason)}">not graded</span>'
    mark = f"graded {grade.overall}/5" if grade.overall is not None else "graded"
    if story:
        mark = f"story so far {grade.overall}/5" if grade.overall is not None else "story so far graded"
    if grade.status == "fallback":
        mark += " (offline fallback)"
    return f'<span class="rt-badge">{inert(mark)}</span>'


def reply_badge(reply: ReplyGrade) -> str:
    """What a follow-up's answer did with the follow-up, beside (never instead of) the story's mark."""
    return (
        f'<span class="rt-badge rt-reply rt-reply-{inert(reply.label)}" title="{inert(reply.reason)}">'
        f"reply: {inert(label_words(reply.label))}</span>"
    )


def answer_badges(turn: Turn) -> str:
    """An answer's marks: a follow-up's answer shows its reply grade and the story's, each named."""
    if turn.reply_grade is None:
        return badge(turn.grade)
    return f"{reply_badge(turn.reply_grade)} {badge(turn.grade, story=True)}"


def reply_card(reply: ReplyGrade | None) -> str:
    """The reply grade in full: its label, the words that show it, why, and who graded it."""
    if reply is None:
        return ""
    quote = f'<p class="rt-reply-quote">{_quote(reply.quote)}</p>' if reply.quote else ""
    rationale = (
        f'<p class="rt-rationale"><strong>Judge’s reasoning:</strong> {inert(reply.rationale)}</p>'
        if reply.rationale
        else ""
    )
    engine = f"{reply.grader.engine}/{reply.grader.model}"
    return (
        f'<div class="rt-grade rt-reply-grade"><p><strong>Reply to the follow-up:</strong> '
        f"{inert(label_words(reply.label))}</p>{quote}<p>{inert(reply.reason)}</p>{rationale}"
        f"{_grader_line(engine, reply.grader.rubric_version)}</div>"
    )


def _grader_line(engine: str, rubric_version: str) -> str:
    """Who graded, with which rubric: kept with the grade, a scoring detail on the Feedback tab."""
    return f'<p class="rt-muted rt-small rt-detail rt-rubric">{inert(engine)} · {inert(rubric_version)}</p>'


# "(0.75)", "(0.00 of 1)": a rubric's 0-1 figure, meaningful only beside the rubric.
_RUBRIC_FIGURE = re.compile(r"\s*\(\d+\.\d+(?: of 1)?\)")


def plain_or_detail(text: str) -> str:
    """`text` escaped; when it carries rubric figures, a plain version (`rt-plain`) beside the full
    one (`rt-detail`): the Feedback tab shows one or the other by its "Show scoring details" box."""
    plain = _RUBRIC_FIGURE.sub("", text)
    if plain == text:
        return inert(text)
    return f'<span class="rt-plain">{inert(plain)}</span><span class="rt-detail">{inert(text)}</span>'


def closing_line(explanation: str) -> str:
    """A wrap-up sign's explanation: what the interviewer did; the figures behind it are a detail."""
    head, _, why = explanation.partition(":")
    if not why.strip():
        return plain_or_detail(explanation)
    return f'{inert(head.strip())}.<span class="rt-detail"> ({inert(why.strip().rstrip("."))})</span>'


def feedback_list(grade: AnswerGrade | None) -> str:
    if grade is None:
        return ""
    points = list(grade.feedback) or ([grade.reason] if grade.reason else [])
    if not points:
        return ""
    items = "".join(f"<li>{inert(p)}</li>" for p in points)
    return f'<ul class="rt-feedback">{items}</ul>'


def grade_card(grade: AnswerGrade | None, story: bool = False) -> str:
    """Everything a grade says: score, STAR parts with evidence, flags, consistency, feedback, outline.
    `story`: the grade of the story so far, shown under a follow-up's answer beside the reply's own."""
    if grade is None:
        return '<div class="rt-grade rt-muted">Not an answer: nothing to grade.</div>'
    if grade.status == "ungradable":
        return f'<div class="rt-grade"><p><strong>Not graded:</strong> {inert(grade.reason)}</p></div>'
    lead = "Story so far: " if story else ""
    parts = [f'<p class="rt-score">{lead}<strong>{inert(grade.overall)}/5</strong>']
    if grade.structure is not None:
        parts.append(f'<span class="rt-detail"> · structure {grade.structure:.0%}</span>')
    parts.append(f" · {inert(grade.question_kind)}</p>")
    if grade.star:
        rows = []
        for part in STAR_PARTS:
            component = grade.star.get(part)
            if component is None:
                continue
            evidence = (
                "; ".join(_quote(e) for e in component.evidence[:2]) or '<span class="rt-muted">none</span>'
            )
            rows.append(
                f"<tr><th>{part.title()}</th><td>{_bar(component.score)}</td><td>{evidence}</td></tr>"
            )
        parts.append(f'<table class="rt-star rt-detail">{"".join(rows)}</table>')
    if grade.flags:
        flags = " ".join(f'<span class="rt-flag">{inert(f.replace("_", " "))}</span>' for f in grade.flags)
        parts.append(f'<p class="rt-flags">{flags}</p>')
    for finding in grade.consistency.findings:
        parts.append(
            f'<p class="rt-finding"><strong>{inert(finding.kind)}</strong> ({inert(finding.category)}): '
            f"round one {_quote(finding.round_one_quote)}, today {_quote(finding.round_two_quote)}</p>"
        )
    parts.append(feedback_list(grade))
    if grade.outline:
        steps = "".join(f"<li>{inert(s)}</li>" for s in grade.outline)
        parts.append(
            f'<details class="rt-outline"><summary>A stronger version</summary><ol>{steps}</ol></details>'
        )
    if grade.rationale:
        parts.append(
            f'<p class="rt-rationale"><strong>Judge’s reasoning:</strong> {inert(grade.rationale)}</p>'
        )
    if grade.status == "fallback":
        parts.append(f'<p class="rt-muted">Graded offline: {inert(grade.reason)}</p>')
    parts.append(_grader_line(f"{grade.grader.engine}/{grade.grader.model}", grade.grader.rubric_version))
    return f'<div class="rt-grade">{"".join(parts)}</div>'


def _bar(score: float | None, scale: float = 1.0) -> str:
    if score is None:
        return '<span class="rt-muted">no evidence</span>'
    width = max(0.0, min(1.0, score / scale)) * 100
    label = f"{score:.0%}" if scale == 1.0 else f"{score:.1f}"
    return (
        f'<span class="rt-bar" role="img" aria-label="{label}">'
        f'<span style="width:{width:.0f}%"></span></span>'
        f'<span class="rt-bar-label">{label}</span>'
    )


# ---------------------------------------------------------------- the chat


def turn_message(turn: Turn, personas: dict[str, Persona], coaching: bool = False) -> dict[str, str]:
    """One Chatbot message (messages format) for one turn."""
    if turn.speaker == "candidate":
        body = f'<div class="rt-text">{inert(turn.text)}</div>' + chat_attempts(turn, coaching)
        if turn.kind == "answer" and coaching:  # grades stay out of sight during the round unless asked for
            reply = turn.reply_grade
            coach = f'<p class="rt-reply-note">{inert(reply.reason)}</p>' if reply else ""
            coach += feedback_list(turn.grade)
            body += (
                f'<div class="rt-answer-meta">{answer_badges(turn)}</div>'
                f'<div class="rt-coach"><span class="rt-coach-label">Coach</span>{coach}</div>'
            )
        return {"role": "user", "content": body}
    minute = f"{turn.slot_minute:.0f} min"
    kind = KIND_LABELS.get(turn.kind)
    extra = f"{minute} · {kind}" if kind else minute
    classes = "rt-msg rt-handoff" if turn.kind == "handoff" else "rt-msg"
    header = speaker_line(turn.speaker, personas, extra)
    note = f'<div class="rt-turn-note">{inert(turn.note)}</div>' if turn.note else ""
    body = f'<div class="{classes}">{header}<div class="rt-text">{inert(turn.text)}</div>{note}</div>'
    return {"role": "assistant", "content": body}


def streaming_chat(
    session: Session,
    personas: dict[str, Persona],
    pending: str | None,
    speaker: str | None,
    text: str,
    coaching: bool = False,
) -> list[dict[str, str]]:
    """The chat while a reply streams: the turns so far, the candidate's unsaved words, the live line."""
    messages = chat_history(session, personas, coaching)
    if pending:
        messages.append({"role": "user", "content": f'<div class="rt-text">{inert(pending)}</div>'})
    if speaker and text:
        header = speaker_line(speaker, personas, "speaking…")
        live = f'<div class="rt-msg rt-streaming">{header}<div class="rt-text">{inert(text)}</div></div>'
        messages.append({"role": "assistant", "content": live})
    return messages


def usage_html(session: Session) -> str:
    """Tokens and estimated cost per engine, when the session called a model."""
    lines = []
    for engine, raw in sorted(session.usage.items()):
        try:  # validated when the session was loaded; checked again, as this is what gets drawn
            used = EngineUsage.model_validate(raw, strict=True)
        except ValidationError:
            continue
        if not used.calls:
            continue
        cost = used.estimated_cost
        money = "no price for this model" if cost is None else f"about {cost:.4f} {used.currency}"
        fell = f" ({used.failed_calls} fell back)" if used.failed_calls else ""
        line = (
            f"{engine} ({', '.join(used.models)}): {used.calls} calls{fell}, "
            f"{used.tokens_in:,} tokens in, {used.tokens_out:,} out; estimated cost {money}"
        )
        if used.context:
            line += f"; context: {used.context}"
        lines.append(f"<li>{inert(line)}</li>")
    if not lines:
        return ""
    return f'<div class="rt-usage" id="usage"><strong>Model use</strong><ul>{"".join(lines)}</ul></div>'


def chat_history(
    session: Session, personas: dict[str, Persona], coaching: bool = False
) -> list[dict[str, str]]:
    messages = []
    slot = 0
    for turn in session.turns:
        if turn.kind == "intro":
            slot += 1
            if slot > 1:
                messages.append(_handoff_marker(turn.persona_id, slot, len(session.plan.slots), personas))
        messages.append(turn_message(turn, personas, coaching))
    return messages


def _handoff_marker(persona_id: str, number: int, count: int, personas: dict[str, Persona]) -> dict[str, str]:
    """A visible line in the chat where one interviewer hands over to the next."""
    persona = personas.get(persona_id)
    who = f"{persona.name}, {persona.title}" if persona else persona_id
    return {
        "role": "assistant",
        "content": f'<div class="rt-divider">Interviewer {number} of {count}: {inert(who)} joins</div>',
    }


def status_idle() -> str:
    return '<div class="rt-status">No interview yet: start one on Setup, or resume one from Replay.</div>'


def status_line(
    persona: Persona | None,
    slot_number: int,
    slot_count: int,
    slot_minute: float,
    slot_minutes: int,
    kind: str,
) -> str:
    """Whose turn it is, the interviewer's clock and the loop's progress."""
    if persona is None or kind == "nothing":
        return '<div class="rt-status">The loop is over. Your feedback is on the <b>Feedback</b> tab.</div>'
    doing = "is asking you" if kind == "answer" else "takes your questions"
    over = " rt-over" if slot_minute > slot_minutes else ""
    return (
        f'<div class="rt-status">{avatar(persona.id, {persona.id: persona})}'
        f"<span><strong>{inert(persona.name)}</strong> ({inert(persona.title)}) {doing}</span>"
        f'<span class="rt-clock{over}">{slot_minute:.0f} of {slot_minutes} min</span>'
        f'<span class="rt-progress">interviewer {slot_number} of {slot_count}</span></div>'
    )


# ---------------------------------------------------------------- feedback


def verdict_label(verdict: str | None) -> str:
    return panel_verdict.verdict_label(verdict) if verdict else "—"


def session_heading(session: Session, overall: str | None) -> str:
    job = session.job
    status = {"complete": "complete", "ended_early": "ended early", "in_progress": "in progress"}[
        session.status
    ]
    answers = sum(1 for t in session.turns if t.kind == "answer")
    # Once there is a debrief, the verdict says how much it rests on: "(the loop ended early, ...)".
    label = panel_verdict.panel_outcome(session).label if session.debrief else verdict_label(overall)
    return (
        f'<div class="rt-heading"><h3>{inert(job.title)} at {inert(job.company)}</h3>'
        f'<p class="rt-muted">{inert(_date(session.created_at))} · {status} · {answers} answers · '
        f"overall: <strong>{inert(label)}</strong></p></div>"
    )


def scorecards_html(session: Session, personas: dict[str, Persona]) -> str:
    if not session.scorecards:
        return '<p class="rt-muted">No scorecards yet: they appear when the loop ends.</p>'
    cards = []
    for card in session.scorecards:
        cards.append(_scorecard(card, personas))
    return f'<div class="rt-cards">{"".join(cards)}</div>'


def _scorecard(card: Scorecard, personas: dict[str, Persona]) -> str:
    score = f"{card.score:.1f}/5" if card.score is not None else "no score"
    rows = "".join(
        f"<tr><th>{inert(dim.replace('_', ' '))}</th><td>{_bar(value)}</td></tr>"
        for dim, value in card.dimensions.items()
    )
    counts = f"{card.graded} graded" + (f", {card.ungradable} not graded" if card.ungradable else "")
    counts += redone_words(card.redone)  # answers given again: the score reads their latest attempt
    return (
        f'<div class="rt-card">{speaker_line(card.persona_id, personas)}'
        f'<p class="rt-score"><strong>{score}</strong> <span class="rt-muted">({counts})</span></p>'
        f'<table class="rt-dims rt-detail">{rows}</table></div>'
    )


def star_by_interviewer(session: Session) -> dict[str, dict[str, float]]:
    """Mean STAR component score per interviewer over their graded answers."""
    sums: dict[str, dict[str, list[float]]] = {}
    for turn in session.turns:
        grade = turn.grade
        if turn.kind != "answer" or grade is None or grade.status == "ungradable" or not grade.star:
            continue
        bucket = sums.setdefault(turn.persona_id, {part: [] for part in STAR_PARTS})
        for part in STAR_PARTS:
            component = grade.star.get(part)
            if component is not None:
                bucket[part].append(component.score)
    return {pid: {part: sum(v) / len(v) for part, v in parts.items() if v} for pid, parts in sums.items()}


def star_chart_html(session: Session, personas: dict[str, Persona]) -> str:
    """Bars of STAR components per interviewer: which part of your stories each one did not hear."""
    data = star_by_interviewer(session)
    if not data:
        return '<p class="rt-muted">No graded stories yet.</p>'
    order = [s.persona_id for s in session.plan.slots if s.persona_id in data]
    head = "".join(f"<th>{p.title()}</th>" for p in STAR_PARTS)
    rows = []
    for pid in order:
        cells = "".join(f"<td>{_bar(data[pid].get(part))}</td>" for part in STAR_PARTS)
        rows.append(f"<tr><th>{inert(persona_name(pid, personas))}</th>{cells}</tr>")
    return (
        '<table class="rt-chart" aria-label="STAR components per interviewer">'
        f"<thead><tr><th></th>{head}</tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def debrief_html(session: Session, personas: dict[str, Persona]) -> str:
    if not session.debrief:
        return '<p class="rt-muted">The debrief appears when the loop ends.</p>'
    panel = panel_verdict.panel_outcome(session)
    blocks = [
        f'<div class="rt-panel-verdict rt-v-{inert(panel.verdict or "")}"><p><strong>Panel: '
        f"{inert(panel.label)}</strong></p><p>{inert(panel.explanation())}</p></div>"
    ]
    for verdict in session.debrief:
        reasons = "".join(f"<li>{plain_or_detail(r)}</li>" for r in verdict.reasons)
        objection = (
            f'<p class="rt-objection"><strong>Would object:</strong> {plain_or_detail(verdict.objection)}</p>'
            if verdict.objection
            else ""
        )
        blocks.append(
            f'<div class="rt-verdict rt-v-{inert(verdict.verdict)}">{speaker_line(verdict.persona_id, personas)}'
            f'<p class="rt-verdict-label">{inert(verdict_label(verdict.verdict))}</p>'
            f"<ul>{reasons}</ul>{objection}</div>"
        )
    signs = "".join(
        f"<li><strong>{inert(persona_name(s.persona_id, personas))}</strong>: "
        f"{inert(', '.join(x.replace('_', ' ') for x in s.signs) or 'no particular signs')}"
        f"{' — ' + closing_line(s.explanation) if s.explanation else ''}</li>"
        for s in session.wrap_up_signs
    )
    wrap = f'<h4>How each conversation closed</h4><ul class="rt-signs">{signs}</ul>' if signs else ""
    return f'<div class="rt-debrief">{"".join(blocks)}</div>{wrap}'


def consistency_rows(session: Session) -> list[tuple[str, str, str, str, str, str]]:
    """(interviewer id, kind, category, round one quote, round two quote, explanation) per finding."""
    return [
        (pid, f.kind, f.category, f.round_one_quote, f.round_two_quote, f.explanation)
        for pid, f in loop_findings(session)
    ]


def consistency_html(session: Session, personas: dict[str, Persona]) -> str:
    rows = consistency_rows(session)
    if session.round_one.is_empty():
        return (
            '<p class="rt-muted">No round-one record was given, so there was nothing to compare against.</p>'
        )
    if not rows:
        return '<p class="rt-ok">Nothing you said today conflicts with your round-one record.</p>'
    body = "".join(
        f'<tr class="rt-k-{inert(kind)}"><td>{inert(persona_name(pid, personas))}</td>'
        f"<td><strong>{inert(kind)}</strong><br>"
        f"<span class='rt-muted'>{inert(category.replace('_', ' '))}</span></td>"
        f"<td>{_quote(one)}</td><td>{_quote(two)}</td><td>{inert(why)}</td></tr>"
        for pid, kind, category, one, two, why in rows
    )
    return (
        '<table class="rt-table"><thead><tr><th>Interviewer</th><th>Finding</th><th>Round one</th>'
        f"<th>Round two</th><th>Why it matters</th></tr></thead><tbody>{body}</tbody></table>"
    )


def checklist_html(session: Session) -> str:
    if not session.checklist:
        return '<p class="rt-muted">The checklist appears when the loop ends.</p>'
    marks = {"pass": ("✔", "rt-pass"), "fail": ("✘", "rt-fail"), "not_applicable": ("–", "rt-na")}
    items = []
    for item in session.checklist:
        mark, css = marks[item.status]
        evidence = "".join(f"<li>{inert(e)}</li>" for e in item.evidence)
        advice = (
            f'<p class="rt-advice">{inert(item.advice)}</p>' if item.advice and item.status == "fail" else ""
        )
        items.append(
            f'<li class="{css}"><span class="rt-mark">{mark}</span> <strong>{inert(item.title)}</strong>'
            f"{advice}{f'<ul>{evidence}</ul>' if evidence else ''}</li>"
        )
    return f'<ul class="rt-checklist">{"".join(items)}</ul>'


NOTE_CRITERIA = {
    "personal": "Personal",
    "specific": "Specific",
    "interest": "Interest",
    "timely": "Timely",
}


def thank_you_check_html(check: ThankYouCheck, personas: dict[str, Persona]) -> str:
    """A checked note: a one-line summary, then what to fix first, what passed, and what was not checked."""
    to = inert(persona_name(check.persona_id, personas))
    fixes = len(check.failed)
    summary = (
        f"Your note to {to} is ready to send."
        if check.ok
        else f"Your note to {to}: {fixes} thing{'s' if fixes != 1 else ''} to fix."
    )
    groups = [
        ("fail", "✘", "to fix", check.failed),
        ("pass", "✔", "passed", check.passed),
        ("na", "–", "not checked", check.not_checked),
    ]
    items = [
        f'<li class="rt-{css}"><span class="rt-mark">{mark}</span> '
        f"<strong>{inert(NOTE_CRITERIA.get(c.id, c.id))}</strong> ({label}): {inert(c.reason)}</li>"
        for css, mark, label, criteria in groups
        for c in criteria
    ]
    return (
        f'<div class="rt-note-check"><p class="rt-note-summary">{summary}</p>'
        f'<ul class="rt-checklist">{"".join(items)}</ul></div>'
    )


def answer_numbers(session: Session) -> dict[int, int]:
    """Each answer's number in the session (1 = the first answer), by turn index."""
    answers = [t.index for t in session.turns if t.kind == "answer"]
    return {index: number for number, index in enumerate(answers, start=1)}


def answers_html(session: Session, personas: dict[str, Persona]) -> str:
    """Every answer with its question and its full grade: the feedback held back during the round."""
    by_index = {t.index: t for t in session.turns}
    numbers = answer_numbers(session)
    blocks = []
    for turn in session.turns:
        if turn.kind != "answer":
            continue
        asked = by_index.get(turn.reply_to) if turn.reply_to is not None else None
        # The question stays readable with the answer folded: it is how a person finds an answer.
        question = f'<span class="rt-q">{inert(asked.text)}</span>' if asked else ""
        blocks.append(
            f'<details class="rt-answer" id="answer-{turn.index}"><summary>{question}'
            f'<span class="rt-answer-line">Answer {numbers[turn.index]} · '
            f"{inert(persona_name(turn.persona_id, personas))} · "
            f"{answer_badges(turn)} · {inert(_snippet(turn.text))}</span></summary>"
            f"<blockquote>{inert(turn.text)}</blockquote>{_answer_cards(turn)}{attempts_card(turn)}</details>"
        )
    return "".join(blocks) or '<p class="rt-muted">No answers in this session.</p>'


# ---------------------------------------------------------------- replay


def replay_html(session: Session, position: int, personas: dict[str, Persona]) -> str:
    """One turn of a saved session, with the question it answers and its grade beside it."""
    if not session.turns:
        return '<p class="rt-muted">This session has no turns.</p>'
    position = max(0, min(position, len(session.turns) - 1))
    turn = session.turns[position]
    by_index = {t.index: t for t in session.turns}
    header = (
        f'<p class="rt-step">Turn {position + 1} of {len(session.turns)} · '
        f"minute {turn.at_minute:.0f} · {inert(KIND_LABELS.get(turn.kind, turn.kind))}</p>"
    )
    if turn.speaker == "candidate":
        who = '<div class="rt-speaker"><span class="rt-avatar rt-you">You</span><strong>You</strong></div>'
        asked = by_index.get(turn.reply_to) if turn.reply_to is not None else None
        context = (
            f'<div class="rt-context">{speaker_line(asked.speaker, personas)}<p>{inert(asked.text)}</p></div>'
            if asked
            else ""
        )
    else:
        who = speaker_line(turn.speaker, personas)
        context = ""
    left = f'{context}<div class="rt-replay-turn">{who}<div class="rt-text">{inert(turn.text)}</div></div>'
    right = (
        _answer_cards(turn) if turn.kind == "answer" else '<p class="rt-muted">No grade for this turn.</p>'
    ) + attempts_card(turn)
    if turn.regrades or turn.reply_regrades:
        right += _latest_regrade(turn)
    return (
        f'{header}<div class="rt-replay"><div class="rt-replay-left">{left}</div>'
        f'<div class="rt-replay-right">{right}</div></div>'
    )


def _answer_cards(turn: Turn) -> str:
    """A follow-up's answer: the reply's own grade first, then the story so far; any other answer: its grade."""
    if turn.reply_grade is None:
        return grade_card(turn.grade)
    return reply_card(turn.reply_grade) + grade_card(turn.grade, story=True)


def _latest_regrade(turn: Turn) -> str:
    """The newest re-grade beside the original: what changed, and the new grade only if anything did."""
    latest = turn.regrades[-1] if turn.regrades else turn.grade
    reply = turn.reply_regrades[-1] if turn.reply_regrades else None
    if latest is None:
        return ""
    changes = GradeChange(turn.index, turn.text, turn.grade, latest, turn.reply_grade, reply).differences()
    when = f"re-graded with {latest.grader.rubric_version}"
    if not changes:
        return f'<p class="rt-muted rt-small">{inert(when)}: no change.</p>'
    points = "".join(f"<li>{inert(c)}</li>" for c in changes)
    cards = reply_card(reply) + grade_card(latest, story=reply is not None)
    return f'<h4>Re-graded</h4><p class="rt-muted rt-small">{inert(when)}</p><ul>{points}</ul>{cards}'


def sessions_rows(summaries: Iterable[SessionSummary], personas: dict[str, Persona]) -> list[list[str]]:
    """Rows for the session list: id, date, job, panel, status, overall verdict."""
    return [
        [
            s.id,
            _date(s.created_at),
            drill_prefix(s.drill)
            + f"{s.job_title} at {s.company}"
            + (" (imported copy)" if s.imported_from else ""),
            ", ".join(persona_name(p, personas) for p in s.panel),
            s.status.replace("_", " "),
            verdict_label(s.verdict),
        ]
        for s in summaries
    ]


def session_choices(rows: list[list[str]]) -> list[tuple[str, str]]:
    """A session picker's entries from the list's rows: "date · job · verdict", keyed by id."""
    return [(f"{row[1]} · {row[2]} · {row[5]}", row[0]) for row in rows]


def _date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _snippet(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def engine_line(text: str) -> str:
    """The engine's one line on Setup: the estimate before starting, or why it cannot run."""
    return f'<div class="rt-engine-line" role="status">{inert(text)}</div>'


def notice(text: str, kind: str = "error") -> str:
    """A one-line message under a control (errors, limits, confirmations)."""
    return f'<div class="rt-notice rt-notice-{inert(kind)}" role="status">{inert(text)}</div>' if text else ""


def regrade_html(changes: Iterable[GradeChange]) -> str:
    """What re-grading with the current rubrics changed, answer by answer."""
    items = []
    unchanged = 0
    for change in changes:
        differences = change.differences()
        if not differences:
            unchanged += 1
            continue
        points = "".join(f"<li>{inert(d)}</li>" for d in differences)
        items.append(
            f"<li><strong>Turn {change.turn_index + 1}</strong> "
            f"<span class='rt-muted'>{inert(_snippet(change.answer))}</span><ul>{points}</ul></li>"
        )
    total = unchanged + len(items)
    if total == 0:
        return '<p class="rt-muted">This session has no answers to re-grade.</p>'
    summary = (
        f"<p>Re-graded {total} answer{'s' if total != 1 else ''} with the current rubrics: "
        f"{len(items)} changed, {unchanged} unchanged. The new grades are saved beside the old ones.</p>"
    )
    return summary + (f'<ul class="rt-diff">{"".join(items)}</ul>' if items else "")
