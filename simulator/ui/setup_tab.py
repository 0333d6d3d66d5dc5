"""The Setup tab: the job (remembered in the browser, or reused from a profile or an earlier
session), round one, the story bank, the panel, the engine and its timeout, and Start, which
streams the first interviewer's line into the Interview tab."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from simulator.engines import ENGINES
from simulator.ui import actions, render
from simulator.ui.actions import ActionError, SetupForm, SlotChoice
from simulator.ui.browser_memory import BrowserMemory
from simulator.ui.page import Page, PagePart
from simulator.ui.practice import SetupDrill
from simulator.ui.uploads import upload_name, upload_path


@dataclass
class PanelRow:
    persona_id: str
    included: gr.Checkbox
    order: gr.Number
    minutes: gr.Number


class SetupTab(PagePart):
    def __init__(self, page: Page):
        self.rows: list[PanelRow] = []
        super().__init__(page)

    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        page, c = self.page, self.c
        personas = page.personas
        form = actions.example_form(personas)
        form.engine = page.ctx.default_engine
        form.model, form.base_url = actions.default_engine_fields()
        engine_line = actions.engine_summary(page.ctx, form)
        gr.Markdown(
            "Describe the job and what you said in round one, choose your panel, and press **Start**."
        )
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
        self.memory = BrowserMemory(page)  # reuse a job; what this browser keeps
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
        gr.Markdown(
            "### The panel\nTick who interviews you, then set the order and each one's minutes (3-120)."
        )
        for choice in form.slots:
            persona = personas[choice.persona_id]
            with gr.Row(equal_height=True, elem_classes="rt-panel-row"):
                included = gr.Checkbox(
                    choice.included,
                    label=f"{persona.name}, {persona.title}",
                    elem_id=f"panel-{persona.id}",
                    scale=4,
                )
                order = _small_number(choice.order, "Order", f"order-{persona.id}")
                minutes = _small_number(choice.minutes, "Minutes", f"minutes-{persona.id}")
            self.rows.append(PanelRow(persona.id, included, order, minutes))
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
            # Checked on Start as --timeout is (more than 0, at most 600), in one line; no bounds on
            # the field itself, whose check would toast on every keystroke.
            c["timeout"] = gr.Number(
                actions.default_timeout(),
                label="Seconds a model call may take (the local engine allows at least 90)",
                elem_id="engine-timeout",
                min_width=120,
            )
        c["engine_row"] = engine_row
        c["engine_summary"] = gr.HTML(render.engine_line(engine_line), elem_id="engine-summary")
        page.voice.build_settings()
        c["start"] = gr.Button("Start the interview", variant="primary", elem_id="start")
        c["notice"] = gr.HTML(elem_id="setup-notice")
        self.practice = SetupDrill(page)  # a drill for this job (ui/practice.py)

    # ------------------------------------------------------------ handlers

    def read_form(self, *values: Any) -> SetupForm:
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
            *rest,
        ) = values
        *panel, timeout = rest
        slots = [
            SlotChoice(row.persona_id, bool(panel[3 * k]), panel[3 * k + 1], panel[3 * k + 2])
            for k, row in enumerate(self.rows)
        ]
        return SetupForm(
            title=title or "",
            company=company or "",
            level=level or "",
            description=description or "",
            research_notes=research or "",
            round_one_text=round_one or "",
            round_one_file=upload_path(upload),
            round_one_file_name=upload_name(upload),
            round_one_session=earlier or None,
            story_bank=stories or "",
            slots=slots,
            pressure=pressure,
            engine=engine,
            model=model or "",
            base_url=base_url or "",
            api_key=api_key or "",
            seed=seed,
            timeout=None if timeout is None else float(timeout),
        )

    def form_inputs(self) -> list[Any]:
        """The form's fields, in `read_form`'s order (the `/start` endpoint's parameters follow it)."""
        c = self.c
        inputs = [
            c["title"],
            c["company"],
            c["level"],
            c["description"],
            c["research"],
            c["round_one"],
            c["round_one_file"],
            c["round_one_session"],
            c["story_bank"],
            c["pressure"],
            c["engine"],
            c["model"],
            c["base_url"],
            c["api_key"],
            c["seed"],
        ]
        for row in self.rows:
            inputs += [row.included, row.order, row.minutes]
        return [*inputs, c["timeout"]]  # last, so the `/start` parameters before it keep their places

    def on_start(self, coaching: bool, *values: Any) -> Iterator[tuple[Any, ...]]:
        """The Interview tab at once, with the first interviewer's line as it streams."""
        interview = self.page.interview
        try:
            updates = actions.start_streaming(self.page.ctx, self.read_form(*values))
        except ActionError as exc:
            yield (*interview.skip_step(), render.notice(str(exc)), gr.skip())
            return
        shown = self.page.select("interview")
        for values_now in interview.stream_values(lambda: updates, coaching):
            yield (*values_now, "", shown)
            shown = gr.skip()  # once: a visitor who clicks another tab meanwhile stays there

    def on_round_one_change(self, round_one: str, upload: Any, earlier: str | None) -> str:
        form = SetupForm(
            round_one_text=round_one or "",
            round_one_file=upload_path(upload),
            round_one_file_name=upload_name(upload),
            round_one_session=earlier or None,
        )
        return actions.round_one_summary(form, self.page.ctx.store)

    def on_engine_change(self, *values: Any) -> tuple[Any, ...]:
        form = self.read_form(*values)
        line = actions.engine_summary(self.page.ctx, form)
        return gr.Row(visible=form.engine != "offline"), render.engine_line(line)

    def earlier_sessions(self) -> Any:
        """The "earlier session's answers" picker, filled from the saved sessions."""
        return gr.Dropdown(choices=render.session_choices(self.page.session_rows()))

    def on_round_end(self, session_id: str, finished: bool) -> Any:
        """A finished round is one more earlier session to take round one from."""
        return self.earlier_sessions() if finished and session_id else gr.skip()

    # ------------------------------------------------------------ events

    def wire(self) -> None:
        page, c = self.page, self.c
        interview = page.interview
        started = c["start"].click(
            self.on_start,
            [interview.c["coaching"], *self.form_inputs()],
            [*interview.outputs(), c["notice"], page.tabs],
            api_name="start",
            concurrency_limit=4,
        )
        interview.remember_session(started)
        page.voice.speak_after(started, page.session_id)
        engine_sources = [c["engine"], c["model"], c["base_url"], c["api_key"], c["timeout"]]
        for row in self.rows:
            engine_sources += [row.included, row.minutes]
        for source in engine_sources:
            source.change(
                self.on_engine_change,
                self.form_inputs(),
                [c["engine_row"], c["engine_summary"]],
                show_progress="hidden",
                api_visibility="private",
            )
        round_one_sources = [c["round_one"], c["round_one_file"], c["round_one_session"]]
        for source in round_one_sources:
            source.change(
                self.on_round_one_change,
                round_one_sources,
                c["round_one_summary"],
                show_progress="hidden",
                api_visibility="private",
            )
        page.demo.load(self.earlier_sessions, None, c["round_one_session"], api_visibility="private")
        self.memory.wire()
        self.practice.wire()

    def refresh_after_round(self, event: Any) -> None:
        self.memory.refresh_after_round(event)
        event.then(
            self.on_round_end,
            [self.page.session_id, self.page.finished],
            self.c["round_one_session"],
            api_visibility="private",
        )


def _small_number(value: float | None, label: str, elem_id: str) -> gr.Number:
    """A whole-number field beside a panel row's checkbox. Its range is checked on Start, in one
    line (build_setup): bounds on the field make Gradio toast on every change, the same toast again."""
    return gr.Number(
        value,
        label=label,
        precision=0,
        elem_id=elem_id,
        scale=1,
        min_width=90,
    )
