"""Where a changed fact of the story pairs is lost: not extracted, judged the same, or not compared.

Run: PYTHONPATH=. .venv/bin/python tools/fact_losses.py [--writer w12a ...] [--kind date ...]
For each fact a writer marked changed (date, duration, number, team_size, other) that the grader does not
report as a problem of its category, the claims read in the clauses each round's span sits in are
printed, and the step it is lost at counted:
  not extracted  -- no claim of the category in round one's span clauses or in round two's
  judged same    -- a claim on each side, and some pair is the same amount (or date) by the tolerances
  not compared   -- claims on each side that differ, and no finding of the category came of them
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from simulator.catalog import load_rubrics
from simulator.grading.claims import Claim, extract
from simulator.grading.consistency import _same_date, _same_figure
from simulator.grading.semantic import default_meaning
from simulator.grading.text import analyse
from tools.story_alignment import clauses_of
from tools.story_pairs_bench import PAIRS, PROBLEMS, round_two_findings

KINDS = ("date", "duration", "number", "team_size", "other")


def _of_kind(claims: list[Claim], kind: str, clauses: set[int]) -> list[Claim]:
    if kind == "other":
        return [c for c in claims if c.clause in clauses and c.kind.startswith("slot:")]
    return [c for c in claims if c.clause in clauses and c.category == kind]


def _same(a: Claim, b: Claim, rubric) -> bool:
    if a.category == "date":
        return a.kind == b.kind and _same_date(a, b)
    if a.category in ("number", "team_size", "duration"):
        return _same_figure(a, b, rubric)
    return str(a.value).lower() == str(b.value).lower()


def _show(claims: list[Claim]) -> str:
    return (
        "; ".join(f"{c.kind}={c.value}{'-' + str(c.high) if c.high else ''}[{c.said}]" for c in claims) or "-"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writer", action="append")
    parser.add_argument("--kind", action="append")
    args = parser.parse_args()
    rubrics, meaning = load_rubrics(), default_meaning()
    star, rubric = rubrics.star, rubrics.consistency
    steps: Counter[tuple[str, str]] = Counter()
    for writer in args.writer or ("w12a", "w12b"):
        path = PAIRS / f"story_pairs_{writer}.jsonl"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            changed = [
                f for f in row["facts"] if f["relation"] == "changed" and f["kind"] in (args.kind or KINDS)
            ]
            if not changed:
                continue
            findings = round_two_findings(row, rubrics, meaning)
            problems = [f for f in findings if f.kind in PROBLEMS]
            one, two = analyse(row["round_one"], star), analyse(row["round_two"], star)
            c1, c2 = extract(one, rubric), extract(two, rubric)
            for fact in changed:
                kind = fact["kind"]
                hit = [f for f in problems if f.category == kind or kind == "other"]
                if hit:
                    steps[kind, "found"] += 1
                    continue
                a = _of_kind(c1, kind, clauses_of(fact["fact_one"], one))
                b = _of_kind(c2, kind, clauses_of(fact["fact_two"], two))
                if not a or not b:
                    step = "not extracted"
                elif any(_same(x, y, rubric) for x in a for y in b):
                    step = "judged same"
                else:
                    step = "not compared"
                steps[kind, step] += 1
                print(f"{row['id']} {kind}: {step}")
                print(f"    one {fact['fact_one']!r}: {_show(a)}")
                print(f"    two {fact['fact_two']!r}: {_show(b)}")
                others = [f"{f.kind}/{f.category}" for f in findings]
                print(f"    findings: {others}")
    for kind in KINDS:
        line = ", ".join(f"{s} {n}" for (k, s), n in sorted(steps.items()) if k == kind)
        print(f"{kind:<10} {line}")


if __name__ == "__main__":
    main()
