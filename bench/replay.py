"""Opening a long saved session in Replay. Target: under 0.5 s for a 100-turn session.

A realistic 100-turn session is built through the real API into a real store (bench.long_session),
then the page's own handlers are called as the server calls them (found by their API names on the
built page, so the figure follows whatever the Replay tab's buttons do): Open (load the session
from SQLite and draw it), Next turn, and the session list. The browser's side of opening it (the
round trip and drawing) is in bench.page.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.long_session import copy_long_session
from simulator.store import Store

RUNS = 20
TARGET_SECONDS = 0.5


def page_handler(demo: Any, api_name: str) -> Callable[..., Any]:
    """The function the page's server calls for the event named `api_name` (error guard included)."""
    for block_fn in demo.fns.values():
        if block_fn.api_name == api_name:
            return block_fn.fn
    raise LookupError(f"the page has no event named {api_name!r}")


def _timed(fn: Callable[[], Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    from simulator.ui import build_app
    from simulator.ui.actions import PageContext

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        session_id = copy_long_session(Path(tmp) / "replay.db")
        built = time.perf_counter() - t0
        with Store(Path(tmp) / "replay.db") as store:
            session = store.load(session_id)
            demo = build_app(PageContext(store=store))
            open_session = page_handler(demo, "open_session")
            step = page_handler(demo, "replay_next")
            listing = page_handler(demo, "sessions")
            open_session(session_id)  # warm: first imports, the personas' avatars
            opens = _timed(lambda: open_session(session_id), RUNS)
            steps = _timed(lambda: step(session_id, len(session.turns) // 2), RUNS)
            lists = _timed(lambda: listing(""), RUNS)
            loads = _timed(lambda: store.load(session_id), RUNS)
    answers = sum(t.kind == "answer" for t in session.turns)
    median, worst = statistics.median(opens), max(opens)
    print(
        f"a {len(session.turns)}-turn session ({answers} answers, graded by the real offline grader) "
        f"built through the API (or copied) in {built:.1f} s"
    )
    print(
        f"Replay open (the page's handler: load from SQLite and draw), over {RUNS} opens: median "
        f"{median * 1000:.1f} ms, worst {worst * 1000:.1f} ms; median is {median / TARGET_SECONDS:.2f}x "
        f"of the {TARGET_SECONDS} s target"
    )
    print(f"  of which loading from SQLite: median {statistics.median(loads) * 1000:.1f} ms")
    print(f"Replay next turn (same session): median {statistics.median(steps) * 1000:.1f} ms")
    print(f"Replay session list (one session saved): median {statistics.median(lists) * 1000:.1f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
