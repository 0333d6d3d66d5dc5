"""The Feedback tab: verdicts, scorecards, charts, the debrief, the checklist, every answer graded,
thank-you drafts and the check of a note the user wrote, and the downloads."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pandas as pd

from simulator.models import Session
from simulator.panel_verdict import session_verdict
from simulator.ui import actions, feedback_render, render
from simulator.ui.actions import ActionError
from simulator.ui.page import PagePart
from simulator.ui.practice import DrillControls
from simulator.ui.tab_follow import show_if_still_on, tab_signal
from simulator.voice.render import delivery_html

# The "Show scoring details" box: a class on the page's body, which style.py's rules read.
SHOW_DETAILS_JS = "(on) => { document.body.classList.toggle('rt-show-details', !!on); }"


class FeedbackTab(PagePart):
    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        c = self.c
        c["show"] = tab_signal()  # "feedback" when a round's end has just filled this tab
        with gr.Column(elem_id="feedback"):
            c["heading"] = gr.HTML(
                '<p class="rt-muted">Finish an interview, or open a saved one from Replay, to see its '
                "feedback.</p>",
                elem_id="feedback-heading",
            )
            # Summary first: the verdicts, the three things to fix, the round-one conflicts.
            c["summary"] = gr.HTML(elem_id="feedback-summary")
            self.practice = DrillControls(self.page)  # drill what went worst (ui/practice.py)
            c["details"] = gr.Checkbox(
                False,
                label="Show scoring details (rubric versions, weights, thresholds)",
                elem_id="show-details",
            )
            # Everything else is folded below, in the order a person reads on.
            with gr.Accordion("Every answer, graded", open=False, elem_id="answers-fold") as answers_fold:
                c["answers"] = gr.HTML(elem_id="answers")
            c["answers_fold"] = answers_fold
            with gr.Accordion("Why each interviewer decided", open=False, elem_id="debrief-fold"):
                c["debrief"] = gr.HTML(elem_id="debrief")
            with gr.Accordion("Round one, finding by finding", open=False, elem_id="consistency-fold"):
                c["consistency"] = gr.HTML(elem_id="consistency")
            with gr.Accordion("Second-round checklist", open=False, elem_id="checklist-fold"):
                c["checklist"] = gr.HTML(elem_id="checklist")
            with gr.Accordion("Scorecards and STAR chart", open=False, elem_id="scorecards-fold"):
                c["scorecards"] = gr.HTML(elem_id="scorecards")
                gr.Markdown("#### STAR components per interviewer")
                c["star_chart"] = gr.HTML(elem_id="star-chart")
            with gr.Accordion(
                "Your scores across sessions", open=False, visible=False, elem_id="history-fold"
            ) as history_fold:
                c["history"] = gr.LinePlot(
                    x="session",
                    y="score",
                    color="who",
                    y_lim=[1, 5],
                    show_label=False,
                    elem_id="history-chart",
                    x_title="session (1 = your first)",
                    y_title="score (1-5)",
                )
                c["history_note"] = gr.HTML(elem_id="history-note")
            c["history_fold"] = history_fold
            with gr.Accordion("Delivery (spoken answers)", open=False, elem_id="delivery-fold"):
                c["delivery"] = gr.HTML(elem_id="delivery")
            with gr.Accordion("Thank-you notes", open=False, elem_id="thank-you-fold"):
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
                            c["thank_you_check"] = gr.Button(
                                "Check my note", elem_id="thank-you-check", scale=1
                            )
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
            c["summary"],
            c["answers_fold"],
            c["answers"],
            c["debrief"],
            c["consistency"],
            c["checklist"],
            c["scorecards"],
            c["star_chart"],
            c["history_fold"],
            c["history"],
            c["history_note"],
            c["delivery"],
            c["thank_you_to"],
            c["thank_you"],
            c["thank_you_result"],
            c["download_md"],
            c["download_json"],
        ]

    def values(self, session: Session) -> tuple[Any, ...]:
        """The whole tab drawn for `session`."""
        ctx, personas = self.page.ctx, self.page.personas
        md, js = actions.export_files(ctx, session.id)
        # Everyone on the panel: a note can be checked even for an interviewer the loop never reached.
        panel = [(render.persona_name(s.persona_id, personas), s.persona_id) for s in session.plan.slots]
        first = session.thank_you[0] if session.thank_you else None
        history = actions.score_history(ctx)
        answered = sum(1 for t in session.turns if t.kind == "answer")
        return (
            render.session_heading(session, session_verdict(session))
            + render.usage_html(session)
            + render.notice(history.skipped_line(), "info"),  # a session that no longer loads: named
            feedback_render.summary_html(session, personas),
            gr.Accordion(label=f"Every answer, graded ({answered})"),
            render.answers_html(session, personas),
            render.debrief_html(session, personas),
            render.consistency_html(session, personas),
            render.checklist_html(session),
            render.scorecards_html(session, personas),
            render.star_chart_html(session, personas),
            gr.Accordion(visible=bool(history.rows)),  # an empty chart says nothing: not shown at all
            gr.LinePlot(value=history_frame(history), sort=history.sessions),
            render.notice(history.early_end_line(), "info"),
            delivery_html(session, personas),
            gr.Dropdown(choices=panel, value=first.persona_id if first else (panel[0][1] if panel else None)),
            first.text if first else "",
            "",  # a check of another session's note would mislead
            gr.DownloadButton(value=str(md), interactive=True),
            gr.DownloadButton(value=str(js), interactive=True),
        )

    def skip_values(self) -> tuple[Any, ...]:
        """`outputs()` left as they are."""
        return (gr.skip(),) * len(self.outputs())

    def show_when_finished(self, event: Any) -> None:
        """After an interview action: when it closed the loop, fill this tab, then show it to a
        visitor still on the Interview tab (under load the feedback can land seconds later)."""
        page = self.page
        filled = event.then(
            self.on_round_end,
            [page.session_id, page.finished],
            [*self.outputs(), page.feedback_id, self.c["show"]],
            api_visibility="private",
        )
        show_if_still_on(filled, self.c["show"], "interview")

    # ------------------------------------------------------------ handlers

    def on_round_end(self, session_id: str, finished: bool) -> tuple[Any, ...]:
        if not finished or not session_id:
            return (*self.skip_values(), gr.skip(), "")
        session = actions.load(self.page.ctx, session_id)
        return (*self.values(session), session.id, "feedback")

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
        # Shown or hidden in the browser alone: the details are in the page already.
        c["details"].change(None, c["details"], None, js=SHOW_DETAILS_JS)
        self.practice.wire()


def history_frame(history: actions.ScoreHistory) -> pd.DataFrame:
    """The scores-across-sessions chart's data: x is the session's number, as text, so the axis
    shows sessions 1, 2, 3 in order (never a fraction, never a date)."""
    frame = pd.DataFrame(history.rows, columns=["session", "who", "score"])
    frame["session"] = frame["session"].astype(str)
    return frame
