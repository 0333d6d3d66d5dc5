"""Hostile imports: a payload in every field an export can hold, generated from the models.

The list of fields is walked from `Session`'s annotations, so a field added to the models is
covered without touching this file (and the test fails until the sample below holds one). Each text
field gets markup that would run script if drawn as HTML; each number gets 1e400 (infinite once
parsed). The import must either refuse the file with one line naming the field, or keep the payload
as inert text in everything the page draws.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from pydantic import BaseModel

from simulator.catalog import CatalogError, load_personas, load_rubrics
from simulator.models import SchemaOf, Session
from simulator.session_json import dump_session
from simulator.store import InvalidImport, SessionUnreadable, Store
from simulator.ui import feedback_render, render
from simulator.ui.actions import PageContext, export_files, export_stem, import_session, score_history

PAYLOAD = '<img src=x onerror="window.__xss=1">'
HUGE = "__HUGE_NUMBER__"
Path_ = tuple[str, ...]  # keys; "[]" any list item, "{}" any dict value, "{key}" the dict's keys


# ---------------------------------------------------------------- the fields, from the models


def _leaves(annotation: Any, path: Path_, metadata: list[Any] | None = None) -> Iterator[tuple[Path_, str]]:
    """(path, "text" | "number") for every leaf a Session can hold. Raises on a field with no schema."""
    for marker in metadata or []:
        if isinstance(marker, SchemaOf):
            yield from _leaves(marker.shape, path)
            return
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        yield from _leaves(args[0], path, list(annotation.__metadata__))
    elif origin in (Union, types.UnionType):
        for arg in args:
            if arg is not type(None):
                yield from _leaves(arg, path)
    elif origin is list:
        yield from _leaves(args[0], (*path, "[]"))
    elif origin is dict:
        if args and (args[0] is str or get_origin(args[0]) is Literal):
            yield (*path, "{key}"), "text"
        yield from _leaves(args[1] if args else Any, (*path, "{}"))
    elif origin is Literal or annotation is str:
        yield path, "text"
    elif annotation is bool:
        return
    elif annotation in (int, float):
        yield path, "number"
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, info in annotation.model_fields.items():
            yield from _leaves(info.annotation, (*path, name), list(info.metadata))
    else:
        raise AssertionError(
            f"{'.'.join(path)} has no schema ({annotation!r}): an import could put anything there"
        )


LEAVES = sorted(set(_leaves(Session, ())))


# ---------------------------------------------------------------- a sample that holds every field


def _rich_export(sample: Session) -> dict[str, Any]:
    data = json.loads(dump_session(sample))
    session = data["session"]
    answer = next(t for t in session["turns"] if t["kind"] == "answer" and t["grade"])
    answer["note"] = "the model timed out; graded offline"
    answer["follow_up_reason"] = "result"
    answer["question_id"] = "hm_story"
    answer["category"] = "behavioural"
    answer["grade"]["dimensions"] = {"clarity": 0.5}
    answer["grade"]["consistency"]["matched_round_one"] = "Tell me about a project."
    answer["grade"]["consistency"]["findings"] = [
        {
            "kind": "contradiction",
            "category": "team_size",
            "round_two_quote": "a team of 12",
            "round_one_quote": "a team of 5",
            "explanation": "the team grew between the rounds",
        }
    ]
    answer["grade"]["reason"] = "a reason"
    answer["grade"]["grader"]["prompt_hash"] = "abc123"
    answer["grade"]["flags"] = answer["grade"]["flags"] or ["no_result"]
    answer["grade"]["rationale"] = "the judge's reasoning"
    answer["regrades"] = [json.loads(json.dumps(answer["grade"]))]
    answer["reply_grade"] = {
        "label": "evasive",
        "quote": "people always want to feel heard",
        "reason": "It talks around the result in general terms instead of giving it.",
        "asked": "the result",
        "rationale": "the judge's reasoning",
        "grader": {
            "engine": "openai",
            "model": "judge",
            "rubric_version": "replies@1.0",
            "prompt_hash": "abc",
        },
    }
    answer["reply_regrades"] = [json.loads(json.dumps(answer["reply_grade"]))]
    answer["delivery"] = {
        "words_per_minute": 142.0,
        "pauses": [{"at_s": 12.5, "length_s": 2.1}],
        "fillers": {"um": 3},
        "fillers_per_minute": 2.4,
        "duration_s": 75.0,
        "words": 178,
    }
    answer["attempts"] = [
        {
            "text": "An earlier attempt at the same question.",
            "grade": json.loads(json.dumps(answer["grade"])),
            "reply_grade": json.loads(json.dumps(answer["reply_grade"])),
            "regrades": json.loads(json.dumps(answer["regrades"])),
            "delivery": json.loads(json.dumps(answer["delivery"])),
            "note": "graded offline",
            "replaced_at": "2025-03-04T10:30:00+00:00",
        }
    ]
    session["plan"]["drill"] = {
        "competency": "job_skills",
        "question": "Tell me about a deadline you missed.",
        "category": "behavioural",
        "question_ids": ["hm_story"],
        "from_session": "0123456789ab",
    }
    session["handoff_notes"] = [
        {"from_persona": "hiring_manager", "text": "Ask about Kafka.", "probe": "Kafka"}
    ]
    session["thank_you"][0]["send_within_hours"] = 24.0
    session["debrief"][0]["objection"] = "no result"
    session["scorecards"][0]["score"] = 3.0
    session["usage"] = {
        "openai": {
            "calls": 2,
            "failed_calls": 1,
            "tokens_in": 100,
            "tokens_out": 20,
            "seconds": 1.5,
            "estimated_cost": 0.01,
            "currency": "USD",
            "models": ["gpt-4o-mini"],
            "context": "4096 tokens, read from the server",
            "records": [
                {
                    "task": "question",
                    "model": "gpt-4o-mini",
                    "template_hash": "abc",
                    "tokens_in": 100,
                    "tokens_out": 20,
                    "seconds": 1.5,
                    "outcome": "ok",
                }
            ],
        }
    }
    return data


def _spots(node: Any, pattern: Path_, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Concrete locations in `node` matching `pattern`; a "{key}" location ends with ("{key}", key)."""
    if not pattern:
        yield at
        return
    head, rest = pattern[0], pattern[1:]
    if head == "[]" and isinstance(node, list):
        for i, item in enumerate(node):
            yield from _spots(item, rest, (*at, i))
    elif head == "{}" and isinstance(node, dict):
        for key, item in node.items():
            yield from _spots(item, rest, (*at, key))
    elif head == "{key}" and isinstance(node, dict):
        for key in node:
            yield (*at, ("{key}", key))
    elif isinstance(node, dict) and head in node and node[head] is not None:
        yield from _spots(node[head], rest, (*at, head))


