"""`python -m simulator grade INPUT.jsonl [--engine offline|openai|local] [--rubrics DIR]`.

Reads one answer per line and writes one line per answer, in order, to stdout:
`{"id": ..., "grade": <AnswerGrade>}`. Input lines look like
`{"id": "a1", "question": "...", "answer": "...", "round_one": [{"question": "...", "answer": "..."}]}`;
`round_one` (or `round_one_notes`, `question_kind`, `job`) are optional, any other key is an error.

A bad line (not UTF-8, not JSON, not an object, nested too deeply, a lone surrogate such as
`"\\ud800"`, NaN or `1e400`, a missing or mistyped field, an unknown key, an answer or a line over
the size limit) becomes `{"line": N, "error": "..."}` (with its `id` when it has one) on stdout and
`FILE:N: ...` on stderr; the other lines are still graded and the exit code is 2. Blank lines are
skipped without output. A file of more than MAX_GRADE_LINES lines stops there: that line gets the
error and nothing after it is read. INPUT may be `-` for stdin.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Literal, TextIO

from pydantic import BaseModel, ConfigDict, ValidationError

from simulator.catalog import load_rubrics
from simulator.cli.arguments import add_llm_arguments
from simulator.cli.errors import BadInput
from simulator.engines import ENGINES, make_engine
from simulator.engines.base import GradeRequest
from simulator.engines.settings import settings_from_args
from simulator.exit_codes import BAD_INPUT, OK
from simulator.limits import MAX_ANSWER_CHARS, MAX_GRADE_LINE_CHARS, MAX_GRADE_LINES
from simulator.models import QA, AnswerGrade, Job, RoundOne
from simulator.plain_data import PlainDataError, check_plain

# UTF-8 takes at most 4 bytes a character: read no more than this before judging a line's length.
_MAX_LINE_BYTES = 4 * MAX_GRADE_LINE_CHARS


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


class BadLine(ValueError):
    """One input line cannot be graded; `line_id` is its id when the line got that far."""

    def __init__(self, reason: str, line_id: object = None):
        super().__init__(reason)
        self.line_id = line_id


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_line(text: str) -> GradeLine:
    """The line as a GradeLine, or BadLine with a one-line reason."""
    if len(text) > MAX_GRADE_LINE_CHARS:
        raise BadLine(f"the line is {len(text):,} characters; the limit is {MAX_GRADE_LINE_CHARS:,}")
    try:
        data = json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except ValueError as exc:
        raise BadLine(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise BadLine("nested too deeply") from None
    if not isinstance(data, dict):
        raise BadLine(f"expected a JSON object, got {type(data).__name__}")
    line_id = data.get("id") if isinstance(data.get("id"), str | int) else None
    try:
        check_plain(data)
    except PlainDataError as exc:
        raise BadLine(str(exc), line_id) from None
    answer = data.get("answer")
    if isinstance(answer, str) and len(answer) > MAX_ANSWER_CHARS:
        raise BadLine(f"answer: {len(answer):,} characters; the limit is {MAX_ANSWER_CHARS:,}", line_id)
    try:
        return GradeLine.model_validate(data)
    except ValidationError as exc:
        raise BadLine(describe(exc), line_id) from None


Grader = Callable[[GradeRequest], AnswerGrade]


def read_lines(source: IO[bytes]) -> Iterator[str | BadLine]:
    """Each line as text, or a BadLine for one too long or not UTF-8, reading no more than the limits."""
    for number in range(1, MAX_GRADE_LINES + 2):
        raw = source.readline(_MAX_LINE_BYTES + 1)
        if not raw:
            return
        if number > MAX_GRADE_LINES:
            yield BadLine(f"more than {MAX_GRADE_LINES:,} lines; this line and the rest were not read")
            return
        if len(raw) > _MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (more := source.readline(64 * 1024)) and not more.endswith(b"\n"):
                pass  # skip the rest of the over-long line, a chunk at a time
            yield BadLine(f"the line is longer than {MAX_GRADE_LINE_CHARS:,} characters")
            continue
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield BadLine(f"not UTF-8 text (byte {exc.start} of the line)")


def _bad_line(number: int, exc: BadLine) -> dict[str, object]:
    row: dict[str, object] = {"line": number, "error": str(exc)}
    if exc.line_id is not None:
        row["id"] = exc.line_id
    return row


def grade_lines(source: IO[bytes], grader: Grader, name: str, out: TextIO, err: TextIO) -> int:
    """Grade every line; returns how many were bad."""
    bad = 0
    for number, raw in enumerate(read_lines(source), start=1):
        if isinstance(raw, str) and not raw.strip():
            continue
        try:
            if isinstance(raw, BadLine):
                raise raw
            line = parse_line(raw)
        except BadLine as exc:
            bad += 1
            out.write(json.dumps(_bad_line(number, exc)) + "\n")
            err.write(f"{name}:{number}: {exc}\n")
            continue
        grade = grader(line.request())
        out.write(
            json.dumps({"id": line.id, "grade": grade.model_dump(mode="json")}, ensure_ascii=False) + "\n"
        )
        out.flush()
    return bad


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("grade", help="grade answers from a JSONL file, one grade per line")
    parser.add_argument("input", metavar="INPUT.jsonl", help="one answer per line; '-' reads stdin")
    parser.add_argument("--engine", choices=ENGINES, default="offline")
    parser.add_argument("--rubrics", metavar="DIR", help="rubric folder (default: rubrics/)")
    add_llm_arguments(parser)
    parser.set_defaults(handler=run)


class FirstUseGrader:
    """The engine's grade, made when the first line that reads well is graded: a missing file, a folder
    or a file of bad lines is answered without loading the grader (a second or two of CPU). A rubric
    folder named with --rubrics is still checked before any line is read."""

    def __init__(self, make: Callable[[], Grader]):
        self._make = make
        self._grader: Grader | None = None

    def __call__(self, request: GradeRequest) -> AnswerGrade:
        if self._grader is None:
            self._grader = self._make()
        return self._grader(request)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    settings = settings_from_args(args)
    named = load_rubrics(Path(args.rubrics)) if args.rubrics else None
    grader = FirstUseGrader(
        lambda: make_engine(args.engine, named if named is not None else load_rubrics(), settings).grade
    )
    if args.input == "-":
        bad = grade_lines(sys.stdin.buffer, grader, "<stdin>", out, err)
        return BAD_INPUT if bad else OK
    path = Path(args.input)
    if path.is_dir():
        raise BadInput(f"{path}: is a folder, not a file")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        bad = grade_lines(handle, grader, str(path), out, err)
    return BAD_INPUT if bad else OK
