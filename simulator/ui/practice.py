"""The practice loops on the page: answer the last question again (Interview tab), drill a question
or a competency (Feedback tab), and answer again or drill from a saved session (Replay tab).

Each class builds its controls where its tab calls it (`_layout`) and wires them in `wire()`; the
work is in practice_actions.py, the HTML in practice_render.py and render.py.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from simulator.ui import practice_actions as practice
from simulator.ui import render
from simulator.ui.actions import ActionError, Step
from simulator.ui.page import Page, PagePart
from simulator.view_revision import revision

REDONE_LINE = "Answered again: both attempts are kept, and your scores use the new one."


class RedoControls(PagePart):
    """Interview tab: "Answer the last question again", with the question shown above the new answer."""

    def _layout(self) -> None:
        c = self.c
        c["open"] = gr.Button("Answer the last question again", size="sm", elem_id="redo-open")
        with gr.Column(visible=False, elem_id="redo-panel") as panel:
            c["question"] = gr.HTML(elem_id="redo-question")
            c["answer"] = gr.Textbox(
                label="Your new answer (the first one is kept beside it)",
                lines=3,
                max_lines=14,
                elem_id="redo-answer",
            )
            with gr.Row():
                c["send"] = gr.Button("Send the new answer", variant="primary", elem_id="redo-send")
                c["cancel"] = gr.Button("Cancel", elem_id="redo-cancel")
        c["panel"] = panel
        self.target = gr.State(None)  # the turn index of the answer the panel offers to redo

    def on_open(self, session_id: str) -> tuple[Any, ...]:
        """The panel with the question, or a notice why there is nothing to answer again."""
        try:
            target = practice.redo_target(self.page.ctx, session_id)
        except ActionError as exc:
            return gr.Column(visible=False), "", None, render.notice(str(exc))
        question = f'<p class="rt-muted rt-small">Answer again:</p><p class="rt-q">{render.inert(target.question)}</p>'
        return gr.Column(visible=True), question, target.turn_index, ""

    def on_send(
        self, session_id: str, target: int | None, text: str, coaching: bool, drawn: int | None
    ) -> tuple[Any, ...]:
        """chat, notice, panel, new answer box, target, revision drawn."""
        skip = gr.skip()
        try:
            step: Step = practice.redo_live(self.page.ctx, session_id, target, text or "", drawn)
        except ActionError as exc:
            return skip, render.notice(str(exc)), skip, skip, skip, skip  # what was typed stays
        chat = render.chat_history(step.session, step.personas, coaching)
        notice = render.notice(REDONE_LINE, "info")
        return chat, notice, gr.Column(visible=False), "", None, revision(step.session)

    def wire(self) -> None:
        page, c, interview = self.page, self.c, self.page.interview
        c["open"].click(
            self.on_open,
            page.session_id,
            [c["panel"], c["question"], self.target, interview.c["notice"]],
            api_visibility="private",
        )
        c["send"].click(
            self.on_send,
            [page.session_id, self.target, c["answer"], interview.c["coaching"], interview.drawn],
            [
                interview.c["chat"],
                interview.c["notice"],
                c["panel"],
                c["answer"],
                self.target,
                interview.drawn,
            ],
            api_name="redo_answer",
        )
        c["cancel"].click(
            lambda: (gr.Column(visible=False), None),
            None,
            [c["panel"], self.target],
            api_visibility="private",
        )


def _to_interview(page: Page, step: Step, coaching: bool, notice: str = "") -> tuple[Any, ...]:
    """A drill just started: the Interview tab shows it, as Resume does."""
    return (*page.interview.step_values(step, coaching), page.select("interview"), notice)


def _not_started(page: Page, message: str) -> tuple[Any, ...]:
    return (*page.interview.skip_step(), gr.skip(), render.notice(message))


class DrillControls(PagePart):
    """Feedback tab: drill what went worst, a competency, one of the session's questions, or again."""

    def _layout(self) -> None:
        c = self.c
        with gr.Accordion("Practise: drill a question or a competency", open=True, elem_id="drill-fold"):
            c["suggestion"] = gr.HTML(elem_id="drill-suggestion")
            with gr.Row():
                c["weakest"] = gr.Button(
                    "Drill what went worst", variant="primary", interactive=False, elem_id="drill-weakest"
                )
                c["again"] = gr.Button("Run this drill again", visible=False, elem_id="drill-again")
            with gr.Row(equal_height=True):
                c["competency"] = gr.Dropdown(
                    choices=[], label="Or a competency", elem_id="drill-competency", scale=3
                )
                c["competency_start"] = gr.Button(
                    "Drill this competency", elem_id="drill-competency-start", scale=1
                )
            with gr.Row(equal_height=True):
                c["question"] = gr.Dropdown(
                    choices=[], label="Or one question from this session", elem_id="drill-question", scale=3
                )
                c["question_start"] = gr.Button(
                    "Drill this question", elem_id="drill-question-start", scale=1
                )
            c["notice"] = gr.HTML(elem_id="drill-notice")

    def on_shown(self, feedback_id: str) -> tuple[Any, ...]:
        """The section for the session the Feedback tab now shows."""
        skip = gr.skip()
        if not feedback_id:
            return skip, skip, skip, skip, skip, ""
        try:
            choices = practice.drill_choices(self.page.ctx, feedback_id)
        except ActionError as exc:
            return skip, skip, skip, skip, skip, render.notice(str(exc))
        weakest = choices.weakest
        rubric = self.page.ctx.kit("offline").rubrics.checklist.debrief
        if choices.is_drill:
            line = f"This was a drill of {render.inert(choices.drill_of)}: run it again to see if the grades move."
        elif weakest is not None:
            line = (
                f"What went worst: <strong>{render.inert(rubric.dimension_label(weakest.competency))}</strong>. "
                "A drill asks only questions on it, with one interviewer, graded the same way."
            )
        else:
            line = "Nothing was scored yet to say what went worst: pick a competency or a question to drill."
        redone = practice.answers_given_again(self.page.ctx, feedback_id)
        if redone:
            line = f"{render.inert(redone)} {line}"
        return (
            f'<p class="rt-drill-line">{line}</p>',
            gr.Button(interactive=weakest is not None and not choices.is_drill),
            gr.Button(visible=choices.is_drill),
            gr.Dropdown(choices=choices.competencies, value=weakest.competency if weakest else None),
            gr.Dropdown(choices=choices.questions, value=None),
            "",
        )

    def _start(self, coaching: bool, **how: Any) -> tuple[Any, ...]:
        try:
            step = practice.start_drill(self.page.ctx, **how)
        except ActionError as exc:
            return _not_started(self.page, str(exc))
        return _to_interview(self.page, step, coaching)

    def on_weakest(self, feedback_id: str, coaching: bool) -> tuple[Any, ...]:
        return self._start(coaching, session_id=feedback_id)

    def on_again(self, feedback_id: str, coaching: bool) -> tuple[Any, ...]:
        return self._start(coaching, session_id=feedback_id, again=True)

    def on_competency(self, feedback_id: str, competency: str | None, coaching: bool) -> tuple[Any, ...]:
        if not competency:
            return _not_started(self.page, "Pick a competency to drill.")
        return self._start(coaching, session_id=feedback_id, competency=competency)

    def on_question(self, feedback_id: str, turn: str | None, coaching: bool) -> tuple[Any, ...]:
        if not turn:
            return _not_started(self.page, "Pick a question to drill.")
        return self._start(coaching, session_id=feedback_id, turn_index=int(turn))

    def wire(self) -> None:
        page, c = self.page, self.c
        coaching = page.interview.c["coaching"]
        started = [*page.interview.outputs(), page.tabs, c["notice"]]
        page.feedback_id.change(
            self.on_shown,
            page.feedback_id,
            [c["suggestion"], c["weakest"], c["again"], c["competency"], c["question"], c["notice"]],
            api_visibility="private",
        )
        for button, handler, inputs, name in (
            (c["weakest"], self.on_weakest, [page.feedback_id, coaching], "drill_weakest"),
            (c["again"], self.on_again, [page.feedback_id, coaching], "drill_again"),
            (
                c["competency_start"],
                self.on_competency,
                [page.feedback_id, c["competency"], coaching],
                "drill",
            ),
            (
                c["question_start"],
                self.on_question,
                [page.feedback_id, c["question"], coaching],
                "drill_question",
            ),
        ):
            event = button.click(handler, inputs, started, api_name=name)
            page.interview.remember_session(event)
            page.voice.speak_after(event, page.session_id)


