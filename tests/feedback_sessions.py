"""Finished sessions saved in a store as the page finds them, for the Feedback tab's tests:
graded the way the grader stores grades, closed with the real report (verdicts, checklist,
thank-you drafts) by `build_report`."""

from __future__ import annotations

from session_factory import personas, shipped_rubrics, strong_session, weak_session

from simulator.models import Session
from simulator.report import build_report
from simulator.store import Store

STRONG_ID, EARLY_ID, WEAK_ID = "feedback00001", "feedback00002", "feedback00003"


def save_finished(store: Store, session: Session, session_id: str, created_at: str, status: str) -> Session:
    session = session.model_copy(update={"id": session_id, "created_at": created_at, "status": status})
    closed = build_report(session, personas(), shipped_rubrics())
    store.create(closed, {})
    store.close_session(closed)
    return closed


def ended_after_one(session: Session) -> Session:
    """The loop stopped during its first interviewer: only their turns, every slot still planned."""
    first = session.plan.slots[0].persona_id
    return session.model_copy(update={"turns": [t for t in session.turns if t.persona_id == first]})


def three_sessions(store: Store) -> dict[str, Session]:
    """A strong round, then one that ended after one interviewer, then a weak round (newest)."""
    return {
        STRONG_ID: save_finished(store, strong_session(), STRONG_ID, "2025-05-06T09:00:00+00:00", "complete"),
        EARLY_ID: save_finished(
            store, ended_after_one(strong_session()), EARLY_ID, "2025-05-07T09:00:00+00:00", "ended_early"
        ),
        WEAK_ID: save_finished(store, weak_session(), WEAK_ID, "2025-05-08T09:00:00+00:00", "complete"),
    }
