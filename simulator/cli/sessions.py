"""`python -m simulator sessions list|show|export|import|delete|regrade|thank-you`: saved sessions.

Exit codes: 0 success, 2 bad input (one line on stderr naming the id, file or field), 1 other
failure; `simulator.cli.errors` turns what a command raises into that line. `register()` plugs these
commands into the top-level CLI; `main()` runs them as `python -m simulator sessions ...` does.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.catalog import CatalogError, load_personas
from simulator.cli.arguments import add_llm_arguments, hours
from simulator.cli.errors import BadInput, Failed, one_line
from simulator.engines import ENGINES
from simulator.engines.settings import settings_from_args
from simulator.exit_codes import BAD_INPUT, FAILURE, OK
from simulator.limits import MAX_IMPORT_BYTES, MAX_NOTE_CHARS, size_label
from simulator.markdown import session_to_markdown
from simulator.models import Persona
from simulator.panel_verdict import verdict_label
from simulator.store import SessionSummary, Store

PROG = "python -m simulator sessions"
Handler = Callable[[argparse.Namespace], int]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def register(subparsers: Any) -> None:
    """Add `sessions` to a top-level CLI's subparsers. Each leaf sets `handler(args) -> int`."""
    parser = subparsers.add_parser(
        "sessions", help="list, show, export, import or delete saved sessions", description=__doc__
    )
    _add_commands(parser)


def main(argv: list[str] | None = None) -> int:
    """Run one `sessions` command, as `python -m simulator sessions ARGV` does. Returns the exit code."""
    from simulator.cli.main import main as cli_main  # the top level imports this module

    return cli_main(["sessions", *(sys.argv[1:] if argv is None else argv)])


# ---------------------------------------------------------------- the parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="session database (default: $ROUNDTWO_HOME/sessions.db)")
    commands = parser.add_subparsers(dest="sessions_command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", parents=[common], help="saved sessions, newest first")
    listing.add_argument("--query", "-q", help="only sessions whose job, company or transcript contains this")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_list)

    show = commands.add_parser("show", parents=[common], help="print a session's transcript with its grades")
    show.add_argument("id", metavar="ID", help="the session id, or its first 4+ characters")
    show.add_argument("--json", action="store_true", help="print the JSON export instead")
    show.set_defaults(handler=_show)

    export = commands.add_parser("export", parents=[common], help="export a session as JSON or Markdown")
    export.add_argument("id", metavar="ID", help="the session id, or its first 4+ characters")
    export.add_argument("--format", choices=("json", "md"), required=True)
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of to stdout")
    export.set_defaults(handler=_export)

    imports = commands.add_parser("import", parents=[common], help="import a session exported as JSON")
    imports.add_argument("file", metavar="FILE", help="the JSON export ('-' reads stdin)")
    imports.set_defaults(handler=_import)

    regrade = commands.add_parser(
        "regrade",
        parents=[common],
        help="grade a session again with the current rubrics and show what changed",
    )
    regrade.add_argument("id", metavar="ID", help="the session id, or its first 4+ characters")
    regrade.add_argument("--engine", choices=ENGINES, default="offline")
    regrade.add_argument("--json", action="store_true", help="print the changes as JSON")
    add_llm_arguments(regrade)
    regrade.set_defaults(handler=_regrade)

    thanks = commands.add_parser(
        "thank-you", parents=[common], help="check a thank-you note you wrote to one of the interviewers"
    )
    thanks.add_argument("id", metavar="ID", help="the session id, or its first 4+ characters")
    thanks.add_argument(
        "--to", required=True, metavar="PERSONA", help="the interviewer's id, e.g. skip_level"
    )
    thanks.add_argument("file", metavar="FILE", help="the note as plain text ('-' reads stdin)")
    thanks.add_argument("--hours", type=hours, help="hours after the interview you sent (or will send) it")
    thanks.set_defaults(handler=_thank_you)

    delete = commands.add_parser("delete", parents=[common], help="delete a session and its grades")
    delete.add_argument("id", metavar="ID", help="the session id, or its first 4+ characters")
    delete.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_delete)


