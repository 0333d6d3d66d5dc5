"""The page's voice handlers, called as Gradio calls them: what the user sees when a recording cannot
be used (the typed answer is never touched), and the voices setting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.store import Store
from simulator.ui.actions import PageContext
from simulator.voice.ui_parts import VoiceControls


@pytest.fixture
def voice(tmp_path: Path) -> Iterator[VoiceControls]:
    with Store(tmp_path / "s.db") as store:
        yield VoiceControls(PageContext(store=store))


def is_skip(value: object) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update" and len(value) == 1


def test_a_file_that_is_not_audio_is_a_plain_message_and_the_typed_answer_stays(
    voice: VoiceControls, tmp_path: Path
) -> None:
    upload = tmp_path / "upload.wav"
    upload.write_text("not sound at all")
    answer, pending, notice, mic = voice.on_recording(str(upload), "My typed answer", False, "s1")
    assert is_skip(answer) and is_skip(pending)  # the box keeps what was typed
    assert "That recording could not be used: not audio this program can read" in notice
    assert "rt-notice-error" in notice and mic is None
    assert not upload.exists()  # not kept: the user did not ask to keep recordings


def test_an_empty_recording_and_no_recording_say_what_to_do(voice: VoiceControls, tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert "the file is empty" in voice.on_recording(str(empty), "", False, "s1")[2]
    assert "press Record, speak, then Stop" in voice.on_recording(None, "typed", False, "s1")[2]


def test_voices_off_or_no_session_plays_nothing(voice: VoiceControls) -> None:
    assert all(is_skip(v) for v in voice.on_speak("", True))
    assert all(is_skip(v) for v in voice.on_speak("abc", False))


def test_an_unknown_session_is_a_message_not_a_crash(voice: VoiceControls) -> None:
    audio, notice = voice.on_speak("no-such-session", True)
    assert is_skip(audio) and notice


def test_deleting_recordings_says_how_many_went(voice: VoiceControls, roundtwo_home: Path) -> None:
    folder = roundtwo_home / "recordings" / "s1"
    folder.mkdir(parents=True)
    (folder / "answer-1.wav").write_bytes(b"RIFF")
    (folder / "answer-2.wav").write_bytes(b"RIFF")
    assert "Deleted 2 kept recordings." in voice.on_delete()
    assert not folder.exists()
    assert "Deleted 0 kept recordings." in voice.on_delete()
