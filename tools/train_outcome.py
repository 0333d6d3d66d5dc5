"""Train the head that reads whether a story's ending was good for the candidate, used to judge a pair of
endings (round one, round two) as the same outcome or a changed one; write `simulator/data/outcome_valence.json`.

    .venv/bin/python tools/train_outcome.py            # train, report cross-validated figures, write
    .venv/bin/python tools/train_outcome.py --dry-run  # report only

Reads `tests/data/outcomes_indep/outcome_pairs_w8.jsonl`: pairs of story endings, round one and round
two, written and labelled (same / changed / other_fact) by a writer who never saw the grader (its README
tells how), the good and bad endings of `tests/data/consistency/outcome_clauses.txt`, and those of
`tests/data/outcome_valence/endings_h9.txt` (endings told by a consequence or by how things stand now,
verdicts, votes, targets, people who stayed or left); never a held-out set. The writer's round-one outcomes are all results the candidate achieved, and every changed kind
but an inflated figure tells a worse one (lost, churned, partial, not known yet), so each pair gives
endings of both kinds: round one's outcome good, round two's good when the pair is the same and not good
when it changed. Inflated figures and other facts give round one's only.

A valence is read two ways, averaged: a linear head over the ending's vector and cues, and the labelled
endings nearest in meaning (outcome_change.RememberedEndings, kept in the file as int8 vectors).

Both ways (the default): round one's ending told worse in round two, or a worse one told better. The
writer's changed pairs are all good then worse, so each is also read reversed (round two's ending as
round one's, with the setup), for a pair that got better; a same pair reversed is still the same.

Cross-validation holds out whole pairs (and their reversals) and reads each the way the grader reads a retold story
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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_grader import CachedEmbedder, fit_head  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import outcome_change, semantic, stance  # noqa: E402
from simulator.grading.shipped import SHIPPED  # noqa: E402
from simulator.grading.text import Text, analyse  # noqa: E402

PAIRS = ROOT / "tests/data/outcomes_indep/outcome_pairs_w8.jsonl"
CLAUSES = ROOT / "tests/data/consistency/outcome_clauses.txt"
OUT = SHIPPED / outcome_change.VALENCE_FILE
CACHE = (
    ROOT / ".cache" / "outcome_vectors.npz"
)  # a development convenience, never shipped or read at run time
MORE_ENDINGS = ROOT / "tests/data/outcome_valence/endings_h9.txt"
VERSION = "2.0"
CLASSES = ("good",)
WORSE = ("changed_flipped", "changed_consequence", "changed_extent", "changed_to_pending")
# Read both ways, a paraphrase has two chances to be misread as a change: the bar is raised from .9
# (cross-validated, both ways: .90 at a cut of .45 read 5 of 118 clean tune retellings as changed, .95
# at .50 one).
PRECISION = 0.95
# No lower cut than this, whatever the pairs allow: at .53 to .56 the tune sets' clean retellings had one
# read as changed ("Nothing leaked before the announcement" / "announced without any leak": a negation
# the vectors blur), at .57 none, and out of fold no pair was wrongly read as changed from .55 up.
MIN_CUT = 0.57
# The judge shipped before (session 8): the linear head alone on the pairs' and outcome_clauses.txt's
# endings, one way, at the cut its cross-validation chose then. Kept inside the new one (`earlier`):
# what it found stands (on the v4 check set the new judge alone found one outcome change fewer).
EARLIER = {"penalty": 100.0, "threshold": 0.65, "min_similarity": 0.75}
FOLDS = 5
PENALTIES = (30.0, 100.0, 300.0)
# How alike (cosine) two endings must be to be set against each other: below this the round-two clause
# tells something else (cross-validated: 0.75 kept more changes at the same precision than 0.78; with
# the remembered endings 0.70 and 0.75 keep the same, and 0.70 reads "it went to a larger firm" against
# "we've been maintaining the council's street lights", 0.73 apart).
MIN_SIMILARITY = 0.70
# How surely a clause must read as a step to hide the ending before it (outcome_change.ValenceHead).
MIN_ACTING = 0.5
# The remembered endings: how many nearest vote, and how much a nearer one counts (exp(sharpness x cos)).
# Cross-validated, both ways, at precision .95: either alone recalls .23 (the head) or .09 (the nearest
# endings), the two averaged .29 with 9 neighbours, .33 with 15, .31 with 25; weighting the rarer bad
# endings' votes up lost recall (.26).
NEIGHBOURS = 15
SHARPNESS = 20.0
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


def read_pairs(path: Path, meaning: semantic.Meaning) -> tuple[list[Pair], list[Pair]]:
    """The pairs as written, and reversed: round two's ending told first (with the setup), round one's
    after it. A worse ending reversed is a better one, a change when the valence is read both ways; a
    same pair reversed is still the same; an inflated figure reversed is no change of valence, and a
    pair with no outcome in round two has nothing to reverse."""
    rubrics = load_rubrics()
    forward, backward = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in ("same", "changed", "other_fact"):
            raise SystemExit(f"{path.name}:{number}: label must be same, changed or other_fact")
        forward.append(
            _pair(row, row["round_one"], row["round_two"], row["label"] == "changed", meaning, rubrics)
        )
        if row["outcome_two"] and row["label"] != "other_fact":
            worse = row["kind"] in WORSE
            backward.append(_pair(row, row["round_two"], row["round_one"], worse, meaning, rubrics, []))
    return forward, backward


def _pair(row: dict, first: str, second: str, changed: bool, meaning, rubrics, endings=None) -> Pair:
    texts = analyse(f"{row['context']} {first}", rubrics.star), analyse(second, rubrics.star)
    readings = meaning.read(texts[0], rubrics.star), meaning.read(texts[1], rubrics.star)
    return Pair(changed, row["kind"], _endings(row) if endings is None else endings, texts, readings)


def read_endings(path: Path) -> list[tuple[str, int]]:
    """Good and bad endings, one a line ("good | ..." / "bad | ..."); other lines ("none | ...", "#")
    tell no ending."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        label, sep, text = line.partition(" | ")
        if sep and label in ("good", "bad"):
            out.append((text.strip(), int(label == "good")))
    return out


