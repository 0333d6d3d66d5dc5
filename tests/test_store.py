"""The session store, used the way the orchestrator, the CLI and the page use it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.models import AnswerGrade, GraderInfo, Session, StarComponent
from simulator.session_json import MAX_IMPORT_BYTES
from simulator.store import InvalidImport, SessionNotFound, Store, StoreError, TurnNotFound

REPO = Path(__file__).resolve().parent.parent


def _blank(session: Session, **changes: object) -> Session:
    """The session as it is when the interview starts: no turns, no report yet."""
    fields: dict[str, object] = {
        "status": "in_progress",
        "turns": [],
        "handoff_notes": [],
        "scorecards": [],
        "debrief": [],
        "checklist": [],
        "wrap_up_signs": [],
        "thank_you": [],
        "usage": {},
    }
    fields.update(changes)
    return session.model_copy(update=fields)


def _counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("sessions", "turns", "regrades")
        }
    finally:
        db.close()


def _regrade(overall: int, rubric: str) -> AnswerGrade:
    return AnswerGrade(
        status="graded",
        overall=overall,
        structure=0.7,
        star={"result": StarComponent(score=0.8, evidence=["invoices went out forty minutes late"])},
        feedback=["The result is specific and measured."],
        grader=GraderInfo(engine="offline", model="rules", rubric_version=rubric),
    )


# ---------------------------------------------------------------- saving as the interview runs


def test_default_location_is_under_roundtwo_home(roundtwo_home: Path, sample_session: Session) -> None:
    with Store() as store:
        store.create(sample_session, {})
    assert (roundtwo_home / "sessions.db").is_file()


def test_turns_appended_one_by_one_survive_a_restart(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "sessions.db"
    with Store(path) as store:
        store.create(_blank(sample_session), {"slot": 0, "phase": "questions"})
        for turn in sample_session.turns:
            notes = sample_session.handoff_notes if turn.kind == "handoff" else None
            store.append_turn(sample_session.id, turn, {"slot": 0, "next_index": turn.index + 1}, notes)

    with Store(path) as store:  # a new process, as after a crash or a restart
        running = store.load(sample_session.id)
        assert store.load_state(sample_session.id) == {"slot": 0, "next_index": len(sample_session.turns)}
        store.close_session(sample_session)

    assert running.status == "in_progress"
    assert running.turns == sample_session.turns
    assert running.handoff_notes == sample_session.handoff_notes
    with Store(path) as store:
        assert store.load(sample_session.id) == sample_session
        [summary] = store.list()
    assert summary.status == "complete"
    assert summary.verdict == "lean_no"  # one "hire", one "lean no": a split panel leans cautious
    assert summary.answers == 5
    assert summary.panel == ["hiring_manager", "team_member"]


def test_a_grade_added_after_the_turn_is_saved(tmp_path: Path, sample_session: Session) -> None:
    answer = sample_session.turns[2]
    ungraded = answer.model_copy(update={"grade": None})
    with Store(tmp_path / "s.db") as store:
        store.create(_blank(sample_session), {})
        store.append_turn(sample_session.id, sample_session.turns[0], {"n": 1})
        store.append_turn(sample_session.id, sample_session.turns[1], {"n": 2})
        store.append_turn(sample_session.id, ungraded, {"n": 3})
        store.update_turn(sample_session.id, answer, {"n": 3, "graded": True})
        saved = store.load(sample_session.id)
        assert store.load_state(sample_session.id) == {"n": 3, "graded": True}
        with pytest.raises(TurnNotFound, match="no turn 40"):
            store.update_turn(sample_session.id, answer.model_copy(update={"index": 40}), {})
    assert saved.turns[2].grade == answer.grade


def test_appending_to_a_missing_session_or_twice_is_refused(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.create(_blank(sample_session), {"n": 0})
        store.append_turn(sample_session.id, sample_session.turns[0], {"n": 1})
        with pytest.raises(SessionNotFound, match="no session 'feedfacecafe'"):
            store.append_turn("feedfacecafe", sample_session.turns[1], {"n": 2})
        with pytest.raises(ValueError, match="already has a turn 0"):
            store.append_turn(sample_session.id, sample_session.turns[0], {"n": 99})
        with pytest.raises(ValueError, match="already exists"):
            store.create(_blank(sample_session), {})
        assert store.load_state(sample_session.id) == {"n": 1}  # the refused append changed nothing
    assert _counts(path) == {"sessions": 1, "turns": 1, "regrades": 0}


def test_database_is_in_wal_mode(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.create(sample_session, {})
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


_WRITER = textwrap.dedent(
    """
    import sys
    from simulator.models import Job, Plan, Session, Slot, Turn
    from simulator.store import Store

    LINES = [
        ("hiring_manager", "question", "Tell me about the last outage you were on call for."),
        ("candidate", "answer", "The payments queue backed up at 2am; I drained it and paged the owner."),
        ("hiring_manager", "follow_up", "What did you change afterwards so it would not happen again?"),
        ("candidate", "answer", "I added an alert on queue age; it caught the next backlog in four minutes."),
    ]
    store = Store(sys.argv[1])
    session = Session(
        id="c0ffee000001",
        created_at="2025-03-04T10:00:00+00:00",
        job=Job(title="Site Reliability Engineer", company="Harbour Bank", description="Keep payments up."),
        plan=Plan(slots=[Slot(persona_id="hiring_manager", minutes=30)]),
    )
    store.create(session, {"next_index": 0})
    index = 0
    while True:  # until killed
        speaker, kind, text = LINES[index % len(LINES)]
        turn = Turn(index=index, speaker=speaker, persona_id="hiring_manager", kind=kind, text=text,
                    at_minute=index * 0.4, slot_minute=index * 0.4, duration=0.4)
        store.append_turn(session.id, turn, {"next_index": index + 1})
        print(index, flush=True)
        index += 1
    """
)


def test_killing_the_process_mid_session_keeps_every_committed_turn(tmp_path: Path) -> None:
    path = tmp_path / "killed.db"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported = -1
    try:
        assert child.stdout is not None
        while reported < 40:
            line = child.stdout.readline()
            if not line:
                break
            reported = int(line)
        child.send_signal(signal.SIGKILL)  # no cleanup, no atexit: as if the machine lost the process
    finally:
        child.kill()
        _, stderr = child.communicate()
    assert reported >= 40, stderr
    assert child.returncode == -signal.SIGKILL

    with Store(path) as store:
        session = store.load("c0ffee")
        state = store.load_state(session.id)
    assert len(session.turns) > reported  # every turn the writer reported as committed
    assert [t.index for t in session.turns] == list(range(len(session.turns)))
    assert state == {"next_index": len(session.turns)}  # turn and state were committed together
    assert session.turns[1].text.startswith("The payments queue backed up")


# ---------------------------------------------------------------- finding sessions


def test_load_by_id_or_unique_prefix(tmp_path: Path, sample_session: Session) -> None:
    with Store(tmp_path / "s.db") as store:
        store.create(sample_session, {})
        store.create(sample_session.model_copy(update={"id": "5e55b0000000"}), {})
        assert store.load("5e55a0c1d2e3").id == "5e55a0c1d2e3"
        assert store.load("5e55a").id == "5e55a0c1d2e3"
        assert store.resolve("5e55b") == "5e55b0000000"
        with pytest.raises(SessionNotFound) as ambiguous:
            store.load("5e55")
        with pytest.raises(SessionNotFound) as short:
            store.load("5e5")
        with pytest.raises(SessionNotFound) as missing:
            store.load("abcd")
    assert str(ambiguous.value) == "'5e55' matches more than one session: give more of the id"
    assert "at least 4 characters" in str(short.value)
    assert str(missing.value) == "no session matches 'abcd'"
    assert isinstance(missing.value, KeyError)


def test_list_is_newest_first_and_searches_title_company_and_transcript(
    tmp_path: Path, sample_session: Session
) -> None:
    older = _blank(
        sample_session,
        id="0ld000000001",
        created_at="2025-01-10T09:00:00+00:00",
        job=sample_session.job.model_copy(update={"title": "Ingénieure Données", "company": "Brisant SA"}),
    )
    newest = _blank(
        sample_session,
        id="new000000001",
        created_at="2025-05-01T09:00:00+00:00",
        job=sample_session.job.model_copy(
            update={"title": "Analytics Engineer", "company": "Quayside Health"}
        ),
    )
    with Store(tmp_path / "s.db") as store:
        for session in (older, sample_session, newest):
            store.create(session, {})
        everything = store.list()
        by_title = store.list("INGÉNIEURE")
        by_company = store.list("quayside")
        by_words = store.list("Kafka")
        nothing = store.list("blockchain")
        limited = store.list(limit=1)
        blank_query = store.list("   ")

    assert [s.id for s in everything] == ["new000000001", "5e55a0c1d2e3", "0ld000000001"]
    assert [s.id for s in by_title] == ["0ld000000001"]
    assert [s.id for s in by_company] == ["new000000001"]
    assert [s.id for s in by_words] == ["5e55a0c1d2e3"]  # only that session mentions Kafka
    assert nothing == []
    assert [s.id for s in limited] == ["new000000001"]
    assert len(blank_query) == 3
    middle = everything[1]
    assert (middle.job_title, middle.company, middle.answers) == (
        "Senior Data Engineer",
        "Tidewater Logistics",
        5,
    )
    assert everything[0].answers == 0 and everything[0].verdict is None


def test_delete_removes_turns_and_regrades_and_nothing_else(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "s.db"
    other = sample_session.model_copy(update={"id": "a11ce0000001"})
    with Store(path) as store:
        store.create(sample_session, {})
        store.create(other, {})
        store.add_regrade(sample_session.id, 2, _regrade(5, "star@2"))
        store.add_regrade(other.id, 2, _regrade(3, "star@2"))
        assert store.delete(sample_session.id) is True
        assert store.delete(sample_session.id) is False
        with pytest.raises(SessionNotFound):
            store.load(sample_session.id)
        assert store.load(other.id).turns[2].regrades == [_regrade(3, "star@2")]
    db = sqlite3.connect(path)
    for table, column in (("turns", "session_id"), ("regrades", "session_id")):
        assert db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (sample_session.id,)
        ).fetchone() == (0,)
    assert _counts(path) == {"sessions": 1, "turns": len(other.turns), "regrades": 1}


# ---------------------------------------------------------------- re-grades


def test_regrades_are_saved_beside_the_original_oldest_first(tmp_path: Path, sample_session: Session) -> None:
    path = tmp_path / "s.db"
    original = sample_session.turns[2].grade
    with Store(path) as store:
        store.create(sample_session, {})
        store.add_regrade(sample_session.id, 2, _regrade(5, "star@2"))
        store.add_regrade(sample_session.id, 2, _regrade(3, "star@3"))
        with pytest.raises(TurnNotFound, match="has no turn 99"):
            store.add_regrade(sample_session.id, 99, _regrade(3, "star@3"))
        with pytest.raises(SessionNotFound):
            store.add_regrade("feedfacecafe", 2, _regrade(3, "star@3"))
    with Store(path) as store:
        turn = store.load(sample_session.id).turns[2]
    assert turn.grade == original
    assert [g.grader.rubric_version for g in turn.regrades] == ["star@2", "star@3"]
    assert [g.overall for g in turn.regrades] == [5, 3]
    rows = sqlite3.connect(path).execute("SELECT turn_idx, rubric_version, engine FROM regrades ORDER BY id")
    assert rows.fetchall() == [(2, "star@2", "offline"), (2, "star@3", "offline")]


# ---------------------------------------------------------------- export and import


def test_export_then_import_gives_back_the_same_session(tmp_path: Path, sample_session: Session) -> None:
    with Store(tmp_path / "a.db") as store:
        store.create(sample_session, {})
        store.add_regrade(sample_session.id, 2, _regrade(5, "star@2"))
        original = store.load(sample_session.id)
        exported = store.export_json(sample_session.id[:6])
        again_id = store.import_json(exported, "again.json")  # the id is taken: a fresh one
        again = store.load(again_id)

    envelope = json.loads(exported)
    assert (envelope["format"], envelope["version"]) == ("roundtwo.session", 1)
    assert envelope["session"]["turns"][2]["regrades"][0]["grader"]["rubric_version"] == "star@2"
    assert again_id != sample_session.id and len(again_id) == 12
    assert again == original.model_copy(update={"id": again_id})

    with Store(tmp_path / "b.db") as elsewhere:  # a fresh database keeps the original id
        assert elsewhere.import_json(exported, "session.json") == sample_session.id
        moved = elsewhere.load(sample_session.id)
        [summary] = elsewhere.list()
    assert moved == original
    assert moved.turns[2].regrades[0].overall == 5
    assert summary.verdict == "lean_no"


def _valid_export(session: Session) -> dict:
    return {"format": "roundtwo.session", "version": 1, "session": session.model_dump(mode="json")}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _hostile_cases(session: Session) -> dict[str, tuple[str, str]]:
    """name -> (file text, what the error message must say)."""
    cases: dict[str, tuple[str, str]] = {}
    good = json.dumps(_valid_export(session))

    def variant(name: str, expected: str, change: Callable[[dict], object]) -> None:
        data = _valid_export(session)
        change(data)
        cases[name] = (json.dumps(data), expected)

    cases["malformed"] = (
        '{"format": "roundtwo.session", "version": 1, session: {}}',
        "invalid JSON at line 1",
    )
    cases["truncated"] = (good[: len(good) // 2], "invalid JSON")
    cases["empty"] = ("  \n", "file is empty")
    cases["not an object"] = ("[1, 2, 3]", "expected a JSON object")
    cases["another program's file"] = (
        json.dumps({"format": "chatlog", "messages": []}),
        "format: not a Round Two",
    )
    cases["future version"] = (
        good.replace('"version": 1', '"version": 2', 1),
        "version: unsupported version 2",
    )
    cases["too big"] = (good[:-2] + " " * MAX_IMPORT_BYTES + "}}", "larger than 5 MB")
    cases["deeply nested"] = (good[:-2] + ', "usage": ' + _nested(100_000) + "}}", "nested more than")
    cases["nested a little too deep"] = (
        good.replace('"usage": {', '"usage": {"x": ' + _nested(40) + ", ", 1),
        "nested more than",
    )
    cases["NaN"] = (good.replace('"at_minute": 0.0', '"at_minute": NaN', 1), "NaN is not valid JSON")
    cases["integer with thousands of digits"] = (
        good.replace('"index": 0', '"index": 1' + "0" * 5000, 1),
        "invalid JSON",
    )
    cases["unpaired surrogate"] = (
        good.replace('"Senior Data Engineer"', '"Senior \\ud800 Engineer"', 1),
        "surrogate",
    )
    variant(
        "string for an int",
        "session.turns[0].index: Input should be a valid integer",
        lambda d: d["session"]["turns"][0].update(index="0"),
    )
    variant(
        "number for a title",
        "session.job.title: Input should be a valid string",
        lambda d: d["session"]["job"].update(title=42),
    )
    variant(
        "extra key in a turn",
        "session.turns[3].secret: unknown field",
        lambda d: d["session"]["turns"][3].update(secret="rm -rf"),
    )
    variant("extra top-level key", "exploit: unknown field", lambda d: d.update(exploit=True))
    variant(
        "turns out of order",
        "session.turns[3].index: 2 comes after 3",
        lambda d: d["session"]["turns"].insert(3, d["session"]["turns"].pop(2)),
    )
    variant(
        "duplicate turn index",
        "session.turns[3].index: 2 repeats an earlier turn's index",
        lambda d: d["session"]["turns"][3].update(index=2),
    )
    variant(
        "reply to a later turn",
        "session.turns[2].reply_to: 19 is not an earlier turn",
        lambda d: d["session"]["turns"][2].update(reply_to=19),
    )
    variant(
        "enormous turn index",
        "session.turns[20].index: 1000000000 is larger than",
        lambda d: d["session"]["turns"][20].update(index=10**9),
    )
    variant(
        "ungradable with a score",
        "an ungradable answer has a reason and no score",
        lambda d: d["session"]["turns"][8]["grade"].update(overall=4),
    )
    variant(
        "path in the id", "session.id: must be 4-64 lowercase", lambda d: d["session"].update(id="../../x")
    )
    variant("missing job", "session.job: Field required", lambda d: d["session"].pop("job"))
    return cases  # fmt: skip


def test_hostile_imports_are_rejected_with_one_line_and_change_nothing(
    tmp_path: Path, sample_session: Session
) -> None:
    path = tmp_path / "s.db"
    with Store(path) as store:
        store.create(sample_session, {"slot": 1})
        store.add_regrade(sample_session.id, 2, _regrade(4, "star@2"))
        before = _counts(path)
        failures = []
        for name, (text, expected) in _hostile_cases(sample_session).items():
            try:
                store.import_json(text, "hostile.json")
            except InvalidImport as exc:
                message = str(exc)
                if not message.startswith("hostile.json: ") or "\n" in message or expected not in message:
                    failures.append(f"{name}: {message}")
            else:
                failures.append(f"{name}: was imported")
        assert _counts(path) == before
        assert store.load(sample_session.id).turns[2].regrades[0].grader.rubric_version == "star@2"
    assert failures == []


def test_invalid_import_names_its_field(sample_session: Session) -> None:
    data = _valid_export(sample_session)
    data["session"]["plan"]["pressure"] = "brutal"
    with Store() as store, pytest.raises(InvalidImport) as caught:
        store.import_json(json.dumps(data), "panel.json")
    assert caught.value.source == "panel.json"
    assert caught.value.field == "session.plan.pressure"
    assert isinstance(caught.value, ValueError)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my interview notes, not a database\n" * 50)
    with pytest.raises(StoreError, match=r"notes\.db: not a usable session database"):
        Store(path)


def test_usage_is_saved_while_the_session_runs(tmp_path: Path, sample_session: Session) -> None:
    usage = {"openai": {"calls": 3, "tokens_in": 1200, "tokens_out": 300, "estimated_cost": 0.0004}}
    with Store(tmp_path / "u.db") as store:
        store.create(sample_session.model_copy(update={"status": "in_progress"}), {})
        store.save_usage(sample_session.id, usage)
    with Store(tmp_path / "u.db") as store:
        assert store.load(sample_session.id).usage == usage


# ---------------------------------------------------------------- private files, secrets, bad sessions


def test_the_database_is_private_to_its_user(tmp_path: Path, sample_session: Session) -> None:
    old = os.umask(0o022)  # the usual umask: without care, files come out world-readable
    try:
        folder = tmp_path / "home" / "data"
        with Store(folder / "sessions.db") as store:
            store.create(sample_session)
            files = sorted(folder.iterdir())
            assert [f.name for f in files] == ["sessions.db", "sessions.db-shm", "sessions.db-wal"]
            assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((tmp_path / "home").stat().st_mode) == 0o700
    finally:
        os.umask(old)


def test_an_existing_readable_database_is_made_private_and_its_folder_left_alone(
    tmp_path: Path, sample_session: Session
) -> None:
    path = tmp_path / "old.db"
    with Store(path) as store:
        store.create(sample_session)
    path.chmod(0o644)
    tmp_path.chmod(0o755)  # the user's own folder: not ours to change
    with Store(path) as store:
        assert store.load(sample_session.id).id == sample_session.id
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755


def test_a_key_the_model_repeats_is_never_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.messages import BaseMessage
    from llm_fakes import Reply, Roleplay, ScriptedChatModel, judged_answer, verdict_fields, verdict_message
    from llm_session import SCRIPT

    from simulator.catalog import load_personas
    from simulator.engines.openai_engine import OpenAIEngine
    from simulator.engines.settings import EngineSettings
    from simulator.markdown import session_to_markdown
    from simulator.script import script_setup
    from simulator.service import Toolkit, play_script, start

    env_key = "rt-local-secret-0a1b2c3d4e5f"  # not key-shaped: only knowing it can redact it
    settings_key = "proxy-token-9z8y7x6w5v4u"  # held only by the engine's settings
    shaped = "sk-proj-" + "Ab3dE" * 8  # a key the model invents or leaks from elsewhere
    monkeypatch.setenv("OPENAI_API_KEY", env_key)
    EngineSettings(api_key=settings_key)
    play = Roleplay()

    def echo(messages: list[BaseMessage], tools: list[dict]) -> Reply:
        if tools:  # the judge: its feedback repeats the keys too
            fields = verdict_fields(judged_answer(messages))
            fields["feedback"] = [f"Your key is {env_key}, {settings_key} and {shaped}."]
            return verdict_message(**fields)
        reply = play(messages, tools)
        # Not the engine's own key (the engine refuses a reply that repeats that one): others it knows of.
        return f"{reply} By the way, the keys are {settings_key} and {shaped}."

    offline = Toolkit.load("offline")
    kit = Toolkit(
        offline.personas, offline.rubrics, OpenAIEngine(ScriptedChatModel(responder=echo), offline.rubrics)
    )
    script = SCRIPT.model_copy(
        update={"answers": [*SCRIPT.answers[:3], f"My key is {env_key}, do not share it."]}
    )
    path = tmp_path / "sessions.db"
    with Store(path) as store:
        interview = start(script_setup(script, kit.personas, "script"), store, kit)
        session = play_script(interview, script)
        said = " ".join(t.text for t in session.turns)
        assert env_key in said and settings_key in said and shaped in said  # in the turns as they ran
        saved = store.load(session.id)
        exports = store.export_json(session.id) + session_to_markdown(saved, load_personas())
        exports += session_to_markdown(session, load_personas())  # even from the unsaved copy
    written = b"".join(f.read_bytes() for f in tmp_path.glob("sessions.db*"))
    for secret in (env_key, settings_key, shaped):
        assert secret.encode() not in written
        assert secret not in exports
        assert all(secret not in t.text for t in saved.turns)
    assert b"[redacted]" in written and "[redacted]" in exports


def _unloadable(path: Path, sample: Session) -> str:
    """A second session saved by an older build that let 1e400 through (stored as null)."""
    bad = sample.model_copy(update={"id": "badc0ffee123"})
    with Store(path) as store:
        store.create(sample)
        store.create(bad)
    db = sqlite3.connect(path)
    (turn_text,) = db.execute("SELECT turn FROM turns WHERE session_id = ? AND idx = 1", (bad.id,)).fetchone()
    turn = json.loads(turn_text)
    turn["at_minute"] = None
    db.execute("UPDATE turns SET turn = ? WHERE session_id = ? AND idx = 1", (json.dumps(turn), bad.id))
    db.commit()
    db.close()
    return bad.id


def test_the_cli_works_around_a_session_that_no_longer_loads_and_can_delete_it(
    tmp_path: Path, sample_session: Session
) -> None:
    path = tmp_path / "sessions.db"
    bad_id = _unloadable(path, sample_session)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "simulator", "sessions", *args, "--db", str(path)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=60,
        )

    listed = cli("list", "--json")
    assert listed.returncode == 0 and {s["id"] for s in json.loads(listed.stdout)} == {
        bad_id,
        sample_session.id,
    }
    for command in (("show", sample_session.id), ("export", sample_session.id, "--format", "md")):
        assert cli(*command).returncode == 0, command
    for command in (("show", bad_id), ("export", bad_id, "--format", "json"), ("regrade", bad_id)):
        failed = cli(*command)
        assert failed.returncode == 2, (command, failed.stderr)
        assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
        assert f"session {bad_id} cannot be read (turns.1.at_minute" in failed.stderr
        assert "errors.pydantic.dev" not in failed.stderr
    deleted = cli("delete", bad_id, "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert [s["id"] for s in json.loads(cli("list", "--json").stdout)] == [sample_session.id]


def test_the_data_folder_is_made_private_even_when_an_older_build_left_it_open(
    roundtwo_home: Path, sample_session: Session
) -> None:
    roundtwo_home.mkdir()
    roundtwo_home.chmod(0o755)  # as an older build left it
    with Store() as store:
        store.create(sample_session)
    assert stat.S_IMODE(roundtwo_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((roundtwo_home / "sessions.db").stat().st_mode) == 0o600
