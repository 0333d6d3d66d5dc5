"""Reading a recording into samples, with one plain line for anything that is not usable audio."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.limits import MAX_AUDIO_BYTES, MAX_AUDIO_SECONDS, size_label


class AudioError(ValueError):
    """The file is not a recording we can use; the message is the one line a user sees."""


def _probe_seconds(path: Path) -> float | None:
    """The container's stated length, read without decoding (None when it does not say)."""
    import av

    with av.open(str(path)) as container:
        if container.duration is not None:
            return container.duration / 1_000_000  # av.time_base: microseconds
        streams = [s for s in container.streams if s.type == "audio"]
        if not streams:
            raise AudioError(f"{path}: has no audio track")
        stream = streams[0]
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
    return None


def read_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Mono float32 samples at `sample_rate`. AudioError naming the file when it cannot be used."""
    try:
        if not path.is_file():
            raise AudioError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if size == 0:
        raise AudioError(f"{path}: the file is empty")
    if size > MAX_AUDIO_BYTES:
        raise AudioError(
            f"{path}: {size_label(size)}; the limit for a recording is {size_label(MAX_AUDIO_BYTES)}"
        )
    from av.error import FFmpegError
    from faster_whisper import decode_audio

    try:
        stated = _probe_seconds(path)
        if stated is not None and stated > MAX_AUDIO_SECONDS + 1:
            raise AudioError(f"{path}: {stated:.0f} s of audio; the limit is {MAX_AUDIO_SECONDS} s")
        samples = decode_audio(str(path), sampling_rate=sample_rate)
    except AudioError:
        raise
    except (FFmpegError, OSError, ValueError, IndexError, RuntimeError) as exc:
        raise AudioError(f"{path}: not audio this program can read ({type(exc).__name__})") from None
    if len(samples) == 0:
        raise AudioError(f"{path}: the recording holds no sound (0 seconds)")
    return samples
