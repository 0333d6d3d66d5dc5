"""What `interview` is handed on its command line, read and checked before the orchestrator, the service
and the grader load (about a second and a half of CPU): a job or setup file that does not read, an
engine flag out of range, a database that is not one and a session id it does not hold are each
refused at once, as `run` refuses a bad script."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from simulator.cli.job_input import load_job
from simulator.cli.practice_flags import check_flags
from simulator.engines.settings import EngineSettings, settings_from_args
from simulator.models import Job
from simulator.script import Script, load_script
from simulator.store import Store


@dataclass(frozen=True)
class LiveInputs:
    settings: EngineSettings
    job: Job | None  # from --job FILE
    setup: Script | None  # from --setup FILE


def read_live_inputs(args: argparse.Namespace) -> LiveInputs:
    check_flags(args)  # flags that cannot go together
    settings = settings_from_args(args)
    job = load_job(Path(args.job)) if args.job else None
    setup = load_script(Path(args.setup)) if args.setup else None
    # Opened here too (the interview opens it again): a corrupt file or a folder is refused now.
    with Store(Path(args.db) if args.db else None) as store:
        for session_id in (args.resume, args.drill_again, args.from_session):
            if session_id:
                store.resolve(session_id)  # SessionNotFound: the id, in the line the command prints
    return LiveInputs(settings, job, setup)
