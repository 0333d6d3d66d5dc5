"""`python -m simulator interview`: the round typed live in the terminal.

The job comes from `--job FILE`, from `--setup`, or is asked for at the terminal (Enter there, or
stdin that is not a terminal, practises with the example job). `--coach` shows each answer's grade.

Commands at the prompt: /pass (move on), /done (no more questions), /end (end this interviewer),
/redo (answer your last question again; both attempts are kept), /quit (stop; the session is saved
and can be resumed with --resume ID). A line ending in a backslash continues on the next line.
Drills (`--drill`, `--drill-question`, `--drill-again`): see cli/practice.py.

stdin that is not UTF-8, an answer over the length limit when stdin is not a terminal, and a session
deleted (by another process) while it runs each stop the interview with one line and exit 2;
everything said before is saved. At a terminal an over-long answer is refused and asked for again.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import textwrap
from collections.abc import Callable
from functools import partial
from pathlib import Path

from simulator.catalog import DEFAULT_PANEL, ROOT
from simulator.cli.coach import coach_lines
from simulator.cli.errors import BadInput
from simulator.cli.job_input import ask_job
from simulator.cli.live_inputs import LiveInputs
from simulator.cli.practice import REDO, drill_setup, redo_at_prompt, show_drill, show_next_practice
from simulator.exit_codes import OK
from simulator.limits import MAX_ANSWER_CHARS
from simulator.models import Setup, Turn
from simulator.orchestrator import Interview
from simulator.plain_data import has_surrogate
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, resume, start
from simulator.store import NotFound, SessionNotFound, Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
HELP = "(/pass to move on, /done when you have no more questions, /end to end this interviewer, /redo, /quit)"


def _show(interview: Interview, turns: list[Turn], coach: bool = False) -> None:
    for turn in turns:
        if turn.speaker == "candidate":
            for line in coach_lines(turn) if coach else []:
                print("   " + line)
            continue
        persona = interview.personas[turn.speaker]
        if turn.kind == "intro":
            print(f"\n=== {persona.name}, {persona.title} ===")
        width = min(shutil.get_terminal_size().columns, 100)
        line = f"[{turn.slot_minute:4.1f} min] {persona.name}: {turn.text}"
        print("\n" + textwrap.fill(line, width=width, subsequent_indent="   "))


def _read(prompt: str, session_id: str) -> str | None:
    """What the candidate typed (lines ending in a backslash joined), or None at the end of input."""
    lines: list[str] = []
    while True:
        try:
            line = input(prompt if not lines else "... ")
        except EOFError:
            return None if not lines else "\n".join(lines)
        except UnicodeDecodeError:
            line = "\udcff"  # reported below, whichever way this Python decodes stdin
        if has_surrogate(line):
            raise BadInput(f"stdin: not UTF-8 text; {_saved(session_id)}")
        if line.endswith("\\"):
            lines.append(line[:-1])
            continue
        lines.append(line)
        return "\n".join(lines)


def _saved(session_id: str) -> str:
    return f"everything before is saved; resume with: python -m simulator interview --resume {session_id}"


def _ask(prompt: str) -> str | None:
    try:
        line = input(prompt)
    except EOFError:
        return None
    except UnicodeDecodeError:
        line = "\udcff"
    if has_surrogate(line):
        raise BadInput("stdin: not UTF-8 text; nothing was started")
    return line


def _setup(args: argparse.Namespace, given: LiveInputs, kit: Toolkit) -> Setup | None:
    """The session's setup: the job from --job, --setup or the terminal; None if input ended first."""
    source = Path(args.setup) if args.setup else EXAMPLE
    script = given.setup if given.setup is not None else load_script(source)
    if not args.setup:
        script = script.model_copy(update={"panel": list(DEFAULT_PANEL), "minutes": {}})
    job = script.job
    if given.job is not None:
        job = given.job
    elif not args.setup and sys.stdin.isatty():
        asked = ask_job(_ask, script.job)
        if asked is None:
            return None
        job = asked
    elif not args.setup:
        print(f"no --job given: practising with the example job, {job.title} at {job.company}")
    if job != script.job:
        # The example's round one belongs to the example's job; a setup file's stays with its panel.
        keep = {} if args.setup else {"round_one": [], "round_one_notes": "", "story_bank": []}
        script = script.model_copy(update={"job": job, **keep})
    return script_setup(script, kit.personas, source, seed=args.seed)


def _step(store: Store, session_id: str, action: Callable[[], list[Turn]]) -> list[Turn]:
    """One step of the interview; a session deleted under it is named as such, not as a database error."""
    try:
        return action()
    except (sqlite3.Error, NotFound):
        try:
            store.resolve(session_id)
        except SessionNotFound:
            raise _deleted(session_id) from None
        raise


def _deleted(session_id: str) -> BadInput:
    return BadInput(f"session {session_id} was deleted while the interview ran")


def run_live(args: argparse.Namespace, given: LiveInputs) -> int:
    """The interview, from what `read_live_inputs` read and checked before this module was imported."""
    kit = Toolkit.load(args.engine, given.settings)
    with Store(Path(args.db) if args.db else None) as store:
        if args.resume:
            interview = resume(args.resume, store, kit)
            print(f"resuming session {interview.session.id}")
            _show(interview, interview.session.turns[-3:])
        else:
            round_setup = partial(_setup, args, given, kit)
            setup = drill_setup(args, store, kit, round_setup)  # a round's, or a drill's
            if setup is None:
                print("\nno job given; nothing was started")
                return OK
            interview = start(setup, store, kit)
            print(f"session {interview.session.id}: {setup.job.title} at {setup.job.company} {HELP}")
            show_drill(interview.session)
            _show(interview, interview.session.turns)
        while True:
            waiting = interview.awaiting()
            if waiting.kind == "nothing":
                break
            label = "You" if waiting.kind == "answer" else "Your question"
            session_id = interview.session.id
            text = _read(f"\n{label} [{waiting.slot_number}/{waiting.slot_count}]> ", session_id)
            if text is None or text.strip() == "/quit":
                print(f"\nstopped; saved. Resume with: python -m simulator interview --resume {session_id}")
                return OK
            command = text.strip()
            if command == REDO:
                redo_at_prompt(interview, store, partial(_read, session_id=session_id), args.coach)
                continue
            if len(text) > MAX_ANSWER_CHARS:
                too_long = f"that is {len(text):,} characters; an answer may be {MAX_ANSWER_CHARS:,}"
                if not sys.stdin.isatty():
                    raise BadInput(f"stdin: {too_long}; {_saved(session_id)}")
                print(f"{too_long}: shorten it and send it again", file=sys.stderr)
                continue
            if command == "/end":
                turns = _step(store, session_id, interview.end_slot)
            elif command in ("/pass", "/done") or (waiting.kind == "candidate_question" and not command):
                turns = _step(store, session_id, interview.move_on)
            elif not command:
                print(HELP, file=sys.stderr)
                continue
            elif waiting.kind == "answer":
                turns = _step(store, session_id, partial(interview.answer, text))
            else:
                turns = _step(store, session_id, partial(interview.ask, text))
            _show(interview, turns, coach=args.coach)
        try:
            session = store.load(interview.session.id)
        except SessionNotFound:
            raise _deleted(interview.session.id) from None
    print("\n=== Debrief ===")
    for verdict in session.debrief:
        print(f"{kit.personas[verdict.persona_id].name}: {verdict.verdict.replace('_', ' ')}")
    show_next_practice(session)
    print(f"\nfull feedback: python -m simulator sessions show {session.id}")
    return OK
