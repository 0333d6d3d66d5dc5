"""Which rule made each problem finding, on the develop pairs (story pairs and tune sets).

Run: PYTHONPATH=. .venv/bin/python tools/findings_by_rule.py [--only clean|other|role] [--out FILE]
Every story pair (tests/data/pairs_indep) and every tune pair (tests/heldout/v*/pairs_tune.jsonl,
tests/heldout/tune*.jsonl) whose lines are clean (same, elaboration, clean retelling, same quantity, no
problem expected) or change the candidate's part or another fact is graded as round two against its
round one; each contradiction or embellishment found is traced to the rule that made it (word_swap,
named_slots, reasons, clients, role_change, actor_swap, the rules' _roles, _who_led ...). One JSON line
per pair is written to --out, and a table of false findings per rule and writer is printed. Never run on
a check split: only develop data is read here.
"""

from __future__ import annotations

import argparse
import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from simulator.catalog import ROOT, load_rubrics
from simulator.grading import consistency
from simulator.grading.evaluation import pair_request
from simulator.grading.grader import grade_answer
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import default_meaning
from tools.story_pairs_bench import PAIRS, PROBLEMS, story_request

HELDOUT = ROOT / "tests" / "heldout"
TUNE_SETS = ("v3", "v5", "v6", "v8", "v9", "v10", "v11")
CLEAN = ("same", "elaboration", "clean_retelling", "same_quantity", "clean")
MINE = ("change_other", "change_role", "round_one_names_leader")

# What one grade's rules made: (kind, category, round-two quote, round-one quote or None, rule).
_MADE: list[tuple[str, str, str, str | None, str]] = []
_EMITTED: dict[tuple[int, int], str] = {}
_STATE: dict[Any, Any] = {}


