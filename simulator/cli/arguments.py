"""Argument parsing shared by every command: one-line usage errors and checked flag values.

A flag's value is checked when it is parsed, so `--base-url "not a url"` or `--hours nan` stops at
once with the flag named, instead of being carried along and silently ignored later.
"""

from __future__ import annotations

import argparse
import math
from typing import NoReturn

from simulator.engines.settings import SettingsError, add_engine_arguments, endpoint
from simulator.exit_codes import BAD_INPUT

MAX_HOURS = 24 * 365  # a thank-you note sent a year later is still a number we can judge


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (the usage itself is one `--help` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def hours(text: str) -> float:
    value = finite_float(text)
    if not 0 <= value <= MAX_HOURS:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and {MAX_HOURS} hours")
    return value


def http_url(text: str) -> str:
    """An endpoint a model can be reached at: http or https, and a host (the engine's own check)."""
    try:
        endpoint(text)
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def add_llm_arguments(parser: argparse.ArgumentParser) -> None:
    """The LLM engine flags, with their values checked at parse time."""
    add_engine_arguments(parser)
    checks = {"base_url": http_url, "temperature": finite_float, "timeout": finite_float}
    for action in parser._actions:
        if action.dest in checks:
            action.type = checks[action.dest]
