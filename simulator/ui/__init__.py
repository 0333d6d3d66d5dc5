"""The Gradio page: one module per tab, with the shared parts beside them.

    app.py            build_app and launch_options: assembles the tabs, nothing else
    page.py           `Page`: what the tabs share (context, per-user ids, each tab's components)
    setup_tab.py      the Setup tab: layout, handlers, events
    interview_tab.py  the Interview tab: layout, handlers, events
    feedback_tab.py   the Feedback tab: layout, handlers, events
    replay_tab.py     the Replay tab: layout, handlers, events
    actions.py        what the buttons do, as plain functions (no Gradio)
    render.py         HTML for every tab, all text escaped
    errors.py, style.py, uploads.py

`build_app` is imported on first use, so `simulator.ui.actions` and `simulator.ui.render` load
without Gradio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.ui.app import build_app, launch_options

__all__ = ["build_app", "launch_options"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from simulator.ui import app

        return getattr(app, name)
    raise AttributeError(f"module 'simulator.ui' has no attribute {name!r}")
