"""The JSON export format of a session, and the checks a file must pass before it is imported.

Pure: text in, a validated Session out (or one clear error). An import is untrusted input: it
may be truncated, malformed, enormous, deeply nested or crafted, so everything is checked before
the store writes a byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Literal

from pydantic import ValidationError

from simulator.catalog import validation_lines
from simulator.models import Session, Strict
from simulator.redact import redact

FORMAT = "roundtwo.session"
VERSION = 1
MAX_IMPORT_BYTES = 5 * 1024 * 1024
# A real session nests about ten levels deep (session > turns > grade > star > evidence);
# anything far deeper is not a session and only costs memory and recursion to look at.
MAX_DEPTH = 32
MAX_TURN_INDEX = 100_000
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{3,63}$")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class InvalidImport(ValueError):
    """A file that cannot be imported. The message is one line naming the source and the field."""

    def __init__(self, source: str, reason: str, field: str | None = None):
        self.source = source
        self.field = field
        where = f"{source}: {field}: " if field else f"{source}: "
        super().__init__(_one_line(where + reason))


class _Envelope(Strict):
    format: Literal["roundtwo.session"]
    version: Literal[1]
    session: Session


def dump_session(session: Session) -> str:
    """The export file's text, with any known secret (an API key a model repeated) redacted."""
    envelope = {"format": FORMAT, "version": VERSION, "session": session.model_dump(mode="json")}
    return redact(json.dumps(envelope, indent=2, ensure_ascii=False) + "\n")


def parse_session(text: str, source: str = "<input>", personas: Collection[str] | None = None) -> Session:
    """Validate an export completely; raise InvalidImport on the first thing wrong.

    `personas`, when given, are the known persona ids: a session naming any other is refused.
    """
    if len(text) > MAX_IMPORT_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_IMPORT_BYTES:
        raise InvalidImport(source, f"file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    if not text.strip():
        raise InvalidImport(source, "file is empty")
    data = _parse_json(text, source)
    _check_shape(data, source)
    if not isinstance(data, dict):
        raise InvalidImport(source, "expected a JSON object at the top level")
    if data.get("format") != FORMAT:
        raise InvalidImport(source, f"not a Round Two session export (expected {FORMAT!r})", "format")
    version = data.get("version")
    # `type(...) is int`: JSON's true equals 1 in Python, and is no version number.
    if type(version) is not int or version != VERSION:
        shown = json.dumps(version) if isinstance(version, bool | int | float | None) else "that"
        raise InvalidImport(source, f"unsupported version {shown} (this build reads {VERSION})", "version")
    try:
        # strict: "3" is not 3 and "true" is not true; an export never needs coercion.
        session = _Envelope.model_validate(data, strict=True).session
    except ValidationError as exc:
        lines = validation_lines(source, exc, data)
        field, _, reason = lines[0].removeprefix(f"{source}: ").partition(": ")
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise InvalidImport(source, reason + more, field) from None
    _check_turns(session, source)
    if not ID_PATTERN.match(session.id):
        raise InvalidImport(source, "must be 4-64 lowercase letters, digits, '_' or '-'", "session.id")
    if personas is not None:
        _check_personas(session, source, set(personas))
    return session


def _check_personas(session: Session, source: str, known: set[str]) -> None:
    """Every persona the session names is one this install has (the page looks them up by id)."""
    named: list[tuple[str, str]] = [
        (f"session.plan.slots[{i}].persona_id", slot.persona_id) for i, slot in enumerate(session.plan.slots)
    ]
    for i, turn in enumerate(session.turns):
        named.append((f"session.turns[{i}].persona_id", turn.persona_id))
        if turn.speaker != "candidate":
            named.append((f"session.turns[{i}].speaker", turn.speaker))
    named += [
        (f"session.handoff_notes[{i}].from_persona", n.from_persona)
        for i, n in enumerate(session.handoff_notes)
    ]
    for name in ("scorecards", "debrief", "wrap_up_signs", "thank_you"):
        named += [
            (f"session.{name}[{i}].persona_id", item.persona_id)
            for i, item in enumerate(getattr(session, name))
        ]
    for field, persona_id in named:
        if persona_id not in known:
            raise InvalidImport(source, f"unknown interviewer {persona_id!r}", field)


def _parse_json(text: str, source: str) -> object:
    def no_constants(name: str) -> object:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise InvalidImport(
            source, f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InvalidImport(source, f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # NaN/Infinity, or an integer with thousands of digits
        reason = "a number has thousands of digits" if "digits" in str(exc) else str(exc)
        raise InvalidImport(source, f"invalid JSON: {reason}") from None


def _check_shape(data: object, source: str) -> None:
    """Depth and text sanity over the whole tree, iteratively (no recursion to exhaust)."""
    stack: list[tuple[object, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidImport(source, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise InvalidImport(source, "text holds an unpaired UTF-16 surrogate")
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    raise InvalidImport(source, "a key holds an unpaired UTF-16 surrogate")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _check_turns(session: Session, source: str) -> None:
    """Turn indexes strictly increase, stay small, and `reply_to` points at an earlier turn."""
    seen: set[int] = set()
    previous = -1
    for position, turn in enumerate(session.turns):
        field = f"session.turns[{position}].index"
        if turn.index > MAX_TURN_INDEX:
            raise InvalidImport(source, f"{turn.index} is larger than {MAX_TURN_INDEX}", field)
        if turn.index in seen:
            raise InvalidImport(source, f"{turn.index} repeats an earlier turn's index", field)
        if turn.index < previous:
            raise InvalidImport(source, f"{turn.index} comes after {previous}: turns must be in order", field)
        if turn.reply_to is not None and turn.reply_to not in seen:
            raise InvalidImport(
                source, f"{turn.reply_to} is not an earlier turn", f"session.turns[{position}].reply_to"
            )
        seen.add(turn.index)
        previous = turn.index


def _one_line(text: str, limit: int = 400) -> str:
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