def _put(data: dict[str, Any], spot: tuple[Any, ...], value: Any) -> None:
    node: Any = data["session"]
    for key in spot[:-1]:
        node = node[key]
    last = spot[-1]
    if isinstance(last, tuple):  # rename a dict key
        node[value] = node.pop(last[1])
    else:
        node[last] = value


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False).replace(json.dumps(HUGE), "1e400")


def _page_html(session: Session, personas: dict) -> str:
    parts = [
        render.session_heading(session, None),
        render.usage_html(session),
        render.scorecards_html(session, personas),
        render.star_chart_html(session, personas),
        render.debrief_html(session, personas),
        render.consistency_html(session, personas),
        render.checklist_html(session),
        render.answers_html(session, personas),
        feedback_render.summary_html(session, personas),
        *(m["content"] for m in render.chat_history(session, personas, coaching=True)),
        *(render.replay_html(session, i, personas) for i in range(len(session.turns))),
    ]
    return "".join(parts)


@pytest.fixture(scope="module")
def personas() -> dict:
    return load_personas()


@pytest.fixture
def rich(sample_session: Session) -> dict[str, Any]:
    return _rich_export(sample_session)


def test_every_field_of_a_session_has_a_schema_and_the_sample_holds_it(rich: dict[str, Any]) -> None:
    assert len(LEAVES) > 60  # the walk reached the nested models, usage included
    assert (("usage", "{}", "records", "[]", "task"), "text") in LEAVES
    missing = [".".join(path) for path, _ in LEAVES if not next(_spots(rich["session"], path), None)]
    assert missing == [], f"add these fields to the sample in _rich_export: {missing}"
    Session.model_validate(rich["session"], strict=True)  # the sample itself is a valid session


