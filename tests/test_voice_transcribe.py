"""The transcriber and `python -m simulator transcribe`, on recordings made here by espeak-ng and sox.

The model loads once for the module (the CLI runs in-process through main(), as the console
script does); the exit-code tests that never reach the model run as real subprocesses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from simulator.catalog import ROOT
from simulator.cli.main import main
from simulator.limits import MAX_AUDIO_SECONDS
from simulator.voice import transcriber
from tests.voice_support import joined, needs_speech_tools, say, silence

pytestmark = needs_speech_tools

STORY = "Last year I led the migration of our billing system. Errors fell by forty percent."
EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("wavs")
    first = say(folder / "first.wav", "I owned the migration.")
    second = say(folder / "second.wav", "It finished two weeks early.")
    files = {
        "story": say(folder / "story.wav", STORY),
        "pause": joined(folder / "pause.wav", first, silence(folder / "gap.wav", 2.0), second),
        "silence": silence(folder / "silence.wav", 3.0),
        "fillers": say(folder / "fillers.wav", "Um, I, uh, fixed the build. Um, it took a day."),
    }
    (folder / "notes.wav").write_text("these are my notes, not a recording\n")
    (folder / "empty.wav").write_bytes(b"")
    files["not_audio"], files["empty"] = folder / "notes.wav", folder / "empty.wav"
    return files


@pytest.fixture(scope="module")
def heard(wavs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Each speaking recording through the CLI's --json, in one process: the model loads once."""
    out = {}
    for name in ("story", "pause", "silence", "fillers"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("ROUNDTWO_HOME", str(tmp_path_factory.getbasetemp() / "voice-home"))
            capture = tmp_path_factory.mktemp(name) / "out.json"
            mp.setattr(sys, "stdout", capture.open("w"))
            code = main(["transcribe", str(wavs[name]), "--json"])
            sys.stdout.close()
        assert code == 0
        out[name] = json.loads(capture.read_text())
    return out


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"ROUNDTWO_HOME": str(home), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_json_has_the_contracted_shape(heard: dict[str, dict]) -> None:
    story = heard["story"]
    assert set(story) == {"text", "duration_s", "words", "delivery"}
    assert {"words_per_minute", "pauses", "fillers", "fillers_per_minute"} <= set(story["delivery"])
    assert all(set(w) == {"word", "start", "end"} for w in story["words"])
    assert story["words"] == sorted(story["words"], key=lambda w: w["start"])
    assert 4.0 < story["duration_s"] < 8.0


def test_the_words_are_heard(heard: dict[str, dict]) -> None:
    text = heard["story"]["text"].lower()
    for word in ("migration", "errors", "fell"):  # espeak-ng's "billing" is often heard as "building"
        assert word in text
    assert "forty" in text or "40" in text
    assert 100 < heard["story"]["delivery"]["words_per_minute"] < 260


def test_a_two_second_pause_is_found_where_it_is(heard: dict[str, dict]) -> None:
    pauses = heard["pause"]["delivery"]["pauses"]
    assert len(pauses) == 1
    assert 1.6 <= pauses[0]["length_s"] <= 2.6  # Whisper's word timings are good to 0.1-0.3 s
    first_end = next(w["end"] for w in heard["pause"]["words"] if "migration" in w["word"].lower())
    assert pauses[0]["at_s"] == pytest.approx(first_end, abs=0.01)


def test_silence_gives_no_words_rather_than_invented_ones(heard: dict[str, dict]) -> None:
    assert heard["silence"]["text"] == ""
    assert heard["silence"]["words"] == []
    assert heard["silence"]["duration_s"] == pytest.approx(3.0, abs=0.05)


def test_fillers_are_heard_and_counted(heard: dict[str, dict]) -> None:
    delivery = heard["fillers"]["delivery"]
    assert sum(delivery["fillers"].values()) >= 2, heard["fillers"]["text"]
    assert delivery["fillers_per_minute"] > 0


def test_fillers_never_reach_the_grade_of_a_scripted_spoken_answer(
    wavs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], heard: dict[str, dict]
) -> None:
    """The grader reads the story: the answer turn holds the transcript without "um"/"uh" (the
    offline grader's STAR parts did move a little with them), while the delivery counts them."""
    (tmp_path / "fillers.wav").write_bytes(wavs["fillers"].read_bytes())
    script = script_with(tmp_path, {"audio": "fillers.wav"})
    assert main(["run", "--script", str(script), "--db", str(tmp_path / "s.db"), "--json"]) == 0
    spoken = next(t for t in json.loads(capsys.readouterr().out)["turns"] if t["kind"] == "answer")
    assert "fixed" in spoken["text"].lower()
    assert not {"um", "uh", "um,", "uh,"} & set(spoken["text"].lower().split()), spoken["text"]
    assert sum(spoken["delivery"]["fillers"].values()) >= 2


def test_plain_output_is_the_transcript(wavs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["transcribe", str(wavs["pause"])]) == 0
    out = capsys.readouterr().out.strip()
    assert "migration" in out.lower() and "early" in out.lower()
    assert transcriber.model_loaded()


