"""Speech to text, offline: Whisper base through faster-whisper, with word timings.

The model loads on first use (under a second, about 360 MB) and is shared by every caller in
the process; calls take turns on it, since two cores gain nothing from running two at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from simulator.limits import MAX_AUDIO_SECONDS
from simulator.models import Delivery
from simulator.voice.audio import AudioError, read_audio
from simulator.voice.delivery import TimedWord, measure
from simulator.voice.model_files import model_folder

# Whisper leaves out "um" and "uh" unless the prompt shows them being written down; with this
# prompt most come back, which is what delivery feedback needs. The grader ignores fillers, so
# they never cost a STAR grade.
FILLER_PROMPT = "Um, so, uh, I led the project. Hmm, er, the result was, um, good."
SAMPLE_RATE = 16_000

__all__ = ["AudioError", "Transcript", "Word", "load_model", "model_loaded", "transcribe", "warm_up"]


class Word(BaseModel):
    word: str
    start: float
    end: float


class Transcript(BaseModel):
    """The contract of `python -m simulator transcribe --json`."""

    text: str
    duration_s: float
    words: list[Word]
    delivery: Delivery


_lock = threading.Lock()
_warm_lock = threading.Lock()
_warming = False
_model: Any = None
load_seconds: float | None = None  # how long the first load took, for the bench and the page


def model_loaded() -> bool:
    return _model is not None


def load_model() -> Any:
    """The shared WhisperModel, loaded from the local folder on first call."""
    global _model, load_seconds
    with _lock:
        if _model is None:
            from faster_whisper import WhisperModel  # heavy import: only when speech is used

            started = time.perf_counter()
            _model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8", cpu_threads=2)
            load_seconds = time.perf_counter() - started
        return _model


def warm_up() -> None:
    """Start loading the model in the background (a no-op once loaded or loading)."""
    global _warming
    with _warm_lock:
        if _model is not None or _warming:
            return
        _warming = True

    def load() -> None:
        global _warming
        try:
            load_model()
        except Exception:  # the recording's own call reports any problem, in its words
            pass
        finally:
            _warming = False

    threading.Thread(target=load, name="whisper-warm-up", daemon=True).start()


def transcribe(path: Path, progress: Callable[[str], None] | None = None) -> Transcript:
    """The words in a recording, with timings and delivery; AudioError (one line) if unreadable."""
    samples = read_audio(path, SAMPLE_RATE)
    duration = len(samples) / SAMPLE_RATE
    if duration > MAX_AUDIO_SECONDS:
        raise AudioError(f"{path}: {duration:.0f} s of audio; the limit is {MAX_AUDIO_SECONDS} s")
    if progress and not model_loaded():
        progress("loading the speech model (first recording only)")
    model = load_model()
    if progress:
        progress("transcribing")
    with _lock:
        segments, _info = model.transcribe(
            samples,
            language="en",
            word_timestamps=True,
            initial_prompt=FILLER_PROMPT,
            condition_on_previous_text=False,  # no loops of repeated text over long answers
            vad_filter=True,  # silence gives no words, not invented ones
        )
        segments = list(segments)
    words = [Word(word=w.word.strip(), start=round(w.start, 2), end=round(w.end, 2))
             for s in segments for w in (s.words or []) if w.word.strip()]  # fmt: skip
    text = " ".join(s.text.strip() for s in segments if s.text.strip())
    delivery = measure([TimedWord(w.word, w.start, w.end) for w in words], duration)
    return Transcript(text=text, duration_s=round(duration, 2), words=words, delivery=delivery)
