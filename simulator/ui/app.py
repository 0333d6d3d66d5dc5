"""The page: the four tabs assembled. Each tab's module holds its layout, handlers and events."""

from __future__ import annotations

from typing import Any

import gradio as gr

from simulator.ui.actions import PageContext
from simulator.ui.errors import guard_handlers
from simulator.ui.feedback_style import FEEDBACK_CSS, FEEDBACK_HEAD
from simulator.ui.feedback_tab import FeedbackTab
from simulator.ui.interview_tab import InterviewTab
from simulator.ui.page import Page
from simulator.ui.replay_tab import ReplayTab
from simulator.ui.setup_tab import SetupTab
from simulator.ui.style import ANNOUNCEMENTS, CSS, HEAD
from simulator.voice.ui_parts import VoiceControls

TITLE = "Round Two: rehearse your second-round interview"


def launch_options() -> dict[str, Any]:
    """What `launch()` needs besides host and port (Gradio 6 takes the CSS and head there)."""
    return {
        "css": CSS + FEEDBACK_CSS,
        "head": HEAD + FEEDBACK_HEAD,
        "theme": gr.themes.Soft(),
        "footer_links": ["api", "settings"],
        "i18n": gr.I18n(**ANNOUNCEMENTS),
    }


def build_app(ctx: PageContext) -> gr.Blocks:
    with gr.Blocks(title="Round Two", analytics_enabled=False) as demo:
        page = Page(
            ctx,
            demo,
            VoiceControls(ctx),
            session_id=gr.State(""),
            finished=gr.State(False),
            feedback_id=gr.State(""),
        )
        gr.Markdown(f"## {TITLE}")
        with gr.Tabs(elem_id="tabs") as page.tabs:
            with gr.Tab("Setup", id="setup", elem_id="setup-tab"):
                page.setup = SetupTab(page)
            with gr.Tab("Interview", id="interview", elem_id="interview-tab"):
                page.interview = InterviewTab(page)
            with gr.Tab("Feedback", id="feedback", elem_id="feedback-tab"):
                page.feedback = FeedbackTab(page)
            with gr.Tab("Replay", id="replay", elem_id="replay-tab"):
                page.replay = ReplayTab(page)
        for tab in (page.setup, page.interview, page.feedback, page.replay):
            tab.wire()
    guard_handlers(demo)  # any error a handler lets through: one plain escaped toast line
    return demo