class ReplayPractice(PagePart):
    """Replay tab: the answer on screen given again (the report is rebuilt), or its question drilled."""

    def _layout(self) -> None:
        c = self.c
        with gr.Accordion("Practise this turn", open=False, elem_id="replay-practice-fold"):
            c["answer"] = gr.Textbox(
                label="Answer it again (on one of your answers; the first attempt is kept beside it)",
                lines=3,
                max_lines=14,
                elem_id="replay-redo-answer",
            )
            with gr.Row():
                c["send"] = gr.Button("Send the new answer", elem_id="replay-redo-send")
                c["drill"] = gr.Button("Drill this question", elem_id="replay-drill")
            c["notice"] = gr.HTML(elem_id="replay-practice-notice")

    def on_redo(self, replay_id: str, position: int, text: str) -> tuple[Any, ...]:
        """The turn redrawn with both attempts, a notice, the box emptied (kept on a refusal)."""
        try:
            session = practice.redo_replayed(self.page.ctx, replay_id, int(position or 0), text or "")
        except ActionError as exc:
            return gr.skip(), render.notice(str(exc)), gr.skip()
        shown = self.page.replay._draw(session, int(position or 0))  # as Replay draws a turn
        return shown, render.notice(REDONE_LINE, "info"), ""

    def on_drill(self, replay_id: str, position: int, coaching: bool) -> tuple[Any, ...]:
        page = self.page
        if not replay_id:
            return _not_started(page, "Open a session first.")
        try:
            session = practice.load(page.ctx, replay_id)
            turn = session.turns[int(position or 0)]
            step = practice.start_drill(page.ctx, replay_id, turn_index=turn.index)
        except (ActionError, IndexError) as exc:
            return _not_started(
                page, str(exc) if isinstance(exc, ActionError) else "Step to a question first."
            )
        return _to_interview(page, step, coaching)

    def wire(self) -> None:
        page, c, replay = self.page, self.c, self.page.replay
        c["send"].click(
            self.on_redo,
            [replay.c["replay_id"], replay.c["replay_pos"], c["answer"]],
            [replay.c["replay"], c["notice"], c["answer"]],
            api_name="redo_replayed_answer",
        )
        event = c["drill"].click(
            self.on_drill,
            [replay.c["replay_id"], replay.c["replay_pos"], page.interview.c["coaching"]],
            [*page.interview.outputs(), page.tabs, c["notice"]],
            api_name="drill_replayed_question",
        )
        page.interview.remember_session(event)
        page.voice.speak_after(event, page.session_id)