@pytest.mark.parametrize("path", [p for p, kind in LEAVES if kind == "text"], ids=lambda p: ".".join(p))
def test_markup_in_any_text_field_is_refused_or_drawn_inert(
    path: Path_, rich: dict[str, Any], personas: dict, tmp_path: Path
) -> None:
    spot = next(_spots(rich["session"], path))
    _put(rich, spot, PAYLOAD)
    with Store(tmp_path / "s.db") as store:
        try:
            new_id = store.import_json(_text(rich), "hostile.json", list(personas))
        except InvalidImport as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith("hostile.json: ")
            assert exc.field and exc.field.startswith(("session", "format", "version"))
            return
        session = store.load(new_id)
    html = _page_html(session, personas)
    assert "<img" not in html and PAYLOAD not in html


@pytest.mark.parametrize("path", [p for p, kind in LEAVES if kind == "number"], ids=lambda p: ".".join(p))
def test_a_non_finite_number_in_any_field_is_refused_naming_it(
    path: Path_, rich: dict[str, Any], tmp_path: Path
) -> None:
    spot = next(_spots(rich["session"], path))
    _put(rich, spot, HUGE)
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(InvalidImport) as caught:
            store.import_json(_text(rich), "huge.json")
        assert store.list() == []
    assert caught.value.field == _field_name(rich["session"], spot)
    assert "\n" not in str(caught.value)


def _field_name(node: Any, spot: tuple[Any, ...]) -> str:
    """How an import error names a field: list items by their id when they have one (catalog._field_path)."""
    name = "session"
    for key in spot:
        if isinstance(key, int):
            item = node[key]
            name += f"[{item['id'] if isinstance(item, dict) and isinstance(item.get('id'), str) else key}]"
        else:
            name += f".{key}"
        node = node[key]
    return name


# ---------------------------------------------------------------- the faults named in issue 8


def test_usage_with_markup_or_extra_keys_is_refused(rich: dict[str, Any], tmp_path: Path) -> None:
    rich["session"]["usage"]["openai"]["note"] = PAYLOAD
    with Store(tmp_path / "s.db") as store, pytest.raises(InvalidImport, match="unknown field") as caught:
        store.import_json(_text(rich), "usage.json")
    assert caught.value.field == "session.usage.openai.note"


def test_usage_numbers_must_be_numbers(rich: dict[str, Any], tmp_path: Path) -> None:
    rich["session"]["usage"]["openai"]["calls"] = PAYLOAD
    with Store(tmp_path / "s.db") as store, pytest.raises(InvalidImport) as caught:
        store.import_json(_text(rich), "usage.json")
    assert caught.value.field == "session.usage.openai.calls"


@pytest.mark.parametrize("version", ["true", "1.0", '"1"', "null"])
def test_a_version_that_only_equals_one_is_refused(
    rich: dict[str, Any], version: str, tmp_path: Path
) -> None:
    text = _text(rich).replace('"version": 1', f'"version": {version}', 1)
    with (
        Store(tmp_path / "s.db") as store,
        pytest.raises(InvalidImport, match="unsupported version") as caught,
    ):
        store.import_json(text, "v.json")
    assert caught.value.field == "version"


