"""The practice flags of `interview` (`--drill`, `--drill-question`, `--drill-again`, `--from`) and
the checks of how they combine: apart from cli/practice.py so that building the parser, and refusing
a bad combination, load neither the orchestrator nor the grader."""

from __future__ import annotations

import argparse

from simulator.cli.errors import BadInput


def add_practice_arguments(live: argparse.ArgumentParser) -> None:
    target = live.add_mutually_exclusive_group()
    target.add_argument(
        "--drill",
        metavar="COMPETENCY",
        help="practise one competency's questions on their own (e.g. collaboration; 'weakest' with --from)",
    )
    target.add_argument("--drill-question", metavar="TEXT", help="practise one question on its own")
    target.add_argument("--drill-again", metavar="ID", help="run a saved drill once more")
    live.add_argument(
        "--from",
        dest="from_session",
        metavar="ID",
        help="a drill: use this saved session's job and round one",
    )


def wants_drill(args: argparse.Namespace) -> bool:
    return bool(args.drill or args.drill_question or args.drill_again)


def check_flags(args: argparse.Namespace) -> None:
    """Flags that cannot go together, refused before anything is loaded."""
    if args.resume and (wants_drill(args) or args.from_session):
        raise BadInput("--resume carries on a saved session: it takes no --drill, --drill-question or --from")
    if args.from_session and not (args.drill or args.drill_question):
        raise BadInput("--from names the session a drill is built from: give --drill or --drill-question too")
    if args.drill and args.drill.strip().lower() == "weakest" and not args.from_session:
        raise BadInput("--drill weakest needs --from ID: the session whose weakest competency to drill")
