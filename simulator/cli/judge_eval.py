"""`python -m simulator judge-eval --engine openai|local [--model M] [--data FILE] [--limit N]`.

Grades a labelled check set (by default the project's held-out answers) with the model's judge and
with the offline grader, and prints only aggregate figures: the share of STAR parts each marked as
the coaches did, and the share of scores within one point. Neither the answers nor their labels are
printed. The result is stored per model (engines/trust.py): a judge below the offline grader is
advisory from then on.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from simulator.catalog import ROOT, load_rubrics
from simulator.cli.arguments import add_llm_arguments
from simulator.cli.errors import BadInput
from simulator.engines import make_engine
from simulator.engines.base import GradeRequest
from simulator.engines.settings import settings_from_args
from simulator.engines.trust import JudgeTrust, save_trust
from simulator.exit_codes import OK
from simulator.grading.rubric import STAR_PARTS
from simulator.models import AnswerGrade

CHECK_SET = ROOT / "tests" / "heldout" / "v3" / "answers_check.jsonl"
KINDS = ("behavioural", "skills", "case", "culture", "potential", "pressure")


@dataclass
class Tally:
    parts: int = 0
    parts_agreed: int = 0
    scores: int = 0
    scores_near: int = 0

    def add(self, grade: AnswerGrade | None, row: dict[str, Any], present_at: float) -> None:
        labels = row["labels"]
        for part in STAR_PARTS:
            self.parts += 1
            if grade is not None and part in grade.star:
                self.parts_agreed += (grade.star[part].score >= present_at) == bool(labels[part])
        if isinstance(row.get("score"), int):
            self.scores += 1
            if grade is not None and grade.overall is not None:
                self.scores_near += abs(grade.overall - row["score"]) <= 1

    @property
    def agreement(self) -> float:
        return self.parts_agreed / self.parts if self.parts else 0.0

    @property
    def near(self) -> float:
        return self.scores_near / self.scores if self.scores else 0.0


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The graded rows of a labelled set; one plain line naming the file and line when one is bad."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot read it ({type(exc).__name__})") from None
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise BadInput(f"{path}:{number}: not JSON") from None
        if not isinstance(row, dict):
            raise BadInput(f"{path}:{number}: not an object")
        if row.get("status", "graded") != "graded":
            continue  # the rules stop ungradable answers before any judge sees them
        for key in ("question", "answer", "labels"):
            if key not in row:
                raise BadInput(f"{path}:{number}: field '{key}' is missing")
        if not isinstance(row["labels"], dict) or any(part not in row["labels"] for part in STAR_PARTS):
            raise BadInput(f"{path}:{number}: labels: needs situation, task, action and result")
        rows.append(row)
    if not rows:
        raise BadInput(f"{path}: no graded rows to measure on")
    return rows


def _request(row: dict[str, Any]) -> GradeRequest:
    kind = row.get("question_kind")
    return GradeRequest(
        question=str(row["question"]),
        answer=str(row["answer"]),
        question_kind=kind if kind in KINDS else None,
    )


def _why(reason: str | None) -> str:
    """The failure inside a fallback grade's reason: 'LLM judge unavailable (X); graded by...' -> X."""
    text = reason or "no reason given"
    inside = text[text.find("(") + 1 : text.rfind(")")] if "(" in text and ")" in text else text
    return inside or text


def run(args: argparse.Namespace) -> int:
    if args.engine == "offline":
        raise BadInput("--engine: judge-eval measures a model's judge: choose openai or local")
    if args.limit is not None and args.limit < 1:
        raise BadInput("--limit: must be at least 1")
    rows = read_rows(Path(args.data))[: args.limit]
    from simulator.engines.fallback import CircuitBreaker  # the OpenAI client: for this command only

    rubrics = load_rubrics()
    offline = make_engine("offline", rubrics)
    engine: Any = make_engine(args.engine, rubrics, settings_from_args(args))
    engine.advisory_override = False  # measure the judge's own grades
    # Every answer gets its own try: in a session the breaker spares a dead server, but here a few slow
    # calls in a row would make every later answer fall back unasked, and measure nothing.
    engine.breaker = CircuitBreaker(threshold=len(rows) + 1)
    judge, rules = Tally(), Tally()
    fell_back = 0
    reasons: Counter[str] = Counter()
    try:
        for row in rows:
            request = _request(row)
            rules.add(offline.grade(request), row, rubrics.star.present_at)
            judged = engine.grade(request)
            if judged.status != "graded" or judged.grader.engine == "offline":
                # No verdict: it counts as a disagreement, or a judge that always fails would pass.
                fell_back += 1
                reasons[_why(judged.reason)] += 1
                judged = None
            judge.add(judged, row, rubrics.star.present_at)
    finally:
        server = getattr(engine, "server", None)
        if server is not None:
            server.stop()
    trust = JudgeTrust(
        model=engine.model,
        judge_agreement=round(judge.agreement, 4),
        offline_agreement=round(rules.agreement, 4),
        judge_near=round(judge.near, 4),
        offline_near=round(rules.near, 4),
        answers=len(rows),
        fell_back=fell_back,
        measured_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    where = save_trust(trust)
    print(f"answers: {len(rows)} (judge fell back on {fell_back})")
    if reasons:
        print("no verdict because: " + "; ".join(f"{why} ({n})" for why, n in reasons.most_common()))
    if fell_back == len(rows):
        print("the judge gave no verdict at all: these figures measure its failures, not its grading")
    print(getattr(engine, "context_line", ""))
    print(
        f"STAR parts agreed with coaches: judge {judge.agreement:.0%}, offline grader {rules.agreement:.0%}"
    )
    print(f"scores within one point: judge {judge.near:.0%}, offline grader {rules.near:.0%}")
    print(trust.line())
    print(f"stored in {where}")
    return OK


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "judge-eval", help="measure a model's judge against labelled answers, beside the offline grader"
    )
    parser.add_argument("--engine", choices=("openai", "local", "offline"), required=True)
    parser.add_argument("--data", default=str(CHECK_SET), help="labelled answers (JSON Lines)")
    parser.add_argument("--limit", type=int, help="measure on the first N graded answers only")
    add_llm_arguments(parser)
    parser.set_defaults(handler=run)
