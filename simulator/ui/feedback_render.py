"""The top of the Feedback tab, read like a coach's summary: the verdicts, the three things to fix
(each with the answers that show it, quoted and linked), and the round-one conflicts.

Internal figures (weights, thresholds, 0-1 scores) stay in `rt-detail` (see `render.plain_or_detail`),
shown only with "Show scoring details". All text is escaped by `render.inert`.
"""

from __future__ import annotations

from simulator import panel_verdict
from simulator.models import Finding, Persona, Session, Turn
from simulator.story_chains import loop_findings
from simulator.ui.coach import Evidence, Fix, things_to_fix
from simulator.ui.render import answer_numbers, avatar, inert, persona_name, plain_or_detail, verdict_label

CONFLICT_KINDS = ("contradiction", "embellishment")  # the facts an interviewer calls out first


def answer_link(turn: Turn, number: int, personas: dict[str, Persona]) -> str:
    """A link to the answer in "Every answer, graded" (the page's script opens the fold)."""
    text = f"answer {number}, to {persona_name(turn.persona_id, personas)}"
    return f'<a class="rt-answer-link" href="#answer-{turn.index}">{inert(text)}</a>'


def summary_html(session: Session, personas: dict[str, Persona]) -> str:
    if not session.debrief:
        return '<p class="rt-muted">The summary appears when the loop ends.</p>'
    return (
        verdicts_html(session, personas)
        + fixes_html(things_to_fix(session), answer_numbers(session), personas)
        + conflicts_html(session, personas)
    )


def verdicts_html(session: Session, personas: dict[str, Persona]) -> str:
    panel = panel_verdict.panel_outcome(session)
    rows = []
    for verdict in session.debrief:
        objection = (
            f'<p class="rt-objection">{plain_or_detail(verdict.objection)}</p>' if verdict.objection else ""
        )
        rows.append(
            f'<li class="rt-v-{inert(verdict.verdict)}">{avatar(verdict.persona_id, personas)}'
            f'<span class="rt-who">{inert(persona_name(verdict.persona_id, personas))}</span>'
            f'<span class="rt-verdict-label">{inert(verdict_label(verdict.verdict))}</span>{objection}</li>'
        )
    return (
        '<section class="rt-summary-verdicts" aria-labelledby="summary-verdicts">'
        '<h3 id="summary-verdicts">Verdicts</h3>'
        f'<div class="rt-panel-verdict rt-v-{inert(panel.verdict or "")}"><p><strong>Panel: '
        f"{inert(panel.label)}</strong></p><p>{inert(panel.explanation())}</p></div>"
        f'<ul class="rt-verdict-list">{"".join(rows)}</ul></section>'
    )


def fixes_html(fixes: list[Fix], numbers: dict[int, int], personas: dict[str, Persona]) -> str:
    if not fixes:
        body = '<p class="rt-ok">No pattern to fix stood out across your answers.</p>'
    else:
        items = []
        for fix in fixes:
            quotes = "".join(
                f"<li>{_quoted(e.quote)}{_length(e)}{answer_link(e.turn, numbers[e.turn.index], personas)}</li>"
                for e in fix.answers[: fix.shown]
            )
            more = len(fix.answers) - fix.shown
            also = (
                f'<p class="rt-muted rt-small">…and {more} more answer{"s" if more != 1 else ""}.</p>'
                if more
                else ""
            )
            items.append(
                f'<li class="rt-fix" data-fix="{inert(fix.id)}"><strong class="rt-fix-title">{inert(fix.title)}</strong>'
                f'<p>{inert(fix.advice)}</p><ul class="rt-fix-answers">{quotes}</ul>{also}</li>'
            )
        body = f'<ol class="rt-fixes">{"".join(items)}</ol>'
    return (
        '<section class="rt-summary-fixes" aria-labelledby="summary-fixes">'
        f'<h3 id="summary-fixes">Three things to fix</h3>{body}</section>'
    )


def _quoted(quote: str) -> str:
    return f'<q class="rt-quote">{inert(quote)}</q> ' if quote else ""


def _length(evidence: Evidence) -> str:
    return f'<span class="rt-muted">({evidence.words} words)</span> ' if evidence.words else ""


def conflicts_html(session: Session, personas: dict[str, Persona]) -> str:
    if session.round_one.is_empty():
        body = (
            '<p class="rt-muted">No round-one record was given, so there was nothing to compare against.</p>'
        )
    else:
        found = [(pid, f) for pid, f in loop_findings(session) if f.kind in CONFLICT_KINDS]
        if not found:
            body = '<p class="rt-ok">Nothing you said today conflicts with your round-one record.</p>'
        else:
            body = (
                '<ul class="rt-conflicts">'
                + "".join(_conflict(session, pid, f, personas) for pid, f in found)
                + "</ul>"
            )
    return (
        '<section class="rt-summary-conflicts" aria-labelledby="summary-conflicts">'
        f'<h3 id="summary-conflicts">Round-one conflicts</h3>{body}</section>'
    )


def _conflict(session: Session, persona_id: str, finding: Finding, personas: dict[str, Persona]) -> str:
    turn = next(
        (
            t
            for t in session.turns
            if t.kind == "answer" and t.persona_id == persona_id and finding.round_two_quote in t.text
        ),
        None,
    )
    link = f" See {answer_link(turn, answer_numbers(session)[turn.index], personas)}." if turn else ""
    kind = "Contradiction" if finding.kind == "contradiction" else "A bigger claim than in round one"
    return (
        f'<li class="rt-k-{inert(finding.kind)}"><strong>{kind}</strong> '
        f"({inert(finding.category.replace('_', ' '))}, with {inert(persona_name(persona_id, personas))}): "
        f"round one <q>{inert(finding.round_one_quote)}</q>; today <q>{inert(finding.round_two_quote)}</q>.{link}"
        f'<p class="rt-muted">{inert(finding.explanation)}</p></li>'
    )
