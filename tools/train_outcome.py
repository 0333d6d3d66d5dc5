"""Train the head that reads whether a story's ending was good for the candidate, used to judge a pair of
endings (round one, round two) as the same outcome or a changed one; write `simulator/data/outcome_valence.json`.

    .venv/bin/python tools/train_outcome.py            # train, report cross-validated figures, write
    .venv/bin/python tools/train_outcome.py --dry-run  # report only

Reads `tests/data/outcomes_indep/outcome_pairs_w8.jsonl`: pairs of story endings, round one and round
two, written and labelled (same / changed / other_fact) by a writer who never saw the grader (its README
tells how), and the good and bad endings of `tests/data/consistency/outcome_clauses.txt`; never a held-out
set. The writer's round-one outcomes are all results the candidate achieved, and every changed kind
but an inflated figure tells a worse one (lost, churned, partial, not known yet), so each pair gives
endings of both kinds: round one's outcome good, round two's good when the pair is the same and not good
when it changed. Inflated figures and other facts give round one's only.

Cross-validation holds out whole pairs and reads each the way the grader reads a retold story
(outcome_change.changed_score: each round's clause that reads most as its outcome, neither the setting
nor an action, round two's after the candidate acted, read from its last "but" on); the threshold
written is the lowest at which those out-of-fold verdicts of "changed" were right at least `PRECISION`
of the time. Which clause reads as an outcome comes from the ending head (ending_head.json): rerun this
when that head is retrained. Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_grader import CachedEmbedder, fit_head  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import outcome_change, semantic, stance  # noqa: E402
from simulator.grading.text import Text, analyse  # noqa: E402

PAIRS = ROOT / "tests/data/outcomes_indep/outcome_pairs_w8.jsonl"
CLAUSES = ROOT / "tests/data/consistency/outcome_clauses.txt"
OUT = ROOT / "simulator/data" / outcome_change.VALENCE_FILE
CACHE = (
    ROOT / ".cache" / "outcome_vectors.npz"
)  # a development convenience, never shipped or read at run time
VERSION = "1.0"
CLASSES = ("good",)
WORSE = ("changed_flipped", "changed_consequence", "changed_extent", "changed_to_pending")
PRECISION = 0.9
FOLDS = 5
PENALTIES = (3.0, 10.0, 30.0, 100.0)
# How alike (cosine) two endings must be to be set against each other: below this the round-two clause
# tells something else (cross-validated: 0.75 kept more changes at the same precision than 0.78).
MIN_SIMILARITY = 0.75
# How much round two's clause must read as an outcome (the ending head's clause model): a hedged aside
# ("which I can't claim was all us") is no outcome to compare. Cross-validated recall .23 -> .20.
MIN_LIKENESS = 0.3


@dataclass
class Pair:
    """One labelled pair, read as the grader reads a retold story's ending."""

    changed: bool
    kind: str
    endings: list[tuple[str, int]]  # (outcome as written, 1 good / 0 not) for the valence head
    texts: tuple[Text, Text]
    readings: tuple[semantic.ClauseReading, semantic.ClauseReading]


def _endings(row: dict) -> list[tuple[str, int]]:
    out = [(row["outcome_one"], 1)]
    if row["outcome_two"] and row["label"] == "same":
        out.append((row["outcome_two"], 1))
    if row["outcome_two"] and row["kind"] in WORSE:
        out.append((row["outcome_two"], 0))
    return out


def read_pairs(path: Path, meaning: semantic.Meaning) -> list[Pair]:
    rubrics = load_rubrics()
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in ("same", "changed", "other_fact"):
            raise SystemExit(f"{path.name}:{number}: label must be same, changed or other_fact")
        texts = (
            analyse(f"{row['context']} {row['round_one']}", rubrics.star),
            analyse(row["round_two"], rubrics.star),
        )
        readings = meaning.read(texts[0], rubrics.star), meaning.read(texts[1], rubrics.star)
        out.append(Pair(row["label"] == "changed", row["kind"], _endings(row), texts, readings))
    return out