def base_endings() -> list[tuple[str, int]]:
    """The endings written for the stance head, and those written for this one."""
    return read_endings(CLAUSES) + read_endings(MORE_ENDINGS)


def fit(
    endings: list[tuple[str, int]],
    embedder: CachedEmbedder,
    penalty: float,
    cut: float = 1.0,
    both_ways: bool = True,
) -> outcome_change.ValenceHead:
    """The valence judge trained on `endings`: the linear head and the endings remembered."""
    texts = [t for t, _ in endings]
    vectors = embedder.embed(texts)
    good = np.asarray([y for _, y in endings])
    head = fit_head(stance.features(texts, vectors), good, CLASSES, penalty)
    remembered = outcome_change.RememberedEndings.of(vectors, good, NEIGHBOURS, SHARPNESS)
    return outcome_change.ValenceHead(
        VERSION,
        embedder.name,
        head,
        cut,
        MIN_SIMILARITY,
        MIN_LIKENESS,
        both_ways,
        remembered,
        None,
        MIN_ACTING,
    )


def fit_earlier(pairs: list[Pair], embedder: CachedEmbedder) -> outcome_change.ValenceHead:
    """The session-8 judge, refitted from the same data the same way (the same weights)."""
    endings = [e for p in pairs for e in p.endings] + read_endings(CLAUSES)
    texts = [t for t, _ in endings]
    x = stance.features(texts, embedder.embed(texts))
    head = fit_head(x, np.asarray([y for _, y in endings]), CLASSES, EARLIER["penalty"])
    return outcome_change.ValenceHead(
        "1.0", embedder.name, head, EARLIER["threshold"], EARLIER["min_similarity"], MIN_LIKENESS, False
    )


