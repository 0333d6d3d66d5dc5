"""What the tabs share: the page's context, the per-user ids, and each tab's components.

Each tab module builds its own layout and wires its own events. A link to another tab (Start shows
the Interview tab, a round's end fills Feedback) goes through this object: `page.interview.c["chat"]`,
`page.feedback.outputs()`, `page.select("feedback")`, never through the other tab's layout code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import gradio as gr

from simulator.models import Persona
from simulator.ui import actions, render
from simulator.ui.actions import PageContext
from simulator.voice.ui_parts import VoiceControls

if TYPE_CHECKING:
    from simulator.ui.feedback_tab import FeedbackTab
    from simulator.ui.interview_tab import InterviewTab
    from simulator.ui.replay_tab import ReplayTab
    from simulator.ui.setup_tab import SetupTab


@dataclass
class Page:
    ctx: PageContext
    demo: gr.Blocks
    voice: VoiceControls  # the microphone, interviewers' voices and the recordings setting
    # Per-user state is only ids; everything else is read back from the store, so a reload loses nothing.
    session_id: gr.State  # the interview running in this browser tab
    finished: gr.State  # the last interview action closed the loop
    feedback_id: gr.State  # the session shown on the Feedback tab
    tabs: gr.Tabs = field(init=False)
    setup: SetupTab = field(init=False)
    interview: InterviewTab = field(init=False)
    feedback: FeedbackTab = field(init=False)
    replay: ReplayTab = field(init=False)

    @property
    def personas(self) -> dict[str, Persona]:
        return self.ctx.personas

    def select(self, tab: str) -> gr.Tabs:
        """The update that shows another tab ("setup", "interview", "feedback", "replay")."""
        return gr.Tabs(selected=tab)

    def session_rows(self, query: str = "") -> list[list[str]]:
        """The saved sessions as the Replay list shows them (filtered by `query`)."""
        return render.sessions_rows(actions.list_sessions(self.ctx, query), self.personas)

    def after_round(self, event: Any) -> None:
        """After an interview action: what other tabs do when it has closed the loop."""
        self.feedback.show_when_finished(event)
        self.setup.refresh_after_round(event)
        self.replay.refresh_after_round(event)


class PagePart:
    """A tab or a section of one: its components in `c`, laid out (inside the open Blocks context)
    as it is built; `wire()` connects its events once every part exists."""

    def __init__(self, page: Page):
        self.page = page
        self.c: dict[str, Any] = {}
        self._layout()

    def _layout(self) -> None:
        raise NotImplementedError
