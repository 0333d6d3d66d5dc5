"""The Gradio page: Setup, Interview, Feedback and Replay tabs over the same API as the CLI.

Thin by design: every handler calls one function in `ui_actions` and draws the result with
`ui_render`. Per-user state is only ids in `gr.State` (the running session, the one shown on
Feedback, the one replayed and the step); everything else is read back from the store, so a
reload or a restart loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr
import pandas as pd

from simulator import ui_actions as actions
from simulator import ui_render as render
from simulator.engines import ENGINES
from simulator.models import Persona, Session
from simulator.panel_verdict import session_verdict
from simulator.ui_actions import ActionError, PageContext, Partial, SetupForm, SlotChoice, Step
from simulator.ui_errors import guard_handlers
from simulator.ui_style import CSS, HEAD
from simulator.voice.page import delivery_of
from simulator.voice.render import delivery_html
from simulator.voice.ui_parts import VoiceControls

TITLE = "Round Two: rehearse your second-round interview"
STEP_OUTPUTS = 9  # what an interview action updates: see _Wiring._step_outputs
SESSION_COLUMNS = ["id", "date", "job", "panel", "status", "verdict"]
# Put the running session in the address bar, so a reload carries on where it was.
REMEMBER_SESSION_JS = """(id) => {
  if (!id) return;
  const url = new URL(window.location.href);
  url.searchParams.set("session", id);
  window.history.replaceState(null, "", url);
}"""


def launch_options() -> dict[str, Any]:
    """What `launch()` needs besides host and port (Gradio 6 takes the CSS and head there)."""
    return {"css": CSS, "head": HEAD, "theme": gr.themes.Soft(), "footer_links": ["api", "settings"]}


@dataclass
class PanelRow:
    persona_id: str
    included: gr.Checkbox
    order: gr.Number
    minutes: gr.Number


def build_app(ctx: PageContext) -> gr.Blocks:
    personas = ctx.personas
    form = actions.example_form(personas)
    form.engine = ctx.default_engine
    form.model, form.base_url = actions.default_engine_fields()
    engine_line = actions.engine_summary(ctx, form)
    with gr.Blocks(title="Round Two", analytics_enabled=False) as demo:
        session_id = gr.State("")  # the interview running in this browser tab
        finished = gr.State(False)  # the last action closed the loop
        feedback_id = gr.State("")  # the session shown on the Feedback tab
        replay_id = gr.State("")
        replay_pos = gr.State(0)
        pending_delete = gr.State("")

        gr.Markdown(f"## {TITLE}")
        voice = VoiceControls(ctx)  # the microphone, interviewers' voices and the recordings setting
        with gr.Tabs(elem_id="tabs") as tabs:
            with gr.Tab("Setup", id="setup", elem_id="setup-tab"):
                setup = _setup_tab(form, personas, engine_line, voice)
            with gr.Tab("Interview", id="interview", elem_id="interview-tab"):
                interview = _interview_tab(voice)
            with gr.Tab("Feedback", id="feedback", elem_id="feedback-tab"):
                feedback = _feedback_tab()
            with gr.Tab("Replay", id="replay", elem_id="replay-tab"):
                replay = _replay_tab()

        wiring = _Wiring(ctx, personas, tabs, setup, interview, feedback, replay, voice)
        wiring.connect(session_id, finished, feedback_id, replay_id, replay_pos, pending_delete, demo)
    guard_handlers(demo)  # any error a handler lets through: one plain escaped toast line
    return demo


# ---------------------------------------------------------------- layout


def _setup_tab(
    form: SetupForm, personas: dict[str, Persona], engine_line: str, voice: VoiceControls
) -> dict[str, Any]:
    c: dict[str, Any] = {}
    gr.Markdown("Describe the job and what you said in round one, choose your panel, and press **Start**.")
    with gr.Row():
        c["title"] = gr.Textbox(form.title, label="Job title", elem_id="job-title")
        c["company"] = gr.Textbox(form.company, label="Company", elem_id="job-company")
        c["level"] = gr.Textbox(form.level, label="Level", elem_id="job-level")
    c["description"] = gr.Textbox(
        form.description, label="Job description", lines=5, max_lines=14, elem_id="job-description"
    )
    c["research"] = gr.Textbox(
        form.research_notes,
        label="Your research notes on the company",
        lines=2,
        max_lines=8,
        elem_id="research-notes",
    )
    with gr.Accordion("Round one: what you said last time", open=True):
        c["round_one"] = gr.Textbox(
            form.round_one_text,
            label="Paste Q:/A: pairs or notes",
            lines=5,
            max_lines=14,
            elem_id="round-one",
        )
        with gr.Row():
            c["round_one_file"] = gr.File(
                label="…or upload a record (.txt, .md, .json, .yaml)",
                file_types=[".txt", ".md", ".json", ".yaml", ".yml"],
                elem_id="round-one-file",
                height=110,
            )
            c["round_one_session"] = gr.Dropdown(
                choices=[],
                value=None,
                label="…or use an earlier session's answers",
                elem_id="round-one-session",
            )
        c["round_one_summary"] = gr.Markdown(elem_id="round-one-summary")
    c["story_bank"] = gr.Textbox(
        form.story_bank,
        label="Story bank (optional): your prepared stories, one per paragraph",
        lines=3,
        max_lines=12,
        elem_id="story-bank",
    )
    gr.Markdown("### The panel\nTick who interviews you, then set the order and each one's minutes (3-120).")
    rows = []
    for choice in form.slots:
        persona = personas[choice.persona_id]
        with gr.Row(equal_height=True, elem_classes="rt-panel-row"):
            included = gr.Checkbox(
                choice.included,
                label=f"{persona.name}, {persona.title}",
                elem_id=f"panel-{persona.id}",
                scale=4,
            )
            order = _small_number(choice.order, "Order", f"order-{persona.id}", minimum=1)
            minutes = _small_number(
                choice.minutes, "Minutes", f"minutes-{persona.id}", minimum=3, maximum=120
            )
        rows.append(PanelRow(persona.id, included, order, minutes))
    c["rows"] = rows
    with gr.Row():
        c["pressure"] = gr.Radio(
            ["gentle", "realistic", "tough"], value=form.pressure, label="Pressure", elem_id="pressure"
        )
        c["engine"] = gr.Dropdown(list(ENGINES), value=form.engine, label="Engine", elem_id="engine")
        c["seed"] = gr.Textbox("", label="Seed (blank: a new interview each time)", elem_id="seed")
    # The server's key (OPENAI_API_KEY) goes only to the server's own endpoint; another base URL
    # gets the key typed here, which is never stored.
    with gr.Row(visible=form.engine != "offline", elem_id="engine-settings") as engine_row:
        c["model"] = gr.Textbox(form.model, label="Model", elem_id="engine-model")
        c["base_url"] = gr.Textbox(
            form.base_url,
            label="Base URL (blank: this server's endpoint)",
            placeholder="http://127.0.0.1:11434/v1",
            elem_id="engine-base-url",
        )
        c["api_key"] = gr.Textbox(
            "",
            label="Your API key for that URL (never stored; the server's key is not sent to other URLs)",
            type="password",
            elem_id="engine-api-key",
        )
    c["engine_row"] = engine_row
    c["engine_summary"] = gr.HTML(render.engine_line(engine_line), elem_id="engine-summary")
    voice.build_settings()
    c["start"] = gr.Button("Start the interview", variant="primary", elem_id="start")
    c["notice"] = gr.HTML(elem_id="setup-notice")
    return c


def _small_number(
    value: float | None, label: str, elem_id: str, minimum: int, maximum: int | None = None
) -> gr.Number:
    """A whole-number field beside a panel row's checkbox."""
    return gr.Number(
        value,
        label=label,
        precision=0,
        minimum=minimum,
        maximum=maximum,
        elem_id=elem_id,
        scale=1,
        min_width=90,
    )


