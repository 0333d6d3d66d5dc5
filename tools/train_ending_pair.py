"""Train and measure a chooser of the two endings to compare (tools/ending_pair_chooser.py), writer by
writer. Tried in session 14 and NOT shipped: nothing is written to simulator/data/.

    .venv/bin/python tools/train_ending_pair.py                    # among the grader's candidate clauses
    .venv/bin/python tools/train_ending_pair.py --candidates all   # among every clause of both rounds
    .venv/bin/python tools/train_ending_pair.py --per-writer /tmp/lowo  # and a chooser without each writer

Data: tools/ending_pair_data.py (stories told twice by independent writers, their outcome clauses marked
on both sides). Every candidate (round-one clause, round-two clause) pair of a story is a row, labelled 1
when both clauses tell one labelled outcome. Reported per writer, with a chooser trained on the other
writers only: how often the pair compared is a labelled one (on changed stories: the changed one), against
the pair the grader compares (outcome_change.ending_pair). The tune sets' outcome changes are reported,
never trained on.

Measured in session 14 (penalty 30; changed stories of w8 / w12a / w12b / w13a / w14a, then the six tune
sets' outcome changes; the right pair, each writer held out):
- the grader's pair:                        75/100  7/14  5/12   9/20  19/40; tune 42/60
- chooser, every clause a candidate, no floor on how much round two's reads as an outcome (the first
  try): 95/100  6/14  7/12  12/20  25/40; tune 51/60 (clean stories' right pair w14a 25 -> 29 of 40).
  End to end (tools/outcome_misses.py with the writer's held-out chooser) outcome changes found w14a
  9 -> 11, w13a 7 -> 9, w12a 7 -> 5, w12b 3 -> 3; but two new false findings on the tune sets: v3 "The
  'builder' had cold-called her" (a problem told on the way) and v10 "it was a lot, but yeah" (an
  aside), the guards of the grader's candidates (after the last step; the floor) lost;
- the same with the floor (`--candidates all`): 78/100  6/14  6/12  10/20  22/40; tune 47/60;
- chooser among the grader's candidates (the default): 69/100  5/14  5/12  10/20  18/40; tune 45/60: no
  gain. The candidates lose the right clause: round two's ending told by a consequence with "we" and a
  verb ("we were preparing the appeal papers", "we were transferring those staff") reads as a step, and a
  step hides every clause before it;
- no chooser, a step hiding what comes before it only when read at .9 (not .5): right pair w14a 23/40,
  w13a 10/20, tune 43/60; end to end w14a 9 -> 10, w13a 7 -> 8, the tune sets unchanged, and the v3
  "builder" false finding back.
Closeness from the ending head's static vectors did as well as e5's (`--e5`: w14a 26, w13a 11, w12a 5,
w12b 8; tune 47/60, every clause a candidate) at no model call; penalties 3 and 100 moved no figure by
more than one story. So what loses is which round-two clause may be an ending (a consequence told as a
step by "we", against a problem told on the way), not the pairing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import ending_pair_chooser as ending_pair  # noqa: E402
from ending_pair_data import TUNE_SETS, WRITERS, Story, read_group  # noqa: E402
from train_grader import CachedEmbedder, fit_head  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import outcome_change, semantic  # noqa: E402
from simulator.grading.alignment import readable_clauses  # noqa: E402
from simulator.grading.ending import shipped_ending  # noqa: E402

CACHE = ROOT / ".cache" / "ending_pair_vectors.npz"  # a development convenience, never shipped
VERSION = "1.0"
PENALTY = 30.0
MIN_LIKENESS, MIN_ACTING = 0.3, 0.5  # as the shipped valence judge asks (outcome_valence.json)

Inputs = tuple[
    tuple[semantic.ClauseReading, semantic.ClauseReading],
    tuple[np.ndarray, np.ndarray],
    tuple[np.ndarray, np.ndarray],
]


def inputs(story: Story, embedder: CachedEmbedder | None) -> Inputs:
    """What the chooser reads of a story, as the grader gives it (outcome_change._chosen_pair); with
    `embedder`, the closeness of two clauses is read from its vectors instead of the static ones."""
    ending = shipped_ending()
    assert ending is not None
    one, two = (
        outcome_change.outcome_likeness(t, r) for t, r in zip(story.texts, story.readings, strict=True)
    )
    assert one is not None and two is not None
    model = embedder if embedder is not None else ending[1]
    a, b = (ending_pair.unit_rows(model.embed(readable_clauses(t))) for t in story.texts)
    return story.readings, (one, two), (a, b)


Candidates = tuple[list[int], list[int]]


def candidates(story: Story, which: str) -> Candidates:
    """The clauses each round's ending may be: the grader's (outcome_change.ending_candidates) or all."""
    if which == "all":
        return list(range(len(story.texts[0].clauses))), list(range(len(story.texts[1].clauses)))
    return outcome_change.ending_candidates(story.texts, story.readings, MIN_ACTING)


def rows(stories: list[Story], embedder: CachedEmbedder | None, which: str) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for s in stories:
        x = ending_pair.pair_features(*inputs(s, embedder))
        ones, twos = candidates(s, which)
        for i in ones:
            for j in twos:
                xs.append(x[i, j])
                ys.append(float((i, j) in s.right))
    return np.vstack(xs), np.asarray(ys)


def fit(
    stories: list[Story], embedder: CachedEmbedder | None, penalty: float, name: str, which: str
) -> ending_pair.PairChooser:
    x, y = rows(stories, embedder, which)
    head = fit_head(x.astype(np.float32), y, ("same_ending",), penalty)
    return ending_pair.PairChooser(VERSION, name, head, 0.0)


def chosen_by(
    story: Story, chooser: ending_pair.PairChooser, embedder: CachedEmbedder | None, which: str
) -> tuple[int, int] | None:
    """The chooser's pair, held to the valence judge's min_likeness as the grader's is."""
    readings, likeness, vectors = inputs(story, embedder)
    found = chooser.choose(readings, likeness, vectors, candidates(story, which))
    return found if found is not None and likeness[1][found[1]] >= MIN_LIKENESS else None


