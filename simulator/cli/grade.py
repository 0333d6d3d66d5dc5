"""`python -m simulator grade INPUT.jsonl [--engine offline|openai|local] [--rubrics DIR]`.

Reads one answer per line and writes one line per answer, in order, to stdout:
`{"id": ..., "grade": <AnswerGrade>}`. Input lines look like
`{"id": "a1", "question": "...", "answer": "...", "round_one": [{"question": "...", "answer": "..."}]}`;
`round_one` (or `round_one_notes`, `question_kind`, `job`) are optional, any other key is an error.

A bad line (not JSON, not an object, a missing or mistyped field, an unknown key) becomes
`{"line": N, "error": "..."}` on stdout and `FILE:N: ...` on stderr; the other lines are still
graded and the exit code is 2. Blank lines (a trailing newline, a gap) are skipped without output.
INPUT may be `-` for stdin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from simulator.catalog import CatalogError, load_rubrics
from simulator.engines import ENGINES, EngineUnavailable, make_engine
from simulator.engines.base import GradeRequest
from simulator.engines.settings import SettingsError, add_engine_arguments, settings_from_args
from simulator.exit_codes import BAD_INPUT
from simulator.models import QA, AnswerGrade, Job, RoundOne


class GradeLine(BaseModel):
    """One input line. Strict: a number where text belongs, or an unknown key, is reported."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str | int | None = None
    question: str
    answer: str
    round_one: list[QA] | RoundOne | None = None
    round_one_notes: str | None = None
    question_kind: Literal["behavioural", "skills", "case", "culture", "potential", "pressure"] | None = None
    job: Job | None = None

    def request(self) -> GradeRequest:
        if isinstance(self.round_one, RoundOne):
            round_one = self.round_one
            if self.round_one_notes:
                round_one = RoundOne(
                    answers=round_one.answers, notes=f"{round_one.notes}\n{self.round_one_notes}".strip()
                )
        else:
            round_one = RoundOne(answers=self.round_one or [], notes=self.round_one_notes or "")
        return GradeRequest(
            question=self.question,
            answer=self.answer,
            round_one=round_one,
            question_kind=self.question_kind,
            job=self.job,
        )


def describe(exc: ValidationError) -> str:
    """The first problem of a line, named by its field: `round_one[0].answer: Field required`."""
    parts = []
    errors = exc.errors()
    # round_one may be a list or an object; when the list reading says what is wrong, skip the other.
    if any("list[QA]" in err["loc"] for err in errors):
        errors = [err for err in errors if "RoundOne" not in err["loc"]]
    for err in errors[:3]:
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"]).replace(".[", "[")
        # A union reports each member; the member's name adds nothing for the user.
        where = where.replace(".list[QA]", "").replace(".RoundOne", "").replace("list[QA]", "")
        message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
        parts.append(f"{where or '(line)'}: {message}")
    return "; ".join(dict.fromkeys(parts))


def parse_line(text: str) -> GradeLine:
    """The line as a GradeLine, or ValueError with a one-line reason."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, got {type(data).__name__}")
    try:
        return GradeLine.model_validate(data)
    except ValidationError as exc:
        raise ValueError(describe(exc)) from None


Grader = Callable[[GradeRequest], AnswerGrade]


def grade_lines(lines: Iterable[str], grader: Grader, name: str, out: TextIO, err: TextIO) -> int:
    """Grade every line; returns how many were bad."""
    bad = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            line = parse_line(raw)
        except ValueError as exc:
            bad += 1
            out.write(json.dumps({"line": number, "error": str(exc)}) + "\n")
            err.write(f"{name}:{number}: {exc}\n")
            continue
        grade = grader(line.request())
        out.write(
            json.dumps({"id": line.id, "grade": grade.model_dump(mode="json")}, ensure_ascii=False) + "\n"
        )
        out.flush()
    return bad


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT.jsonl", help="one answer per line; '-' reads stdin")
    parser.add_argument("--engine", choices=ENGINES, default="offline")
    parser.add_argument("--rubrics", metavar="DIR", help="rubric folder (default: rubrics/)")
    add_engine_arguments(parser)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        rubrics = load_rubrics(Path(args.rubrics) if args.rubrics else None)
        grader: Grader = make_engine(args.engine, rubrics, settings_from_args(args)).grade
    except CatalogError as exc:
        err.write(f"error: {exc.errors[0]}\n")
        return BAD_INPUT
    except (EngineUnavailable, SettingsError) as exc:
        err.write(f"error: {exc}\n")
        return BAD_INPUT
    if args.input == "-":
        bad = grade_lines(sys.stdin, grader, "<stdin>", out, err)
    else:
        path = Path(args.input)
        try:
            with path.open(encoding="utf-8") as handle:
                bad = grade_lines(handle, grader, str(path), out, err)
        except FileNotFoundError:
            err.write(f"error: {path}: file not found\n")
            return BAD_INPUT
        except (OSError, UnicodeDecodeError) as exc:
            err.write(f"error: {path}: cannot read: {exc}\n")
            return BAD_INPUT
    return BAD_INPUT if bad else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("grade", help="grade answers from a JSONL file, one grade per line")
    add_arguments(parser)
    parser.set_defaults(handler=run)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator grade", description="Grade interview answers.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
