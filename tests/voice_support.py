"""Recordings made at test time with espeak-ng and sox (no audio is committed to the repository)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

HAVE_TOOLS = bool(shutil.which("espeak-ng") and shutil.which("sox"))
needs_speech_tools = pytest.mark.skipif(
    not HAVE_TOOLS, reason="espeak-ng and sox come from apt (see .ci/run)"
)


def say(path: Path, text: str, voice: str = "en-us", rate: int = 150) -> Path:
    """`text` spoken by espeak-ng into a WAV file; the text goes on stdin, never as an argument."""
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "--stdin", "-w", str(path)],
        input=text.encode(),
        check=True,
        capture_output=True,
    )
    return path


def silence(path: Path, seconds: float, rate: int = 22050) -> Path:
    subprocess.run(
        ["sox", "-n", "-r", str(rate), "-c", "1", str(path), "trim", "0", str(seconds)], check=True
    )
    return path


def joined(path: Path, *parts: Path, rate: int | None = None, pad: tuple[float, float] | None = None) -> Path:
    """The parts one after another (resampled to `rate`, padded with silence at each end if asked)."""
    effects = (["rate", str(rate)] if rate else []) + (["pad", str(pad[0]), str(pad[1])] if pad else [])
    subprocess.run(["sox", *map(str, parts), str(path), *effects], check=True, capture_output=True)
    return path


def seconds(path: Path) -> float:
    return float(subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True).stdout)