def test_a_persona_this_install_does_not_have_is_refused(
    rich: dict[str, Any], personas: dict, tmp_path: Path
) -> None:
    rich["session"]["plan"]["slots"][0]["persona_id"] = "ghost_interviewer"
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(InvalidImport, match="unknown interviewer 'ghost_interviewer'") as caught:
            store.import_json(_text(rich), "p.json", list(personas))
        assert caught.value.field == "session.plan.slots[0].persona_id"
        assert store.list() == []


@pytest.mark.parametrize(
    "created_at", ["../../../etc/passwd", "2025-03-04\x00T10:00", "2025-03-04T10:00:00/../x"]
)
def test_a_created_at_that_is_no_date_is_refused(
    rich: dict[str, Any], created_at: str, tmp_path: Path
) -> None:
    rich["session"]["created_at"] = created_at
    with Store(tmp_path / "s.db") as store, pytest.raises(InvalidImport, match="ISO 8601") as caught:
        store.import_json(_text(rich), "d.json")
    assert caught.value.field == "session.created_at"


@pytest.mark.parametrize(
    ("session_id", "created_at"),
    [("abcd1234", "../../../etc"), ("abcd1234", "2025\x00-01-01"), ("../../x", "2025-01-01"), ("", "")],
)
def test_export_names_are_built_from_safe_characters_only(session_id: str, created_at: str) -> None:
    stem = export_stem(session_id, created_at)
    assert re.fullmatch(r"roundtwo(-[A-Za-z0-9_]+)*(-[A-Za-z0-9_-]+)?", stem), stem
    assert "/" not in stem and "\x00" not in stem and ".." not in stem


