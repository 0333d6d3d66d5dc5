"""The Feedback tab: verdicts, scorecards, charts, the debrief, the checklist, every answer graded,
thank-you drafts and the check of a note the user wrote, and the downloads."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from simulator.models import Session
from simulator.panel_verdict import session_verdict
from simulator.ui import actions, render
from simulator.ui.actions import ActionError
from simulator.ui.page import Page
from simulator.voice.render import delivery_html


class FeedbackTab:
    def __init__(self, page: Page):
        self.page = page
        self.c: dict[str, Any] = {}
        self._layout()

    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        c = self.c
        with gr.Column(elem_id="feedback"):
            c["heading"] = gr.HTML(
                '<p class="rt-muted">Finish an interview, or open a saved one from Replay, to see its '
                "feedback.</p>",
                elem_id="feedback-heading",
            )
            gr.Markdown("### Scorecards")
            c["scorecards"] = gr.HTML(elem_id="scorecards")
            with gr.Row():
                with gr.Column():
                    gr.Markdown("### STAR components per interviewer")
                    c["star_chart"] = gr.HTML(elem_id="star-chart")
                with gr.Column():
                    gr.Markdown("### Your scores across sessions")
                    c["history"] = gr.LinePlot(
                        x="when",
                        y="score",
                        color="who",
                        y_lim=[1, 5],
                        show_label=False,
                        elem_id="history-chart",
                        x_title="session",
                        y_title="score (1-5)",
                    )
            gr.Markdown("### Debrief")
            c["debrief"] = gr.HTML(elem_id="debrief")
            gr.Markdown("### Consistency with round one")
            c["consistency"] = gr.HTML(elem_id="consistency")
            gr.Markdown("### Second-round checklist")
            c["checklist"] = gr.HTML(elem_id="checklist")
            gr.Markdown("### Delivery (spoken answers)")
            c["delivery"] = gr.HTML(elem_id="delivery")
            gr.Markdown("### Every answer, graded")
            c["answers"] = gr.HTML(elem_id="answers")
            gr.Markdown("### Thank-you notes")
            c["thank_you_to"] = gr.Dropdown(choices=[], label="To", elem_id="thank-you-to")
            with gr.Row(equal_height=False):
                with gr.Column():
                    c["thank_you"] = gr.Textbox(
                        label="Draft (send within 24 hours)",
                        lines=8,
                        buttons=["copy"],
                        interactive=True,
                        elem_id="thank-you",
                    )
                with gr.Column():
                    c["thank_you_note"] = gr.Textbox(
                        label="Check a note you wrote: paste it here",
                        lines=8,
                        max_lines=20,
                        elem_id="thank-you-note",
                    )
                    with gr.Row(equal_height=True):
                        c["thank_you_hours"] = gr.Number(
                            None,
                            label="Hours after the interview you sent it (optional)",
                            minimum=0,
                            elem_id="thank-you-hours",
                            scale=2,
                        )
                        c["thank_you_check"] = gr.Button("Check my note", elem_id="thank-you-check", scale=1)
                    c["thank_you_result"] = gr.HTML(elem_id="thank-you-result")
            with gr.Row():
                c["download_md"] = gr.DownloadButton(
                    "Download the report (Markdown)", interactive=False, elem_id="download-md"
                )
                c["download_json"] = gr.DownloadButton(
                    "Download the session (JSON)", interactive=False, elem_id="download-json"
                )

    # ------------------------------------------------------------ what other tabs use

    def outputs(self) -> list[Any]:
        """What showing a session updates, in `values`' order (Replay's Feedback button uses it)."""
        c = self.c
        return [
            c["heading"],
            c["scorecards"],
            c["star_chart"],
            c["history"],
            c["debrief"],
            c["consistency"],
            c["checklist"],
            c["answers"],
            c["thank_you_to"],
            c["thank_you"],
            c["thank_you_result"],
            c["download_md"],
            c["download_json"],
            c["delivery"],
        ]

    def values(self, session: Session) -> tuple[Any, ...]:
        """The whole tab drawn for `session`."""
        ctx, personas = self.page.ctx, self.page.personas
        md, js = actions.export_files(ctx, session.id)
        # Everyone on the panel: a note can be checked even for an interviewer the loop never reached.
        panel = [(render.persona_name(s.persona_id, personas), s.persona_id) for s in session.plan.slots]
        first = session.thank_you[0] if session.thank_you else None
        history = actions.score_history(ctx)
        return (
            render.session_heading(session, session_verdict(session))
            + render.usage_html(session)
            + render.notice(history.skipped_line(), "info"),
            render.scorecards_html(session, personas),
            render.star_chart_html(session, personas),
            history_frame(history),
            render.debrief_html(session, personas),
            render.consistency_html(session, personas),
            render.checklist_html(session),
            render.answers_html(session, personas),
            gr.Dropdown(choices=panel, value=first.persona_id if first else (panel[0][1] if panel else None)),
            first.text if first else "",
            "",  # a check of another session's note would mislead
            gr.DownloadButton(value=str(md), interactive=True),
            gr.DownloadButton(value=str(js), interactive=True),
            delivery_html(session, personas),
        )

    def skip_values(self) -> tuple[Any, ...]:
        """`outputs()` left as they are."""
        return (gr.skip(),) * len(self.outputs())

    def show_when_finished(self, event: Any) -> None:
        """After an interview action: when it closed the loop, fill this tab and show it."""
        page = self.page
        event.then(
            self.on_round_end,
            [page.session_id, page.finished],
            [*self.outputs(), page.feedback_id, page.tabs],
            api_visibility="private",
        )

    # ------------------------------------------------------------ handlers

    def on_round_end(self, session_id: str, finished: bool) -> tuple[Any, ...]:
        if not finished or not session_id:
            return (*self.skip_values(), gr.skip(), gr.skip())
        session = actions.load(self.page.ctx, session_id)
        return (*self.values(session), session.id, self.page.select("feedback"))

    def on_pick_thank_you(self, feedback_id: str, persona_id: str | None) -> tuple[str, str]:
        """That interviewer's draft; the last check was of a note to someone else, so it goes."""
        if not feedback_id or not persona_id:
            return "", ""
        try:
            session = actions.load(self.page.ctx, feedback_id)
        except ActionError:
            return "", ""
        return next((d.text for d in session.thank_you if d.persona_id == persona_id), ""), ""

    def on_check_note(
        self, feedback_id: str, persona_id: str | None, note: str, hours: float | None
    ) -> tuple[Any, ...]:
        """The check of the pasted note, and the checklist, which now counts it."""
        try:
            result = actions.check_note(self.page.ctx, feedback_id, persona_id, note or "", hours)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip()
        check = render.thank_you_check_html(result.check, self.page.personas)
        return check, render.checklist_html(result.session)

    # ------------------------------------------------------------ events

    def wire(self) -> None:
        page, c = self.page, self.c
        c["thank_you_to"].change(
            self.on_pick_thank_you,
            [page.feedback_id, c["thank_you_to"]],
            [c["thank_you"], c["thank_you_result"]],
            api_visibility="private",
        )
        c["thank_you_check"].click(
            self.on_check_note,
            [page.feedback_id, c["thank_you_to"], c["thank_you_note"], c["thank_you_hours"]],
            [c["thank_you_result"], c["checklist"]],
            api_name="check_thank_you_note",
        )


def history_frame(history: actions.ScoreHistory) -> pd.DataFrame:
    """The scores-across-sessions chart's data."""
    frame = pd.DataFrame(history.rows, columns=["when", "who", "score"])
    frame["when"] = pd.to_datetime(frame["when"], utc=True, errors="coerce")
    return frame
