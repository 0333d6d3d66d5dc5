"""The one place the command line turns an exception into one line on stderr and an exit code.

2 when what the user gave is wrong (a file, a line, a field, an id, a flag), with a line naming it;
1 for anything else. Never a traceback: a session is saved turn by turn, so nothing typed is lost.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable

from simulator.catalog import CatalogError
from simulator.engines import EngineUnavailable
from simulator.engines.settings import SettingsError
from simulator.exit_codes import BAD_INPUT, FAILURE
from simulator.plain_data import PlainDataError
from simulator.session_json import InvalidImport
from simulator.store import NotFound, StoreError

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
MAX_MESSAGE_CHARS = 400


class BadInput(Exception):
    """What the user gave cannot be used; the message is the one line they see."""


class Failed(Exception):
    """Something other than the input went wrong (a damaged database, a full disk): exit 1."""


# Everything here is the user's to fix: the message already names the file, line, field or id.
BAD_INPUT_ERRORS: tuple[type[BaseException], ...] = (
    BadInput,
    CatalogError,
    EngineUnavailable,
    SettingsError,
    NotFound,
    InvalidImport,
    StoreError,
    PlainDataError,
)

Handler = Callable[[argparse.Namespace], int]


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Safe for a terminal and a log: no control characters, no newlines, not endless."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refused_by_the_interview(exc: BaseException) -> bool:
    """An out-of-turn action or an unknown session id (the orchestrator's InterviewError). Looked up
    only if the orchestrator was loaded, which is the only way one can have been raised: importing
    it here would load the grader into every command, `--help` and `sessions list` included."""
    orchestrator = sys.modules.get("simulator.orchestrator")
    return orchestrator is not None and isinstance(exc, orchestrator.InterviewError)


def classify(exc: BaseException) -> tuple[int, str]:
    """The exit code and the line to print for an exception a command let through."""
    if isinstance(exc, CatalogError):
        return BAD_INPUT, exc.errors[0] if len(exc.errors) == 1 else str(exc)
    if isinstance(exc, BAD_INPUT_ERRORS) or _refused_by_the_interview(exc):
        return BAD_INPUT, str(exc)
    if isinstance(exc, RecursionError):  # a parser we did not guard: still the input's fault
        return BAD_INPUT, "the input is nested too deeply to read"
    if isinstance(exc, UnicodeError):
        return BAD_INPUT, f"the input is not valid UTF-8 text ({type(exc).__name__})"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return FAILURE, f"{where}{exc.strerror or exc}"
    detail = str(exc) or type(exc).__name__
    return FAILURE, f"{detail} ({type(exc).__name__})" if str(exc) else detail


def run_handler(handler: Handler, args: argparse.Namespace) -> int:
    """Run one command; whatever escapes it becomes one line and an exit code."""
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("\ninterrupted: everything said so far is saved", file=sys.stderr)
        return FAILURE
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return FAILURE
    except Exception as exc:  # the one catch-all of the CLI: a line, never a traceback
        code, message = classify(exc)
        print(f"error: {one_line(message)}", file=sys.stderr)
        return code
