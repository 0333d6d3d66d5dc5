"""What the Replay tab writes besides the turn itself: the list's note, the imported-copy label,
the delete prompt and the interviewers to jump to. All text escaped (`render.inert`)."""

from __future__ import annotations

from datetime import datetime

from simulator.models import Persona, Session
from simulator.store import SessionSummary
from simulator.ui.render import inert, persona_name, verdict_label


def list_note(query: str, count: int) -> str:
    """Under the list: why it is empty (a search that matched nothing, or nothing saved yet)."""
    if count:
        return ""
    query = " ".join(query.split())
    if query:
        text = f"No sessions match '{query}'. Clear the search to see them all."
    else:
        text = "No saved sessions yet: every interview is saved here as it happens."
    return f'<p class="rt-muted" role="status">{inert(text)}</p>'


def imported_label(summary: SessionSummary) -> str:
    """Above a replayed turn: this session is a copy imported from a file, not a round run here."""
    if not summary.imported_from:
        return ""
    when = f" on {_when(summary.imported_at)}" if summary.imported_at else ""
    text = (
        f"Imported copy: read from {summary.imported_from}{when}. Its turns and grades are as that "
        "file held them."
    )
    return f'<p class="rt-notice rt-notice-info rt-imported">{inert(text)}</p>'


def delete_question(summary: SessionSummary, personas: dict[str, Persona]) -> str:
    """The delete prompt, naming the session well enough to tell it from the others in the list."""
    copy = "the imported copy of " if summary.imported_from else ""
    answers = f"{summary.answers} answer{'s' if summary.answers != 1 else ''}"
    panel = ", ".join(persona_name(p, personas) for p in summary.panel) or "no interviewers"
    verdict = verdict_label(summary.verdict)
    facts = [_when(summary.created_at), answers, f"with {panel}", summary.status.replace("_", " ")]
    if summary.verdict:
        facts.append(verdict)
    question = (
        f"Delete {copy}“{summary.job_title} at {summary.company}” ({'; '.join(facts)}; id {summary.id})? "
        "This cannot be undone."
    )
    return f"<strong>{inert(question)}</strong>"


def interviewer_jumps(session: Session, personas: dict[str, Persona]) -> list[tuple[str, str]]:
    """Each interviewer reached, in order, with the turn their part starts at: the jump picker's entries."""
    firsts: dict[str, int] = {}
    for position, turn in enumerate(session.turns):
        firsts.setdefault(turn.persona_id, position)
    return [
        (f"{persona_name(pid, personas)} (from turn {position + 1})", pid) for pid, position in firsts.items()
    ]


def first_turn_of(session: Session, persona_id: str) -> int | None:
    """Where an interviewer's part of the session starts (the first turn in their slot), if reached."""
    return next((k for k, turn in enumerate(session.turns) if turn.persona_id == persona_id), None)


def _when(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