def base_endings() -> list[tuple[str, int]]:
    """The good and bad endings written for the stance head (its "none" clauses tell no ending)."""
    out = []
    for line in CLAUSES.read_text(encoding="utf-8").splitlines():
        label, sep, text = line.partition(" | ")
        if sep and label in ("good", "bad"):
            out.append((text.strip(), int(label == "good")))
    return out


def fit(endings: list[tuple[str, int]], embedder: CachedEmbedder, penalty: float) -> semantic.Head:
    texts = [t for t, _ in endings]
    x = stance.features(texts, embedder.embed(texts))
    return fit_head(x, np.asarray([y for _, y in endings]), CLASSES, penalty)


def score(pair: Pair, valence: outcome_change.ValenceHead, embedder: CachedEmbedder) -> float:
    scored = outcome_change.changed_score(pair.texts, pair.readings, embedder.embed, valence)
    return scored[0] if scored else 0.0


def cross_validate(
    pairs: list[Pair], extra: list[tuple[str, int]], embedder: CachedEmbedder, penalty: float, both_ways: bool
):
    """Out-of-fold verdicts: every pair judged by a head that never saw its endings."""
    scores = np.zeros(len(pairs))
    for k in range(FOLDS):
        seen = [e for i, p in enumerate(pairs) if i % FOLDS != k for e in p.endings]
        head = fit(seen + extra, embedder, penalty)
        valence = outcome_change.ValenceHead(
            VERSION, embedder.name, head, 1.0, MIN_SIMILARITY, MIN_LIKENESS, both_ways
        )
        for i in range(k, len(pairs), FOLDS):
            scores[i] = score(pairs[i], valence, embedder)
    return scores


def threshold(scores: np.ndarray, changed: np.ndarray) -> tuple[float, float, float]:
    """The lowest cut whose verdicts of "changed" are precise enough: (cut, precision, recall)."""
    for cut in np.arange(0.3, 0.96, 0.01):
        chosen = scores >= cut
        if chosen.sum() >= 5 and float(changed[chosen].mean()) >= PRECISION:
            precision, recall = float(changed[chosen].mean()), float(changed[chosen].sum() / changed.sum())
            return round(float(cut), 2), precision, recall
    return 0.99, 0.0, 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--both-ways", action="store_true", help="also read a not-good ending told as good")
    args = parser.parse_args(argv)
    heads = semantic.shipped_heads()
    assert heads is not None
    embedder = CachedEmbedder(semantic.E5Embedder(), CACHE)
    pairs = read_pairs(PAIRS, semantic.Meaning(embedder, heads))
    extra = base_endings()
    changed = np.asarray([p.changed for p in pairs])
    print(
        f"{PAIRS.name}: {len(pairs)} pairs, changed {int(changed.sum())}; {CLAUSES.name}: {len(extra)} endings"
    )
    best: tuple[float, float, float, np.ndarray] | None = None
    for penalty in PENALTIES:
        scores = cross_validate(pairs, extra, embedder, penalty, args.both_ways)
        cut, precision, recall = threshold(scores, changed)
        print(f"  penalty {penalty:>5}: threshold {cut:.2f}, precision {precision:.2f}, recall {recall:.2f}")
        if best is None or recall > best[0]:
            best = (recall, penalty, cut, scores)
    assert best is not None
    _, penalty, cut, scores = best
    print(f"chosen: penalty {penalty}, threshold {cut}; out of fold, read as changed:")
    for kind in sorted({p.kind for p in pairs}):
        mine = [i for i, p in enumerate(pairs) if p.kind == kind]
        print(f"    {kind:<20} {sum(bool(scores[i] >= cut) for i in mine)}/{len(mine)}")
    everything = [e for p in pairs for e in p.endings] + extra
    valence = outcome_change.ValenceHead(
        VERSION,
        embedder.name,
        fit(everything, embedder, penalty),
        cut,
        MIN_SIMILARITY,
        MIN_LIKENESS,
        args.both_ways,
    )
    if not args.dry_run:
        OUT.write_text(json.dumps(valence.to_json()) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
