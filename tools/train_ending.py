"""Train the ending's verdict (simulator/grading/ending.py) and write `simulator/data/ending_head.json`.

    .venv/bin/python tools/train_ending.py            # train, report cross-validated figures, write
    .venv/bin/python tools/train_ending.py --dry-run  # report only

Data: the labelled answers in tests/data/clauses/ (written by the grader's engineers), tests/data/clauses_indep/
and tests/data/endings_indep/ (written by helpers who never saw the grader; their READMEs tell how). Never a
held-out set. A clause states a real outcome when it is labelled `result` with quality `measured` or
`concrete`; it states the candidate's own when its actor is not `others` (the candidate or their team
brought it about: "the markets recovered", "the other team won the award" or "mostly thanks to my colleague's
deals" are someone else's success). A story states none of its own when no clause does ("it went well", an
approval, a launch date, a lesson, a plan, a restated starting figure, someone else's success).

Three fits:
- the clause heads: logistic over a clause's static vector (read with the clause before it when short) and
  the rule features the STAR heads read, one for any outcome (`clause`: the pair judge in outcome_change.py
  reads it, where "the application was rejected" is how it ended whoever decided it) and one for the
  candidate's own (`own`: the verdict reads it);
- the answer level: logistic over the ending (the last `LAST` clauses, read by the `own` head) and the clause
  anywhere that reads most as an outcome of theirs, as `ending.answer_inputs` describes it, fitted on the
  stories the grader could flag
  (a scene and actions stated, not "I would"), with each answer's clause readings out of fold (no answer
  judged by a clause head that saw it) and its result part as the grader scores it before the verdict.
The threshold is the lowest probability at which the flag was right at least `PRECISION` of the time,
cross-validated by answer, in each of `REPEATS` fold assignments. Deterministic: the same data and tree give
the same weights. The weights depend on the STAR heads (simulator/data/semantic_heads.json) and the static
table: rerun after either changes.
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

from train_grader import _label_ranges, _our_labels, fit_head  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import ending  # noqa: E402
from simulator.grading.alignment import readable_clauses  # noqa: E402
from simulator.grading.flags import narrative  # noqa: E402
from simulator.grading.rubric import StarRubric  # noqa: E402
from simulator.grading.semantic import FEATURE_NAMES, Meaning, shipped_heads  # noqa: E402
from simulator.grading.semantic_story import reread  # noqa: E402
from simulator.grading.shipped import SHIPPED  # noqa: E402
from simulator.grading.star import read_story  # noqa: E402
from simulator.grading.static_vectors import StaticEmbedder  # noqa: E402
from simulator.grading.text import analyse  # noqa: E402

FOLDERS = (
    ROOT / "tests/data/clauses",
    ROOT / "tests/data/clauses_indep",
    ROOT / "tests/data/endings_indep",
)
OUT = SHIPPED / ending.ENDING_FILE
LAST = 3  # the ending: the last three clauses (two and one read worse, cross-validated)
CLAUSE_PENALTY = 30.0
ANSWER_PENALTY = 1.0
PRECISION = 0.85  # the flag target
FOLDS = 5
REPEATS = 3


def _rows() -> list[dict]:
    rows = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.jsonl")):
            rows += [
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    return rows


def _outcome(label: dict) -> bool:
    return label["part"] == "result" and label.get("quality") in ("measured", "concrete")


class Story:
    def __init__(self, row: dict, rubric: StarRubric, meaning: Meaning, embedder: StaticEmbedder):
        answer, ranges = _label_ranges(row)
        self.id = row["id"]
        self.text = analyse(answer, rubric)
        labels = _our_labels(self.text, ranges) if self.text.clauses else []
        self.outcome = np.array([_outcome(label) for label in labels], int)
        self.own = np.array([_outcome(label) and label.get("actor") != "others" for label in labels], int)
        rules = read_story(self.text, rubric)
        reading, verdict = reread(self.text, rubric, rules, meaning)
        self.reading = meaning.read(self.text, rubric)
        # The result part as the grader scores it before the ending's verdict (which the shipped head gives):
        # the weights must not depend on the head they replace.
        self.result = verdict.ending.result if verdict.ending is not None else reading.parts["result"].score
        thresholds = rubric.meaning_flags
        # The stories `_meaning_flags` may flag: the answer level learns only where it decides.
        self.flaggable = (
            bool(self.text.clauses)
            and reading.parts["action"].score >= rubric.present_at
            and reading.parts["situation"].score >= rubric.present_at
            and verdict.hypothetical < thresholds.hypothetical
            and not narrative(self.text, rubric).is_hypothetical(rubric)
        )
        vectors = embedder.embed(readable_clauses(self.text))
        self.x = np.hstack([vectors, self.reading.features]) if self.text.clauses else np.zeros((0, 0))


def _clause_head(stories: list[Story], columns: list[int], label: str = "outcome"):
    """The clause head for `label`: "outcome" (anyone's) or "own" (the candidate's or their team's)."""
    x = np.vstack([s.x[:, columns] for s in stories if len(s.outcome)])
    y = np.concatenate([getattr(s, label) for s in stories if len(s.outcome)])
    return fit_head(x, y, (label,), CLAUSE_PENALTY)


def _answer_rows(stories: list[Story], outcomes: list[np.ndarray]) -> np.ndarray:
    return np.array(
        [
            list(ending.answer_inputs(o, s.reading, s.result, min(LAST, len(o))).values())
            for s, o in zip(stories, outcomes, strict=True)
        ]
    )


def _out_of_fold(
    stories: list[Story], flaggable: list[Story], columns: list[int], seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each flaggable story's ending inputs as read by a clause head that never saw it, and its no_result
    probability from an answer level that never saw it either (folds by answer; seed 0 takes every
    FOLDS-th answer, the others a fixed shuffle)."""
    order = np.arange(len(stories)) if seed == 0 else np.random.default_rng(seed).permutation(len(stories))
    fold = {s.id: int(order[i]) % FOLDS for i, s in enumerate(stories)}
    outcomes: dict[str, np.ndarray] = {}
    for k in range(FOLDS):
        fitted = _clause_head([s for s in stories if fold[s.id] != k], columns, "own")
        for s in (s for s in stories if fold[s.id] == k):
            outcomes[s.id] = fitted.probabilities(s.x[:, columns]).ravel()
    if seed == 0:
        y = np.concatenate([s.own for s in stories])
        p = np.concatenate([outcomes[s.id] for s in stories])
        print(f"own clause head, cross-validated at 0.5: own outcome {_tally(p >= 0.5, y == 1)}")
    a = _answer_rows(flaggable, [outcomes[s.id] for s in flaggable])
    gold = np.array([not s.own.any() for s in flaggable])
    held_of = np.array([fold[s.id] for s in flaggable])
    oof = np.zeros(len(flaggable))
    for k in range(FOLDS):
        held = held_of == k
        fitted = fit_head(a[~held], gold[~held].astype(int), ("no_result",), ANSWER_PENALTY)
        oof[held] = fitted.probabilities(a[held]).ravel()
    return a, oof


def _precision(flag: np.ndarray, gold: np.ndarray) -> float:
    return float((flag & gold).sum() / max(flag.sum(), 1))


def _tally(flag: np.ndarray, gold: np.ndarray) -> str:
    tp, fp, fn = int((flag & gold).sum()), int((flag & ~gold).sum()), int((~flag & gold).sum())
    return f"P {tp / max(tp + fp, 1):.2f} R {tp / max(tp + fn, 1):.2f} (tp {tp}, fp {fp}, fn {fn})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    args = parser.parse_args(argv)

    rubric = load_rubrics().star
    heads = shipped_heads()
    if heads is None:
        print("no STAR heads: run tools/train_grader.py first", file=sys.stderr)
        return 2
    meaning = Meaning(None, heads)
    embedder = StaticEmbedder()
    columns = list(range(embedder.dim)) + [embedder.dim + i for i in range(len(FEATURE_NAMES))]
    stories = [s for s in (Story(row, rubric, meaning, embedder) for row in _rows()) if len(s.outcome)]
    flaggable = [s for s in stories if s.flaggable]
    print(
        f"{len(stories)} answers, {sum(len(s.outcome) for s in stories)} clauses; {len(flaggable)} stories flaggable"
    )

    gold = np.array([not s.own.any() for s in flaggable])
    # Cross-validated by answer, over REPEATS fold assignments: one assignment moves the precision at a
    # threshold by a few points, enough to move the threshold itself, so the threshold must hold in each.
    runs = [_out_of_fold(stories, flaggable, columns, seed) for seed in range(REPEATS)]
    oof = np.concatenate([run[1] for run in runs])
    pooled = np.tile(gold, REPEATS)
    before = np.array([s.result < rubric.meaning_flags.no_result for s in flaggable])
    print(
        f"no_result, the result part below {rubric.meaning_flags.no_result} (before): {_tally(before, gold)}"
    )
    print(f"no_result by the ending, cross-validated ({REPEATS} fold assignments pooled; the least precise):")
    threshold = None
    for t in np.round(np.arange(0.3, 0.951, 0.05), 2):
        flag = oof >= t
        least = min(_precision(run[1] >= t, gold) for run in runs)
        print(f"  at {t:.2f}: {_tally(flag, pooled)}; P {least:.3f} in the least precise")
        if least >= PRECISION and threshold is None and t >= 0.5:
            threshold = float(t)
    threshold = threshold if threshold is not None else 0.95
    print(
        f"threshold {threshold:.2f} (the lowest from 0.5 up right at least {PRECISION:.0%} of the time in each)"
    )

    # The shipped answer level is fitted on out-of-fold clause readings: the grader's clause head never saw
    # the answers it reads.
    a = runs[0][0]
    answer_head = fit_head(a, gold.astype(int), ("no_result",), ANSWER_PENALTY)
    # Folded into plain coefficients (one per feature, on the raw scale), so the file reads.
    w = answer_head.weights[:, 0] / answer_head.scale
    coefficients = {"bias": float(answer_head.bias[0] - (answer_head.mean * w).sum())}
    coefficients |= {name: float(c) for name, c in zip(ending.ANSWER_FEATURES, w, strict=True)}
    print("answer coefficients: " + ", ".join(f"{k} {v:+.2f}" for k, v in coefficients.items()))
    trained = ending.EndingHead(
        embedder.name,
        ending.table_digest(embedder),
        FEATURE_NAMES,
        LAST,
        _clause_head(stories, columns),
        coefficients,
        threshold,
        _clause_head(stories, columns, "own"),
    )
    if not args.dry_run:
        OUT.write_text(json.dumps(trained.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
