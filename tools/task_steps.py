"""Which step of the grader loses each missed task, and which makes each false one, on the tune sets.

    .venv/bin/python tools/task_steps.py [v3 v5 ...]   # default: every tune set with answers, and tune*.jsonl

A story's task goes through: the clause cut (text.py), the clause heads' task probability (semantic.py), the
rules' task score (star.yaml task cues), and the story-level choice (semantic_story.reread: the blend of the two
readers, the rules' outright cue, the team's goal, the hypothetical's discount). For a task the coach labelled
and the grader missed, this names the first step that lost it; for a task the grader found where the coach saw
none, the step that made it. Tune sets only: it reads labels and spans, so never point it at a check set.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading.grader import grade_answer  # noqa: E402
from simulator.grading.request import GradeRequest  # noqa: E402
from simulator.grading.semantic import FEATURE_NAMES, default_meaning, presence  # noqa: E402
from simulator.grading.star import read_story  # noqa: E402
from simulator.grading.text import analyse  # noqa: E402
from tools.marked_spans import marked_clauses  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout"
SHOWN_AT = 0.35  # a clause this likely a task shows it (semantic_story.SHARED_AT)
_ROLE = FEATURE_NAMES.index("role")


def tune_files(names: list[str]) -> list[tuple[str, Path]]:
    if names:
        return [(n, HELDOUT / n / "answers_tune.jsonl") for n in names]
    sets = sorted((p.parent.name, p) for p in HELDOUT.glob("v*/answers_tune.jsonl"))
    return sets + [(p.stem, p) for p in sorted(HELDOUT.glob("tune*.jsonl"))]


def step(row: dict, rubrics, meaning) -> tuple[str, str] | None:
    """(kind, step) for a missed or false task, None when the grader agrees with the coach."""
    rubric = rubrics.star
    request = GradeRequest(
        question=row["question"], answer=row["answer"], question_kind=row.get("question_kind")
    )
    grade = grade_answer(request, rubrics, meaning=meaning)
    if not grade.star:
        return None
    gold, found = bool(row["labels"]["task"]), grade.star["task"].score >= rubric.present_at
    if gold == found:
        return None
    text = analyse(row["answer"], rubric)
    reading = meaning.read(text, rubric)
    rules = read_story(text, rubric)
    scores: dict[str, float] = {part: rules.parts[part].score for part in rules.parts}
    heads = presence(reading, meaning.heads, scores)["task"]
    share = rubric.meaning_flags.blend
    blended = share * heads + (1 - share) * scores["task"]
    task = reading.part("task")
    if gold:
        spans = row.get("spans", {}).get("task") or []
        holding = marked_clauses(text, row["answer"], spans)
        if spans and not holding:
            return "missed", "clause cut: no clause holds half the labelled task or lies half inside it"
        if heads >= rubric.present_at and blended < rubric.present_at:
            return "missed", "story: the heads' presence, blended with the rules' 0"
        if blended >= rubric.present_at:
            return "missed", "story: the team's goal or the hypothetical's discount"
        if max((task[i] for i in holding), default=0.0) < SHOWN_AT:
            return "missed", "clause head and rules: no task read in the clause"
        return "missed", "presence: a task clause, too weak for the answer"
    if scores["task"] >= rubric.meaning_flags.task_said_outright:
        return "false", "rules: an outright task cue"
    if task.max() >= SHOWN_AT:
        return "false", "clause head: a clause read as a task"
    if reading.features[:, _ROLE].any():
        return "false", "presence: a named job (the role feature)"
    return "false", "presence: other"


def main(argv: list[str]) -> int:
    rubrics, meaning = load_rubrics(), default_meaning()
    if meaning is None:
        raise SystemExit("no shipped heads")
    steps: Counter[tuple[str, str]] = Counter()
    for name, path in tune_files(argv):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            if row.get("type", "star") != "star" or row.get("status") != "graded":
                continue
            found = step(row, rubrics, meaning)
            if found is not None:
                steps[found] += 1
                print(f"  {name} {row['id']}: {found[0]}, {found[1]}")
    for (kind, where), count in sorted(steps.items()):
        print(f"{kind:<7} {count:>3}  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
