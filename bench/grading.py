"""The grader on its development sets (tests/data, which it was tuned on), and its throughput.

Run: .venv/bin/python -m bench.grading
Targets: STAR component F1 >= 0.85, contradiction recall >= 0.9 with false flags <= 5%,
at least 200 answers graded a second, and grading time linear in the answer's length (about the same
time per KB at 10 KB, 100 KB and 1 MB, read whole, past the length cap).

How well the grade holds on answers it was never tuned on, and the latency per answer, are measured
in one place: `python -m bench.quality` (the v3 held-out sets).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import yaml

from simulator.catalog import ROOT, Rubrics, load_rubrics
from simulator.grading.evaluation import evaluate_consistency, evaluate_star, pair_request, star_request
from simulator.grading.grader import grade_answer
from simulator.grading.rubric import STAR_PARTS
from simulator.limits import MAX_ANSWER_CHARS

DATA = ROOT / "tests" / "data"
STAR_SET = DATA / "star_devset.jsonl"
CONSISTENCY_SET = DATA / "consistency_devset.yaml"
TARGET_F1 = 0.85
TARGET_RECALL = 0.9
TARGET_FALSE_FLAGS = 0.05
TARGET_RATE = 200.0
SPEED_SECONDS = 2.0
LENGTHS_KB = (10, 100, 1000)
# Time per KB at 1 MB may be this many times that at 10 KB and still count as linear (a quadratic
# path makes it about a hundred).
LINEAR_SLACK = 1.5


def load_star_rows(path: Path = STAR_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_pairs(path: Path = CONSISTENCY_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["pairs"]


def _mark(ok: bool) -> str:
    return "ok" if ok else "BELOW TARGET"


def long_answer(rows: list[dict], kb: int) -> str:
    """`kb` KB of real answers (the dev set's graded stories, one after another)."""
    body = " ".join(r["answer"] for r in rows if r["expected"]["status"] == "graded")
    size = kb * 1000
    return (body * (size // len(body) + 1))[:size]


def print_lengths(rows: list[dict], pairs: list[dict], rubrics: Rubrics) -> None:
    """Grading time by answer length, read whole (no cap), with a round one to compare against."""
    print("\ngrading time by answer length (read whole; a round one to compare against)")
    base = pair_request(pairs[0])
    per_kb = []
    for kb in LENGTHS_KB:
        request = replace(base, answer=long_answer(rows, kb))
        started = time.perf_counter()
        grade_answer(request, rubrics, max_chars=None)
        seconds = time.perf_counter() - started
        per_kb.append(seconds / kb)
        print(f"  {kb:>5} KB: {seconds:7.2f} s  {1000 * seconds / kb:6.2f} ms per KB")
    ratio = per_kb[-1] / per_kb[0]
    mark = "ok" if ratio <= LINEAR_SLACK else "OVER TARGET"
    print(f"  time per KB at 1 MB / at 10 KB: {ratio:.2f}  target <= {LINEAR_SLACK} (linear)  {mark}")
    request = replace(base, answer=long_answer(rows, LENGTHS_KB[-1]))
    started = time.perf_counter()
    capped = grade_answer(request, rubrics)
    seconds = time.perf_counter() - started
    print(
        f"  1 MB as the grader takes it (first {MAX_ANSWER_CHARS:,} characters): {seconds:.2f} s, "
        f"flags {', '.join(capped.flags)}"
    )


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(
        prog="python -m bench.grading", description=(__doc__ or "").split("\n")[0]
    ).parse_args(argv)
    rubrics = load_rubrics()
    rows = load_star_rows()
    pairs = load_pairs()
    print(f"rubrics: {rubrics.version}")

    star = evaluate_star(rows, rubrics)
    print(f"\nSTAR components on {sum(1 for r in rows if r['expected'].get('components'))} labelled stories")
    print(f"{'part':<12}{'precision':>10}{'recall':>8}{'F1':>7}")
    for part in STAR_PARTS:
        t = star.components[part]
        print(f"{part:<12}{t.precision:>10.2f}{t.recall:>8.2f}{t.f1:>7.2f}")
    f1 = star.component_f1
    print(f"component F1 (micro): {f1:.3f}  target >= {TARGET_F1}  {_mark(f1 >= TARGET_F1)}")
    print(f"status accuracy (graded vs ungradable): {star.ungradable_accuracy:.3f} on {star.rows} answers")
    print(f"question kind from wording or tag: {star.kind_correct}/{star.kinds_checked}")
    flags = star.flag_total()
    print(f"flags (micro): precision {flags.precision:.2f} recall {flags.recall:.2f}")
    for name, t in sorted(star.flags.items()):
        print(f"  {name:<18} P {t.precision:.2f} R {t.recall:.2f}  (tp {t.tp}, fp {t.fp}, fn {t.fn})")
    if star.criteria:
        print("non-STAR criteria (informational):")
        for name, t in sorted(star.criteria.items()):
            print(f"  {name:<18} P {t.precision:.2f} R {t.recall:.2f}")

    report = evaluate_consistency(pairs, rubrics)
    print(f"\nconsistency on {report.pairs} round-one/round-two pairs")
    print(
        f"contradiction recall: {report.recall:.3f} ({report.found}/{report.labelled})  "
        f"target >= {TARGET_RECALL}  {_mark(report.recall >= TARGET_RECALL)}"
    )
    print(f"  same kind as labelled (contradiction vs embellishment): {report.kind_exact}/{report.found}")
    for category in sorted(report.by_category):
        print(f"  {category:<10} {report.found_by_category[category]}/{report.by_category[category]}")
    print(
        f"false-flag rate on clean retellings: {report.false_flag_rate:.3f} "
        f"({report.clean_flagged}/{report.clean_pairs})  target <= {TARGET_FALSE_FLAGS}  "
        f"{_mark(report.false_flag_rate <= TARGET_FALSE_FLAGS)}"
    )
    print(f"extra problem findings on changed pairs: {report.spurious} over {report.changed_pairs} pairs")
    print(f"omissions found: {report.omissions_found}/{report.omissions}")
    print(f"round-one story matched correctly: {report.match_accuracy:.3f}")

    print("\nheld-out sets and latency per answer: python -m bench.quality")

    requests = [star_request(r) for r in rows] + [pair_request(p) for p in pairs]
    for request in requests:  # warm the compiled-pattern caches, as a running session would
        grade_answer(request, rubrics)
    graded = 0
    started = time.perf_counter()
    while time.perf_counter() - started < SPEED_SECONDS:
        for request in requests:
            grade_answer(request, rubrics)
        graded += len(requests)
    rate = graded / (time.perf_counter() - started)
    mark = _mark(rate >= TARGET_RATE)
    print(f"\nspeed: {rate:.0f} answers graded a second  target >= {TARGET_RATE:.0f}  {mark}")
    print_lengths(rows, pairs, rubrics)


if __name__ == "__main__":
    main()
