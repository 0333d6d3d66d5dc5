"""Interviewers' voices: each persona's `speech:` block, espeak-ng by default, piper only when installed;
and the speech model's files, joined and checked under the data folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.catalog import ROOT, load_personas
from simulator.models import PersonaSpeech
from simulator.voice import model_files
from simulator.voice.page import interviewer_audio
from simulator.voice.voices import speak, synthesiser
from tests.conftest import build_sample_session
from tests.voice_support import needs_speech_tools, seconds

pytestmark = needs_speech_tools


def test_every_shipped_interviewer_has_a_voice_of_their_own() -> None:
    personas = load_personas()
    voices = {(p.speech.espeak_voice, p.speech.pitch) for p in personas.values()}
    assert len(voices) == len(personas)


def test_each_voice_says_a_question(tmp_path: Path) -> None:
    for persona in load_personas().values():
        wav = speak("Tell me about a time you changed a team's mind.", persona.speech, tmp_path)
        assert 1.0 < seconds(wav) < 10.0, persona.id


def test_text_that_looks_like_an_option_is_said_not_obeyed(tmp_path: Path) -> None:
    wav = speak("--version -w /etc/passwd", PersonaSpeech(), tmp_path)
    assert wav.parent == tmp_path and seconds(wav) > 0.5


def test_the_same_words_are_made_once(tmp_path: Path) -> None:
    first = speak("Welcome to the loop.", PersonaSpeech(), tmp_path)
    stamp = first.stat().st_mtime_ns
    assert speak("Welcome  to the loop.", PersonaSpeech(), tmp_path) == first
    assert first.stat().st_mtime_ns == stamp


def test_piper_is_used_only_when_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"not really a model")
    speech = PersonaSpeech(piper_model=str(model))
    if shutil.which("piper") is None:
        assert synthesiser(speech).name == "espeak-ng"  # GPL piper is an optional extra
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "piper").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "piper").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}:/usr/bin:/bin")
    assert synthesiser(speech).name == "piper"
    assert synthesiser(PersonaSpeech()).name == "espeak-ng"  # no piper voice named: espeak-ng


def test_what_the_interviewers_said_since_the_answer_is_one_wav(tmp_path: Path) -> None:
    session = build_sample_session()
    personas = load_personas()
    last_candidate = max(i for i, t in enumerate(session.turns) if t.speaker == "candidate")
    said = [t for t in session.turns[last_candidate + 1 :] if t.speaker in personas]
    assert said, "the sample session ends with an interviewer speaking"
    wav = interviewer_audio(session, personas)
    assert wav is not None and seconds(wav) > 1.0


def test_a_persona_with_a_bad_voice_is_refused_naming_the_field(tmp_path: Path) -> None:
    folder = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", folder)
    path = folder / "team_member.yaml"
    data = yaml.safe_load(path.read_text())
    data["speech"] = {"espeak_voice": "en; rm -rf /", "rate_wpm": 900}
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    run = subprocess.run(
        [sys.executable, "-m", "simulator", "personas", "check", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 2
    assert "speech.espeak_voice" in run.stderr and "speech.rate_wpm" in run.stderr


def test_a_persona_without_a_speech_block_gets_the_default_voice(tmp_path: Path) -> None:
    folder = tmp_path / "personas"
    shutil.copytree(ROOT / "personas", folder)
    path = folder / "skip_level.yaml"
    data = yaml.safe_load(path.read_text())
    del data["speech"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert load_personas(folder)["skip_level"].speech == PersonaSpeech()


def test_the_model_is_joined_checked_and_rebuilt_when_damaged(tmp_path: Path) -> None:
    folder = model_files.model_folder(tmp_path)
    model = folder / "model.bin"
    assert model.stat().st_size == model_files.MODEL_BYTES
    assert {p.name for p in folder.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.txt",
    }
    with model.open("r+b") as handle:  # a copy cut short (a full disk, a crash)
        handle.truncate(1000)
    assert model_files.model_folder(tmp_path) == folder
    assert model.stat().st_size == model_files.MODEL_BYTES
    assert not list(folder.glob("*.partial"))
