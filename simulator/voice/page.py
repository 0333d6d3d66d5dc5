"""What the page's microphone and voices do, kept out of the UI modules so they stay thin.

Recordings: Gradio saves each one to its own upload cache; once transcribed it is deleted there,
unless the user chose to keep recordings, in which case it is moved to
`$ROUNDTWO_HOME/recordings/<session id>/` (0700 folder) until they press "Delete my recordings".
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import wave
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.models import Delivery, Persona, Session
from simulator.paths import home
from simulator.private_files import exports_folder, private_folder
from simulator.voice.audio import AudioError
from simulator.voice.delivery import combined, without_fillers
from simulator.voice.model_files import ModelMissing
from simulator.voice.transcriber import transcribe
from simulator.voice.voices import VoiceUnavailable, speak

_SAFE = re.compile(r"[^A-Za-z0-9_-]")


class VoiceError(Exception):
    """A recording or a voice could not be used; the message is the one line the page shows."""


def recordings_folder() -> Path:
    return home() / "recordings"


def keep_recording(source: Path, session_id: str) -> Path:
    folder = recordings_folder() / (_SAFE.sub("", session_id)[:64] or "no-session")
    private_folder(folder.parent)
    private_folder(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"answer-{stamp}{source.suffix or '.wav'}"
    shutil.move(str(source), target)
    target.chmod(0o600)
    return target


def delete_recordings() -> int:
    """Remove every kept recording; returns how many files went."""
    folder = recordings_folder()
    count = sum(1 for f in folder.rglob("*") if f.is_file()) if folder.is_dir() else 0
    shutil.rmtree(folder, ignore_errors=True)
    return count


def transcribe_recording(
    path: str | None,
    typed: str,
    keep: bool,
    session_id: str,
    progress: Callable[[str], None] | None = None,
    earlier: Any = None,
) -> tuple[str, dict[str, Any]]:
    """The answer box's new text (what was typed, then the transcript) and the delivery to send with it.

    `earlier`: the delivery of a recording already in the box; a second go adds to it."""
    if not path:
        raise VoiceError("No recording arrived: press Record, speak, then Stop.")
    source = Path(path)
    try:
        heard = transcribe(source, progress)
    except AudioError as exc:
        raise VoiceError(f"That recording could not be used: {exc.args[0].split(': ', 1)[-1]}") from None
    except ModelMissing as exc:
        raise VoiceError(f"Speech recognition is not installed: {exc}") from None
    finally:
        if keep and source.is_file():
            keep_recording(source, session_id)
        else:
            with contextlib.suppress(OSError):
                source.unlink()
    if not heard.text.strip():
        raise VoiceError(
            f"No speech heard in {heard.duration_s:.1f} s of recording. Try again, a little closer."
        )
    said = without_fillers(heard.text) or heard.text  # fillers count in delivery, never in the grade
    text = f"{typed.rstrip()} {said}".strip() if typed.strip() else said
    before = delivery_of(earlier) if typed.strip() else None
    delivery = combined(before, heard.delivery) if before else heard.delivery
    return text, delivery.model_dump(mode="json")


def delivery_of(value: Any) -> Delivery | None:
    """The delivery kept in the page's state, validated again (it is our own, but still checked)."""
    if not value:
        return None
    try:
        return Delivery.model_validate(value)
    except ValueError:
        return None


def _join_wavs(parts: list[Path], out: Path) -> Path:
    """One WAV of several said in turn (all from one synthesiser, so the same format)."""
    with wave.open(str(parts[0]), "rb") as first:
        params = first.getparams()
    with wave.open(str(out), "wb") as joined:
        joined.setparams(params)
        for part in parts:
            with wave.open(str(part), "rb") as piece:
                if piece.getparams()[:3] != params[:3]:
                    continue  # a different voice engine: skip rather than play noise
                joined.writeframes(piece.readframes(piece.getnframes()))
    return out


def interviewer_audio(session: Session, personas: Mapping[str, Persona]) -> Path | None:
    """What the interviewers said since the candidate last spoke, in their own voices, as one WAV."""
    said = []
    for turn in reversed(session.turns):
        if turn.speaker == "candidate":
            break
        said.append(turn)
    said.reverse()
    folder = exports_folder() / "voices"  # served by Gradio from the temp folder, removed at exit
    parts = []
    try:
        for turn in said:
            persona = personas.get(turn.speaker)
            if persona is not None and turn.text.strip():
                parts.append(speak(turn.text, persona.speech, folder))
    except VoiceUnavailable as exc:
        raise VoiceError(str(exc)) from None
    except (
        OSError,
        ValueError,
        subprocess.SubprocessError,
    ) as exc:  # the synthesiser failed: the text is still on screen
        raise VoiceError(f"The interviewer's voice could not be made ({type(exc).__name__}).") from None
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    out = folder / f"turns-{_SAFE.sub('', session.id)[:64]}-{said[-1].index}.wav"
    return _join_wavs(parts, out)