def _interview_tab(voice: VoiceControls) -> dict[str, Any]:
    c: dict[str, Any] = {}
    c["status"] = gr.HTML(
        render.status_idle(),
        elem_id="status",
    )
    c["chat"] = gr.Chatbot(
        label="Interview",
        elem_id="chat",
        height=520,
        render_markdown=False,  # messages are HTML built by ui_render, with all text escaped
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
        c["end_loop"] = gr.Button("End the loop", variant="stop", elem_id="end-loop")
    c["notice"] = gr.HTML(elem_id="notice")
    c["coaching"] = gr.Checkbox(
        False, label="Coaching mode: show each answer's feedback as you go", elem_id="coaching"
    )
    voice.build_player()
    # gr.State lives on the server; the script that puts the id in the address bar reads this copy.
    c["session_mirror"] = gr.Textbox(visible="hidden", elem_id="session-id")
    return c


def _feedback_tab() -> dict[str, Any]:
    c: dict[str, Any] = {}
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
    return c


def _replay_tab() -> dict[str, Any]:
    c: dict[str, Any] = {}
    with gr.Row():
        c["search"] = gr.Textbox(
            label="Search", placeholder="job, company or anything said", scale=4, elem_id="search"
        )
        c["refresh"] = gr.Button("Refresh", scale=1, elem_id="refresh")
    c["sessions"] = gr.Dataframe(
        headers=SESSION_COLUMNS,
        datatype="str",
        interactive=False,
        wrap=True,
        elem_id="sessions",
        column_widths=["11%", "13%", "27%", "31%", "9%", "9%"],
        label="Saved sessions (click a row to pick it)",
    )
    with gr.Row():
        c["pick"] = gr.Dropdown(choices=[], label="Session", scale=3, elem_id="replay-pick")
        c["open"] = gr.Button("Open", elem_id="open", scale=1)
        c["resume"] = gr.Button("Resume", elem_id="resume", scale=1)
        c["show_feedback"] = gr.Button("Feedback", elem_id="show-feedback", scale=1)
        c["regrade"] = gr.Button("Re-grade", elem_id="regrade", scale=1)
        c["delete"] = gr.Button("Delete…", variant="stop", elem_id="delete", scale=1)
    with gr.Row(visible=False) as confirm_row:
        c["confirm_text"] = gr.HTML(elem_id="confirm-text")
        c["confirm_delete"] = gr.Button("Yes, delete it", variant="stop", elem_id="confirm-delete")
        c["cancel_delete"] = gr.Button("Keep it", elem_id="cancel-delete")
    c["confirm_row"] = confirm_row
    c["notice"] = gr.HTML(elem_id="replay-notice")
    c["replay"] = gr.HTML(elem_id="replay")
    with gr.Row():
        c["prev"] = gr.Button("◀ Previous turn", elem_id="replay-prev")
        c["next"] = gr.Button("Next turn ▶", elem_id="replay-next")
    c["diff"] = gr.HTML(elem_id="regrade-diff")
    with gr.Accordion("Import a session (JSON)", open=False):
        c["import_file"] = gr.File(
            label="Session JSON", file_types=[".json"], elem_id="import-file", height=110
        )
    return c


# ---------------------------------------------------------------- behaviour


class _Wiring:
    """Connects events to handlers. Handlers are small: one action, then drawing."""

    def __init__(
        self,
        ctx: PageContext,
        personas: dict[str, Persona],
        tabs: gr.Tabs,
        setup: dict[str, Any],
        interview: dict[str, Any],
        feedback: dict[str, Any],
        replay: dict[str, Any],
        voice: VoiceControls,
    ):
        self.ctx, self.personas, self.tabs, self.voice = ctx, personas, tabs, voice
        self.s, self.i, self.f, self.r = setup, interview, feedback, replay

    # ------------------------------------------------------------ drawing helpers

    def _step_outputs(self, step: Step, coaching: bool, clear: bool = True) -> tuple[Any, ...]:
        """chat, status, notice, answer, send, move on, session id, finished, the id's mirror."""
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
        answer = gr.Textbox(value="" if clear else gr.skip(), placeholder=placeholder, interactive=not over)
        send = gr.Button("Ask" if asking else "Send", interactive=not over)
        move_on = gr.Button("No more questions" if asking else "Move on", interactive=not over)
        chat = render.chat_history(step.session, step.personas, coaching)
        return chat, status, "", answer, send, move_on, step.session.id, over, step.session.id

    def _error_outputs(self, message: str) -> tuple[Any, ...]:
        skip = gr.skip()
        return skip, skip, render.notice(message), skip, skip, skip, skip, False, skip

    def _interview_outputs(self, session_id: gr.State, finished: gr.State) -> list[Any]:
        i = self.i
        return [
            i["chat"],
            i["status"],
            i["notice"],
            i["answer"],
            i["send"],
            i["move_on"],
            session_id,
            finished,
            i["session_mirror"],
        ]

    def _feedback_outputs(self) -> list[Any]:
        f = self.f
        return [
            f["heading"],
            f["scorecards"],
            f["star_chart"],
            f["history"],
            f["debrief"],
            f["consistency"],
            f["checklist"],
            f["answers"],
            f["thank_you_to"],
            f["thank_you"],
            f["thank_you_result"],
            f["download_md"],
            f["download_json"],
            f["delivery"],
        ]

    def feedback_values(self, session: Session) -> tuple[Any, ...]:
        personas = self.personas
        md, js = actions.export_files(self.ctx, session.id)
        # Everyone on the panel: a note can be checked even for an interviewer the loop never reached.
        panel = [(render.persona_name(s.persona_id, personas), s.persona_id) for s in session.plan.slots]
        first = session.thank_you[0] if session.thank_you else None
        history = actions.score_history(self.ctx)
        return (
            render.session_heading(session, session_verdict(session))
            + render.usage_html(session)
            + render.notice(history.skipped_line(), "info"),
            render.scorecards_html(session, personas),
            render.star_chart_html(session, personas),
            self.history_frame(history),
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

    def history_frame(self, history: actions.ScoreHistory | None = None) -> pd.DataFrame:
        rows = (history or actions.score_history(self.ctx)).rows
        frame = pd.DataFrame(rows, columns=["when", "who", "score"])
        frame["when"] = pd.to_datetime(frame["when"], utc=True, errors="coerce")
        return frame

    def session_rows(self, query: str = "") -> list[list[str]]:
        return render.sessions_rows(actions.list_sessions(self.ctx, query), self.personas)

    # ------------------------------------------------------------ handlers

    def read_form(self, *values: Any) -> SetupForm:
        s = self.s
        (
            title,
            company,
            level,
            description,
            research,
            round_one,
            upload,
            earlier,
            stories,
            pressure,
            engine,
            model,
            base_url,
            api_key,
            seed,
            *panel,
        ) = values
        slots = [
            SlotChoice(row.persona_id, bool(panel[3 * k]), panel[3 * k + 1], panel[3 * k + 2])
            for k, row in enumerate(s["rows"])
        ]
        return SetupForm(
            title=title or "",
            company=company or "",
            level=level or "",
            description=description or "",
            research_notes=research or "",
            round_one_text=round_one or "",
            round_one_file=_upload_path(upload),
            round_one_file_name=_upload_name(upload),
            round_one_session=earlier or None,
            story_bank=stories or "",
            slots=slots,
            pressure=pressure,
            engine=engine,
            model=model or "",
            base_url=base_url or "",
            api_key=api_key or "",
            seed=seed,
        )

    def form_inputs(self) -> list[Any]:
        s = self.s
        inputs = [
            s["title"],
            s["company"],
            s["level"],
            s["description"],
            s["research"],
            s["round_one"],
            s["round_one_file"],
            s["round_one_session"],
            s["story_bank"],
            s["pressure"],
            s["engine"],
            s["model"],
            s["base_url"],
            s["api_key"],
            s["seed"],
        ]
        for row in s["rows"]:
            inputs += [row.included, row.order, row.minutes]
        return inputs

    def on_start(self, coaching: bool, *values: Any) -> tuple[Any, ...]:
        try:
            step = actions.start_session(self.ctx, self.read_form(*values))
        except ActionError as exc:
            return (*[gr.skip()] * STEP_OUTPUTS, render.notice(str(exc)), gr.skip())
        return (*self._step_outputs(step, coaching), "", gr.Tabs(selected="interview"))

    def on_round_one_change(self, round_one: str, upload: Any, earlier: str | None) -> str:
        form = SetupForm(
            round_one_text=round_one or "",
            round_one_file=_upload_path(upload),
            round_one_file_name=_upload_name(upload),
            round_one_session=earlier or None,
        )
        return actions.round_one_summary(form, self.ctx.store)

    def on_engine_change(self, *values: Any) -> tuple[Any, ...]:
        form = self.read_form(*values)
        line = actions.engine_summary(self.ctx, form)
        return gr.Row(visible=form.engine != "offline"), render.engine_line(line)

    def interview_action(self, name: str) -> Callable[[str, bool], Iterator[tuple[Any, ...]]]:
        def handler(session_id: str, coaching: bool) -> Iterator[tuple[Any, ...]]:
            yield from self._stream(lambda: actions.stream_action(self.ctx, session_id, name), coaching)

        return handler

    def _stream(
        self, updates: Callable[[], Iterator[Partial | Step]], coaching: bool
    ) -> Iterator[tuple[Any, ...]]:
        """Draw each update: partial ones redraw only the chat; the last one everything."""
        skip = gr.skip()
        try:
            for update in updates():
                if isinstance(update, Step):
                    yield self._step_outputs(update, coaching)
                else:
                    chat = render.streaming_chat(
                        update.session, update.personas, update.pending, update.speaker, update.text, coaching
                    )
                    yield chat, skip, "", skip, skip, skip, skip, False, skip
        except ActionError as exc:
            yield self._error_outputs(str(exc))

    def on_coaching(self, session_id: str, coaching: bool) -> Any:
        if not session_id:
            return gr.skip()
        try:
            step = actions.current(self.ctx, session_id)
        except ActionError:
            return gr.skip()
        return render.chat_history(step.session, step.personas, coaching)

    def on_send(
        self, session_id: str, text: str, coaching: bool, delivery: Any = None
    ) -> Iterator[tuple[Any, ...]]:
        spoken = delivery_of(delivery)  # the recording's delivery, when the answer was spoken
        yield from self._stream(
            lambda: actions.send_streaming(self.ctx, session_id, text or "", delivery=spoken), coaching
        )

    def after_action(self, session_id: str, finished: bool) -> tuple[Any, ...]:
        """When the loop has just closed: fill the Feedback tab and show it."""
        if not finished or not session_id:
            return (*[gr.skip()] * len(self._feedback_outputs()), gr.skip(), gr.skip(), gr.skip())
        session = actions.load(self.ctx, session_id)
        return (
            *self.feedback_values(session),
            session.id,
            gr.Tabs(selected="feedback"),
            gr.Dropdown(choices=_session_choices(self.session_rows())),
        )

    def on_load(self, coaching: bool, request: gr.Request) -> tuple[Any, ...]:
        """A fresh page: list the sessions; after a reload, carry on with the session in the address."""
        wanted = (request.query_params.get("session") if request else None) or ""
        rows = self.session_rows()
        choices = _session_choices(rows)
        lists = (gr.Dropdown(choices=choices), gr.Dropdown(choices=choices), rows)
        if wanted:
            try:
                step = actions.current(self.ctx, wanted)
            except ActionError:
                return (*[gr.skip()] * STEP_OUTPUTS, *lists, gr.skip())
            selected = "feedback" if step.awaiting.kind == "nothing" else "interview"
            return (*self._step_outputs(step, coaching), *lists, gr.Tabs(selected=selected))
        return (*[gr.skip()] * STEP_OUTPUTS, *lists, gr.skip())

    def on_pick_thank_you(self, feedback_id: str, persona_id: str | None) -> tuple[str, str]:
        """That interviewer's draft; the last check was of a note to someone else, so it goes."""
        if not feedback_id or not persona_id:
            return "", ""
        try:
            session = actions.load(self.ctx, feedback_id)
        except ActionError:
            return "", ""
        return next((d.text for d in session.thank_you if d.persona_id == persona_id), ""), ""

    def on_check_note(
        self, feedback_id: str, persona_id: str | None, note: str, hours: float | None
    ) -> tuple[Any, ...]:
        """The check of the pasted note, and the checklist, which now counts it."""
        try:
            result = actions.check_note(self.ctx, feedback_id, persona_id, note or "", hours)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip()
        return render.thank_you_check_html(result.check, self.personas), render.checklist_html(result.session)

    # replay

    def on_search(self, query: str) -> tuple[Any, ...]:
        rows = self.session_rows(query or "")
        choices = _session_choices(rows)
        return rows, gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    def on_row_select(self, evt: gr.SelectData) -> Any:
        row = evt.row_value or []
        return row[0] if row else gr.skip()

    def on_open(self, picked: str | None) -> tuple[Any, ...]:
        if not picked:
            return render.notice("Pick a session first."), gr.skip(), gr.skip(), gr.skip(), ""
        try:
            session = actions.load(self.ctx, picked)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip(), gr.skip(), ""
        return "", render.replay_html(session, 0, self.personas), session.id, 0, ""

    def on_step(self, replay_id: str, position: int, delta: int) -> tuple[Any, ...]:
        if not replay_id:
            return render.notice("Open a session first."), gr.skip(), gr.skip()
        try:
            session = actions.load(self.ctx, replay_id)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip()
        position = max(0, min(position + delta, len(session.turns) - 1))
        return "", render.replay_html(session, position, self.personas), position

    def on_resume(self, picked: str | None, coaching: bool) -> tuple[Any, ...]:
        none = (*[gr.skip()] * STEP_OUTPUTS, gr.skip())
        if not picked:
            return (*none, render.notice("Pick a session to resume."))
        try:
            step = actions.current(self.ctx, picked)
        except ActionError as exc:
            return (*none, render.notice(str(exc)))
        if step.awaiting.kind == "nothing":
            return (*none, render.notice("That session is finished: open it, or see its feedback."))
        return (*self._step_outputs(step, coaching), gr.Tabs(selected="interview"), "")

    def on_show_feedback(self, picked: str | None) -> tuple[Any, ...]:
        none = (*[gr.skip()] * len(self._feedback_outputs()), gr.skip(), gr.skip())
        if not picked:
            return (*none, render.notice("Pick a session first."))
        try:
            session = actions.load(self.ctx, picked)
        except ActionError as exc:
            return (*none, render.notice(str(exc)))
        return (*self.feedback_values(session), session.id, gr.Tabs(selected="feedback"), "")

    def on_regrade(self, picked: str | None, replay_id: str, position: int) -> tuple[Any, ...]:
        if not picked:
            return render.notice("Pick a session to re-grade."), gr.skip(), gr.skip()
        try:
            changes = actions.regrade_session(self.ctx, picked)
            session = actions.load(self.ctx, picked)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip()
        replay = render.replay_html(session, position, self.personas) if replay_id == picked else gr.skip()
        return "", render.regrade_html(changes), replay

    def on_delete(self, picked: str | None) -> tuple[Any, ...]:
        if not picked:
            return render.notice("Pick a session to delete."), gr.Row(visible=False), "", ""
        try:  # the list line, not the session: one that no longer loads can still be deleted
            session = actions.session_summary(self.ctx, picked)
        except ActionError as exc:
            return render.notice(str(exc)), gr.Row(visible=False), "", ""
        question = (
            f"Delete the session of {render.inert(session.created_at[:10])} "
            f"({render.inert(session.job_title)} at {render.inert(session.company)})? "
            "This cannot be undone."
        )
        return "", gr.Row(visible=True), f"<strong>{question}</strong>", session.id

    def on_confirm_delete(self, pending: str, query: str, replay_id: str) -> tuple[Any, ...]:
        message = ""
        if pending:
            try:
                actions.delete_session(self.ctx, pending)
                message = render.notice(f"Deleted session {pending}.", "info")
            except ActionError as exc:
                message = render.notice(str(exc))
        rows, pick = self.on_search(query)
        cleared = pending and pending == replay_id
        return (
            message,
            gr.Row(visible=False),
            "",
            rows,
            pick,
            "" if cleared else gr.skip(),
            "" if cleared else gr.skip(),
        )

    def on_import(self, upload: Any, query: str) -> tuple[Any, ...]:
        path = _upload_path(upload)
        if not path:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        try:
            new_id = actions.import_session(self.ctx, path, _upload_name(upload))
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip(), None
        rows = self.session_rows(query or "")
        return (
            render.notice(f"Imported as session {new_id}.", "info"),
            rows,
            gr.Dropdown(choices=_session_choices(rows), value=new_id),
            None,
        )

    # ------------------------------------------------------------ events

    def connect(
        self,
        session_id: gr.State,
        finished: gr.State,
        feedback_id: gr.State,
        replay_id: gr.State,
        replay_pos: gr.State,
        pending_delete: gr.State,
        demo: gr.Blocks,
    ) -> None:
        s, i, f, r = self.s, self.i, self.f, self.r
        coaching = i["coaching"]
        interview_out = self._interview_outputs(session_id, finished)
        after_out = [*self._feedback_outputs(), feedback_id, self.tabs, s["round_one_session"]]

        started = s["start"].click(
            self.on_start,
            [coaching, *self.form_inputs()],
            [*interview_out, s["notice"], self.tabs],
            api_name="start",
            concurrency_limit=4,
        )
        started.then(None, [i["session_mirror"]], None, js=REMEMBER_SESSION_JS)
        self.voice.speak_after(started, session_id)
        engine_sources = [s["engine"], s["model"], s["base_url"], s["api_key"]]
        for row in s["rows"]:
            engine_sources += [row.included, row.minutes]
        for source in engine_sources:
            source.change(
                self.on_engine_change,
                self.form_inputs(),
                [s["engine_row"], s["engine_summary"]],
                show_progress="hidden",
                api_visibility="private",
            )
        for source in (s["round_one"], s["round_one_file"], s["round_one_session"]):
            source.change(
                self.on_round_one_change,
                [s["round_one"], s["round_one_file"], s["round_one_session"]],
                s["round_one_summary"],
                show_progress="hidden",
                api_visibility="private",
            )

        sent = i["send"].click(
            self.on_send,
            [session_id, i["answer"], coaching, self.voice.c["pending"]],
            interview_out,
            api_name="answer",
            show_progress="minimal",
            show_progress_on=i["chat"],
        )
        sent.then(self.after_action, [session_id, finished], after_out, api_visibility="private")
        self.voice.pending_after_send(sent, i["answer"])
        self.voice.speak_after(sent, session_id)
        for key, api in (
            ("move_on", "move_on"),
            ("end_interviewer", "end_interviewer"),
            ("end_loop", "end_loop"),
        ):
            event = i[key].click(
                self.interview_action(key),
                [session_id, coaching],
                interview_out,
                api_name=api,
                show_progress="minimal",
                show_progress_on=i["chat"],
            )
            event.then(self.after_action, [session_id, finished], after_out, api_visibility="private")
            self.voice.speak_after(event, session_id)

        coaching.change(self.on_coaching, [session_id, coaching], i["chat"], api_visibility="private")
        f["thank_you_to"].change(
            self.on_pick_thank_you,
            [feedback_id, f["thank_you_to"]],
            [f["thank_you"], f["thank_you_result"]],
            api_visibility="private",
        )
        f["thank_you_check"].click(
            self.on_check_note,
            [feedback_id, f["thank_you_to"], f["thank_you_note"], f["thank_you_hours"]],
            [f["thank_you_result"], f["checklist"]],
            api_name="check_thank_you_note",
        )

        r["search"].submit(self.on_search, r["search"], [r["sessions"], r["pick"]], api_name="sessions")
        r["refresh"].click(self.on_search, r["search"], [r["sessions"], r["pick"]], api_visibility="private")
        r["sessions"].select(self.on_row_select, None, r["pick"], api_visibility="private")
        r["open"].click(
            self.on_open,
            r["pick"],
            [r["notice"], r["replay"], replay_id, replay_pos, r["diff"]],
            api_name="open_session",
        )
        r["prev"].click(
            lambda sid, pos: self.on_step(sid, pos, -1),
            [replay_id, replay_pos],
            [r["notice"], r["replay"], replay_pos],
            api_visibility="private",
        )
        r["next"].click(
            lambda sid, pos: self.on_step(sid, pos, 1),
            [replay_id, replay_pos],
            [r["notice"], r["replay"], replay_pos],
            api_name="replay_next",
        )
        resumed = r["resume"].click(
            self.on_resume, [r["pick"], coaching], [*interview_out, self.tabs, r["notice"]], api_name="resume"
        )
        resumed.then(None, [i["session_mirror"]], None, js=REMEMBER_SESSION_JS)
        self.voice.speak_after(resumed, session_id)
        self.voice.connect(session_id, i["answer"])
        r["show_feedback"].click(
            self.on_show_feedback,
            r["pick"],
            [*self._feedback_outputs(), feedback_id, self.tabs, r["notice"]],
            api_name="feedback",
        )
        r["regrade"].click(
            self.on_regrade,
            [r["pick"], replay_id, replay_pos],
            [r["notice"], r["diff"], r["replay"]],
            api_name="regrade",
        )
        r["delete"].click(
            self.on_delete,
            r["pick"],
            [r["notice"], r["confirm_row"], r["confirm_text"], pending_delete],
            api_visibility="private",
        )
        r["confirm_delete"].click(
            self.on_confirm_delete,
            [pending_delete, r["search"], replay_id],
            [r["notice"], r["confirm_row"], pending_delete, r["sessions"], r["pick"], r["replay"], replay_id],
            api_name="delete_session",
        )
        r["cancel_delete"].click(
            lambda: ("", gr.Row(visible=False), ""),
            None,
            [r["notice"], r["confirm_row"], pending_delete],
            api_visibility="private",
        )
        r["import_file"].upload(
            self.on_import,
            [r["import_file"], r["search"]],
            [r["notice"], r["sessions"], r["pick"], r["import_file"]],
            api_name="import_session",
        )

        loaded = demo.load(
            self.on_load,
            [coaching],
            [*interview_out, s["round_one_session"], r["pick"], r["sessions"], self.tabs],
            api_visibility="private",
        )
        loaded.then(self.after_action, [session_id, finished], after_out, api_visibility="private")


def _session_choices(rows: list[list[str]]) -> list[tuple[str, str]]:
    """The session picker's entries from the list's rows: "date · job · verdict", keyed by id."""
    return [(f"{row[1]} · {row[2]} · {row[5]}", row[0]) for row in rows]


def _upload_path(upload: Any) -> str | None:
    if not upload:
        return None
    return str(getattr(upload, "path", None) or getattr(upload, "name", None) or upload)


def _upload_name(upload: Any) -> str | None:
    path = _upload_path(upload)
    return path.rsplit("/", 1)[-1] if path else None
