"""Hostile input for the command line, as data: each case is what a user (or an attacker) hands a
command, and every one must end with exit 2, exactly one line on stderr and no traceback.

Shared by tests/test_hostile_cli.py (one test per case) and bench/hostile.py (the whole corpus, with
a count). Files are built when a case runs, so importing this costs nothing.

`CASES` are the CLI's own. `IMPORT_CASES_AWAITING_STORE` need the import validation of
session_json.py and store.py (another engineer's part of issue 8); they are kept apart so the lead
can see which of them still fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from simulator.catalog import ROOT
from simulator.limits import (
    MAX_ANSWER_CHARS,
    MAX_ANSWERS,
    MAX_GRADE_LINE_CHARS,
    MAX_GRADE_LINES,
    MAX_IMPORT_BYTES,
    MAX_SCRIPT_BYTES,
)

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
GOOD_ANSWER = "I led the billing rebuild with a team of five; I wrote the plan and errors fell by 40%."

Content = bytes | Callable[[], bytes]


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]  # after `python -m simulator` (or app.py); "{dir}" is the case's folder
    files: Mapping[str, Content] = field(default_factory=dict)
    stdin: bytes = b""
    app: bool = False  # run app.py instead of the CLI
    stdout_lines: int | None = None  # `grade`: one output line per input line, kept


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def problem(self, case: Case) -> str | None:
        """Why this outcome is wrong for a hostile case, or None."""
        lines = self.stderr.splitlines()
        if "Traceback" in self.stderr:
            return f"traceback: {lines[-1] if lines else ''}"
        if self.code != 2:
            return f"exit {self.code}, not 2: {self.stderr.strip()[:200]}"
        if len(lines) != 1:
            return f"{len(lines)} stderr lines, not 1: {self.stderr[:200]!r}"
        if case.stdout_lines is not None and len(self.stdout.splitlines()) != case.stdout_lines:
            return f"{len(self.stdout.splitlines())} output lines, not {case.stdout_lines}"
        return None


def run_case(case: Case, folder: Path, timeout: float = 180) -> Outcome:
    """Run one case through the real command in a fresh folder (its own ROUNDTWO_HOME)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        (folder / name).write_bytes(content() if callable(content) else content)
    argv = [arg.replace("{dir}", str(folder)) for arg in case.argv]
    command = [sys.executable, str(ROOT / "app.py")] if case.app else [sys.executable, "-m", "simulator"]
    env = {**os.environ, "ROUNDTWO_HOME": str(folder / "home")}
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [*command, *argv], cwd=ROOT, env=env, input=case.stdin, capture_output=True, timeout=timeout
    )
    decode = lambda data: data.decode("utf-8", "replace")  # noqa: E731
    return Outcome(done.returncode, decode(done.stdout), decode(done.stderr))


# ---------------------------------------------------------------- what the files hold


def _script(**changes: object) -> Callable[[], bytes]:
    """The example script with some fields replaced (as JSON, which YAML reads too)."""

    def build() -> bytes:
        import yaml

        data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        data.update(changes)
        return json.dumps(data).encode()

    return build


def _script_text(extra: str, drop: tuple[str, ...] = ()) -> Callable[[], bytes]:
    """The example script without the `drop` fields, then `extra` as YAML text (for .nan, aliases...)."""

    def build() -> bytes:
        import yaml

        data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
        kept = {key: value for key, value in data.items() if key not in drop}
        return yaml.safe_dump(kept).encode() + extra.encode("utf-8", "surrogatepass")

    return build


def _deep_flow(depth: int) -> bytes:
    return b"job: " + b"[" * depth + b"]" * depth + b"\n"


def _deep_block(depth: int) -> bytes:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)).encode() + b"  " * depth + b"x: 1\n"


def _line(**fields: object) -> dict[str, object]:
    return {"id": "h", "question": "Tell me about a time you led a team.", "answer": GOOD_ANSWER, **fields}


