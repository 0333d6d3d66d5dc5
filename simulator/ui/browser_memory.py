"""What Setup keeps in this browser, and the controls to reuse a job: saved profiles and earlier
sessions' jobs.

Two values live in the visitor's localStorage (gr.BrowserState, see simulator/setup_memory.py for
what they hold): the last setup (job, engine choice, coaching mode; never the API key), written on
every edit, and the named job profiles, written only by Save and Delete, so an edit in flight can
never undo a save. Nothing here is kept on the server.

The last setup comes back after the page is already usable (the server decodes it; on a busy
machine that can take seconds), so it is put back in the browser, field by field, only into the
fields still as the page first drew them: what the visitor typed meanwhile is never overwritten.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

import gradio as gr
from pydantic import ValidationError

from simulator.engines import ENGINES
from simulator.paths import home
from simulator.setup_memory import (
    PROFILE,
    SESSION,
    EngineChoice,
    ProfileError,
    RememberedJob,
    SetupMemory,
    delete_profile,
    job_choices,
    profile_job,
    read_memory,
    save_profile,
    session_job,
)
from simulator.ui import actions, render
from simulator.ui.actions import ActionError
from simulator.ui.page import PagePart

SECRET_FILE = "browser-memory.key"
TOO_BIG = "This job is too long to keep in the browser (a field over its limit): shorten it to save it."
# The remembered setup into each field the visitor has not changed since the page was drawn; the
# others keep what they show. `fields` is on_load's {"drawn", "kept", "put"}, a list each, in
# `remembered()`'s order ("put": whether this browser remembers a value for that field at all).
RESTORE_UNTOUCHED_JS = """(fields, ...shown) => {
  if (!fields || !Array.isArray(fields.put)) return shown;
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return shown.map((now, i) => (fields.put[i] && same(now, fields.drawn[i]) ? fields.kept[i] : now));
}"""
logger = logging.getLogger(__name__)


def browser_secret() -> str:
    """The key the browser's copy is scrambled with, the same across restarts of this install (a
    new one each start would make every browser forget its setup). Gradio hands it to the page, so
    it hides nothing from the visitor; it only keeps the value from being read as plain text."""
    path = home() / SECRET_FILE
    try:
        return path.read_text(encoding="utf-8").strip() or _new_secret(path)
    except FileNotFoundError:
        return _new_secret(path)
    except OSError:
        return secrets.token_urlsafe(24)


def _new_secret(path: Path) -> str:
    secret = secrets.token_urlsafe(24)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secret)
    except OSError as exc:  # a read-only data folder: the memory lasts until the next restart
        logger.warning("setup memory key not saved: %s", exc.strerror or exc)
    return secret


def memory_line(memory: SetupMemory) -> str:
    lead = "This browser keeps your last job, engine choice and coaching mode (never your API key)"
    if memory == SetupMemory():
        return f'<p class="rt-muted rt-small">{lead} once you change them.</p>'
    job = memory.job.label() if memory.job and not memory.job.is_empty() else "no job"
    coaching = "coaching on" if memory.coaching else "coaching off"
    return f'<p class="rt-muted rt-small">{lead}: {render.inert(job)}; {coaching}.</p>'


class BrowserMemory(PagePart):
    """The reuse-a-job row and the two remembered values; built inside the Setup tab's layout."""

    def _layout(self) -> None:
        c = self.c
        secret = browser_secret()
        c["last"] = gr.BrowserState({}, storage_key="roundtwo-setup", secret=secret)
        c["profiles"] = gr.BrowserState({}, storage_key="roundtwo-job-profiles", secret=secret)
        with gr.Row(equal_height=True):
            c["pick"] = gr.Dropdown(
                choices=[],
                value=None,
                label="Reuse a job: a saved profile, or an earlier session's job",
                elem_id="job-pick",
                scale=3,
            )
            c["name"] = gr.Textbox(
                label="Save this job as", placeholder="e.g. Tallow analyst", elem_id="profile-name", scale=2
            )
            c["save"] = gr.Button("Save profile", elem_id="save-profile", scale=1)
            c["delete"] = gr.Button("Delete profile", elem_id="delete-profile", scale=1)
        c["notice"] = gr.HTML(elem_id="profile-notice")
        c["line"] = gr.HTML(memory_line(SetupMemory()), elem_id="setup-memory")
        c["restore"] = gr.JSON(visible=False)  # on_load's remembered values, put back in the browser

    # ------------------------------------------------------------ what is remembered

    def remembered(self) -> list[Any]:
        """The fields the last setup is made of, in `remember`'s order (never the key field)."""
        s = self.page.setup.c
        return [
            *self.job_fields(),
            s["engine"],
            s["model"],
            s["base_url"],
            s["timeout"],
            self.page.interview.c["coaching"],
        ]

    def job_fields(self) -> list[Any]:
        s = self.page.setup.c
        return [s["title"], s["company"], s["level"], s["description"], s["research"]]

    def remember(self, *values: Any) -> tuple[Any, ...]:
        title, company, level, description, research, engine, model, base_url, timeout, coaching = values
        job = _job(title, company, level, description, research)
        choice = EngineChoice.model_construct(
            engine=engine or "offline", model=model or "", base_url=base_url or "", timeout=timeout
        )
        memory = read_memory(
            SetupMemory.model_construct(job=job, coaching=bool(coaching), engine=choice).model_dump(
                mode="json"
            )
        )  # validated as the browser's copy will be read back: an oversized field is not kept
        return memory.for_browser(), memory_line(memory)

    def on_edit(self, restore: Any, *values: Any) -> tuple[Any, ...]:
        """An edit, kept; but not before the remembered setup has come back, which it would replace
        (that edit is kept by on_restored, once it has)."""
        return self.remember(*values) if restore else (gr.skip(), gr.skip())

    def on_restored(self, restore: Any, *values: Any) -> tuple[Any, ...]:
        """The setup back in its fields: kept as shown, when it differs from the page as drawn
        (something came back, or was typed while it was on its way)."""
        drawn = restore.get("drawn") if isinstance(restore, dict) else None
        return (gr.skip(), gr.skip()) if list(values) == drawn else self.remember(*values)

    def on_load(self, last: Any, profiles: Any) -> tuple[Any, ...]:
        """A fresh page: the last setup to put back (RESTORE_UNTOUCHED_JS), and the picker filled."""
        memory = read_memory(last)
        job = memory.job if memory.job and not memory.job.is_empty() else None
        jobs = _job_values(job) if job else [None] * 5
        choice = memory.engine if memory.engine and memory.engine.engine in ENGINES else None
        engine = [choice.engine, choice.model, choice.base_url, choice.timeout] if choice else [None] * 4
        put = [bool(job)] * 5 + [bool(choice)] * 4 + [memory != SetupMemory()]
        restore = {
            "drawn": [field.value for field in self.remembered()],  # as the page first drew them
            "kept": [*jobs, *engine, memory.coaching],
            "put": put,
        }
        return restore, self.picker(profiles), memory_line(memory)

    # ------------------------------------------------------------ reusing a job

    def picker(self, profiles: Any, value: str | None = None) -> Any:
        choices = job_choices(read_memory(profiles), actions.list_sessions(self.page.ctx))
        return gr.Dropdown(choices=choices, value=value)

    def on_pick(self, profiles: Any, choice: str | None) -> tuple[Any, ...]:
        skip = gr.skip()
        if not choice:
            return (*(skip,) * 5, "")
        try:
            if choice.startswith(SESSION):
                job = session_job(actions.load(self.page.ctx, choice.removeprefix(SESSION)))
            else:
                job = profile_job(read_memory(profiles), choice)
        except (ActionError, ProfileError) as exc:
            return (*(skip,) * 5, render.notice(str(exc)))
        return (*_job_values(job), "")

    def on_save(self, profiles: Any, name: str, *job: Any) -> tuple[Any, ...]:
        try:
            checked = RememberedJob.model_validate(_job(*job).model_dump())
            memory = save_profile(read_memory(profiles), name or "", checked)
        except ValidationError:
            return gr.skip(), gr.skip(), render.notice(TOO_BIG)
        except ProfileError as exc:
            return gr.skip(), gr.skip(), render.notice(str(exc))
        saved = " ".join((name or "").split())
        return (
            memory.for_browser(),
            self.picker(memory.for_browser(), PROFILE + saved),
            render.notice(f"Saved the profile “{saved}” in this browser.", "info"),
        )

    def on_delete(self, profiles: Any, choice: str | None) -> tuple[Any, ...]:
        if not choice or not choice.startswith(PROFILE):
            return gr.skip(), gr.skip(), render.notice("Pick a saved profile to delete.")
        name = choice.removeprefix(PROFILE)
        try:
            memory = delete_profile(read_memory(profiles), name)
        except ProfileError as exc:
            return gr.skip(), gr.skip(), render.notice(str(exc))
        return (
            memory.for_browser(),
            self.picker(memory.for_browser()),
            render.notice(f"Deleted the profile “{name}”.", "info"),
        )

    def on_round_end(self, session_id: str, finished: bool, profiles: Any) -> Any:
        """A finished round is one more job to reuse."""
        return self.picker(profiles) if finished and session_id else gr.skip()

    # ------------------------------------------------------------ events

    def wire(self) -> None:
        c, demo = self.c, self.page.demo
        remembered = self.remembered()
        gr.on(
            [field.change for field in remembered],
            self.on_edit,
            [c["restore"], *remembered],
            [c["last"], c["line"]],
            trigger_mode="always_last",  # one write in flight, and the last edit always lands
            show_progress="hidden",
            api_visibility="private",
        )
        demo.load(
            self.on_load,
            [c["last"], c["profiles"]],
            [c["restore"], c["pick"], c["line"]],
            api_visibility="private",
        ).then(None, [c["restore"], *remembered], remembered, js=RESTORE_UNTOUCHED_JS).then(
            self.on_restored,
            [c["restore"], *remembered],
            [c["last"], c["line"]],
            show_progress="hidden",
            api_visibility="private",
        )
        c["pick"].input(
            self.on_pick,
            [c["profiles"], c["pick"]],
            [*self.job_fields(), c["notice"]],
            api_visibility="private",
        )
        c["save"].click(
            self.on_save,
            [c["profiles"], c["name"], *self.job_fields()],
            [c["profiles"], c["pick"], c["notice"]],
            api_visibility="private",
        )
        c["delete"].click(
            self.on_delete,
            [c["profiles"], c["pick"]],
            [c["profiles"], c["pick"], c["notice"]],
            api_visibility="private",
        )

    def refresh_after_round(self, event: Any) -> None:
        event.then(
            self.on_round_end,
            [self.page.session_id, self.page.finished, self.c["profiles"]],
            self.c["pick"],
            api_visibility="private",
        )


def _job(title: Any, company: Any, level: Any, description: Any, research: Any) -> RememberedJob:
    return RememberedJob.model_construct(
        title=title or "",
        company=company or "",
        level=level or "",
        description=description or "",
        research_notes=research or "",
    )


def _job_values(job: RememberedJob) -> list[str]:
    """A job as its form fields show it, in `job_fields()`'s order (`_job`'s reverse)."""
    return [job.title, job.company, job.level, job.description, job.research_notes]
