"""Which step loses each wrong result part and each wrong `no_result` flag, on the tune sets only (never a check set).

    .venv/bin/python tools/result_misses.py v3 v9 v17    # the sets' answers_tune.jsonl
    .venv/bin/python tools/result_misses.py v17 --list   # and every answer under its step

Each answer is graded as the grader grades it; the ending's verdict (ending.read_ending) is read on the way.
The clauses that show the result are the grader's clauses overlapping the words the writer marked
(`spans.result`). One step per error:
- a false `no_result`: the writer marked no story at all (the scene-and-actions gate let a list of duties
  through), a result clause read as a milestone or how things stood (star.yaml `milestones`, `state_at`),
  the `own` clause head reading the marked result below 0.5, or the answer level despite it;
- a missed `no_result`: the verdict flagged it but the grader saw no scene or no action (the gate), a clause
  the `own` head reads as the candidate's outcome (>= 0.5: a plan, a launch, a lesson, someone else's
  success), or the answer level (no clause read as one, the probability under the threshold);
- a false result part: the verdict flags the story yet the result part stays (it does not follow the flag:
  `semantic_story._result_by_ending`), the verdict's outcome lifted it, or the part heads and rules read one;
- a missed result part: the marked clause zeroed as a milestone or how things stood, or the part low with the
  verdict flagging too, or not flagging and not lifting.
Counted in session 14 on the v3, v5, v6, v9, v10, v11 and v17 tune halves (the shipped heads): false
no_result 30 (21 the `own` head under 0.5 on the marked result, 9 no story by the writer); missed 48 (27 the
answer level, 14 the gate, 7 a false outcome clause); false result parts 43 (22 the verdict flagging while
the part stays, 20 the part heads and rules, 1 lifted); missed 29 (14 with the verdict flagging, 14 without,
1 a milestone). Retraining the `own` head and the answer level with these writers' marked results cut the
first on writers no head saw but added false flags on the blind sets (branch h14-ending, reverted).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import ending, semantic_story  # noqa: E402
from simulator.grading.grader import grade_answer  # noqa: E402
from simulator.grading.request import GradeRequest  # noqa: E402
from simulator.grading.semantic import default_meaning  # noqa: E402
from tools.marked_spans import marked_clauses  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"


class Spy:
    """The ending's verdict and what it read, kept from the grader's own call."""

    def __init__(self) -> None:
        self.seen: dict = {}
        self._read = semantic_story.read_ending

    def __call__(self, text, reading, result, shipped=None, state_at=frozenset()):
        verdict = self._read(text, reading, result, shipped, state_at)
        head = ending.shipped_ending()
        own = ending.own_outcomes(text, reading, head, state_at) if head and text.clauses else []
        self.seen = {"verdict": verdict, "own": list(own), "text": text, "not_outcome": state_at}
        return verdict


def step(row: dict, grade, seen: dict, present_at: float) -> list[str]:
    """The step that loses each of this answer's errors (none when the grade agrees)."""
    verdict, own = seen.get("verdict"), seen.get("own") or []
    flagged = verdict is not None and verdict.flagged
    gold_result, gold_flag = bool(row["labels"]["result"]), "no_result" in row["flags"]
    found, flag = grade.star["result"].score >= present_at, "no_result" in grade.flags
    marked = marked_clauses(seen["text"], row["answer"], (row.get("spans") or {}).get("result") or [])
    zeroed = bool(marked) and marked <= set(seen.get("not_outcome") or ())
    steps = []
    if flag and not gold_flag:
        if not gold_result:
            steps.append("false no_result: no story by the writer (the scene-and-actions gate)")
        elif zeroed:
            steps.append("false no_result: the result read as a milestone or how things stood")
        elif not marked or max(own[i] for i in marked) < 0.5:
            steps.append("false no_result: the own clause head under 0.5 on the result")
        else:
            steps.append("false no_result: the answer level, the result read")
    if gold_flag and not flag:
        if flagged:
            steps.append("missed no_result: the verdict flags, no scene or no action (the gate)")
        elif own and max(own) >= 0.5:
            steps.append("missed no_result: the own clause head reads a false outcome")
        else:
            steps.append("missed no_result: the answer level (no clause read as an outcome)")
    if found and not gold_result:
        if flagged:
            steps.append("false result: the verdict flags it, the part does not follow")
        elif verdict is not None and verdict.result < present_at:
            steps.append("false result: lifted by the verdict's outcome")
        else:
            steps.append("false result: the part heads and rules")
    if gold_result and not found:
        if zeroed:
            steps.append("missed result: read as a milestone or how things stood")
        elif flagged:
            steps.append("missed result: the part low and the verdict flags")
        else:
            steps.append("missed result: the part low, the verdict neither flags nor lifts")
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="+", help="held-out set names with a tune half (v3 v9 v17 ...)")
    parser.add_argument("--list", action="store_true", help="name every answer under its step")
    args = parser.parse_args(argv)
    rubrics, meaning, spy = load_rubrics(), default_meaning(), Spy()
    semantic_story.read_ending = spy
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = defaultdict(list)
    try:
        for name in args.sets:
            path = HELDOUT / name / "answers_tune.jsonl"
            if not path.exists():
                parser.error(f"{path.relative_to(ROOT)}: no tune half (check halves are never read)")
            for line in path.read_text(encoding="utf-8").splitlines():
                row = json.loads(line) if line.strip() else None
                if row is None or row.get("status") != "graded":
                    continue
                spy.seen = {}
                request = GradeRequest(row["question"], row["answer"], question_kind=row.get("question_kind"))
                grade = grade_answer(request, rubrics, meaning=meaning)
                if grade.status != "graded" or not grade.star or not spy.seen:
                    continue
                for found in step(row, grade, spy.seen, rubrics.star.present_at):
                    counts[found] += 1
                    where[found].append(row["id"])
    finally:
        semantic_story.read_ending = spy._read
    for found, n in sorted(counts.items()):
        print(f"{n:4}  {found}")
        if args.list:
            print("      " + " ".join(where[found]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
