"""The offline rules' grades as they were when the cassettes were recorded, pinned like the personas.

The LLM engine builds its judge prompt on the rules' grade of the answer (their flags and findings
are proposals the judge rules on), and the conversation follows the grades (follow-ups, hand-off
notes, wrap-ups). So a change to the grader would change the request bodies a cassette matches on.
A recording therefore writes every grade the rules gave the engine (and their two flow readings:
does an answer raise pay, does a long one reach a result) to
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
READINGS: dict[str, type[AnswerGrade] | type[ReplyGrade]] = {"grade": AnswerGrade, "reply": ReplyGrade}
Reading = AnswerGrade | ReplyGrade | bool


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


class Readings:
    """Readings filed by their kind and the words read (the answer, or the reply), so one is found
    without reading them all; within that, the rest of the key is compared with `same`."""

    def __init__(self) -> None:
        self._filed: dict[tuple[str, str | None], list[tuple[dict[str, Any], Reading]]] = {}

    @staticmethod
    def _place(kind: str, key: dict[str, Any]) -> tuple[str, str | None]:
        return kind, key.get("reply" if kind == "reply" else "answer")

    def add(self, kind: str, key: dict[str, Any], value: Reading) -> None:
        self._filed.setdefault(self._place(kind, key), []).append((key, value))

    def find(self, kind: str, key: dict[str, Any]) -> Reading | None:
        filed = self._filed.get(self._place(kind, key), [])
        return next((value for pinned, value in filed if same(pinned, key)), None)


def _shown(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return repr(flat if len(flat) <= SHOWN_CHARS else flat[:SHOWN_CHARS] + "...")


def pinned_path(cassette: str, folder: Path = RULE_GRADES) -> Path:
    return folder / f"{cassette}.jsonl"


class PinnedRules:
    """The recorded readings, for the answers and replies that were read when recording; NotPinned
    for any other."""

    def __init__(self, cassette: str, folder: Path = RULE_GRADES):
        self.path = pinned_path(cassette, folder)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path} is missing: run `make record` (needs the local extra)")
        self.readings = Readings()
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                entry = json.loads(line)
                kind = entry["kind"]
                value = entry["grade"] if kind in READINGS else entry["value"]
                if kind in READINGS:
                    value = READINGS[kind].model_validate(value)
                elif not isinstance(value, bool):
                    raise ValueError(f"{kind!r} is not a pinned reading")
                self.readings.add(kind, entry["key"], value)
            except (ValueError, KeyError, TypeError, ValidationError) as exc:
                reason = str(exc).splitlines()[0]
                raise ValueError(f"{self.path.name} line {number}: not a pinned grade ({reason})") from None

    def _pinned(self, kind: str, key: dict[str, Any], what: str) -> Any:
        value = self.readings.find(kind, key)
        if value is not None:
            return value
        raise NotPinned(
            f"{self.path.name}: nothing was pinned for {what}: the conversation is not the one recorded; "
            "re-record with `make record`"
        )

    def grade(self, request: GradeRequest) -> AnswerGrade:
        what = f"the answer {_shown(request.answer)} to {_shown(request.question)}"
        grade: AnswerGrade = self._pinned("grade", grade_key(request), f"the rules' grade of {what}")
        return grade

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        what = f"the reply {_shown(reply)} to the follow-up {_shown(follow_up)}"
        grade: ReplyGrade = self._pinned("reply", reply_key(follow_up, reply, reason), f"the grade of {what}")
        return grade

    def raises_pay(self, answer: str, question: str) -> bool:
        what = f"whether the answer {_shown(answer)} raises pay"
        return bool(self._pinned("pay", {"answer": answer, "question": question}, what))

    def reaches_a_result(self, answer: str) -> bool:
        what = f"whether the answer {_shown(answer)} reaches a result"
        return bool(self._pinned("result", {"answer": answer}, what))


class PinningRules:
    """The live rules, writing each new reading they give to the cassette's pinned file (rewritten)."""

    def __init__(self, live: RuleGrader, cassette: str, folder: Path = RULE_GRADES):
        self.live = live
        self.path = pinned_path(cassette, folder)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("", encoding="utf-8")
        self._seen = Readings()

    def _pin(self, kind: str, key: dict[str, Any], value: Reading) -> None:
        if self._seen.find(kind, key) is not None:
            return  # read again (the same answer, the same reading): kept once
        self._seen.add(kind, key, value)
        entry: dict[str, Any] = {"kind": kind, "key": key}
        if isinstance(value, bool):
            entry["value"] = value
        else:
            entry["grade"] = value.model_dump(mode="json")
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

    def raises_pay(self, answer: str, question: str) -> bool:
        pays = self.live.raises_pay(answer, question)
        self._pin("pay", {"answer": answer, "question": question}, pays)
        return pays

    def reaches_a_result(self, answer: str) -> bool:
        reaches = self.live.reaches_a_result(answer)
        self._pin("result", {"answer": answer}, reaches)
        return reaches