@pytest.mark.parametrize(
    ("name", "says"),
    [("not_audio", "not audio this program can read"), ("empty", "the file is empty")],
)
def test_unreadable_audio_exits_2_with_one_line(
    wavs: dict[str, Path], tmp_path: Path, name: str, says: str
) -> None:
    run = cli("transcribe", str(wavs[name]), "--json", home=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and says in run.stderr and str(wavs[name]) in run.stderr
    assert not (tmp_path / "models").exists()  # refused before the model was touched


def test_a_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    run = cli("transcribe", str(tmp_path / "nowhere.wav"), home=tmp_path)
    assert run.returncode == 2 and "nowhere.wav: no such file" in run.stderr


def test_audio_longer_than_the_limit_exits_2_before_it_is_decoded(tmp_path: Path) -> None:
    long = silence(tmp_path / "long.wav", MAX_AUDIO_SECONDS + 5, rate=8000)
    run = cli("transcribe", str(long), home=tmp_path)
    assert run.returncode == 2
    assert f"the limit is {MAX_AUDIO_SECONDS} s" in run.stderr and run.stderr.count("\n") == 1


# ---------------------------------------------------------------- scripts with recorded answers


def script_with(tmp_path: Path, first_answer: object) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["answers"] = [first_answer, *data["answers"][1:3]]
    data["panel"] = ["hiring_manager"]
    data["minutes"] = {"hiring_manager": 10}
    path = tmp_path / "spoken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_script_may_answer_with_a_recording_graded_with_its_delivery(
    wavs: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], heard: dict[str, dict]
) -> None:
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "story.wav").write_bytes(wavs["story"].read_bytes())
    script = script_with(tmp_path, {"audio": "audio/story.wav"})  # relative to the script's folder
    assert main(["run", "--script", str(script), "--db", str(tmp_path / "s.db"), "--json"]) == 0
    session = json.loads(capsys.readouterr().out)
    answers = [t for t in session["turns"] if t["kind"] == "answer"]
    spoken, typed = answers[0], answers[1]
    assert "migration" in spoken["text"].lower()
    assert spoken["grade"]["status"] == "graded"
    assert spoken["delivery"]["words_per_minute"] > 0
    assert set(spoken["delivery"]) >= {"words_per_minute", "pauses", "fillers", "fillers_per_minute"}
    assert typed["delivery"] is None


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ({"audio": "notes.wav"}, "answers[0].audio: "),
        ({"audio": "silence.wav"}, "answers[0].audio: no speech heard"),
        (
            {"audio": "story.wav", "speed": 2},
            "answers: item 1: a recorded answer is {audio: PATH} and nothing else (unknown: speed)",
        ),
    ],
)
def test_a_script_recording_that_cannot_be_used_exits_2_before_any_session(
    wavs: dict[str, Path],
    tmp_path: Path,
    item: dict,
    says: str,
    heard: dict[str, dict],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("not_audio", "silence", "story"):
        target = tmp_path / ("notes.wav" if name == "not_audio" else wavs[name].name)
        target.write_bytes(wavs[name].read_bytes())
    script = script_with(tmp_path, item)
    db = tmp_path / "s.db"
    assert main(["run", "--script", str(script), "--db", str(db)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and says in error and "spoken.yaml" in error
    assert not db.exists() or subprocess.run(
        ["sqlite3", str(db), "select count(*) from sessions"], capture_output=True, text=True
    ).stdout.strip() in ("", "0")


# ---------------------------------------------------------------- the page's recordings


def test_a_page_recording_is_deleted_once_transcribed_unless_kept(
    wavs: dict[str, Path], tmp_path: Path, heard: dict[str, dict]
) -> None:
    from simulator.voice.page import VoiceError, delete_recordings, recordings_folder, transcribe_recording

    upload = tmp_path / "upload.wav"
    upload.write_bytes(wavs["fillers"].read_bytes())
    text, delivery = transcribe_recording(str(upload), "Typed first.", keep=False, session_id="s1")
    assert text.startswith("Typed first. ") and "fixed" in text.lower()
    assert "um" not in text.lower().replace(",", " ").split()
    assert sum(delivery["fillers"].values()) >= 2
    assert not upload.exists() and not recordings_folder().exists()

    upload.write_bytes(wavs["story"].read_bytes())
    transcribe_recording(str(upload), "", keep=True, session_id="s1")
    kept = list((recordings_folder() / "s1").iterdir())
    assert len(kept) == 1 and not upload.exists()
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert delete_recordings() == 1 and not recordings_folder().exists()

    # What cannot be used is a plain message; the typed text is the caller's to keep.
    upload.write_bytes(b"not a recording")
    with pytest.raises(VoiceError, match="could not be used: not audio"):
        transcribe_recording(str(upload), "Typed first.", keep=False, session_id="s1")
    upload.write_bytes(wavs["silence"].read_bytes())
    with pytest.raises(VoiceError, match="No speech heard"):
        transcribe_recording(str(upload), "", keep=False, session_id="s1")
