"""A script's recorded answers, transcribed before the session starts.

All of them first, so a recording that cannot be used stops the run with one line naming the
script's item, before any session is saved half-played.
"""

from __future__ import annotations

from pathlib import Path

from simulator.catalog import CatalogError
from simulator.script import AudioAnswer, Script, ScriptedAnswer
from simulator.voice.audio import AudioError
from simulator.voice.delivery import without_fillers
from simulator.voice.transcriber import transcribe


def scripted_answers(script: Script, script_path: Path | str) -> list[ScriptedAnswer]:
    """Typed answers as they are; each recording as its transcript (fillers out), with its delivery."""
    answers = []
    for i, item in enumerate(script.answers):
        if not isinstance(item, AudioAnswer):
            answers.append(ScriptedAnswer(item))
            continue
        where = f"{script_path}: answers[{i}].audio"
        try:
            heard = transcribe(item.path(script_path))
        except AudioError as exc:
            raise CatalogError([f"{where}: {exc}"]) from None
        if not heard.text.strip():
            raise CatalogError([f"{where}: no speech heard in {heard.duration_s:.1f} s of audio"])
        text = without_fillers(heard.text)
        if not text.strip():
            raise CatalogError([f"{where}: only filler words heard ({heard.text.strip()})"])
        answers.append(ScriptedAnswer(text, heard.delivery))
    return answers
