"""A session as a Markdown transcript: who said what and when, each answer's grade beside it,
then the feedback sections that exist (scorecards, debrief, consistency, checklist, ...).

Everything a candidate, an imported file or a model wrote is escaped: it can neither break the
transcript's structure nor carry live HTML into a page that renders the Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime

from simulator.engines.usage import usage_lines
from simulator.grading.rubric import STAR_PARTS
from simulator.models import AnswerGrade, Finding, Persona, ReplyGrade, Session, Turn
from simulator.panel_verdict import panel_outcome, verdict_label
from simulator.redact import redact
from simulator.story_chains import loop_findings
from simulator.voice.render import delivery_markdown

_INLINE = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
    }
)
# Underscores only matter at a word's edge (where emphasis can start or end): "team_size" stays.
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# Control characters (bar tab and newline) would reach the terminal of `sessions show`.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a line may start with that Markdown reads as structure: headings, lists, rules, fences.
_BLOCK_START = re.compile(r"^(#|-|\+|=|~|\d+[.)])")
_FLAG_LABELS = {
    "hypothetical": "hypothetical (what you would do, not what you did)",
    "no_result": "no result",
    "we_not_i": "“we” with no “I”",
    "rambling": "rambling",
    "salary_too_early": "salary too early",
    "overconfident": "overconfident",
    "prompt_injection": "instructions aimed at the grader",
}
# What a follow-up's answer did with the follow-up (ReplyGrade.label).
_REPLY_LABELS = {
    "answered": "answered",
    "partly": "partly answered",
    "evasive": "evasive",
    "hypothetical": "hypothetical (what you would do, not what you did)",
    "dont_know": "don't know",
}
_FINDING_LABELS = {
    "contradiction": "Contradiction",
    "embellishment": "Embellishment",
    "omission": "Omission",
    "elaboration": "Elaboration",
}


# ---------------------------------------------------------------- escaping


def inline(text: str) -> str:
    """Untrusted text on one line: for quotes, bullets and table cells."""
    flat = " ".join(_CONTROL.sub("", text).split())
    return _EDGE_UNDERSCORE.sub(r"\\_", flat.translate(_INLINE))


def paragraphs(text: str) -> list[str]:
    """Untrusted multi-line text as Markdown paragraphs, each line unable to start a block."""
    out = []
    for block in re.split(r"\n\s*\n", _CONTROL.sub("", text.replace("\r\n", "\n"))):
        lines = []
        for line in block.split("\n"):
            line = _EDGE_UNDERSCORE.sub(r"\\_", line.strip().translate(_INLINE))
            if line:
                lines.append(_BLOCK_START.sub(lambda m: _escape_block(m.group(0)), line))
        if lines:
            out.append("\n".join(lines))
    return out or [""]


def _escape_block(marker: str) -> str:
    return marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker


def _quote(text: str) -> str:
    return f"“{inline(text)}”"


def _clock(minutes: float) -> str:
    seconds = round(minutes * 60)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _words(identifier: str) -> str:
    return inline(identifier.replace("_", " "))


# ---------------------------------------------------------------- people


class _Names:
    def __init__(self, personas: Mapping[str, Persona] | None):
        self.personas = personas or {}

    def label(self, persona_id: str) -> str:
        """'Name (Title)', or the id when the persona is unknown."""
        persona = self.personas.get(persona_id)
        return f"{inline(persona.name)} ({inline(persona.title)})" if persona else inline(persona_id)

    def name(self, persona_id: str) -> str:
        persona = self.personas.get(persona_id)
        return inline(persona.name) if persona else inline(persona_id)

    def speaker(self, turn: Turn) -> str:
        return "You" if turn.speaker == "candidate" else self.label(turn.speaker)


# ---------------------------------------------------------------- the transcript


def session_to_markdown(session: Session, personas: Mapping[str, Persona] | None = None) -> str:
    """The transcript and report as Markdown, with any known secret (a key a model repeated) redacted."""
    names = _Names(personas)
    parts = [_header(session, names)]
    for number, (persona_id, minutes) in enumerate(_sections(session), start=1):
        parts.append(_interviewer_section(session, names, number, persona_id, minutes))
    for section in (
        _scorecards(session, names),
        _debrief(session, names),
        _consistency_table(session, names),
        _checklist(session),
        delivery_markdown(session),
        _wrap_up_signs(session, names),
        _thank_you(session, names),
    ):
        if section:
            parts.append(section)
    return redact("\n\n".join(part.rstrip() for part in parts) + "\n")


def _header(session: Session, names: _Names) -> str:
    job, plan = session.job, session.plan
    panel = " → ".join(f"{names.label(slot.persona_id)}, {slot.minutes} min" for slot in plan.slots)
    answers = [t for t in session.turns if t.kind == "answer"]
    graded = sum(1 for t in answers if t.grade and t.grade.overall is not None)
    lines = [f"# Second-round interview: {inline(job.title)} at {inline(job.company)}", ""]
    if job.level:
        lines.append(f"- **Level:** {inline(job.level)}")
    lines += [
        f"- **Date:** {_date(session.created_at)}",
        f"- **Panel:** {panel} ({plan.total_minutes()} minutes)",
        f"- **Pressure:** {inline(plan.pressure)}",
        f"- **Engine:** {inline(plan.engine)} (seed {plan.seed})",
        f"- **Status:** {_words(session.status)}; {_count(len(answers), 'answer')}, {graded} graded",
    ]
    outcome = panel_outcome(session)
    if outcome.verdict:
        lines.append(f"- **Panel verdict:** {inline(outcome.label)}")
    lines.append(f"- **Session:** {inline(session.id)}")
    lines += [f"- **Model use:** {inline(line)}" for line in usage_lines(session)]
    return "\n".join(lines)


def _date(created_at: str) -> str:
    try:
        moment = datetime.fromisoformat(created_at)
    except ValueError:
        return inline(created_at)
    zone = f" {moment.tzname()}" if moment.tzinfo else ""
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def _sections(session: Session) -> list[tuple[str, int | None]]:
    """Interviewers in plan order, then anyone else who spoke in a slot of their own."""
    sections: list[tuple[str, int | None]] = [(s.persona_id, s.minutes) for s in session.plan.slots]
    planned = {persona_id for persona_id, _ in sections}
    for turn in session.turns:
        if turn.persona_id not in planned:
            planned.add(turn.persona_id)
            sections.append((turn.persona_id, None))
    return sections


def _interviewer_section(
    session: Session, names: _Names, number: int, persona_id: str, minutes: int | None
) -> str:
    turns = [t for t in session.turns if t.persona_id == persona_id]
    lines = [f"## {number}. {names.label(persona_id)}", ""]
    timing = [f"{minutes} minutes planned"] if minutes else []
    if turns:
        timing.append(f"began {_clock(turns[0].at_minute)} into the loop")
    if timing:
        lines += [f"_{', '.join(timing)}_", ""]
    if not turns:
        lines.append("_This interview did not take place._")
    for turn in turns:
        lines += [*_turn_lines(turn, names), ""]
        if turn.grade is not None or turn.regrades:
            lines += [*_grade_block(turn), ""]
    for note in session.handoff_notes:
        if note.from_persona == persona_id:
            probe = f" (to probe: {inline(note.probe)})" if note.probe else ""
            lines += [f"_Hand-off note for the next interviewer: {inline(note.text)}{probe}_", ""]
    return "\n".join(lines)


def _turn_lines(turn: Turn, names: _Names) -> list[str]:
    text = paragraphs(turn.text)
    stamp = f"`{_clock(turn.slot_minute)}`"
    if turn.kind == "notice":
        first = f"{stamp} _Note: {' '.join(text)}_"
        return [first]
    marks = {
        "follow_up": f"_(follow-up{': ' + _words(turn.follow_up_reason) if turn.follow_up_reason else ''})_ ",
        "interruption": "_(interrupts)_ ",
        "handoff": "_(hand-off)_ ",
    }
    mark = marks.get(turn.kind, "")
    first = f"{stamp} **{names.speaker(turn)}:** {mark}{text[0]}"
    if turn.kind == "pass":
        first += " _(passed)_"
    lines = [first]
    for paragraph in text[1:]:
        lines += ["", paragraph]
    if turn.note:
        lines += ["", f"_({inline(turn.note)})_"]
    return lines


# ---------------------------------------------------------------- grades


def _grade_block(turn: Turn) -> list[str]:
    body: list[str] = []
    if turn.reply_grade is not None:  # a follow-up's answer: first what it made of the follow-up
        body += [*_reply_lines(turn.reply_grade), ""]
    if turn.grade is not None:
        body += _grade_lines(turn.grade, story=turn.reply_grade is not None)
    for regrade in turn.regrades:
        body.append(
            f"- **Re-graded** by {_grader(regrade)}: {_overall(regrade)}{_change(turn.grade, regrade)}"
        )
    for reply in turn.reply_regrades:
        body.append(f"- **Reply re-graded** by {_grader(reply)}: {_reply_label(reply)}")
    # Answered again: the grade above is the latest attempt's; the earlier ones are kept here.
    for number, attempt in enumerate(turn.attempts, start=1):
        graded = _overall(attempt.grade) if attempt.grade is not None else "not graded"
        body.append(f"- **Earlier attempt {number}** ({graded}): {_quote(attempt.text)}")
    return [f"> {line}" if line else ">" for line in body]


def _reply_label(reply: ReplyGrade) -> str:
    return _REPLY_LABELS.get(reply.label, _words(reply.label))


def _reply_lines(reply: ReplyGrade) -> list[str]:
    quote = f" {_quote(reply.quote)}" if reply.quote else ""
    lines = [f"**Reply to the follow-up: {_reply_label(reply)}**{quote}", "", f"- {inline(reply.reason)}"]
    if reply.rationale:
        lines.append(f"- **Judge's reasoning:** {inline(reply.rationale)}")
    lines.append(f"- _Graded by {_grader(reply)}_")
    return lines


def _overall(grade: AnswerGrade) -> str:
    if grade.status == "ungradable" or grade.overall is None:
        return f"not graded: {inline(grade.reason or 'no score')}"
    return f"{grade.overall}/5"


def _change(before: AnswerGrade | None, after: AnswerGrade) -> str:
    if before is None or before.overall is None or after.overall is None:
        return ""
    delta = after.overall - before.overall
    return " (unchanged)" if delta == 0 else f" ({delta:+d} from {before.overall}/5)"


def _grader(grade: AnswerGrade | ReplyGrade) -> str:
    info = grade.grader
    return f"{inline(info.engine)} ({inline(info.model)}), rubric {inline(info.rubric_version)}"


def _grade_lines(grade: AnswerGrade, story: bool = False) -> list[str]:
    """`story`: the grade of the story so far, shown under a follow-up's answer (not the reply's own)."""
    if grade.status == "ungradable" or grade.overall is None:
        lines = [f"_Not graded: {inline(grade.reason or 'no score')}_ ({_grader(grade)})", ""]
    else:
        head = f"**{'Story so far' if story else 'Grade'}: {grade.overall}/5**"
        if grade.structure is not None:
            head += f" · structure {grade.structure:.2f}"
        head += f" · {_words(grade.question_kind)} question"
        if grade.status == "fallback":
            head += f" · fallback grade{': ' + inline(grade.reason) if grade.reason else ''}"
        lines = [head, ""]
    for part, component in sorted(grade.star.items(), key=lambda item: STAR_PARTS.index(item[0])):
        evidence = "; ".join(_quote(e) for e in component.evidence) or "_no evidence_"
        lines.append(f"- **{part.capitalize()}** {component.score:.2f}: {evidence}")
    if grade.flags:
        lines.append(f"- **Flags:** {', '.join(_FLAG_LABELS.get(f) or _words(f) for f in grade.flags)}")
    lines += [_finding_line(f) for f in grade.consistency.findings]
    if grade.feedback:
        lines.append("- **Feedback:**")
        lines += [f"  - {inline(point)}" for point in grade.feedback]
    if grade.outline:
        lines.append("- **A stronger version:**")
        lines += [f"  {n}. {inline(step)}" for n, step in enumerate(grade.outline, start=1)]
    if grade.rationale:
        lines.append(f"- **Judge's reasoning:** {inline(grade.rationale)}")
    if grade.overall is not None:
        lines.append(f"- _Graded by {_grader(grade)}_")
    while lines and not lines[-1]:  # an ungradable answer may have nothing below its reason
        lines.pop()
    return lines


def _finding_line(finding: Finding) -> str:
    return (
        f"- **{_FINDING_LABELS[finding.kind]}** ({_words(finding.category)}): "
        f"round one: {_quote(finding.round_one_quote)}; today: {_quote(finding.round_two_quote)}. "
        f"{inline(finding.explanation)}"
    )


# ---------------------------------------------------------------- closing sections


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _scorecards(session: Session, names: _Names) -> str:
    if not session.scorecards:
        return ""
    rows = []
    for card in session.scorecards:
        score = "–" if card.score is None else f"{card.score:.1f}/5"
        dims = "; ".join(f"{_words(d)} {_score(v)}" for d, v in card.dimensions.items())
        rows.append([names.label(card.persona_id), score, str(card.graded), str(card.ungradable), dims])
    lines = [
        "## Scorecards",
        "",
        *_table(["Interviewer", "Score", "Graded", "Not graded", "Dimensions"], rows),
    ]
    notes = [
        f"- {names.label(card.persona_id)}: {inline(card.note)}" for card in session.scorecards if card.note
    ]
    return "\n".join([*lines, "", *notes] if notes else lines)


def _debrief(session: Session, names: _Names) -> str:
    if not session.debrief:
        return ""
    outcome = panel_outcome(session)
    lines = ["## Debrief", "", f"**Panel verdict: {inline(outcome.label)}**", ""]
    lines += [inline(outcome.explanation()), ""]
    for verdict in session.debrief:
        lines += [f"### {names.label(verdict.persona_id)}: {verdict_label(verdict.verdict)}", ""]
        lines += [f"- {inline(reason)}" for reason in verdict.reasons]
        if verdict.objection:
            lines += ["", f"**Would object:** {inline(verdict.objection)}"]
        lines.append("")
    return "\n".join(lines)


def _consistency_table(session: Session, names: _Names) -> str:
    rows = [
        [
            names.label(persona_id),
            f"{_FINDING_LABELS[finding.kind]} ({_words(finding.category)})",
            _quote(finding.round_one_quote),
            _quote(finding.round_two_quote),
            inline(finding.explanation),
        ]
        for persona_id, finding in loop_findings(session)
    ]
    if not rows:
        return ""
    header = ["Interviewer", "Finding", "Round one", "Round two", "Why it matters"]
    return "\n".join(["## Consistency with round one", "", *_table(header, rows)])


def _checklist(session: Session) -> str:
    if not session.checklist:
        return ""
    lines = ["## Second-round checklist", ""]
    for item in session.checklist:
        box = {"pass": "[x]", "fail": "[ ]"}.get(item.status)
        lines.append(f"- {box + ' ' if box else ''}**{inline(item.title)}**: {_words(item.status)}")
        lines += [f"  - {_quote(e)}" for e in item.evidence]
        if item.advice:
            lines.append(f"  - Advice: {inline(item.advice)}")
    return "\n".join(lines)


def _wrap_up_signs(session: Session, names: _Names) -> str:
    if not session.wrap_up_signs:
        return ""
    lines = ["## Wrap-up signs", ""]
    for entry in session.wrap_up_signs:
        signs = ", ".join(_words(s) for s in entry.signs) or "none"
        lines.append(f"- **{names.label(entry.persona_id)}:** {signs}")
        if entry.explanation:
            lines.append(f"  - {inline(entry.explanation)}")
    return "\n".join(lines)


def _thank_you(session: Session, names: _Names) -> str:
    if not session.thank_you:
        return ""
    lines = ["## Thank-you notes", ""]
    if not any(draft.send_within_hours for draft in session.thank_you):
        lines += ["_Send each within 24 hours._", ""]
    for draft in session.thank_you:
        lines += [f"### To {inline(draft.to)} ({names.label(draft.persona_id)})", ""]
        if draft.send_within_hours:
            lines += [f"_Send within {draft.send_within_hours:g} hours._", ""]
        for paragraph in paragraphs(draft.text):
            lines += [paragraph, ""]
    return "\n".join(lines)
