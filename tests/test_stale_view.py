"""A page acting on a session that another tab has moved on is refused, with one line."""

from __future__ import annotations

import pytest

from simulator.models import Session
from simulator.view_revision import STALE_LINE, StaleView, as_shown, check_current, revision


def test_the_revision_a_page_drew_passes_and_an_older_one_is_refused(sample_session: Session) -> None:
    shown = revision(sample_session)
    check_current(sample_session, shown)
    check_current(sample_session, None)  # the API and scripts draw nothing: nothing to be stale
    with pytest.raises(StaleView) as refused:
        check_current(sample_session, shown - 2)
    assert str(refused.value) == STALE_LINE


def test_a_redraw_of_an_old_view_shows_only_what_it_had_seen(sample_session: Session) -> None:
    seen = as_shown(sample_session, 3)
    assert [t.index for t in seen.turns] == [t.index for t in sample_session.turns[:3]]
    assert as_shown(sample_session, None) is sample_session
    assert as_shown(sample_session, revision(sample_session)) is sample_session
