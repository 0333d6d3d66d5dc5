"""The command line: `python -m simulator run|interview|grade|sessions|transcribe|personas`.

Exit codes (a contract): 0 success, 2 bad input (one line on stderr naming the file, line or field),
1 any other failure. Commands raise; `errors.run_handler` is the one place that turns what they raise
into that line and code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulator.catalog import CatalogError, load_personas, personas_dir
from simulator.cli import grade, judge_eval, sessions, transcribe
from simulator.cli.arguments import Parser, add_llm_arguments
from simulator.cli.errors import run_handler
from simulator.cli.live_inputs import read_live_inputs
from simulator.cli.practice_flags import add_practice_arguments
from simulator.engines import ENGINES
from simulator.engines.settings import settings_from_args
from simulator.exit_codes import BAD_INPUT, OK
from simulator.models import Persona
from simulator.script import AudioAnswer, Script, ScriptedAnswer, load_script, script_setup, typed_answers
from simulator.store import Store

# The grader, its models and the engines load inside the commands that use them (simulator.service):
# `--help`, `sessions list` and a refused script, flag, job or setup file, database or session id
# answer without that second or two of loading (cli/live_inputs.py for `interview`).


def _run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    # The script is read and checked against the personas before the grader loads: a bad one is
    # refused at once, and nothing is saved.
    script = load_script(Path(args.script))
    personas = load_personas()
    setup = script_setup(script, personas, args.script, seed=args.seed)
    answers = _scripted_answers(script, args.script)
    # The database opens before the grader loads too: a corrupt file or a folder is refused at once.
    with Store(Path(args.db) if args.db else None) as store:
        from simulator.service import Toolkit, play_script, start

        kit = Toolkit.load(args.engine, settings, personas=personas)
        interview = start(setup, store, kit)
        session = play_script(interview, script, answers)
        saved = store.load(session.id)
    if args.json:
        print(saved.model_dump_json(indent=2))
    else:
        answered = sum(1 for t in saved.turns if t.kind == "answer")
        verdicts = ", ".join(f"{v.persona_id}: {v.verdict}" for v in saved.debrief) or "no debrief"
        print(f"session {saved.id} saved: {len(saved.turns)} turns, {answered} answers graded; {verdicts}")
        print(f"read it with: python -m simulator sessions show {saved.id}")
    return OK


def _scripted_answers(script: Script, path: str) -> list[ScriptedAnswer]:
    if not any(isinstance(a, AudioAnswer) for a in script.answers):
        return typed_answers(script)
    from simulator.voice.script_audio import scripted_answers  # the speech stack only when needed

    return scripted_answers(script, path)


def _live(args: argparse.Namespace) -> int:
    given = read_live_inputs(args)  # bad flags, files, database or id: refused before anything loads
    from simulator.cli.interview import run_live  # the orchestrator and the service, for this command only

    return run_live(args, given)


def _personas(args: argparse.Namespace) -> int:
    if args.action == "schema":
        print(json.dumps(Persona.model_json_schema(), indent=2))
        return OK
    directory = Path(args.dir) if args.dir else personas_dir()
    try:
        personas = load_personas(directory)
    except CatalogError as exc:  # a check lists every problem, one per line
        for line in exc.errors:
            print(line, file=sys.stderr)
        return BAD_INPUT
    for persona in personas.values():
        role_specific = sum(len(qs) for qs in persona.family_questions.values())
        print(
            f"ok  {persona.id}: {persona.name}, {persona.title} ({len(persona.questions)} questions, "
            f"{role_specific} role-specific)"
        )
    return OK


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m simulator", description="Rehearse a second-round interview.")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a scripted session with no person at the keyboard")
    run.add_argument("--script", required=True, help="the session script (YAML)")
    run.add_argument("--engine", choices=ENGINES, default="offline")
    run.add_argument("--db", help="session database (default: $ROUNDTWO_HOME/sessions.db)")
    run.add_argument("--seed", type=int, help="overrides the script's seed")
    run.add_argument("--json", action="store_true", help="print the saved session as JSON")
    add_llm_arguments(run)
    run.set_defaults(handler=_run)

    live = commands.add_parser("interview", help="the same round, typed live in the terminal")
    live.add_argument("--setup", help="a script file for the job, round one and panel (answers are ignored)")
    live.add_argument("--resume", metavar="ID", help="carry on a saved session")
    live.add_argument(
        "--job", metavar="FILE", help="the job (YAML: title, company, level, description, research_notes)"
    )
    live.add_argument("--coach", action="store_true", help="show each answer's grade as you go")
    add_practice_arguments(live)  # --drill, --drill-question, --drill-again, --from
    live.add_argument("--engine", choices=ENGINES, default="offline")
    live.add_argument("--db", help="session database (default: $ROUNDTWO_HOME/sessions.db)")
    live.add_argument("--seed", type=int)
    add_llm_arguments(live)
    live.set_defaults(handler=_live)

    grade.register(commands)
    sessions.register(commands)
    transcribe.register(commands)

    personas = commands.add_parser("personas", help="check persona files or print their schema")
    personas.add_argument("action", choices=("check", "schema"))
    personas.add_argument("dir", nargs="?", help="folder of persona files (default: personas/)")
    personas.set_defaults(handler=_personas)
    judge_eval.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command line; returns its exit code (argparse's own for --help or a usage error)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else BAD_INPUT
    return run_handler(args.handler, args)
