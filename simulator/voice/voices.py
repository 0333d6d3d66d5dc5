"""Interviewers' voices: a question's text to a WAV file, offline.

espeak-ng (Debian, instant, robotic) is the default; piper (natural, GPL-3.0, an optional extra
never installed by default) is used when its `piper` command is on PATH and the persona names a
piper voice model. Both run as separate processes, fed the text on stdin, so no text can ever be
read as an option.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from simulator.models import PersonaSpeech

# A spoken question is a few sentences; a whole persona answer at most a minute of speech.
MAX_SPOKEN_CHARS = 2_000
SYNTH_TIMEOUT_S = 60


class VoiceUnavailable(RuntimeError):
    """No speech synthesiser is installed (espeak-ng comes from apt: see the README)."""


@dataclass(frozen=True)
class Synthesiser:
    name: str  # "espeak-ng" or "piper"
    command: list[str]


def piper_command(speech: PersonaSpeech) -> list[str] | None:
    """The piper call for this voice, when piper and the voice model are both present."""
    binary = shutil.which("piper")
    if not binary or not speech.piper_model or not Path(speech.piper_model).expanduser().is_file():
        return None
    return [binary, "--model", str(Path(speech.piper_model).expanduser())]


def synthesiser(speech: PersonaSpeech) -> Synthesiser:
    piper = piper_command(speech)
    if piper:
        return Synthesiser("piper", piper)
    binary = shutil.which("espeak-ng")
    if not binary:
        raise VoiceUnavailable("espeak-ng is not installed: apt-get install espeak-ng (see the README)")
    voice = ["-v", speech.espeak_voice, "-s", str(speech.rate_wpm), "-p", str(speech.pitch)]
    return Synthesiser("espeak-ng", [binary, *voice, "--stdin"])


def speak(text: str, speech: PersonaSpeech, folder: Path) -> Path:
    """`text` said in this voice, as a WAV in `folder` (reused when the same words were said before)."""
    text = " ".join(text.split())[:MAX_SPOKEN_CHARS]
    synth = synthesiser(speech)
    key = hashlib.sha256("\0".join([*synth.command, text]).encode()).hexdigest()[:24]
    out = folder / f"say-{key}.wav"
    if out.is_file() and out.stat().st_size > 44:
        return out
    folder.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.wav")
    flag = "--output_file" if synth.name == "piper" else "-w"
    subprocess.run(
        [*synth.command, flag, str(partial)],
        input=text.encode("utf-8"),
        check=True,
        capture_output=True,
        timeout=SYNTH_TIMEOUT_S,
    )
    partial.replace(out)
    return out
