"""Which state of a session a page is showing, so an action sent from an out-of-date view is refused.

Two browser tabs can show one session (a reload in a new tab, a resume from Replay). Every step of
an interview adds turns and nothing else removes them, so the number of turns is the session's
revision: a tab sends the revision it drew with each action, and a different one means another
tab has moved the session on. The action is refused with one line (the page keeps what was typed)
instead of answering a question this tab never saw.
"""

from __future__ import annotations

from simulator.models import Session

STALE_LINE = "This session moved on in another tab — reload to continue."


class StaleView(ValueError):
    """The page acted on a session that has moved on since it was drawn."""

    def __init__(self) -> None:
        super().__init__(STALE_LINE)


def revision(session: Session) -> int:
    return len(session.turns)


def check_current(session: Session, shown: int | None) -> None:
    """Raise StaleView when the page drew an older revision; `None`: a caller that drew nothing
    (the API, a script), which has no view to be out of date."""
    if shown is not None and shown != revision(session):
        raise StaleView()


def as_shown(session: Session, shown: int | None) -> Session:
    """The session as the page drew it: a redraw (coaching switched on, say) must not show turns the
    tab has not seen while its revision stays the old one."""
    if shown is None or shown >= revision(session):
        return session
    return session.model_copy(update={"turns": session.turns[:shown]})
