"""The Interview tab: the chat, the answer box, Send / Move on / End (after a confirm), and coaching mode.

The tab keeps the revision of the session it drew (simulator/view_revision.py) and sends it with
every action, so a second tab on the same session is told it is out of date instead of answering a
question it never saw; what was typed stays in the box.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from simulator.ui import actions, render
from simulator.ui.actions import ActionError, Partial, Step
from simulator.ui.page import PagePart
from simulator.ui.practice import RedoControls
from simulator.ui.tab_follow import show_if_still_on, tab_signal
from simulator.view_revision import as_shown, revision
from simulator.voice.page import delivery_of

# Put the running session in the address bar, so a reload carries on where it was.
END_LOOP_QUESTION = (
    "<strong>End the whole loop now?</strong> The interviewers you have not met yet are skipped; "
    "everything you said is kept and graded."
)
REMEMBER_SESSION_JS = """(id) => {
  if (!id) return;
  const url = new URL(window.location.href);
  url.searchParams.set("session", id);
  window.history.replaceState(null, "", url);
}"""


class InterviewTab(PagePart):
    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        c, voice = self.c, self.page.voice
        c["status"] = gr.HTML(render.status_idle(), elem_id="status")
        c["chat"] = gr.Chatbot(
            label="Interview",
            elem_id="chat",
            height=520,
            render_markdown=False,  # messages are HTML built by render.py, with all text escaped
            sanitize_html=True,
            latex_delimiters=[],
            feedback_options=None,
            group_consecutive_messages=False,
            buttons=[],
            show_label=False,
        )
        c["answer"] = gr.Textbox(
            label="Your answer (Enter sends, Shift+Enter for a new line)",
            placeholder="Your answer…",
            lines=3,
            max_lines=14,
            elem_id="answer",
        )
        voice.build_mic()
        with gr.Row():
            c["send"] = gr.Button("Send", variant="primary", elem_id="send")
            c["move_on"] = gr.Button("Move on", elem_id="move-on")
            c["end_interviewer"] = gr.Button("End this interviewer early", elem_id="end-interviewer")
            c["end_loop"] = gr.Button("End the loop…", variant="stop", elem_id="end-loop")
        with gr.Row(visible=False, elem_id="end-loop-confirm") as confirm:
            gr.HTML(END_LOOP_QUESTION, elem_id="end-loop-question")
            c["confirm_end_loop"] = gr.Button("Yes, end the loop", variant="stop", elem_id="confirm-end-loop")
            c["cancel_end_loop"] = gr.Button("Keep going", elem_id="cancel-end-loop")
        c["end_loop_confirm"] = confirm
        self.practice = RedoControls(self.page)  # answer the last question again (ui/practice.py)
        c["notice"] = gr.HTML(elem_id="notice")
        c["coaching"] = gr.Checkbox(
            False, label="Coaching mode: show each answer's feedback as you go", elem_id="coaching"
        )
        voice.build_player()
        # gr.State lives on the server; the script that puts the id in the address bar reads this copy.
        c["session_mirror"] = gr.Textbox(visible="hidden", elem_id="session-id")
        c["show"] = tab_signal()  # the tab a reload of a session carries on in
        self.drawn = gr.State(None)  # the revision of the session this tab last drew

    # ------------------------------------------------------------ what other tabs use

    def outputs(self) -> list[Any]:
        """What an interview step updates, in `step_values`' order (Setup's Start and Replay's Resume use it)."""
        c, page = self.c, self.page
        return [
            c["chat"],
            c["status"],
            c["notice"],
            c["answer"],
            c["send"],
            c["move_on"],
            page.session_id,
            page.finished,
            c["session_mirror"],
            self.drawn,
        ]

    def step_values(self, step: Step, coaching: bool) -> tuple[Any, ...]:
        """chat, status, notice, answer, send, move on, session id, finished, the id's mirror, revision."""
        waiting = step.awaiting
        over = waiting.kind == "nothing"
        asking = waiting.kind == "candidate_question"
        status = render.status_line(
            waiting.persona,
            waiting.slot_number,
            waiting.slot_count,
            waiting.slot_minute,
            waiting.slot_minutes,
            waiting.kind,
        )
        placeholder = "Ask your question…" if asking else "Your answer…"
        answer = gr.Textbox(value="", placeholder=placeholder, interactive=not over)
        send = gr.Button("Ask" if asking else "Send", interactive=not over)
        move_on = gr.Button("No more questions" if asking else "Move on", interactive=not over)
        chat = render.chat_history(step.session, step.personas, coaching)
        drawn = revision(step.session)
        return chat, status, "", answer, send, move_on, step.session.id, over, step.session.id, drawn

    def skip_step(self) -> tuple[Any, ...]:
        """`outputs()` left as they are."""
        return (gr.skip(),) * len(self.outputs())

    def remember_session(self, event: Any) -> None:
        """After `event` opened a session: its id in the address bar, so a reload carries on."""
        event.then(None, [self.c["session_mirror"]], None, js=REMEMBER_SESSION_JS)

    # ------------------------------------------------------------ handlers

    def _error_values(self, message: str) -> tuple[Any, ...]:
        skip = gr.skip()
        return skip, skip, render.notice(message), skip, skip, skip, skip, False, skip, skip

    def interview_action(self, name: str) -> Callable[[str, bool, int | None], Iterator[tuple[Any, ...]]]:
        def handler(session_id: str, coaching: bool, drawn: int | None = None) -> Iterator[tuple[Any, ...]]:
            yield from self.stream_values(
                lambda: actions.stream_action(self.page.ctx, session_id, name, drawn=drawn), coaching
            )

        return handler

    def stream_values(
        self, updates: Callable[[], Iterator[Partial | Step]], coaching: bool
    ) -> Iterator[tuple[Any, ...]]:
        """Draw each update: partial ones redraw only the chat; the last one everything (Start uses it too)."""
        skip = gr.skip()
        try:
            for update in updates():
                if isinstance(update, Step):
                    yield self.step_values(update, coaching)
                else:
                    chat = render.streaming_chat(
                        update.session, update.personas, update.pending, update.speaker, update.text, coaching
                    )
                    yield chat, skip, "", skip, skip, skip, skip, False, skip, skip
        except ActionError as exc:
            yield self._error_values(str(exc))

    def on_coaching(self, session_id: str, coaching: bool, drawn: int | None = None) -> Any:
        if not session_id:
            return gr.skip()
        try:
            step = actions.current(self.page.ctx, session_id)
        except ActionError:
            return gr.skip()
        # The view as drawn: a tab another one has moved on keeps showing what it had seen.
        return render.chat_history(as_shown(step.session, drawn), step.personas, coaching)

    def on_send(
        self, session_id: str, text: str, coaching: bool, delivery: Any = None, drawn: int | None = None
    ) -> Iterator[tuple[Any, ...]]:
        spoken = delivery_of(delivery)  # the recording's delivery, when the answer was spoken
        yield from self.stream_values(
            lambda: actions.send_streaming(
                self.page.ctx, session_id, text or "", delivery=spoken, drawn=drawn
            ),
            coaching,
        )

    def on_load(self, coaching: bool, request: gr.Request) -> tuple[Any, ...]:
        """After a reload: carry on with the session in the address bar (its tab is shown only to a
        visitor still on Setup, where the page opens: one who went elsewhere meanwhile stays)."""
        wanted = (request.query_params.get("session") if request else None) or ""
        if not wanted:
            return (*self.skip_step(), "")
        try:
            step = actions.current(self.page.ctx, wanted)
        except ActionError:
            return (*self.skip_step(), "")
        selected = "feedback" if step.awaiting.kind == "nothing" else "interview"
        return (*self.step_values(step, coaching), selected)

    # ------------------------------------------------------------ events

    def wire(self) -> None:
        page, c = self.page, self.c
        coaching = c["coaching"]
        sent = c["send"].click(
            self.on_send,
            [page.session_id, c["answer"], coaching, page.voice.c["pending"], self.drawn],
            self.outputs(),
            api_name="answer",
            show_progress="minimal",
            show_progress_on=c["chat"],
        )
        page.after_round(sent)
        page.voice.pending_after_send(sent, c["answer"])
        page.voice.speak_after(sent, page.session_id)
        # "End the loop" asks first: the action is on the confirm button (and the /end_loop endpoint).
        confirm = c["end_loop_confirm"]
        c["end_loop"].click(lambda: gr.Row(visible=True), None, confirm, api_visibility="private")
        c["cancel_end_loop"].click(lambda: gr.Row(visible=False), None, confirm, api_visibility="private")
        c["confirm_end_loop"].click(lambda: gr.Row(visible=False), None, confirm, api_visibility="private")
        for key, button in (
            ("move_on", "move_on"),
            ("end_interviewer", "end_interviewer"),
            ("end_loop", "confirm_end_loop"),
        ):
            event = c[button].click(
                self.interview_action(key),
                [page.session_id, coaching, self.drawn],
                self.outputs(),
                api_name=key,
                show_progress="minimal",
                show_progress_on=c["chat"],
            )
            page.after_round(event)
            page.voice.speak_after(event, page.session_id)
        coaching.change(
            self.on_coaching, [page.session_id, coaching, self.drawn], c["chat"], api_visibility="private"
        )
        page.voice.connect(page.session_id, c["answer"])
        loaded = page.demo.load(
            self.on_load, [coaching], [*self.outputs(), c["show"]], api_visibility="private"
        )
        show_if_still_on(loaded, c["show"], "setup")
        page.after_round(loaded)  # a reload of a finished session shows its feedback
        self.practice.wire()
