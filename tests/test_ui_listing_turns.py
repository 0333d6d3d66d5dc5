"""The Replay list's writers take turns on the server. The page runs up to eight events at once
(app.py); begun together, the page's first list could finish after a search and wipe what the
search found (a CI run's failure: the note "No sessions match" never showed)."""

from __future__ import annotations

from pathlib import Path

from simulator.store import Store
from simulator.ui import build_app
from simulator.ui.actions import PageContext
from simulator.ui.replay_tab import LISTING


def test_the_first_list_a_search_and_refresh_run_one_at_a_time(tmp_path: Path) -> None:
    with Store(tmp_path / "sessions.db") as store:
        demo = build_app(PageContext(store=store))
        demo.queue(default_concurrency_limit=8)  # as app.py starts it
        listing = [fn for fn in demo.fns.values() if fn.concurrency_id == LISTING]
        events = sorted(event for fn in listing for _, event in fn.targets)
        assert events == ["click", "load", "submit"]  # Refresh, the page's first list, a search
        assert {fn.concurrency_limit for fn in listing} == {1}