def _guarded(handler: Callable[[argparse.Namespace, Store], int]) -> Handler:
    """Open the store and run the command; a locked or damaged database is named as such."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        with Store(Path(args.db) if args.db else None) as store:
            try:
                return handler(args, store)
            except (sqlite3.Error, ValidationError) as exc:
                raise Failed(f"database: {one_line(str(exc))}") from None

    return run


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


# ---------------------------------------------------------------- the commands


@_guarded
def _list(args: argparse.Namespace, store: Store) -> int:
    sessions = store.list(args.query)
    if args.json:
        print(json.dumps([s.to_dict() for s in sessions], indent=2, ensure_ascii=False))
        return OK
    if not sessions:
        print(f"No sessions match {args.query!r}." if args.query else "No saved sessions yet.")
        return OK
    print(_table(sessions))
    return OK


@_guarded
def _show(args: argparse.Namespace, store: Store) -> int:
    if args.json:
        sys.stdout.write(store.export_json(args.id))
    else:
        sys.stdout.write(session_to_markdown(store.load(args.id), _personas()))
    return OK


@_guarded
def _export(args: argparse.Namespace, store: Store) -> int:
    if args.format == "json":
        text = store.export_json(args.id)
    else:
        text = session_to_markdown(store.load(args.id), _personas())
    if not args.output:
        sys.stdout.write(text)
        return OK
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {args.output}", file=sys.stderr)
    return OK


@_guarded
def _import(args: argparse.Namespace, store: Store) -> int:
    source = "<stdin>" if args.file == "-" else args.file
    known = _personas()  # checked against the persona files when they load
    text = _read_text(args.file, MAX_IMPORT_BYTES, "an import")
    new_id = store.import_json(text, source, list(known) if known is not None else None)
    print(new_id)
    return OK


@_guarded
def _delete(args: argparse.Namespace, store: Store) -> int:
    session_id = store.resolve(args.id)
    if not args.yes:
        if not sys.stdin.isatty():
            return _fail(
                f"refusing to delete {session_id} without --yes (stdin is not a terminal)", BAD_INPUT
            )
        job = store.summary(session_id)  # the list line: a session that no longer loads can still go
        try:
            reply = input(
                f"Delete session {session_id} ({_clean(job.job_title)} at {_clean(job.company)})? [y/N] "
            )
        except EOFError:
            reply = ""
        if reply.strip().lower() not in ("y", "yes"):
            print("Not deleted.", file=sys.stderr)
            return FAILURE
    store.delete(session_id)
    print(f"deleted {session_id}")
    return OK


@_guarded
def _regrade(args: argparse.Namespace, store: Store) -> int:
    # Imported here: grading pulls in the rubrics, which listing and exporting do not need.
    from simulator.service import Toolkit, regrade_saved

    kit = Toolkit.load(args.engine, settings_from_args(args))
    session_id = store.resolve(args.id)
    changes = regrade_saved(session_id, store, kit)
    if args.json:
        rows = [
            {
                "turn": c.turn_index,
                "changes": c.differences(),
                "grade": c.after.model_dump(),
                **({"reply_grade": c.reply_after.model_dump()} if c.reply_after else {}),
            }
            for c in changes
        ]
        print(json.dumps({"id": session_id, "answers": rows}, indent=2, ensure_ascii=False))
        return OK
    changed = [c for c in changes if c.differences()]
    version = changes[0].after.grader.rubric_version if changes else "-"
    replies = sum(1 for c in changes if c.reply_after is not None)
    also = f" (and {replies} of them as replies to a follow-up)" if replies else ""
    print(f"re-graded {len(changes)} answers{also} of {session_id} with {kit.engine.name} ({version})")
    if not changed:
        print("no grade changed.")
    for change in changed:
        print(f"\nturn {change.turn_index}: {_clean(_clean(change.answer), 70)}")
        for line in change.differences():
            print(f"  - {line}")
    print("\nthe new grades are saved beside the old ones.")
    return OK


@_guarded
def _thank_you(args: argparse.Namespace, store: Store) -> int:
    from simulator.service import Toolkit, check_thank_you_note

    # Four bytes a character at most: enough to tell a note over the limit from one inside it.
    note = _read_text(args.file, 4 * MAX_NOTE_CHARS, "a note")
    if len(note) > MAX_NOTE_CHARS:
        raise BadInput(f"{args.file}: the note is {len(note):,} characters; the limit is {MAX_NOTE_CHARS:,}")
    kit = Toolkit.load("offline")
    check = check_thank_you_note(store.resolve(args.id), args.to, note, args.hours, store, kit)
    name = kit.personas[args.to].name
    print(f"Thank-you note to {name}: {'ready to send' if check.ok else 'worth another pass'}")
    for item in check.passed:
        print(f"  ok    {item.id}: {item.reason}")
    for item in check.failed:
        print(f"  fix   {item.id}: {item.reason}")
    for item in check.not_checked:
        print(f"  -     {item.id}: {item.reason}")
    return OK


# ---------------------------------------------------------------- helpers


def _read_text(file: str, max_bytes: int, what: str) -> str:
    """The file's (or stdin's, for '-') text, refusing anything too big before reading it all."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(file, "rb") as handle:
                data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise BadInput(f"{file}: file not found") from None
    except IsADirectoryError:
        raise BadInput(f"{file}: is a folder, not a file") from None
    except OSError as exc:
        raise BadInput(f"{file}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise BadInput(f"{file}: larger than {size_label(max_bytes)}, the limit for {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{file}: not UTF-8 text (byte {exc.start})") from None


def _personas() -> dict[str, Persona] | None:
    """Names and titles for the transcript; without valid persona files it shows their ids."""
    try:
        return load_personas()
    except CatalogError:
        return None


def _clean(text: str, width: int | None = None) -> str:
    """Safe for a terminal: no control characters (an imported title could hold escape codes)."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _table(sessions: list[SessionSummary]) -> str:
    rows = [("ID", "DATE", "JOB", "PANEL", "STATUS", "VERDICT", "ANSWERS")]
    for s in sessions:
        rows.append(
            (
                s.id,
                _clean(s.created_at[:16].replace("T", " ")),
                _clean(f"{s.job_title} @ {s.company}", 44),
                _clean(", ".join(s.panel), 50),
                s.status.replace("_", " "),
                verdict_label(s.verdict) or "-",
                str(s.answers),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