def before(story: Story) -> tuple[int, int] | None:
    """The pair the grader compares (the valence judge's min_likeness and min_acting)."""
    return outcome_change.ending_pair(story.texts, story.readings, MIN_LIKENESS, MIN_ACTING)


def tally(stories: list[Story], chosen: dict[str, tuple[int, int] | None]) -> str:
    changed = [s for s in stories if s.changed]
    clean = [s for s in stories if s.clean]
    hit_changed = sum(chosen[s.id] in s.changed for s in changed)
    hit_clean = sum(chosen[s.id] in s.right for s in clean)
    return f"changed {hit_changed}/{len(changed)}, clean right pair {hit_clean}/{len(clean)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--penalty", type=float, default=PENALTY)
    parser.add_argument("--candidates", choices=("grader", "all"), default="grader")
    parser.add_argument("--e5", action="store_true", help="closeness from e5 vectors, not the static ones")
    parser.add_argument(
        "--per-writer", type=Path, help="also write, per writer, a chooser trained without it"
    )
    args = parser.parse_args(argv)
    heads = semantic.shipped_heads()
    assert heads is not None
    e5 = CachedEmbedder(semantic.E5Embedder(), CACHE)
    meaning, rubrics = semantic.Meaning(e5, heads), load_rubrics()
    closeness = e5 if args.e5 else None
    groups = {g: read_group(g, meaning, rubrics) for g in (*WRITERS, *TUNE_SETS)}
    for g, stories in groups.items():
        print(f"{g}: {len(stories)} stories, changed {sum(bool(s.changed) for s in stories)}")
    for g, stories in groups.items():
        others = [s for h in WRITERS if h != g for s in groups[h]]
        chooser = fit(others, closeness, args.penalty, e5.name, args.candidates)
        chosen = {s.id: chosen_by(s, chooser, closeness, args.candidates) for s in stories}
        print(f"{g:<5} before:  {tally(stories, {s.id: before(s) for s in stories})}")
        print(f"{g:<5} chooser: {tally(stories, chosen)}")
        if args.per_writer and g in WRITERS:
            args.per_writer.mkdir(parents=True, exist_ok=True)
            path = args.per_writer / f"ending_pair_without_{g}.json"
            path.write_text(json.dumps(chooser.to_json()) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