def test_the_page_exports_to_a_private_folder_of_its_own(
    rich: dict[str, Any], personas: dict, tmp_path: Path
) -> None:
    upload = tmp_path / "upload.json"
    upload.write_text(_text(rich), encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        ctx = PageContext(store=store)
        new_id = import_session(ctx, str(upload), "upload.json")
        md, js = export_files(ctx, new_id)
    folder = md.parent.parent
    assert folder.name.startswith("roundtwo-exports-") and folder.stat().st_mode & 0o777 == 0o700
    assert md.parent.stat().st_mode & 0o777 == 0o700
    for file in (md, js):
        assert file.stat().st_mode & 0o777 == 0o600
        assert file.name.startswith(f"roundtwo-2025-03-04-{new_id}")


def _legacy_bad_session(path: Path, sample: Session) -> str:
    """A session saved by an older build that accepted 1e400 (stored as null): written behind the
    store's back, as that build did."""
    bad = sample.model_copy(update={"id": "badc0ffee123"})
    with Store(path) as store:
        store.create(sample)
        store.create(bad)
    db = sqlite3.connect(path)
    row = db.execute("SELECT turn FROM turns WHERE session_id = ? AND idx = 0", (bad.id,)).fetchone()
    turn = json.loads(row[0])
    turn["at_minute"] = None
    db.execute("UPDATE turns SET turn = ? WHERE session_id = ? AND idx = 0", (json.dumps(turn), bad.id))
    db.commit()
    db.close()
    return bad.id


def test_a_session_that_no_longer_loads_is_named_skipped_and_deletable(
    sample_session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "s.db"
    bad_id = _legacy_bad_session(path, sample_session)
    with Store(path) as store:
        with pytest.raises(SessionUnreadable) as caught:
            store.load(bad_id)
        message = str(caught.value)
        assert "\n" not in message and "errors.pydantic.dev" not in message
        assert f"session {bad_id} cannot be read (turns.0.at_minute" in message
        assert store.load(sample_session.id).id == sample_session.id  # the others still load
        assert {s.id for s in store.list()} == {bad_id, sample_session.id}  # still listed
        assert store.summary(bad_id).job_title == sample_session.job.title

        ctx = PageContext(store=store)
        history = score_history(ctx)
        assert history.unreadable == [bad_id]
        assert {row["when"] for row in history} == {sample_session.created_at}  # the good one is charted
        assert bad_id in history.skipped_line()

        assert store.delete(bad_id)
        assert [s.id for s in store.list()] == [sample_session.id]


# ---------------------------------------------------------------- hostile data files (YAML)

REPO = Path(__file__).resolve().parent.parent


def _cli(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env=env,
    )


def test_a_key_given_twice_in_a_persona_file_names_the_file_and_line(tmp_path: Path) -> None:
    text = (REPO / "personas" / "team_member.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    name_line = next(i for i, line in enumerate(lines) if line.startswith("name:"))
    lines.insert(name_line + 1, "name: Someone Else")  # the second one would silently win
    folder = tmp_path / "personas"
    shutil.copytree(REPO / "personas", folder)
    (folder / "team_member.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_personas(folder)
    assert caught.value.errors == [
        f"{folder / 'team_member.yaml'}: line {name_line + 2}: invalid YAML: "
        f"duplicate key 'name' (first given at line {name_line + 1})"
    ]
    checked = _cli("personas", "check", env={**os.environ, "ROUNDTWO_PERSONAS": str(folder)})
    assert checked.returncode == 2 and "duplicate key 'name'" in checked.stderr
    assert checked.stderr.count("\n") == 1


def test_a_key_given_twice_in_a_rubric_or_a_script_is_refused(tmp_path: Path) -> None:
    rubrics = tmp_path / "rubrics"
    shutil.copytree(REPO / "rubrics", rubrics)
    star = rubrics / "star.yaml"
    star.write_text(star.read_text(encoding="utf-8") + "\nversion: '9.9'\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"star\.yaml: line \d+: invalid YAML: duplicate key 'version'"):
        load_rubrics(rubrics)

    script = tmp_path / "script.yaml"
    script.write_text(
        (REPO / "examples" / "backend_engineer.yaml").read_text(encoding="utf-8") + "\npressure: gentle\n",
        encoding="utf-8",
    )
    run = _cli("run", "--script", str(script), "--db", str(tmp_path / "s.db"))
    assert run.returncode == 2, run.stderr
    assert "script.yaml: line" in run.stderr and "duplicate key 'pressure'" in run.stderr
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1


def test_deeply_nested_yaml_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    script = tmp_path / "deep.yaml"
    script.write_text("job: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    run = _cli("run", "--script", str(script), "--db", str(tmp_path / "s.db"))
    assert run.returncode == 2
    assert run.stderr.strip().endswith("deep.yaml: invalid YAML: nested too deeply")
    assert "RecursionError" not in run.stderr and run.stderr.count("\n") == 1


def test_page_exports_are_removed_at_exit_and_leftovers_swept(tmp_path: Path) -> None:
    """A process's export folder goes when it exits; a dead process's folder and stale files go too."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    dead = tmp_path / "roundtwo-exports-999999999-left"  # no such process
    dead.mkdir()
    (dead / "old.json").write_text("{}")
    code = (
        "import os, time\n"
        "from simulator.private_files import exports_folder, sweep_stale\n"
        "folder = exports_folder()\n"
        "stale = folder / 'stale.md'; stale.write_text('x'); os.utime(stale, (0, 0))\n"
        "fresh = folder / 'fresh.md'; fresh.write_text('x')\n"
        "sweep_stale(folder)\n"
        "print(folder, stale.exists(), fresh.exists(), oct(folder.stat().st_mode & 0o777))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=60
    )
    folder, stale_left, fresh_left, mode = done.stdout.split()
    assert (stale_left, fresh_left, mode) == ("False", "True", "0o700")
    assert Path(folder).parent == tmp_path and not Path(folder).exists()  # removed at exit
    assert not dead.exists()
