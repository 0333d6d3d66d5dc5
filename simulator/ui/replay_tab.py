"""The Replay tab: the saved sessions (search, open, step through, resume, re-grade, delete, import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from simulator.models import Session
from simulator.ui import actions, render
from simulator.ui import replay_view as view
from simulator.ui.actions import ActionError
from simulator.ui.page import PagePart
from simulator.ui.practice import ReplayPractice
from simulator.ui.uploads import upload_name, upload_path

SESSION_COLUMNS = ["id", "date", "job", "panel", "status", "verdict"]
LISTING = "replay-listing"  # the page's first list and searches, one at a time (each is one quick read)


class ReplayTab(PagePart):
    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        c = self.c
        c["replay_id"] = gr.State("")  # the session replayed
        c["replay_pos"] = gr.State(0)  # the turn shown
        c["pending_delete"] = gr.State("")  # the session the delete prompt asks about
        c["searched"] = gr.State("")  # the last search asked for (the page's first list follows it)
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
        c["list_note"] = gr.HTML(elem_id="sessions-note")  # why the list is empty, when it is
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
        with gr.Row(equal_height=True):
            # No minimum/maximum on the field: Gradio would toast on every keystroke out of range;
            # the handler keeps the number within the session instead.
            c["turn"] = gr.Number(None, label="Go to turn", precision=0, elem_id="replay-turn", scale=1)
            c["go"] = gr.Button("Go", elem_id="replay-go", scale=1)
            c["interviewer"] = gr.Dropdown(
                choices=[], value=None, label="Jump to an interviewer", elem_id="replay-interviewer", scale=3
            )
        self.practice = ReplayPractice(self.page)  # answer again, drill this question (ui/practice.py)
        c["diff"] = gr.HTML(elem_id="regrade-diff")
        with gr.Accordion("Import a session (JSON)", open=False):
            c["import_file"] = gr.File(
                label="Session JSON", file_types=[".json"], elem_id="import-file", height=110
            )

    # ------------------------------------------------------------ handlers

    def on_list(self, searched: str) -> tuple[Any, ...]:
        """A fresh page: the saved sessions, the picker, and a note when there are none. On a busy
        machine the visitor may have searched before this lands: then the list is that search's."""
        if searched:
            rows, picker, note, _ = self.on_search(searched)
            return picker, rows, note
        rows = self.page.session_rows()
        return gr.Dropdown(choices=render.session_choices(rows)), rows, view.list_note("", len(rows))

    def on_search(self, query: str) -> tuple[Any, ...]:
        rows = self.page.session_rows(query or "")
        choices = render.session_choices(rows)
        picked = choices[0][1] if choices else None
        note = view.list_note(query or "", len(rows))
        return rows, gr.Dropdown(choices=choices, value=picked), note, query or ""

    def on_round_end(self, session_id: str, finished: bool, query: str) -> tuple[Any, ...]:
        """A round has just closed: the list shows it (the picker keeps what was picked)."""
        if not finished or not session_id:
            return gr.skip(), gr.skip(), gr.skip()
        rows = self.page.session_rows(query or "")
        return rows, gr.Dropdown(choices=render.session_choices(rows)), view.list_note(query or "", len(rows))

    def on_row_select(self, evt: gr.SelectData) -> Any:
        row = evt.row_value or []
        return row[0] if row else gr.skip()

    def _draw(self, session: Session, position: int) -> str:
        """One turn of a saved session, under the imported-copy label when it is one."""
        summary = actions.session_summary(self.page.ctx, session.id)
        return view.imported_label(summary) + render.replay_html(session, position, self.page.personas)

    def on_open(self, picked: str | None) -> tuple[Any, ...]:
        """Notice, the first turn, the replayed id and position, the re-grade diff, the jump controls."""
        skip = gr.skip()
        if not picked:
            return render.notice("Pick a session first."), skip, skip, skip, "", skip, skip
        try:
            session = actions.load(self.page.ctx, picked)
            shown = self._draw(session, 0)
        except ActionError as exc:
            return render.notice(str(exc)), skip, skip, skip, "", skip, skip
        jumps = view.interviewer_jumps(session, self.page.personas)
        return "", shown, session.id, 0, "", 1, gr.Dropdown(choices=jumps, value=None)

    def _show(self, replay_id: str, where: Callable[[Session], int | str]) -> tuple[Any, ...]:
        """Notice, the turn, its position and the turn field: the turn `where(session)` chooses."""
        if not replay_id:
            return render.notice("Open a session first."), gr.skip(), gr.skip(), gr.skip()
        try:
            session = actions.load(self.page.ctx, replay_id)
            position = where(session)
            if isinstance(position, str):  # the reason there is no such turn
                return render.notice(position), gr.skip(), gr.skip(), gr.skip()
            position = max(0, min(position, len(session.turns) - 1))
            return "", self._draw(session, position), position, position + 1
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip(), gr.skip()

    def on_step(self, replay_id: str, position: int, delta: int) -> tuple[Any, ...]:
        return self._show(replay_id, lambda session: position + delta)

    def on_go_to_turn(self, replay_id: str, number: float | None) -> tuple[Any, ...]:
        """The turn typed in "Go to turn" (1 is the first; past either end: the first or the last)."""
        if number is None or number != number:  # blank (or NaN)
            return self._show(replay_id, lambda session: "Type a turn number, then press Go.")
        wanted = int(max(0.0, min(float(number), 1e9)))  # far past the end is simply the last turn
        return self._show(replay_id, lambda session: wanted - 1)

    def on_jump_to_interviewer(self, replay_id: str, persona_id: str | None) -> tuple[Any, ...]:
        """The first turn of that interviewer's part of the session."""
        if not persona_id:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()

        def first(session: Session) -> int | str:
            found = view.first_turn_of(session, persona_id)
            return "That interviewer has no turns in this session." if found is None else found

        return self._show(replay_id, first)

    def on_resume(self, picked: str | None, coaching: bool) -> tuple[Any, ...]:
        interview = self.page.interview
        none = (*interview.skip_step(), gr.skip())
        if not picked:
            return (*none, render.notice("Pick a session to resume."))
        try:
            step = actions.current(self.page.ctx, picked)
        except ActionError as exc:
            return (*none, render.notice(str(exc)))
        if step.awaiting.kind == "nothing":
            return (*none, render.notice("That session is finished: open it, or see its feedback."))
        return (*interview.step_values(step, coaching), self.page.select("interview"), "")

    def on_show_feedback(self, picked: str | None) -> tuple[Any, ...]:
        feedback = self.page.feedback
        none = (*feedback.skip_values(), gr.skip(), gr.skip())
        if not picked:
            return (*none, render.notice("Pick a session first."))
        try:
            session = actions.load(self.page.ctx, picked)
        except ActionError as exc:
            return (*none, render.notice(str(exc)))
        return (*feedback.values(session), session.id, self.page.select("feedback"), "")

    def on_regrade(self, picked: str | None, replay_id: str, position: int) -> tuple[Any, ...]:
        if not picked:
            return render.notice("Pick a session to re-grade."), gr.skip(), gr.skip()
        try:
            changes = actions.regrade_session(self.page.ctx, picked)
            session = actions.load(self.page.ctx, picked)
        except ActionError as exc:
            return render.notice(str(exc)), gr.skip(), gr.skip()
        replay = self._draw(session, position) if replay_id == picked else gr.skip()
        return "", render.regrade_html(changes), replay

    def on_delete(self, picked: str | None) -> tuple[Any, ...]:
        if not picked:
            return render.notice("Pick a session to delete."), gr.Row(visible=False), "", ""
        try:  # the list line, not the session: one that no longer loads can still be deleted
            summary = actions.session_summary(self.page.ctx, picked)
        except ActionError as exc:
            return render.notice(str(exc)), gr.Row(visible=False), "", ""
        return "", gr.Row(visible=True), view.delete_question(summary, self.page.personas), summary.id

    def on_confirm_delete(self, pending: str, query: str, replay_id: str) -> tuple[Any, ...]:
        message = ""
        if pending:
            try:
                actions.delete_session(self.page.ctx, pending)
                message = render.notice(f"Deleted session {pending}.", "info")
            except ActionError as exc:
                message = render.notice(str(exc))
        rows = self.page.session_rows(query or "")
        # Nothing picked afterwards: a second Delete… must not offer the next session unasked.
        pick = gr.Dropdown(choices=render.session_choices(rows), value=None)
        cleared = pending and pending == replay_id  # the session on screen is gone: so is its replay
        gone = "" if cleared else gr.skip()
        return (
            message,
            gr.Row(visible=False),
            "",
            rows,
            pick,
            view.list_note(query or "", len(rows)),
            self._earlier_sessions(),
            gone,
            gone,
            None if cleared else gr.skip(),
            gr.Dropdown(choices=[], value=None) if cleared else gr.skip(),
        )

    def _earlier_sessions(self) -> Any:
        """The Setup tab's "use an earlier session's answers" picker, which lists the same sessions."""
        return gr.Dropdown(choices=render.session_choices(self.page.session_rows()))

    def on_import(self, upload: Any, query: str) -> tuple[Any, ...]:
        path = upload_path(upload)
        skip = gr.skip()
        if not path:
            return skip, skip, skip, skip, skip, skip, skip
        try:
            new_id = actions.import_session(self.page.ctx, path, upload_name(upload))
        except ActionError as exc:
            return render.notice(str(exc)), skip, skip, None, skip, skip, skip
        # The search is cleared, so the new copy is in the list whatever was searched for before.
        rows = self.page.session_rows()
        choices = render.session_choices(rows)
        return (
            render.notice(f"Imported as session {new_id}.", "info"),
            rows,
            gr.Dropdown(choices=choices, value=new_id),
            None,
            "",
            view.list_note("", len(rows)),
            gr.Dropdown(choices=choices),
        )

    def refresh_after_round(self, event: Any) -> None:
        """When an interview action has closed the loop, the list shows the new session."""
        event.then(
            self.on_round_end,
            [self.page.session_id, self.page.finished, self.c["search"]],
            [self.c["sessions"], self.c["pick"], self.c["list_note"]],
            api_visibility="private",
        )

    # ------------------------------------------------------------ events

    def wire(self) -> None:
        page, c = self.page, self.c
        interview = page.interview
        replay_id, replay_pos, pending_delete = c["replay_id"], c["replay_pos"], c["pending_delete"]
        listing = [c["sessions"], c["pick"], c["list_note"]]
        earlier = page.setup.c["round_one_session"]
        turn_out = [c["notice"], c["replay"], replay_pos, c["turn"]]
        # The first list and a search take turns (LISTING), so the one that lands last knows the other.
        searched = [*listing, c["searched"]]
        # One at a time: the page's default would run eight at once, and a first list begun before a
        # search could land after it and wipe it.
        c["search"].submit(
            self.on_search,
            c["search"],
            searched,
            api_name="sessions",
            concurrency_id=LISTING,
            concurrency_limit=1,
        )
        c["refresh"].click(
            self.on_search,
            c["search"],
            searched,
            api_visibility="private",
            concurrency_id=LISTING,
            concurrency_limit=1,
        )
        c["sessions"].select(self.on_row_select, None, c["pick"], api_visibility="private")
        c["open"].click(
            self.on_open,
            c["pick"],
            [c["notice"], c["replay"], replay_id, replay_pos, c["diff"], c["turn"], c["interviewer"]],
            api_name="open_session",
        )
        c["prev"].click(
            lambda sid, pos: self.on_step(sid, pos, -1),
            [replay_id, replay_pos],
            turn_out,
            api_visibility="private",
        )
        c["next"].click(
            lambda sid, pos: self.on_step(sid, pos, 1),
            [replay_id, replay_pos],
            turn_out,
            api_name="replay_next",
        )
        for go in (c["go"].click, c["turn"].submit):
            go(self.on_go_to_turn, [replay_id, c["turn"]], turn_out, api_visibility="private")
        c["interviewer"].input(
            self.on_jump_to_interviewer, [replay_id, c["interviewer"]], turn_out, api_visibility="private"
        )
        resumed = c["resume"].click(
            self.on_resume,
            [c["pick"], interview.c["coaching"]],
            [*interview.outputs(), page.tabs, c["notice"]],
            api_name="resume",
        )
        interview.remember_session(resumed)
        page.voice.speak_after(resumed, page.session_id)
        c["show_feedback"].click(
            self.on_show_feedback,
            c["pick"],
            [*page.feedback.outputs(), page.feedback_id, page.tabs, c["notice"]],
            api_name="feedback",
        )
        c["regrade"].click(
            self.on_regrade,
            [c["pick"], replay_id, replay_pos],
            [c["notice"], c["diff"], c["replay"]],
            api_name="regrade",
        )
        c["delete"].click(
            self.on_delete,
            c["pick"],
            [c["notice"], c["confirm_row"], c["confirm_text"], pending_delete],
            api_visibility="private",
        )
        c["confirm_delete"].click(
            self.on_confirm_delete,
            [pending_delete, c["search"], replay_id],
            [
                c["notice"],
                c["confirm_row"],
                pending_delete,
                *listing,
                earlier,
                c["replay"],
                replay_id,
                c["turn"],
                c["interviewer"],
            ],
            api_name="delete_session",
        )
        c["cancel_delete"].click(
            lambda: ("", gr.Row(visible=False), ""),
            None,
            [c["notice"], c["confirm_row"], pending_delete],
            api_visibility="private",
        )
        c["import_file"].upload(
            self.on_import,
            [c["import_file"], c["search"]],
            [c["notice"], c["sessions"], c["pick"], c["import_file"], c["search"], c["list_note"], earlier],
            api_name="import_session",
        )
        page.demo.load(
            self.on_list,
            c["searched"],
            [c["pick"], c["sessions"], c["list_note"]],
            api_visibility="private",
            concurrency_id=LISTING,
            concurrency_limit=1,
        )
        self.practice.wire()