def _jsonl(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def _good_line() -> str:
    return json.dumps(_line(id="ok"))


def _deep_json(depth: int) -> str:
    return '{"id": "d", "question": "q", "answer": ' + "[" * depth + "]" * depth + "}"


def _export(mutate: Callable[[dict], object] | None = None) -> Callable[[], bytes]:
    """A real session export, changed by `mutate` (which edits the parsed JSON in place)."""

    def build() -> bytes:
        from simulator.session_json import dump_session
        from tests.conftest import build_sample_session

        data = json.loads(dump_session(build_sample_session()))
        if mutate:
            mutate(data)
        return json.dumps(data, allow_nan=True).encode("utf-8", "surrogatepass")

    return build


def _set(path: str, value: object) -> Callable[[dict], object]:
    """Set a dotted path such as `session.turns.0.at_minute` in an export."""

    def mutate(data: dict) -> None:
        *parents, last = path.split(".")
        node: object = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]  # type: ignore[index]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value  # type: ignore[index]

    return mutate


def _raw_export(replace: tuple[str, str]) -> Callable[[], bytes]:
    """An export with text replaced verbatim (for what json.dumps cannot write: 1e400)."""
    return lambda: _export()().replace(replace[0].encode(), replace[1].encode(), 1)


def _sample_db() -> bytes:
    """A session database holding the sample session (id 5e55a0c1d2e3), as file bytes."""
    import tempfile

    from simulator.store import Store
    from tests.conftest import build_sample_session

    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "s.db"
        with Store(path) as store:
            store.create(build_sample_session(), {})
        return path.read_bytes()  # closed: the write-ahead log is folded back into the file


# ---------------------------------------------------------------- the cases

RUN = ("run", "--script", "{dir}/s.yaml", "--db", "{dir}/s.db")
GRADE = ("grade", "{dir}/a.jsonl")
IMPORT = ("sessions", "import", "{dir}/e.json", "--db", "{dir}/s.db")
THANK_YOU = ("sessions", "thank-you", "5e55a0", "--to", "team_member", "-", "--db", "{dir}/s.db")
NOT_SQLITE = b"this is not a database, whatever its name says\n" * 40