class SetupDrill(PagePart):
    """Setup tab: a drill for the job in the form, before (or instead of) a whole round."""

    def _layout(self) -> None:
        c = self.c
        with gr.Accordion("Or practise one thing: a drill", open=False, elem_id="setup-drill-fold"):
            gr.Markdown(
                "One interviewer asks only questions on one competency, or only the question you type "
                "(asked by the first interviewer ticked above), and grades you as in a round."
            )
            with gr.Row(equal_height=True):
                c["competency"] = gr.Dropdown(
                    choices=practice.competency_choices(self.page.ctx),
                    value=None,
                    label="A competency",
                    elem_id="setup-drill-competency",
                    scale=2,
                )
                c["question"] = gr.Textbox(label="Or one question", elem_id="setup-drill-question", scale=3)
            c["start"] = gr.Button("Start the drill", elem_id="setup-drill-start")
            c["notice"] = gr.HTML(elem_id="setup-drill-notice")

    def on_start(
        self, coaching: bool, competency: str | None, question: str, *values: Any
    ) -> tuple[Any, ...]:
        page = self.page
        try:
            form = page.setup.read_form(*values)
            step = practice.start_drill_from_form(page.ctx, form, competency, question or "")
        except ActionError as exc:
            return _not_started(page, str(exc))
        return _to_interview(page, step, coaching)

    def wire(self) -> None:
        page, c = self.page, self.c
        event = c["start"].click(
            self.on_start,
            [page.interview.c["coaching"], c["competency"], c["question"], *page.setup.form_inputs()],
            [*page.interview.outputs(), page.tabs, c["notice"]],
            api_name="start_drill",
        )
        page.interview.remember_session(event)
        page.voice.speak_after(event, page.session_id)
