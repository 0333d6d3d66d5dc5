"""The offline rules' grades as they were when the cassettes were recorded, pinned like the personas.

The LLM engine builds its judge prompt on the rules' grade of the answer (their flags and findings
are proposals the judge rules on), and the conversation follows the grades (follow-ups, hand-off
notes, wrap-ups). So a change to the grader would change the request bodies a cassette matches on.
A recording therefore writes every grade the rules gave the engine to
`tests/cassettes/data/rule_grades/<cassette>.jsonl`, and replay gives the engine those grades
(`PinnedRules`, through the engine's `rules` seam): the judge's recorded reply is still the reply to
the exact prompt it was given, and the grader can change without re-recording.

An answer graded on replay that was not graded when recording fails at once, naming the answer:
the conversation changed, so the cassette must be recorded again (`make record`).

`ROUNDTWO_PIN_RULES=1` rewrites the pinned grades from the live grader while replaying the
cassettes: only sound with the grader the cassettes were recorded with, which the replay checks
itself (a different grade makes a different prompt, which the cassette does not hold).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from simulator.engines.rule_grader import RuleGrader
from simulator.grading.request import GradeRequest
from simulator.models import AnswerGrade, ReplyGrade

RULE_GRADES = Path(__file__).resolve().parent / "cassettes" / "data" / "rule_grades"
PINNING = os.environ.get("ROUNDTWO_PIN_RULES") == "1"
SHOWN_CHARS = 70  # of an answer or a question, in a message


class NotPinned(AssertionError):
    """The engine asked for a grade that was not given when the cassette was recorded."""


def grade_key(request: GradeRequest) -> dict[str, Any]:
    """Everything the rules' grade of an answer depends on, as JSON."""
    return {
        "question": request.question,
        "answer": request.answer,
        "question_kind": request.question_kind,
        "round_one": request.round_one.model_dump(mode="json"),
        "job": request.job.model_dump(mode="json") if request.job else None,
    }


def reply_key(follow_up: str, reply: str, reason: str | None) -> dict[str, Any]:
    return {"follow_up": follow_up, "reply": reply, "reason": reason}


def same(pinned: Any, now: Any) -> bool:
    """Does `now` say what was pinned? A field added to a model since (new fields are additions only,
    with defaults) is not a difference."""
    if isinstance(pinned, dict) and isinstance(now, dict):
        return all(key in now and same(value, now[key]) for key, value in pinned.items())
    if isinstance(pinned, list) and isinstance(now, list):
        return len(pinned) == len(now) and all(same(a, b) for a, b in zip(pinned, now, strict=True))
    return bool(pinned == now)


def _shown(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return repr(flat if len(flat) <= SHOWN_CHARS else flat[:SHOWN_CHARS] + "...")


def pinned_path(cassette: str) -> Path:
    return RULE_GRADES / f"{cassette}.jsonl"


class PinnedRules:
    """The recorded grades, for the answers and replies that were graded when recording; NotPinned
    for any other."""

    def __init__(self, cassette: str):
        self.path = pinned_path(cassette)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path} is missing: run `make record` (needs the local extra)")
        self.grades: list[tuple[dict[str, Any], AnswerGrade]] = []
        self.replies: list[tuple[dict[str, Any], ReplyGrade]] = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                entry = json.loads(line)
                if entry["kind"] == "grade":
                    self.grades.append((entry["key"], AnswerGrade.model_validate(entry["grade"])))
                else:
                    self.replies.append((entry["key"], ReplyGrade.model_validate(entry["grade"])))
            except (ValueError, KeyError, ValidationError) as exc:
                reason = str(exc).splitlines()[0]
                raise ValueError(f"{self.path.name} line {number}: not a pinned grade ({reason})") from None

    def grade(self, request: GradeRequest) -> AnswerGrade:
        key = grade_key(request)
        found = next((grade for pinned, grade in self.grades if same(pinned, key)), None)
        if found is None:
            raise NotPinned(
                f"{self.path.name}: no rule grade was pinned for the answer {_shown(request.answer)} "
                f"to {_shown(request.question)}: the conversation is not the one recorded; "
                "re-record with `make record`"
            )
        return found

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        key = reply_key(follow_up, reply, reason)
        found = next((grade for pinned, grade in self.replies if same(pinned, key)), None)
        if found is None:
            raise NotPinned(
                f"{self.path.name}: no reply grade was pinned for the reply {_shown(reply)} "
                f"to the follow-up {_shown(follow_up)}: the conversation is not the one recorded; "
                "re-record with `make record`"
            )
        return found


class PinningRules:
    """The live rules, writing each new grade they give to the cassette's pinned file (rewritten)."""

    def __init__(self, live: RuleGrader, cassette: str):
        self.live = live
        self.path = pinned_path(cassette)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("", encoding="utf-8")
        self._seen: list[tuple[str, dict[str, Any]]] = []

    def _pin(self, kind: str, key: dict[str, Any], grade: AnswerGrade | ReplyGrade) -> None:
        if any(kind == seen and same(k, key) for seen, k in self._seen):
            return  # graded again (the same answer, the same grade): kept once
        self._seen.append((kind, key))
        entry = {"kind": kind, "key": key, "grade": grade.model_dump(mode="json")}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")

    def grade(self, request: GradeRequest) -> AnswerGrade:
        grade = self.live.grade(request)
        self._pin("grade", grade_key(request), grade)
        return grade

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        grade = self.live.grade_reply(follow_up, reply, reason)
        self._pin("reply", reply_key(follow_up, reply, reason), grade)
        return grade
