"""How well the outcome valence readers read a writer they never saw: endings one at a time, and the
outcome facts of story pairs (same or changed) as the pair judge reads them.

    .venv/bin/python tools/valence_writers.py              # every writer held out in turn
    .venv/bin/python tools/valence_writers.py --show w14a  # and the pairs of w14a read most as changed

Each labelled ending (good, or not good: bad, mixed, pending) belongs to its writer: `proj` (the project's
tests/data/consistency/outcome_clauses.txt), `h9` (outcome_valence/endings_h9.txt), `w4`
(consistency_indep), `w12v` (valence_indep/endings_w12.jsonl), `w8` (outcomes_indep: round one's outcome
good, round two's good when the pair is the same). A reader is trained on every writer but the one it is
tested on, so its figures are those of a new writer. The story pairs (pairs_indep/story_pairs_w*.jsonl)
give no ending labels, only pairs: each outcome fact marked same or changed, read as the judge reads a
pair, P(good then) x P(not good now) either way round, at the shipped cut.

`shipped` is the judge in simulator/data/outcome_valence.json, trained on proj, h9 and w8 (its figures on
those three are not held out). The others are trained here, leaving the tested writer out:
`linear` (the judge's head recipe: e5 vector and cues, L2 penalty 300), `nearest` (the labelled endings
nearest in meaning, as RememberedEndings), `both` (the two averaged, the shipped recipe).

Measured in session 13 (AUC of the ending's valence / accuracy at .5; pairs: changed found at the cut,
false findings on same pairs):
- endings: w12v shipped .74/.64, linear .72/.60, both .74/.64; w4 shipped .85/.74, linear .81/.72,
  nearest .86/.78, both .86/.76; w8 held out: linear .68/.62, nearest .75/.64.
- pairs at .57: w12a shipped 5/14 (1 false of 44), linear 7/14 (0), both 5/14 (0); w12b shipped 2/13
  (4 of 39), linear 1/13 (5), both 0/13 (5); w13a shipped 8/32 (0 of 49), linear 9/32 (0), both 8/32 (0);
  w14a (a new writer, session 13) shipped 16/45 (0 of 51), linear 17/45 (2), nearest 19/45 (4), both
  16/45 (2). Graded whole, w14a's stories show 9 of 40 outcome changes: the judge reads the writer's
  own outcome spans better than the clauses the grader picks (outcome_change.ending_pair).
No reader trained on more writers reads a new writer's pairs clearly better than the shipped judge: on
w12b no reader separates changed from same (AUC .55-.71). The valence of an ending told by its
consequence is what e5-small with a linear or nearest-neighbour reading cannot carry across writers.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_grader import CachedEmbedder, fit_head  # noqa: E402

from simulator.grading import outcome_change, semantic, stance  # noqa: E402

DATA = ROOT / "tests" / "data"
CACHE = ROOT / ".cache" / "valence_writers_vectors.npz"  # a development convenience, never shipped
STORY_WRITERS = ("w12a", "w12b", "w13a", "w14a")
Reader = Callable[[list[str], np.ndarray], np.ndarray]


def _lines(path: Path, writer: str) -> list[tuple[str, str, float]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "|" not in line:
            continue
        label, text = (x.strip() for x in line.split("|", 1))
        if label in ("good", "bad"):
            out.append((writer, text, float(label == "good")))
    return out


def endings() -> tuple[list[tuple[str, str, float]], list[tuple[str, str, str, bool]]]:
    """(writer, ending, 1.0 good / 0.0 not) and (writer, round one's outcome, round two's, changed)."""
    labelled = _lines(DATA / "consistency/outcome_clauses.txt", "proj")
    labelled += _lines(DATA / "consistency_indep/outcome_clauses_w4.txt", "w4")
    labelled += _lines(DATA / "outcome_valence/endings_h9.txt", "h9")
    for line in (DATA / "valence_indep/endings_w12.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["valence"] != "none":
            labelled.append(("w12v", row["ending"], float(row["valence"] == "good")))
    pairs = []
    for line in (DATA / "outcomes_indep/outcome_pairs_w8.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["label"] == "other_fact":
            continue
        labelled.append(("w8", row["outcome_one"], 1.0))
        if row["kind"] != "changed_inflated":  # a bigger figure is still good
            labelled.append(("w8", row["outcome_two"], float(row["label"] == "same")))
            pairs.append(("w8", row["outcome_one"], row["outcome_two"], row["label"] == "changed"))
    for writer in STORY_WRITERS:
        path = DATA / f"pairs_indep/story_pairs_{writer}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
            for fact in json.loads(line)["facts"]:
                if fact["kind"] == "outcome" and fact["fact_one"] and fact["fact_two"]:
                    pairs.append((writer, fact["fact_one"], fact["fact_two"], fact["relation"] == "changed"))
    return labelled, pairs


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    pos, neg = scores[positive], scores[~positive]
    if not len(pos) or not len(neg):
        return float("nan")
    above = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(above / (len(pos) * len(neg)))


def readers(texts: list[str], vectors: np.ndarray, good: np.ndarray) -> dict[str, Reader]:
    """The readers trained on these endings."""
    head = fit_head(stance.features(texts, vectors), good, ("good",), 300.0)
    remembered = outcome_change.RememberedEndings.of(vectors, good, 9, 20.0)

    def linear(t: list[str], v: np.ndarray) -> np.ndarray:
        return head.probabilities(stance.features(t, v)).reshape(-1)

    def both(t: list[str], v: np.ndarray) -> np.ndarray:
        return (linear(t, v) + remembered.good_share(v)) / 2.0

    return {"linear": linear, "nearest": lambda t, v: remembered.good_share(v), "both": both}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", help="a writer whose pairs read most as changed are listed")
    args = parser.parse_args(argv)
    labelled, pairs = endings()
    embedder = CachedEmbedder(semantic.E5Embedder(), CACHE)
    every = sorted({x[1] for x in labelled} | {p[1] for p in pairs} | {p[2] for p in pairs})
    vector = dict(zip(every, embedder.embed(every), strict=True))
    writers = np.array([x[0] for x in labelled])
    texts = [x[1] for x in labelled]
    good = np.array([x[2] for x in labelled])
    shipped = outcome_change.shipped_valence()
    assert shipped is not None
    cut = shipped.threshold
    for writer in sorted(set(writers)) + [w for w in STORY_WRITERS if any(p[0] == w for p in pairs)]:
        train = writers != writer
        chosen: dict[str, Reader] = {"shipped": shipped.good}
        chosen |= readers(
            [texts[i] for i in np.flatnonzero(train)],
            np.stack([vector[texts[i]] for i in np.flatnonzero(train)]),
            good[train],
        )
        if (~train).any():
            held = [texts[i] for i in np.flatnonzero(~train)]
            v = np.stack([vector[t] for t in held])
            read = {name: r(held, v) for name, r in chosen.items()}
            print(
                f"endings {writer} (n={len(held)}): "
                + ", ".join(
                    f"{n} {auc(g, good[~train] == 1):.2f}/{((g >= 0.5) == (good[~train] == 1)).mean():.2f}"
                    for n, g in read.items()
                )
            )
        theirs = [p for p in pairs if p[0] == writer]
        if not theirs:
            continue
        one, two = [p[1] for p in theirs], [p[2] for p in theirs]
        changed = np.array([p[3] for p in theirs])
        v1, v2 = np.stack([vector[t] for t in one]), np.stack([vector[t] for t in two])
        figures = []
        for name, reader in chosen.items():
            g1, g2 = reader(one, v1), reader(two, v2)
            score = np.maximum(g1 * (1 - g2), (1 - g1) * g2)
            figures.append(
                f"{name} {(score[changed] >= cut).sum()}/{changed.sum()} "
                f"({(score[~changed] >= cut).sum()} of {(~changed).sum()} same) auc {auc(score, changed):.2f}"
            )
            if name == "shipped" and writer == args.show:
                for k in np.argsort(-score)[:15]:
                    print(
                        f"    {score[k]:.2f} {'changed' if changed[k] else 'same   '} {one[k]!r} / {two[k]!r}"
                    )
        print(f"pairs {writer} at {cut:.2f}: " + "; ".join(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
