"""Grade the story pairs (tests/data/pairs_indep/story_pairs_<writer>.jsonl) as round one and round two.

Run: PYTHONPATH=. .venv/bin/python tools/story_pairs_bench.py [--writer w12a|w12b|w13a|w14a|w16q] [--misses]
Reported per writer: recall of each changed kind of fact (a problem finding of that category), false
problem findings on the `same` and `elaboration` lines, and new details called ones that do not
conflict while quoting a clause whose fact the writer marked changed. The lines are training data for
the same-fact scorer (clause_pairs.py): read its figures cross-writer, as a develop set.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from simulator.catalog import ROOT, Rubrics, load_rubrics
from simulator.grading import clause_pairs
from simulator.grading.grader import grade_answer
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import Meaning, default_meaning
from simulator.models import QA, Finding, RoundOne

PAIRS = ROOT / "tests" / "data" / "pairs_indep"
PROBLEMS = ("contradiction", "embellishment")


def writers() -> list[str]:
    """Every writer with a story-pairs file (w12a, w12b, w13a, w14a, w16q, ...), in the order written."""
    return sorted(path.stem.removeprefix("story_pairs_") for path in PAIRS.glob("story_pairs_*.jsonl"))


def _overlap(quote: str, span: str) -> bool:
    q, s = set(quote.lower().split()), set(span.lower().split())
    return bool(s) and len(q & s) / len(s) >= 0.5


def story_request(row: dict) -> GradeRequest:
    """A story pair's round two, asked with its round one as the candidate's first interview."""
    return GradeRequest(
        question=row["question_two"],
        answer=row["round_two"],
        round_one=RoundOne(answers=[QA(question=row["question_one"], answer=row["round_one"])]),
    )


def round_two_findings(row: dict, rubrics: Rubrics, meaning: Meaning | None) -> list[Finding]:
    """The grader's consistency findings when a story pair's round two is graded against its round one."""
    request = story_request(row)
    return grade_answer(request, rubrics, meaning=meaning).consistency.findings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer", choices=writers(), action="append")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--cross",
        help="a folder of per-writer scorers (train_clause_alignment.py --per-writer): each writer's stories"
        " are graded with the scorer trained on the other writer",
    )
    args = parser.parse_args()
    rubrics, meaning = load_rubrics(), default_meaning()
    for writer in args.writer or ("w12a", "w12b"):
        if args.cross:  # the scorer never saw this writer's stories
            other = "w12b" if writer == "w12a" else "w12a"
            clause_pairs.DATA = Path(args.cross) / f"clause_alignment_{other}.json"
            clause_pairs.shipped_scorer.cache_clear()
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        false: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        calm_on_change = 0
        for line in (PAIRS / f"story_pairs_{writer}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            findings = round_two_findings(row, rubrics, meaning)
            problems = [f for f in findings if f.kind in PROBLEMS]
            changed = [f for f in row["facts"] if f["relation"] == "changed"]
            if not changed:
                false[row["category"]][1] += 1
                false[row["category"]][0] += bool(problems)
                if args.misses and problems:
                    f = problems[0]
                    print(
                        f"    false {row['id']}: {f.kind}/{f.category} {f.round_two_quote!r} vs {f.round_one_quote!r}"
                    )
            left = list(problems)
            for fact in changed:
                kind = fact["kind"]
                found[kind][1] += 1
                hit = next((f for f in left if f.category == kind), None)
                if hit is None and kind == "other" and left:
                    hit = left[0]
                if hit is not None:
                    left.remove(hit)
                    found[kind][0] += 1
                elif args.misses:
                    print(f"    missed {row['id']} {kind}: {fact['fact_two']!r} vs {fact['fact_one']!r}")
                calm_on_change += any(
                    f.kind == "elaboration" and _overlap(f.round_two_quote, fact["fact_two"])
                    for f in findings
                )
        print(f"{writer}:")
        for kind, (n_found, n) in sorted(found.items()):
            print(f"  recall {kind:<10} {n_found}/{n}")
        for category, (bad, n) in sorted(false.items()):
            print(f"  false problem findings on {category:<12} {bad}/{n}")
        print(f"  'does not conflict' said of a changed fact: {calm_on_change}")


if __name__ == "__main__":
    main()
