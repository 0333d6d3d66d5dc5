"""The page's voice controls: the microphone beside the answer box, interviewers' voices, and the
recordings setting. Built and wired here so the page's own modules change by a few lines only.

The model is not loaded when the page starts; the first recording loads it, with progress shown.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from simulator.ui import actions, render
from simulator.ui.actions import ActionError, PageContext
from simulator.voice.page import VoiceError, delete_recordings, interviewer_audio, transcribe_recording
from simulator.voice.transcriber import warm_up


class VoiceControls:
    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.c: dict[str, Any] = {}

    def build_mic(self) -> None:
        """Under the answer box: record, and the transcript lands in the box to check before sending."""
        c = self.c
        c["pending"] = gr.State(None)  # the last recording's delivery, sent with the next answer
        c["mic"] = gr.Audio(
            sources=["microphone"],
            type="filepath",
            label="Or answer out loud: the transcript lands in the box above, to check before you send",
            elem_id="answer-mic",
            format="wav",
        )
        c["notice"] = gr.HTML(elem_id="voice-notice")

    def build_settings(self) -> None:
        """On the Setup tab: voices on or off, and whether recordings are kept."""
        c = self.c
        with gr.Row(elem_id="voice-settings"):
            c["voices_on"] = gr.Checkbox(
                False, label="Interviewers speak their questions", elem_id="voices-on"
            )
            c["keep"] = gr.Checkbox(
                False,
                label="Keep my recordings (off: each is deleted once transcribed)",
                elem_id="keep-recordings",
            )
            c["delete"] = gr.Button("Delete my recordings", size="sm", elem_id="delete-recordings")
        c["settings_notice"] = gr.HTML(elem_id="voice-settings-notice")

    def build_player(self) -> None:
        """Where the interviewers' words play (autoplay) when voices are on; the text stays in the chat."""
        self.c["voice"] = gr.Audio(
            label="Interviewer's voice",
            autoplay=True,
            interactive=False,
            elem_id="interviewer-voice",
        )

    # ------------------------------------------------------------ handlers

    def on_recording(
        self,
        path: str | None,
        typed: str,
        keep: bool,
        session_id: str,
        pending: Any = None,
        progress: Any = None,
    ) -> tuple[Any, ...]:
        def step(what: str) -> None:
            if progress is not None:
                progress(0.5 if what == "transcribing" else 0.1, desc=what.capitalize() + "…")

        try:
            text, delivery = transcribe_recording(path, typed or "", keep, session_id, step, pending)
        except VoiceError as exc:  # what was typed stays in the box
            return gr.skip(), gr.skip(), render.notice(str(exc)), None
        fillers = sum(delivery.get("fillers", {}).values())
        heard = (
            f" {fillers} filler word{'s' if fillers != 1 else ''} heard: they count in delivery, not in the grade."
            if fillers
            else ""
        )
        note = f"Transcribed: check the words, edit them if needed, then Send.{heard}"
        return text, delivery, render.notice(note, "info"), None

    def on_record_start(self) -> None:
        """The first recording starts loading the model while the user speaks, so Stop finds it ready."""
        warm_up()

    def on_speak(self, session_id: str, voices_on: bool) -> tuple[Any, ...]:
        if not voices_on or not session_id:
            return gr.skip(), gr.skip()
        try:
            session = actions.load(self.ctx, session_id)
            audio = interviewer_audio(session, self.ctx.personas)
        except (ActionError, VoiceError) as exc:
            return gr.skip(), render.notice(str(exc))
        return (str(audio) if audio else gr.skip()), ""

    def on_delete(self) -> str:
        count = delete_recordings()
        return render.notice(f"Deleted {count} kept recording{'s' if count != 1 else ''}.", "info")

    # ------------------------------------------------------------ events

    def connect(self, session_id: gr.State, answer: gr.Textbox) -> None:
        c = self.c

        def recorded(
            path: str | None,
            typed: str,
            keep: bool,
            sid: str,
            pending: Any,
            progress: gr.Progress = gr.Progress(),  # noqa: B008 (Gradio reads the default)
        ) -> tuple[Any, ...]:
            return self.on_recording(path, typed, keep, sid, pending, progress)

        c["mic"].start_recording(
            self.on_record_start, None, None, api_visibility="private", show_progress="hidden"
        )
        c["mic"].stop_recording(
            recorded,
            [c["mic"], answer, c["keep"], session_id, c["pending"]],
            [answer, c["pending"], c["notice"], c["mic"]],
            api_visibility="private",
            show_progress_on=[c["notice"]],
            concurrency_limit=1,
            concurrency_id="transcribe",
        )
        c["voices_on"].change(
            self.on_speak, [session_id, c["voices_on"]], [c["voice"], c["notice"]], api_visibility="private"
        )
        c["delete"].click(self.on_delete, None, c["settings_notice"], api_name="delete_recordings")

    def speak_after(self, event: Any, session_id: gr.State) -> None:
        """After an interview action: the interviewers' new words, in their voices, when voices are on."""
        event.then(
            self.on_speak,
            [session_id, self.c["voices_on"]],
            [self.c["voice"], self.c["notice"]],
            api_visibility="private",
        )

    def pending_after_send(self, event: Any, answer: gr.Textbox) -> None:
        """A sent answer (the box emptied) used the delivery; a refused one keeps it for the retry."""
        event.then(
            lambda text, pending: None if not (text or "").strip() else pending,
            [answer, self.c["pending"]],
            self.c["pending"],
            api_visibility="private",
        )