CASES: list[Case] = [
    # scripts: malformed
    Case("script: not YAML", RUN, {"s.yaml": b"job: [unclosed\n"}),
    Case("script: a list at the top", RUN, {"s.yaml": b"- one\n- two\n"}),
    Case("script: empty file", RUN, {"s.yaml": b""}),
    Case("script: missing file", ("run", "--script", "{dir}/none.yaml")),
    Case("script: a folder", ("run", "--script", "{dir}")),
    Case("script: not UTF-8", RUN, {"s.yaml": b"job:\n  title: caf\xe9\n"}),
    Case("script: NUL bytes", RUN, {"s.yaml": b"job:\x00\x00\n"}),
    Case("script: deeply nested flow YAML", RUN, {"s.yaml": _deep_flow(5000)}),
    Case("script: deeply nested block YAML", RUN, {"s.yaml": _deep_block(400)}),
    Case("script: nested just past the limit", RUN, {"s.yaml": _deep_flow(40)}),
    Case(
        "script: alias bomb",
        RUN,
        {
            "s.yaml": _script_text(
                "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
                + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
                + "story_bank: *a8\n",
                drop=("story_bank",),
            )
        },
    ),
    Case(
        "script: a lone surrogate",
        RUN,
        {"s.yaml": _script_text('round_one_notes: "\\ud800"\n', drop=("round_one_notes",))},
    ),
    # scripts: wrong types and non-finite numbers
    Case("script: answers are numbers", RUN, {"s.yaml": _script(answers=[1, 2, 3])}),
    Case("script: answers is text", RUN, {"s.yaml": _script(answers="just one string")}),
    Case(
        "script: minutes NaN",
        RUN,
        {"s.yaml": _script_text("minutes: {hiring_manager: .nan}\n", drop=("minutes",))},
    ),
    Case(
        "script: minutes infinite",
        RUN,
        {"s.yaml": _script_text("minutes: {hiring_manager: .inf}\n", drop=("minutes",))},
    ),
    Case("script: seed 1e400", RUN, {"s.yaml": _script_text("seed: 1.0e+400\n", drop=("seed",))}),
    Case("script: seed is a list", RUN, {"s.yaml": _script(seed=[1])}),
    Case("script: unknown persona", RUN, {"s.yaml": _script(panel=["nobody"])}),
    Case("script: unknown field", RUN, {"s.yaml": _script(mood="calm")}),
    # scripts: oversized
    Case("script: larger than the limit", RUN, {"s.yaml": lambda: b"#" * (MAX_SCRIPT_BYTES + 1)}),
    Case("script: too many answers", RUN, {"s.yaml": _script(answers=[GOOD_ANSWER] * (MAX_ANSWERS + 1))}),
    Case(
        "script: an answer with no spaces over the limit",
        RUN,
        {"s.yaml": _script(answers=["x" * (MAX_ANSWER_CHARS + 1)])},
    ),
    Case(
        "interview: a setup nested too deeply",
        ("interview", "--setup", "{dir}/s.yaml", "--db", "{dir}/s.db"),
        {"s.yaml": _deep_flow(3000)},
    ),
    # grade: each bad line gets its output line, the good one is still graded
    Case(
        "grade: deeply nested JSON",
        GRADE,
        {"a.jsonl": lambda: _jsonl(_deep_json(50_000), _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: nested just past the limit",
        GRADE,
        {"a.jsonl": lambda: _jsonl(_deep_json(40), _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: a lone surrogate in an answer",
        GRADE,
        {"a.jsonl": lambda: _jsonl(json.dumps(_line(answer="I led it \ud800 and we won")), _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: a lone surrogate in a key",
        GRADE,
        {
            "a.jsonl": lambda: _jsonl(
                '{"id": "k", "question": "q", "answer": "a", "\\udc00": 1}', _good_line()
            )
        },
        stdout_lines=2,
    ),
    Case(
        "grade: a line not UTF-8",
        GRADE,
        {"a.jsonl": lambda: b'{"id": "x", "answer": "\xff\xfe"}\n' + _jsonl(_good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: NaN",
        GRADE,
        {"a.jsonl": lambda: _jsonl('{"id": NaN, "question": "q", "answer": "a"}', _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: 1e400",
        GRADE,
        {"a.jsonl": lambda: _jsonl('{"id": 1e400, "question": "q", "answer": "a"}', _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: Infinity",
        GRADE,
        {"a.jsonl": lambda: _jsonl('{"id": "i", "question": "q", "answer": Infinity}', _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: wrong types",
        GRADE,
        {"a.jsonl": lambda: _jsonl(json.dumps(_line(answer=["a"], round_one="x")), _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: not an object", GRADE, {"a.jsonl": lambda: _jsonl("[1, 2, 3]", _good_line())}, stdout_lines=2
    ),
    Case(
        "grade: an answer with no spaces over the limit",
        GRADE,
        {"a.jsonl": lambda: _jsonl(json.dumps(_line(answer="x" * (MAX_ANSWER_CHARS + 1))), _good_line())},
        stdout_lines=2,
    ),
    Case(
        "grade: a line over the limit",
        GRADE,
        {
            "a.jsonl": lambda: _jsonl(
                json.dumps(_line(round_one_notes="y" * MAX_GRADE_LINE_CHARS)), _good_line()
            )
        },
        stdout_lines=2,
    ),
    Case(
        "grade: a line of 20 MB with no newline",
        GRADE,
        {"a.jsonl": lambda: b'{"answer": "' + b"z" * (20 * 1024 * 1024)},
        stdout_lines=1,
    ),
    Case(
        "grade: too many lines",
        GRADE,
        {"a.jsonl": lambda: b"\n" * MAX_GRADE_LINES + b"{}\n" * 5},
        stdout_lines=1,
    ),
    Case("grade: stdin not UTF-8", ("grade", "-"), stdin=b"\xc3\x28\n", stdout_lines=1),
    Case("grade: missing file", ("grade", "{dir}/none.jsonl")),
    Case("grade: a folder", ("grade", "{dir}")),
    # interview and run: the terminal, the database, the id
    Case("interview: stdin not UTF-8", ("interview", "--db", "{dir}/s.db"), stdin=b"\xff\xfe\xfd hello\n"),
    Case(
        "interview: an answer over the limit on stdin",
        ("interview", "--db", "{dir}/s.db"),
        stdin=b"x" * (MAX_ANSWER_CHARS + 1) + b"\n",
    ),
    Case("interview: --resume an unknown id", ("interview", "--resume", "nosuchid", "--db", "{dir}/s.db")),
    Case(
        "interview: a corrupt --db",
        ("interview", "--db", "{dir}/bad.db"),
        {"bad.db": NOT_SQLITE},
        stdin=b"/quit\n",
    ),
    Case(
        "run: a corrupt --db",
        ("run", "--script", str(EXAMPLE), "--db", "{dir}/bad.db"),
        {"bad.db": NOT_SQLITE},
    ),
    Case("run: --db is a folder", ("run", "--script", str(EXAMPLE), "--db", "{dir}")),
    Case(
        "sessions list: a corrupt --db", ("sessions", "list", "--db", "{dir}/bad.db"), {"bad.db": NOT_SQLITE}
    ),
    # flags
    Case("flag: --base-url not a URL", ("run", "--script", str(EXAMPLE), "--base-url", "not a url")),
    Case("flag: --base-url ftp", ("run", "--script", str(EXAMPLE), "--base-url", "ftp://example.com/v1")),
    Case("flag: --base-url without a host", ("grade", "-", "--base-url", "http://")),
    Case("flag: --timeout nan", ("run", "--script", str(EXAMPLE), "--timeout", "nan")),
    Case("flag: --temperature inf", ("grade", "-", "--temperature", "inf")),
    Case("flag: --seed 1e400", ("run", "--script", str(EXAMPLE), "--seed", "1e400")),
    Case("flag: no command", ()),
    Case("flag: unknown command", ("dance",)),
    # thank-you against a real session, so only the flag or the note can be what is refused
    *[
        Case(
            f"flag: thank-you --hours {value}",
            (*THANK_YOU, "--hours", value),
            {"s.db": _sample_db},
            stdin=b"Thank you for the talk about the on-call rota.",
        )
        for value in ("nan", "inf", "-5", "1e400")
    ],
    Case("thank-you: a note over the limit", THANK_YOU, {"s.db": _sample_db}, stdin=b"thanks" * 10_000),
    Case("thank-you: a note not UTF-8", THANK_YOU, {"s.db": _sample_db}, stdin=b"Thank you \xff\xfe"),
    Case("sessions show: unknown id", ("sessions", "show", "ffffffff", "--db", "{dir}/s.db")),
    # imports the CLI itself reads: size, encoding, nesting
    Case("import: larger than the limit", IMPORT, {"e.json": lambda: b" " * (MAX_IMPORT_BYTES + 1)}),
    Case(
        "import: stdin larger than the limit",
        ("sessions", "import", "-", "--db", "{dir}/s.db"),
        stdin=b"{" + b" " * MAX_IMPORT_BYTES,
    ),
    Case("import: not UTF-8", IMPORT, {"e.json": b'{"format": "caf\xe9"}'}),
    Case("import: deeply nested", IMPORT, {"e.json": lambda: b"[" * 100_000 + b"]" * 100_000}),
    Case("import: empty", IMPORT, {"e.json": b""}),
    Case("import: missing file", ("sessions", "import", "{dir}/none.json")),
    Case("import: a lone surrogate", IMPORT, {"e.json": _export(_set("session.job.title", "\ud800"))}),
    # the app's entry point
    Case("app: --port not a number", ("--port", "http"), app=True),
    Case("app: --port out of range", ("--port", "99999"), app=True),
    Case("app: --auth without a password", ("--auth", "admin"), app=True),
]

# Imports whose refusal is the store's and session_json's validation (another engineer's part).
IMPORT_CASES_AWAITING_STORE: list[Case] = [
    Case(
        "import: at_minute 1e400", IMPORT, {"e.json": _raw_export(('"at_minute": 0.0', '"at_minute": 1e400'))}
    ),
    Case(
        "import: at_minute NaN", IMPORT, {"e.json": _export(_set("session.turns.0.at_minute", float("nan")))}
    ),
    Case("import: version true", IMPORT, {"e.json": _export(_set("version", True))}),
    Case(
        "import: created_at a path", IMPORT, {"e.json": _export(_set("session.created_at", "../../../etc/x"))}
    ),
    Case(
        "import: created_at with NUL",
        IMPORT,
        {"e.json": _export(_set("session.created_at", "2026-01-01\u0000x"))},
    ),
    Case(
        "import: an unknown persona",
        IMPORT,
        {"e.json": _export(_set("session.plan.slots.0.persona_id", "nobody"))},
    ),
    Case(
        "import: usage not a mapping of numbers",
        IMPORT,
        {"e.json": _export(_set("session.usage", {"x": "<img src=x onerror=alert(1)>"}))},
    ),
    Case("import: turn text a number", IMPORT, {"e.json": _export(_set("session.turns.0.text", 5))}),
]

ALL_CASES = CASES + IMPORT_CASES_AWAITING_STORE
