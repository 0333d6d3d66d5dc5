"""Turns an uploaded or pasted round-one record into a `RoundOne`.

Accepted: plain text or Markdown with `Q:`/`A:` pairs (also `Question:`/`Answer:`,
`Interviewer:`/`Me:`, numbered `Q1.`), JSON or YAML (a list of `{question, answer}`, or a mapping with
`answers`/`round_one` and `notes`), or a saved session's JSON (its answers become the record).
Anything else in a text file becomes free notes. Errors are one line, naming the file and the problem.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import cast

import yaml
from pydantic import ValidationError

from simulator.models import QA, RoundOne, Session

MAX_BYTES = 200_000  # a round-one record is a few pages; anything larger is a mistake, not a record
TEXT_SUFFIXES = (".txt", ".md", ".markdown")
DATA_SUFFIXES = (".json", ".yaml", ".yml")

# A line that opens a question or an answer: optional list/heading/bold decoration, then a label and a
# colon ("Q:", "Question:", "Interviewer:"), or a numbered label and a colon, dot or bracket ("Q1.", "A2)").
_DECOR = r"^\s*(?:[-*>]\s*|#{1,6}\s*)?(?:\*\*|__)?"
_END = r"\s*(?:\*\*|__)?\s*"


def _label(words: str, letter: str) -> re.Pattern[str]:
    return re.compile(
        _DECOR + rf"(?:(?:{words}){_END}:|{letter}\s*\d+{_END}[:.)]|{letter}{_END}:){_END}", re.IGNORECASE
    )


_QUESTION = _label(r"question(?:\s*\d+)?|interviewer", "q")
_ANSWER = _label(r"answer(?:\s*\d+)?|me|you|candidate|my answer", "a")
NO_QUESTION = "(question not recorded)"


class RoundOneImportError(ValueError):
    """The record cannot be read; the message is one line saying why."""


def parse_round_one_text(text: str, source: str = "pasted text") -> RoundOne:
    """Q:/A: pairs where there are any; everything outside them is kept as notes."""
    _check_size(len(text.encode("utf-8")), source)
    pairs: list[QA] = []
    notes: list[str] = []
    question: list[str] | None = None
    answer: list[str] | None = None

    def flush() -> None:
        nonlocal question, answer
        q = "\n".join(question or []).strip()
        a = "\n".join(answer or []).strip()
        if a:
            pairs.append(QA(question=q or NO_QUESTION, answer=a))
        elif q:
            notes.append(f"Unanswered question: {q}")
        question, answer = None, None

    for line in text.splitlines():
        if match := _QUESTION.match(line):
            flush()
            question = [line[match.end() :]]
        elif (match := _ANSWER.match(line)) and (question is not None or answer is None):
            if answer is not None:  # a second answer in a row: close the first pair
                flush()
            if question is None:
                question = []
            answer = [line[match.end() :]]
        elif answer is not None:
            answer.append(line)
        elif question is not None:
            question.append(line)
        else:
            notes.append(line)
    flush()
    return RoundOne(answers=pairs, notes="\n".join(notes).strip())


def parse_round_one_data(data: object, source: str) -> RoundOne:
    """A JSON/YAML value: a list of pairs, a RoundOne-like mapping, or a saved session."""
    if isinstance(data, list):
        return RoundOne(answers=_pairs(data, source, "top level"))
    if isinstance(data, str):
        return parse_round_one_text(data, source)
    if not isinstance(data, dict):
        raise RoundOneImportError(f"{source}: expected a list of {{question, answer}} or a mapping")
    if data.get("format") == "roundtwo.session" and isinstance(data.get("session"), dict):
        data = data["session"]  # a session exported from the Replay tab or `sessions export`
    data = cast(dict[str, object], data)
    if "turns" in data and "job" in data:
        try:
            return round_one_from_session(Session.model_validate(data))
        except ValidationError as exc:
            raise RoundOneImportError(f"{source}: not a valid saved session: {_first_error(exc)}") from None
    unknown = sorted(set(data) - {"answers", "round_one", "notes", "round_one_notes"})
    if unknown:
        raise RoundOneImportError(f"{source}: unknown field '{unknown[0]}' (expected answers and notes)")
    items = data.get("answers", data.get("round_one", []))
    notes = data.get("notes", data.get("round_one_notes", ""))
    if not isinstance(items, list):
        raise RoundOneImportError(f"{source}: answers: expected a list of {{question, answer}}")
    if not isinstance(notes, str):
        raise RoundOneImportError(f"{source}: notes: expected text")
    return RoundOne(answers=_pairs(items, source, "answers"), notes=notes.strip())


def parse_round_one_file(path: Path, name: str | None = None) -> RoundOne:
    """An uploaded file; `name` is what the user called it (uploads land under a temporary name)."""
    source = name or path.name
    suffix = Path(source).suffix.lower()
    if suffix not in TEXT_SUFFIXES + DATA_SUFFIXES:
        allowed = ", ".join(TEXT_SUFFIXES + DATA_SUFFIXES)
        raise RoundOneImportError(f"{source}: unsupported file type '{suffix or 'none'}' (use {allowed})")
    try:
        size = path.stat().st_size
        _check_size(size, source)
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RoundOneImportError(f"{source}: file not found") from None
    except UnicodeDecodeError:
        raise RoundOneImportError(f"{source}: not UTF-8 text") from None
    if suffix in TEXT_SUFFIXES:
        return parse_round_one_text(text, source)
    return parse_round_one_data(_load_data(text, suffix, source), source)


def round_one_from_session(session: Session) -> RoundOne:
    """An earlier session's answers, each paired with the question it answered."""
    by_index = {t.index: t for t in session.turns}
    pairs = []
    for turn in session.turns:
        if turn.kind != "answer" or not turn.text.strip():
            continue
        asked = by_index.get(turn.reply_to) if turn.reply_to is not None else None
        pairs.append(QA(question=asked.text if asked else NO_QUESTION, answer=turn.text))
    notes = f"From the session of {session.created_at[:10]} ({session.job.title} at {session.job.company})."
    return RoundOne(answers=pairs, notes=notes)


def _check_size(size: int, source: str) -> None:
    if size > MAX_BYTES:
        raise RoundOneImportError(
            f"{source}: {size // 1000} KB is over the {MAX_BYTES // 1000} KB limit for a round-one record"
        )


def _load_data(text: str, suffix: str, source: str) -> object:
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise RoundOneImportError(f"{source}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise RoundOneImportError(f"{source}: {where}invalid YAML: {problem}") from None


def _pairs(items: list[object], source: str, where: str) -> list[QA]:
    pairs = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise RoundOneImportError(f"{source}: {where} item {i}: expected {{question, answer}}")
        extra = sorted(set(item) - {"question", "answer", "q", "a"})
        if extra:
            raise RoundOneImportError(f"{source}: {where} item {i}: unknown field '{extra[0]}'")
        question = item.get("question", item.get("q", ""))
        answer = item.get("answer", item.get("a", ""))
        if not isinstance(question, str) or not isinstance(answer, str):
            raise RoundOneImportError(f"{source}: {where} item {i}: question and answer must be text")
        if not answer.strip():
            raise RoundOneImportError(f"{source}: {where} item {i}: the answer is empty")
        pairs.append(QA(question=question.strip() or NO_QUESTION, answer=answer.strip()))
    return pairs


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "top level"
    return f"{where}: {err['msg']}"
