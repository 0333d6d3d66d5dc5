"""`python -m simulator interview`: the round typed live in the terminal.

Commands at the prompt: /pass (move on), /done (no more questions), /end (end this interviewer),
/quit (stop; the session is saved and can be resumed with --resume ID). A line ending in a
backslash continues on the next line.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from pathlib import Path

from simulator.catalog import DEFAULT_PANEL, ROOT
from simulator.engines.settings import settings_from_args
from simulator.models import Turn
from simulator.orchestrator import Interview
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, resume, start
from simulator.store import Store

EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"
HELP = "(/pass to move on, /done when you have no more questions, /end to end this interviewer, /quit)"


def _show(interview: Interview, turns: list[Turn]) -> None:
    for turn in turns:
        if turn.speaker == "candidate":
            continue
        persona = interview.personas[turn.speaker]
        if turn.kind == "intro":
            print(f"\n=== {persona.name}, {persona.title} ===")
        width = min(shutil.get_terminal_size().columns, 100)
        line = f"[{turn.slot_minute:4.1f} min] {persona.name}: {turn.text}"
        print("\n" + textwrap.fill(line, width=width, subsequent_indent="   "))


def _read(prompt: str) -> str | None:
    lines: list[str] = []
    while True:
        try:
            line = input(prompt if not lines else "... ")
        except EOFError:
            return None if not lines else "\n".join(lines)
        if line.endswith("\\"):
            lines.append(line[:-1])
            continue
        lines.append(line)
        return "\n".join(lines)


def run_live(args: argparse.Namespace) -> int:
    kit = Toolkit.load(args.engine, settings_from_args(args))
    with Store(Path(args.db) if args.db else None) as store:
        if args.resume:
            interview = resume(args.resume, store, kit)
            print(f"resuming session {interview.session.id}")
            _show(interview, interview.session.turns[-3:])
        else:
            source = Path(args.setup) if args.setup else EXAMPLE
            script = load_script(source)
            if not args.setup:
                script = script.model_copy(update={"panel": list(DEFAULT_PANEL), "minutes": {}})
            setup = script_setup(script, kit.personas, source, seed=args.seed)
            interview = start(setup, store, kit)
            print(f"session {interview.session.id}: {setup.job.title} at {setup.job.company} {HELP}")
            _show(interview, interview.session.turns)
        while True:
            waiting = interview.awaiting()
            if waiting.kind == "nothing":
                break
            label = "You" if waiting.kind == "answer" else "Your question"
            text = _read(f"\n{label} [{waiting.slot_number}/{waiting.slot_count}]> ")
            if text is None or text.strip() == "/quit":
                print(
                    f"\nstopped; saved. Resume with: python -m simulator interview --resume {interview.session.id}"
                )
                return 0
            command = text.strip()
            if command == "/end":
                turns = interview.end_slot()
            elif command in ("/pass", "/done") or (waiting.kind == "candidate_question" and not command):
                turns = interview.move_on()
            elif not command:
                print(HELP, file=sys.stderr)
                continue
            elif waiting.kind == "answer":
                turns = interview.answer(text)
            else:
                turns = interview.ask(text)
            _show(interview, turns)
        session = store.load(interview.session.id)
    print("\n=== Debrief ===")
    for verdict in session.debrief:
        print(f"{kit.personas[verdict.persona_id].name}: {verdict.verdict.replace('_', ' ')}")
    print(f"\nfull feedback: python -m simulator sessions show {session.id}")
    return 0