def score(pair: Pair, valence: outcome_change.ValenceHead, embedder: CachedEmbedder) -> float:
    scored = outcome_change.changed_score(pair.texts, pair.readings, embedder.embed, valence)
    return scored[0] if scored else 0.0


def cross_validate(
    pairs: list[Pair],
    reversed_pairs: list[Pair],
    extra: list[tuple[str, int]],
    embedder: CachedEmbedder,
    penalty: float,
    both_ways: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold verdicts: every pair (and, both ways, every reversal) judged by a judge that never saw
    its endings. (scores, changed)."""
    judged = pairs + (reversed_pairs if both_ways else [])
    # A reversal falls in its pair's fold: the same endings, told the other way round.
    fold = [i % FOLDS for i in range(len(pairs))]
    fold += [_fold_of(p, pairs) for p in reversed_pairs] if both_ways else []
    scores = np.zeros(len(judged))
    for k in range(FOLDS):
        seen = [e for i, p in enumerate(pairs) if i % FOLDS != k for e in p.endings]
        valence = fit(seen + extra, embedder, penalty, 1.0, both_ways)
        for i, pair in enumerate(judged):
            if fold[i] == k:
                scores[i] = score(pair, valence, embedder)
    return scores, np.asarray([p.changed for p in judged])


def _fold_of(reversal: Pair, pairs: list[Pair]) -> int:
    at = next(i for i, p in enumerate(pairs) if p.texts[1].clean in reversal.texts[0].clean)
    return at % FOLDS


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
    parser.add_argument("--one-way", action="store_true", help="read only a good ending told as not good")
    args = parser.parse_args(argv)
    both_ways = not args.one_way
    heads = semantic.shipped_heads()
    assert heads is not None
    embedder = CachedEmbedder(semantic.E5Embedder(), CACHE)
    pairs, reversed_pairs = read_pairs(PAIRS, semantic.Meaning(embedder, heads))
    extra = base_endings()
    print(
        f"{PAIRS.name}: {len(pairs)} pairs, changed {sum(p.changed for p in pairs)}, "
        f"{len(reversed_pairs) if both_ways else 0} reversed; {CLAUSES.name}, {MORE_ENDINGS.name}: {len(extra)} endings"
    )
    best: tuple[float, float, float, np.ndarray, np.ndarray] | None = None
    for penalty in PENALTIES:
        scores, changed = cross_validate(pairs, reversed_pairs, extra, embedder, penalty, both_ways)
        cut, precision, recall = threshold(scores, changed)
        print(f"  penalty {penalty:>5}: threshold {cut:.2f}, precision {precision:.2f}, recall {recall:.2f}")
        if best is None or recall > best[0]:
            best = (recall, penalty, cut, scores, changed)
    assert best is not None
    _, penalty, cut, scores, changed = best
    print(f"chosen: penalty {penalty}, threshold {cut}; out of fold, read as changed:")
    judged = pairs + (reversed_pairs if both_ways else [])
    for kind in sorted({p.kind for p in judged}):
        for way, group in (("", pairs), ("reversed ", reversed_pairs if both_ways else [])):
            mine = [i for i, p in enumerate(judged) if p.kind == kind and any(p is q for q in group)]
            if mine:
                print(f"    {way + kind:<30} {sum(bool(scores[i] >= cut) for i in mine)}/{len(mine)}")
    everything = [e for p in pairs for e in p.endings] + extra
    valence = replace(
        fit(everything, embedder, penalty, max(cut, MIN_CUT), both_ways), earlier=fit_earlier(pairs, embedder)
    )
    print(f"written: threshold {valence.threshold}, and the earlier judge at {EARLIER['threshold']}")
    if not args.dry_run:
        OUT.write_text(json.dumps(valence.to_json()) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
