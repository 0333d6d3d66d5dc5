"""Grade quality on the v3 held-out sets, per kind of answer: does the grade match a coach's?

Run: .venv/bin/python -m bench.quality [--heldout v3|v4|...|v14] [--set tune|check] [--rules-only] [--misses]
The sets (tests/heldout/v*/, READMEs there) were written by helpers who never saw the grader. Tune on
`tune`; `check` is measured, never read. Targets (issue 9), on check: Spearman within real stories
>= 0.6; STAR part F1 >= 0.9 in every stratum; contradiction recall >= 0.9 in every category; false
problem findings on clean retellings <= 5%; no false alarm on an equivalent quantity; flag recall
>= 0.8 at precision >= 0.85; grading p95 <= 150 ms per answer.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections import Counter, defaultdict

from bench.latency import Recorder, model_load
from simulator.catalog import ROOT, Rubrics, load_rubrics
from simulator.grading.evaluation import Tally, pair_request, spearman
from simulator.grading.request import GradeRequest
from simulator.grading.rubric import STAR_PARTS
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, default_meaning
from simulator.models import AnswerGrade

HELDOUT = ROOT / "tests" / "heldout"
# Stories a coach would rank against each other (lists of duties and "I would" answers are not stories).
STORIES = ("typed", "spoken", "non_native", "present_tense", "no_result", "rambling", "we")
CONTRACT_FLAGS = (
    "hypothetical",
    "no_result",
    "we_not_i",
    "rambling",
    "salary_too_early",
    "overconfident",
    "prompt_injection",
)
PROBLEMS = ("contradiction", "embellishment")
QUIET = ("clean_retelling", "same_quantity", "baseline_vs_outcome", "elaboration")


def load(name: str, version: str = "v3") -> list[dict]:
    path = HELDOUT / version / name
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _overlaps(quote: str, spans: list[str]) -> bool:
    q = quote.lower()
    return any(q in s.lower() or s.lower() in q or _shared_words(q, s.lower()) >= 0.5 for s in spans)


def _shared_words(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / max(1, min(len(wa), len(wb)))


# Times every grade the way a session would see it (bench/latency.py); main() sets the meaning.
RECORDER = Recorder(meaning=None)


def grade(request: GradeRequest, rubrics: Rubrics, rules_only: bool) -> tuple[AnswerGrade, float]:
    if rules_only:
        RECORDER.meaning = None
    return RECORDER.grade(request, rubrics)


def answers_report(rows: list[dict], rubrics: Rubrics, rules_only: bool, misses: bool) -> list[float]:
    parts: dict[str, dict[str, Tally]] = defaultdict(lambda: {p: Tally() for p in STAR_PARTS})
    flags: dict[str, Tally] = {f: Tally() for f in CONTRACT_FLAGS}
    bias: dict[str, list[float]] = defaultdict(list)
    evidence: dict[str, list[int]] = {p: [0, 0] for p in STAR_PARTS}
    story_pred, story_gold, all_pred, all_gold = [], [], [], []
    ungradable_right = ungradable_total = 0
    seconds = []
    for row in rows:
        request = GradeRequest(
            question=row["question"], answer=row["answer"], question_kind=row.get("question_kind")
        )
        result, took = grade(request, rubrics, rules_only)
        seconds.append(took)
        stratum = row["stratum"]
        if row["status"] == "ungradable" or result.status == "ungradable":
            ungradable_total += 1
            ungradable_right += (row["status"] == "ungradable") == (result.status == "ungradable")
            if misses and (row["status"] == "ungradable") != (result.status == "ungradable"):
                print(
                    f"    miss {row['id']}: expected {row['status']}, got {result.status} ({result.reason})"
                )
            continue
        if result.star:
            for part in STAR_PARTS:
                found = result.star[part].score >= rubrics.star.present_at
                parts[stratum][part].count(bool(row["labels"][part]), found)
                if misses and found != bool(row["labels"][part]):
                    print(
                        f"    miss {row['id']} {part}: expected {row['labels'][part]}, got {result.star[part].score}"
                    )
                for quote in result.star[part].evidence[:1] if found else []:
                    evidence[part][0] += 1
                    evidence[part][1] += _overlaps(quote, row["spans"].get(part) or [])
        for flag in CONTRACT_FLAGS:
            flags[flag].count(flag in row["flags"], flag in result.flags)
            if misses and (flag in row["flags"]) != (flag in result.flags):
                print(f"    miss {row['id']} flag {flag}: expected {flag in row['flags']}")
        bias[stratum].append((result.overall or 0) - row["score"])
        all_pred.append(result.overall or 0)
        all_gold.append(row["score"])
        if stratum in STORIES and row.get("question_kind", "behavioural") == "behavioural":
            story_pred.append((result.structure or 0) + (result.overall or 0))
            story_gold.append(row["score"])
    print(f"  {len(rows)} answers; ungradable told apart {ungradable_right}/{ungradable_total}")
    print(
        f"  Spearman(overall, coach score): real stories {spearman(story_pred, story_gold):+.2f} "
        f"(n={len(story_gold)}, target >= 0.6); all graded {spearman(all_pred, all_gold):+.2f}"
    )
    print("  stratum           n   S-F1  T-F1  A-F1  R-F1  min   bias")
    for stratum in sorted(parts):
        f1 = [
            parts[stratum][p].f1
            if parts[stratum][p].tp + parts[stratum][p].fn + parts[stratum][p].fp
            else 1.0
            for p in STAR_PARTS
        ]
        print(
            f"  {stratum:<16} {len(bias[stratum]):>3}  "
            + "  ".join(f"{v:.2f}" for v in f1)
            + f"  {min(f1):.2f}  {statistics.mean(bias[stratum]):+.2f}"
        )
    # An F1 of 0.00 where the coach marked the part in no answer means "found where none is": say so.
    for stratum in sorted(parts):
        for part in STAR_PARTS:
            t = parts[stratum][part]
            if t.tp + t.fn == 0 and t.fp:
                print(f"    ({stratum} {part}: in no answer by the labels; the grader found it in {t.fp})")
    total = Tally()
    for part in STAR_PARTS:
        t = Tally(*(sum(getattr(parts[s][part], k) for s in parts) for k in ("tp", "fp", "fn")))
        total = Tally(total.tp + t.tp, total.fp + t.fp, total.fn + t.fn)
        print(
            f"  {part:<10} P {t.precision:.2f} R {t.recall:.2f} F1 {t.f1:.2f}; "
            f"first quote inside a labelled span {evidence[part][1]}/{evidence[part][0]}"
        )
    print(f"  STAR parts overall F1 {total.f1:.2f} (target >= 0.9 in every stratum)")
    flag_total = Tally()
    for flag, t in flags.items():
        flag_total = Tally(flag_total.tp + t.tp, flag_total.fp + t.fp, flag_total.fn + t.fn)
        print(f"  flag {flag:<17} P {t.precision:.2f} R {t.recall:.2f} (tp {t.tp}, fp {t.fp}, fn {t.fn})")
    print(
        f"  flags overall P {flag_total.precision:.2f} R {flag_total.recall:.2f} (target R >= 0.8 at P >= 0.85)"
    )
    return seconds


def pairs_report(pairs: list[dict], rubrics: Rubrics, rules_only: bool, misses: bool) -> list[float]:
    labelled: dict[str, int] = defaultdict(int)
    found: dict[str, int] = defaultdict(int)
    quiet_false: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    false_claims: Counter[str] = Counter()  # what the false findings claim, never which pair: safe on check
    seconds = []
    for pair in pairs:
        result, took = grade(pair_request(pair), rubrics, rules_only)
        seconds.append(took)
        problems = [f for f in result.consistency.findings if f.kind in PROBLEMS]
        if pair["stratum"] in QUIET:
            quiet_false[pair["stratum"]][1] += 1
            quiet_false[pair["stratum"]][0] += bool(problems)
            false_claims.update(f"{f.kind}/{f.category}" for f in problems)
            if misses and problems:
                f = problems[0]
                print(
                    f"    false {pair['id']} ({pair['stratum']}): {f.kind}/{f.category} {f.round_two_quote!r} vs {f.round_one_quote!r}"
                )
        unmatched = list(problems)
        for label in pair["expected"]:
            if label["kind"] not in PROBLEMS:
                continue
            labelled[label["category"]] += 1
            hit = next((f for f in unmatched if f.category == label["category"]), None)
            if hit is None and unmatched:
                hit = unmatched[0] if label["category"] == "other" else None
            if hit is not None:
                unmatched.remove(hit)
                found[label["category"]] += 1
            elif misses:
                print(
                    f"    missed {pair['id']} {label['kind']}/{label['category']}: {label['round_two_fact']!r} vs {label['round_one_fact']!r}"
                )
    print(f"  {len(pairs)} pairs")
    for category in sorted(labelled):
        print(
            f"  recall {category:<10} {found[category]}/{labelled[category]} = {found[category] / labelled[category]:.2f} (target >= 0.9)"
        )
    for stratum, (bad, n) in sorted(quiet_false.items()):
        print(f"  false problem findings on {stratum:<20} {bad}/{n}")
    if false_claims:
        claims = ", ".join(
            f"{claim} {n}" for claim, n in sorted(false_claims.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        print(f"    what they claim: {claims}")
    return seconds


def held_out_sets() -> list[str]:
    """Every set folder under tests/heldout, in the order they were written (v3 ... v10, v11)."""
    return sorted((path.name for path in HELDOUT.glob("v*") if path.is_dir()), key=lambda name: int(name[1:]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="grade quality on the held-out sets (v3, v5, v10 and v11 tune/check, v4 and v7 check, v6, v8 and v9 tune)"
    )
    parser.add_argument("--set", choices=("tune", "check"), default="check")
    parser.add_argument(
        "--heldout",
        choices=held_out_sets(),
        default="v3",
        help="which held-out set (v4 and v7 have a check split only, v6, v8 and v9 a tune split only; v8 is pairs only)",
    )
    parser.add_argument("--rules-only", action="store_true", help="the rules without the semantic layer")
    parser.add_argument("--misses", action="store_true", help="list each disagreement (tune only!)")
    parser.add_argument(
        "--model-threads",
        type=int,
        help="give every call of the sentence model this many threads (default: the free cores at each call)",
    )
    args = parser.parse_args(argv)
    if args.misses and args.set == "check":
        parser.error("--misses reads the check set's labels: use it on tune only")
    split = [HELDOUT / args.heldout / f"{kind}_{args.set}.jsonl" for kind in ("answers", "pairs")]
    if not any(path.exists() for path in split):  # (so --misses, tune only, never reaches a check-only set)
        parser.error(
            f"tests/heldout/{args.heldout} has no {args.set} split ({split[0].name}, {split[1].name})"
        )
    rubrics = load_rubrics()
    meaning = None if args.rules_only else default_meaning()
    if meaning is not None and args.model_threads:  # what an idle or a busy machine would give, anywhere
        meaning = Meaning(CachingEmbedder(E5Embedder(threads=args.model_threads)), meaning.heads)
    RECORDER.reset(meaning)
    print(f"grader: {'rules only' if meaning is None else meaning.name}; {model_load(meaning)}")
    print(f"held-out set: {args.heldout}, {args.set}")
    answers = load(f"answers_{args.set}.jsonl", args.heldout)
    seconds = answers_report(answers, rubrics, args.rules_only, args.misses)
    seconds += pairs_report(
        load(f"pairs_{args.set}.jsonl", args.heldout), rubrics, args.rules_only, args.misses
    )
    if seconds:
        RECORDER.report()


if __name__ == "__main__":
    main()