def _tag_pairs(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A compare rule returning (round-one Located, round-two Claim, kind) triples."""

    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        rows = out[0] if isinstance(out, tuple) else out
        for row in rows:
            if len(row) == 4:  # _changed_ratio: (ratio, Located, ratio, kind)
                _EMITTED[id(row[1].claim), id(row[2].quoted)] = name
            else:
                _EMITTED[id(row[0].claim), id(row[1])] = name
        return out

    return wrapped


def _finding(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapped(kind: str, x: Any, b: Any, *args: Any, **kwargs: Any) -> Any:
        f = fn(kind, x, b, *args, **kwargs)
        rule = _EMITTED.get((id(x.claim), id(b)), "compare?")
        _MADE.append((f.kind, f.category, f.round_two_quote, f.round_one_quote, rule))
        return f

    return wrapped


def _tag_findings(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if name == "_with_meaning":
            before = {id(f) for f in args[0]}
            out_new = [f for f in out if id(f) not in before]
            for f in out_new:
                rule = _STATE.pop(("change", f.kind, f.category), "meaning?")
                _MADE.append((f.kind, f.category, f.round_two_quote, f.round_one_quote, rule))
            return out
        for f in out:
            _MADE.append((f.kind, f.category, f.round_two_quote, f.round_one_quote, name))
        return out

    return wrapped


def _tag_change(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _STATE["slots"] = False
        _STATE["told"] = None
        out = fn(*args, **kwargs)
        if out is not None:
            rule = name
            if name == "_swapped":
                rule = "named_slots" if _STATE["slots"] else "word_swap"
            elif name == "_told_otherwise":
                rule = _STATE["told"] or name
            _STATE.setdefault(("change", out.kind, out.category), rule)
        return out

    return wrapped


def _flag(key: str, value: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if key == "slots":
            _STATE["slots"] = True
        elif out is not None and _STATE.get("told") is None:
            _STATE["told"] = value
        return out

    return wrapped


def instrument() -> None:
    c = consistency
    for name in (
        "_lone_durations",
        "_sets",
        "_roles",
        "_bigger_outcomes",
        "_names",
        "_who_led",
        "_credit",
        "_changed_ratio",
    ):
        setattr(c, name, _tag_pairs(name, getattr(c, name)))
    c._figures = _tag_pairs("_figures", c._figures)
    c._finding = _finding(c._finding)
    for name in ("_omission", "_given_away", "_with_meaning"):
        setattr(c, name, _tag_findings(name, getattr(c, name)))
    for name in (
        "role_change",
        "actor_swap",
        "outcome_change",
        "judged_change",
        "_swapped",
        "_told_otherwise",
    ):
        setattr(c, name, _tag_change(name, getattr(c, name)))
    c.slot_swaps = _flag("slots", True, c.slot_swaps)
    c.changed_reason = _flag("told", "reasons.changed_reason", c.changed_reason)
    c.denied = _flag("told", "reasons.denied", c.denied)
    c.changed_client = _flag("told", "clients.changed_client", c.changed_client)


def _story_rows(only: str) -> Iterator[tuple[str, str, str, GradeRequest, list[str]]]:
    for path in sorted(PAIRS.glob("story_pairs_w*.jsonl")):
        writer = path.stem.removeprefix("story_pairs_")
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            label = row["category"]
            if not _wanted(label, only):
                continue
            kinds = [f["kind"] for f in row["facts"] if f["relation"] == "changed"]
            yield writer, row["id"], label, story_request(row), kinds


def _tune_rows(only: str) -> Iterator[tuple[str, str, str, GradeRequest, list[str]]]:
    paths = [(v, HELDOUT / v / "pairs_tune.jsonl") for v in TUNE_SETS]
    paths += [("tune", HELDOUT / "tune.jsonl"), ("tune2", HELDOUT / "tune2.jsonl")]
    for name, path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            pair = json.loads(line)
            if pair.get("type") != "pair":
                continue
            expected = pair["expected"] if isinstance(pair["expected"], list) else []
            kinds = [e["category"] for e in expected if e["kind"] in PROBLEMS]
            label = pair.get("stratum") or (
                "clean" if not kinds else "change_" + "+".join(sorted(set(kinds)))
            )
            if not _wanted(label, only):
                continue
            yield name, pair["id"], label, pair_request(pair), kinds


def _wanted(label: str, only: str) -> bool:
    if label in CLEAN:
        return only in ("", "clean")
    mine = label in MINE or any(k in label for k in ("other", "role"))
    return mine and only in ("", "other", "role") and (not only or only in label or label == MINE[2])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("clean", "other", "role"), default="")
    parser.add_argument("--writer", action="append", help="a story-pair writer or tune set name")
    parser.add_argument("--id", action="append", help="only these pair ids")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    instrument()
    rubrics, meaning = load_rubrics(), default_meaning()
    out = args.out.open("w", encoding="utf-8") if args.out else None
    false: dict[str, Counter[str]] = defaultdict(Counter)
    clean_n: Counter[str] = Counter()
    clean_bad: Counter[str] = Counter()
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for source, pid, label, request, kinds in [*_story_rows(args.only), *_tune_rows(args.only)]:
        if (args.writer and source not in args.writer) or (args.id and pid not in args.id):
            continue
        _MADE.clear()
        _EMITTED.clear()
        _STATE.clear()
        findings = grade_answer(request, rubrics, meaning=meaning).consistency.findings
        problems = []
        for f in findings:
            if f.kind not in PROBLEMS:
                continue
            rule = next(
                (
                    m[4]
                    for m in _MADE
                    if m[:3] == (f.kind, f.category, f.round_two_quote) and m[3] in (None, f.round_one_quote)
                ),
                "?",
            )
            problems.append(
                {
                    "kind": f.kind,
                    "category": f.category,
                    "rule": rule,
                    "two": f.round_two_quote,
                    "one": f.round_one_quote,
                }
            )
        record = {"source": source, "id": pid, "label": label, "changed": kinds, "problems": problems}
        if out:
            out.write(json.dumps(record) + "\n")
            out.flush()
        if label in CLEAN:
            clean_n[source] += 1
            clean_bad[source] += bool(problems)
            for p in problems:
                false[source][p["rule"]] += 1
                print(
                    f"  false {pid} ({label}) [{p['rule']}] {p['kind']}/{p['category']} {p['two']!r} vs {p['one']!r}"
                )
        else:
            for kind in ("other", "role"):
                if kind in kinds or (kind == "role" and label == MINE[2]):
                    recall[f"{source}:{kind}"][1] += 1
                    got = any(p["category"] == kind for p in problems) or (kind == "other" and bool(problems))
                    recall[f"{source}:{kind}"][0] += got
                    if not got:
                        print(f"  missed {pid} ({label}) {kind}")
    print("false problem findings on clean lines, per source (lines with any / lines; findings per rule):")
    for source in clean_n:
        print(f"  {source:<6} {clean_bad[source]}/{clean_n[source]}  {dict(false[source])}")
    total = Counter[str]()
    for c in false.values():
        total.update(c)
    print(f"  all    {sum(clean_bad.values())}/{sum(clean_n.values())}  {dict(total)}")
    for key, (hit, n) in sorted(recall.items()):
        print(f"  recall {key:<12} {hit}/{n}")


if __name__ == "__main__":
    main()
