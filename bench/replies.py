"""Follow-up reply grades on the v3 held-out replies: does the label match the one a coach gave?

Run: .venv/bin/python -m bench.replies [--set tune|check] [--rules-only] [--misses]
`tests/heldout/v3/replies_*.jsonl` were written by a helper who never saw the grader (PAIRS.md there).
Tune on `tune`; `check` is measured, never read: `--misses` (which prints the replies) is refused on it.
Prints accuracy per label, a confusion table (rows: expected, columns: graded), how often the quote
agrees with the labelled one (one holds the other, or they share half their words), and the time per
reply (p50, p95).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import get_args

from simulator.catalog import ROOT, load_rubrics
from simulator.grading.reply import grade_reply
from simulator.grading.semantic import default_meaning
from simulator.models import ReplyGrade, ReplyLabel

V3 = ROOT / "tests" / "heldout" / "v3"
LABELS: tuple[str, ...] = get_args(ReplyLabel)


def quote_agrees(ours: str, theirs: str) -> bool:
    a, b = ours.lower().strip(" .,"), theirs.lower().strip(" .,")
    if a and b and (a in b or b in a):
        return True
    words_a, words_b = set(a.split()), set(b.split())
    return bool(words_a and words_b) and len(words_a & words_b) / min(len(words_a), len(words_b)) >= 0.5


def measure(rows: list[dict], rules_only: bool) -> tuple[list[ReplyGrade], list[float]]:
    rubrics = load_rubrics()
    meaning = None if rules_only else default_meaning()
    if meaning is not None and rows:  # load the model before timing
        meaning.embed(["warm up"])
    grades, seconds = [], []
    for row in rows:
        started = time.perf_counter()
        grades.append(
            grade_reply(row["follow_up"], row["reply"], rubrics.replies, rubrics.star, meaning=meaning)
        )
        seconds.append(time.perf_counter() - started)
    return grades, seconds


def report(rows: list[dict], grades: list[ReplyGrade], seconds: list[float]) -> None:
    confusion: Counter[tuple[str, str]] = Counter(
        (r["expected"], g.label) for r, g in zip(rows, grades, strict=True)
    )
    right = sum(confusion[(label, label)] for label in LABELS)
    print(f"accuracy {right}/{len(rows)} = {right / max(len(rows), 1):.2f}")
    for label in LABELS:
        total = sum(confusion[(label, other)] for other in LABELS)
        graded = sum(confusion[(other, label)] for other in LABELS)
        hit = confusion[(label, label)]
        recall = f"{hit / total:.2f}" if total else "-"
        precision = f"{hit / graded:.2f}" if graded else "-"
        print(f"  {label:<13} recall {recall} ({hit}/{total})  precision {precision}")
    width = max(len(label) for label in LABELS) + 2
    print("\nconfusion (rows: expected, columns: graded)")
    print(" " * width + "".join(f"{label[:9]:>10}" for label in LABELS))
    for label in LABELS:
        print(f"{label:<{width}}" + "".join(f"{confusion[(label, other)]:>10}" for other in LABELS))
    agreed = [
        quote_agrees(g.quote, r["quote"])
        for r, g in zip(rows, grades, strict=True)
        if g.label == r["expected"]
    ]
    print(f"\nquote agrees with the labelled one (right labels): {sum(agreed)}/{len(agreed)}")
    if seconds:
        ordered = sorted(seconds)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        print(f"time per reply: p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replies", description=__doc__)
    parser.add_argument("--set", choices=("tune", "check"), default="check")
    parser.add_argument("--rules-only", action="store_true", help="grade without the semantic layer")
    parser.add_argument("--misses", action="store_true", help="print the replies graded wrong (tune only)")
    args = parser.parse_args(argv)
    if args.misses and args.set != "tune":
        print("error: --misses prints the replies, so it is for the tune set only", file=sys.stderr)
        return 2
    path = Path(V3 / f"replies_{args.set}.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    grades, seconds = measure(rows, args.rules_only)
    mode = "rules only" if args.rules_only else "rules + meaning"
    print(f"follow-up replies, {args.set} set ({len(rows)}), {mode}")
    report(rows, grades, seconds)
    if args.misses:
        for row, grade in zip(rows, grades, strict=True):
            if grade.label != row["expected"]:
                print(f"\n{row['id']} expected {row['expected']}, graded {grade.label}: {grade.quote!r}")
                print(f"  follow-up: {row['follow_up']}\n  reply: {row['reply']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
