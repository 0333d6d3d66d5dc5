"""Train the grader's semantic heads and write `simulator/data/semantic_heads.json`.

    .venv/bin/python tools/train_grader.py            # train, report cross-validated figures, write
    .venv/bin/python tools/train_grader.py --dry-run  # report only

Trains on tuning data only: the labelled clauses in `tests/data/clauses/` (clause parts, actors,
hypotheticals, and each answer's coaching score and whether it ends in a result the candidate caused)
and the tune halves of the held-out sets. The check files are never read here.
Deterministic: the same data gives the same weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

# One BLAS thread: the matrices are small, and threads fighting over a busy machine's cores made one
# fit ten times slower. Set before numpy loads its BLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import semantic  # noqa: E402
from simulator.grading.evaluation import spearman  # noqa: E402
from simulator.grading.rubric import STAR_PARTS, StarRubric  # noqa: E402
from simulator.grading.semantic import ACTORS, ANSWER_FEATURES, CLAUSE_PARTS, Head, Heads  # noqa: E402
from simulator.grading.star import read_story  # noqa: E402
from simulator.grading.static_vectors import StaticEmbedder  # noqa: E402
from simulator.grading.text import Text, analyse  # noqa: E402

CLAUSES = ROOT / "tests/data/clauses"  # every *.jsonl file in it
# Clauses written and labelled by an independent writer who never saw the grader (its README tells how);
# a folder of its own so its provenance stays clear. By default an out-of-sample check of the trained heads
# (training on it lowered v3/v4 check figures and raised false "no result" flags, README "Grading");
# --train-independent adds it to the training data, reported as its own source.
INDEPENDENT_CLAUSES = ROOT / "tests/data/clauses_indep"
# Answer-level coefficients are fitted on the clause set's answers and the tune half of the v3 set; their
# figures are printed cross-validated (bench/quality.py --set tune is in-sample for this level).
ANSWER_SETS: list[Path] = [ROOT / "tests/heldout/v3/answers_tune.jsonl"]
CACHE = ROOT / ".cache" / "train_vectors.npz"  # a development convenience, never shipped or read at run time
OUT = ROOT / "simulator/data" / semantic.HEADS_FILE
VERSION = "1.0"
FOLDS = 5
PENALTIES = (0.1, 0.3, 1.0, 3.0, 10.0)


# ---------------------------------------------------------------- fitting

HEAD_NAMES = ("part", "actor", "hypothetical")


def widened(head: Head, width: int) -> Head:
    """A head fitted on the first columns only, padded to read all `width` columns (zero weights)."""
    extra = width - head.weights.shape[0]
    if extra == 0:
        return head
    return Head(
        head.classes,
        np.vstack([head.weights, np.zeros((extra, head.weights.shape[1]), dtype=head.weights.dtype)]),
        head.bias,
        np.concatenate([head.mean, np.zeros(extra, dtype=head.mean.dtype)]),
        np.concatenate([head.scale, np.ones(extra, dtype=head.scale.dtype)]),
    )


def fit_head(x: np.ndarray, y: np.ndarray, classes: tuple[str, ...], penalty: float) -> Head:
    """L2-regularised softmax regression (logistic with one class) by full-batch Adam."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    z = (x - mean) / scale
    n, d = z.shape
    k = len(classes)
    target = y.reshape(n, 1).astype(np.float64) if k == 1 else np.eye(k)[y]
    w = np.zeros((d, k))
    b = np.zeros(k)
    m_w, v_w, m_b, v_b = (np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b))
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, 601):
        logits = z @ w + b
        if k == 1:
            p = 1 / (1 + np.exp(-logits))
        else:
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            p = e / e.sum(axis=1, keepdims=True)
        err = (p - target) / n
        g_w = z.T @ err + penalty * w / n
        g_b = err.sum(axis=0)
        for g, m, v, param in ((g_w, m_w, v_w, w), (g_b, m_b, v_b, b)):
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return Head(
        classes, w.astype(np.float32), b.astype(np.float32), mean.astype(np.float32), scale.astype(np.float32)
    )


# ---------------------------------------------------------------- data


@dataclass
class ClauseSet:
    x: np.ndarray
    part: np.ndarray
    actor: np.ndarray
    hypothetical: np.ndarray
    group: np.ndarray  # which answer each clause belongs to
    answers: list[dict]
    texts: list[Text]
    sources: list[str]  # which folder each answer came from


def _label_ranges(row: dict) -> tuple[str, list[tuple[int, int, dict]]]:
    answer = row.get("answer") or " ".join(c["text"] for c in row["clauses"])
    ranges, cursor = [], 0
    for clause in row["clauses"]:
        at = answer.find(clause["text"], cursor)
        if at < 0:
            raise ValueError(f"{row['id']}: clause not found in its answer: {clause['text'][:40]!r}")
        ranges.append((at, at + len(clause["text"]), clause))
        cursor = at + len(clause["text"])
    return answer, ranges


def _our_labels(text: Text, ranges: list[tuple[int, int, dict]]) -> list[dict]:
    """Each of our clauses takes the label of the labelled clause it overlaps most."""
    labels = []
    for clause in text.clauses:
        a, b = text.span_original(clause.start, clause.end)
        best = max(ranges, key=lambda r: min(b, r[1]) - max(a, r[0]))
        labels.append(best[2])
    return labels


class CachedEmbedder:
    """Vectors of the training clauses kept between runs, so trying a change takes seconds."""

    def __init__(self, inner: semantic.E5Embedder):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.store: dict[str, np.ndarray] = {}
        if CACHE.exists():
            data = np.load(CACHE, allow_pickle=False)
            self.store = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def embed(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.store]
        if missing:
            for t, v in zip(missing, self.inner.embed(missing), strict=True):
                self.store[t] = v
            CACHE.parent.mkdir(exist_ok=True)
            np.savez(CACHE, texts=np.array(list(self.store)), vectors=np.stack(list(self.store.values())))
        return np.stack([self.store[t] for t in texts])


def clause_embedder(choice: str) -> semantic.Embedder | None:
    if choice == "none":
        return None
    if choice == "static":
        return StaticEmbedder()  # microseconds a clause: nothing to cache
    return CachedEmbedder(semantic.E5Embedder())


def load_clauses(
    rubric: StarRubric, embedder: semantic.Embedder | None, folders: tuple[Path, ...] = (CLAUSES,)
) -> ClauseSet:
    rows, sources = [], []
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    rows.append(json.loads(line))
                    sources.append(folder.name)
    xs, parts, actors, hyps, groups, texts = [], [], [], [], [], []
    for g, row in enumerate(rows):
        answer, ranges = _label_ranges(row)
        text = analyse(answer, rubric)
        if not text.clauses:
            continue
        features = semantic.clause_features(text, rubric)
        if embedder is not None:
            features = np.hstack([features, embedder.embed([c.text for c in text.clauses])])
        for label in _our_labels(text, ranges):
            parts.append(CLAUSE_PARTS.index(label["part"]))
            actors.append(ACTORS.index(label["actor"]))
            hyps.append(int(bool(label["hypothetical"])))
            groups.append(g)
        xs.append(features)
        texts.append(text)
    return ClauseSet(
        np.vstack(xs),
        np.array(parts),
        np.array(actors),
        np.array(hyps),
        np.array(groups),
        rows,
        texts,
        sources,
    )


def _states(clause: dict, part: str) -> bool:
    if clause["part"] != part:
        return False
    return part != "result" or clause.get("quality") in ("measured", "concrete")


def _stated(row: dict) -> dict[str, bool]:
    """Which parts an answer of the clause set states, read as the v3 label guide reads them: a named
    role ("I was the camp lead") says what was the candidate's, so it shows the task; a list of duties
    shows neither a situation nor actions, only what the candidate was responsible for."""
    stated = {p: any(_states(c, p) for c in row["clauses"]) for p in STAR_PARTS}
    stated["task"] = stated["task"] or any(semantic.ROLE.search(c["text"]) for c in row["clauses"])
    if row.get("stratum") in ("responsibilities_list", "responsibilities"):
        stated["situation"] = stated["action"] = False
    return stated


def load_answers(path: Path) -> list[dict]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r.get("type") == "star" and r.get("status") == "graded" and r.get("score")]


# ---------------------------------------------------------------- cross-validation


def folds(groups: np.ndarray) -> list[np.ndarray]:
    ids = np.unique(groups)
    return [np.isin(groups, ids[k::FOLDS]) for k in range(FOLDS)]


def cross_validate(
    x: np.ndarray, y: np.ndarray, classes: tuple[str, ...], groups: np.ndarray, penalty: float
):
    """Out-of-fold predictions and probabilities: every clause predicted by a head that never saw its answer."""
    prob = np.zeros((len(y), max(len(classes), 1)))
    for held in folds(groups):
        head = fit_head(x[~held], y[~held], classes, penalty)
        prob[held] = head.probabilities(x[held]).reshape(held.sum(), -1)
    pred = (prob[:, 0] >= 0.5).astype(int) if len(classes) == 1 else prob.argmax(axis=1)
    return pred, prob


def macro_f1(y: np.ndarray, pred: np.ndarray, k: int) -> float:
    scores = []
    for c in range(k):
        tp = int(((pred == c) & (y == c)).sum())
        fp = int(((pred == c) & (y != c)).sum())
        fn = int(((pred != c) & (y == c)).sum())
        if tp + fp + fn:
            scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0


def choose_penalty(x, y, classes, groups, label: str, penalties=PENALTIES) -> tuple[float, np.ndarray]:
    best = (-1.0, penalties[0], np.zeros(0))
    k = max(len(classes), 2)
    for penalty in penalties:
        pred, prob = cross_validate(x, y, classes, groups, penalty)
        score = macro_f1(y, pred, k)
        print(f"  {label:<13} penalty {penalty:>5}: accuracy {np.mean(pred == y):.3f}, macro-F1 {score:.3f}")
        if score > best[0]:
            best = (score, penalty, prob)
    return best[1], best[2]


# ---------------------------------------------------------------- answer level


def reading_from(
    prob_part: np.ndarray, prob_actor: np.ndarray, prob_hyp: np.ndarray, feats: np.ndarray, text: Text
) -> semantic.ClauseReading:
    """A clause reading from out-of-fold probabilities, with what the grader reads off the text itself."""
    features = feats[:, : len(semantic.FEATURE_NAMES)]
    return semantic.ClauseReading(
        prob_part, prob_actor, prob_hyp, features, semantic.roles_only(text), semantic.routines(text)
    )


def fit_logistic(rows: np.ndarray, y: np.ndarray, penalty: float = 1.0) -> tuple[np.ndarray, float]:
    head = fit_head(rows, y, ("yes",), penalty)
    # Fold the standardisation into plain coefficients, so the file holds one readable line per feature.
    w = head.weights[:, 0] / head.scale
    return w, float(head.bias[0] - (head.mean * w).sum())


def fit_ridge(rows: np.ndarray, y: np.ndarray, penalty: float = 1.0) -> tuple[np.ndarray, float]:
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-3
    z = (rows - mean) / scale
    a = z.T @ z + penalty * np.eye(z.shape[1])
    w = np.linalg.solve(a, z.T @ (y - y.mean()))
    coef = w / scale
    return coef, float(y.mean() - (mean * coef).sum())


def fit_cuts(values: np.ndarray, scores: np.ndarray) -> list[float]:
    """Cut k separates levels <= k from > k with the fewest mistakes; cuts kept in order."""
    cuts: list[float] = []
    candidates = np.unique(values)
    for k in range(1, 5):
        best = (math.inf, float(candidates.max()) + 1)
        for c in np.concatenate([candidates, [candidates.max() + 1]]):
            errors = int(((values >= c) & (scores <= k)).sum() + ((values < c) & (scores > k)).sum())
            if errors < best[0]:
                best = (errors, float(c))
        cuts.append(max(best[1], cuts[-1] if cuts else -math.inf))
    return cuts


@dataclass
class Story:
    """One labelled answer, read by the clause heads."""

    reading: semantic.ClauseReading
    words: int
    rules: dict[str, float]  # the rules' part scores
    stated: dict[str, bool]
    caused: bool
    score: int
    source: str


def _rule_parts(text: Text, rubric: StarRubric) -> dict[str, float]:
    reading = read_story(text, rubric)
    return {part: reading.parts[part].score for part in STAR_PARTS}


def fit_answer_level(stories: list[Story]) -> dict[str, float]:
    """Presence per part, "result caused" and the overall level, as named coefficients."""
    coefficients: dict[str, float] = {}
    for part in STAR_PARTS:
        xs = np.array(
            [
                [
                    semantic.presence_features(s.reading, part, s.rules[part])[f]
                    for f in semantic.PRESENCE_FEATURES
                ]
                for s in stories
            ]
        )
        w, b = fit_logistic(xs, np.array([int(s.stated[part]) for s in stories]))
        coefficients[f"presence.{part}.bias"] = round(b, 5)
        coefficients |= {
            f"presence.{part}.{n}": round(float(c), 5)
            for n, c in zip(semantic.PRESENCE_FEATURES, w, strict=True)
        }
    x = np.array(
        [[semantic.answer_features(s.reading, s.words)[f] for f in ANSWER_FEATURES] for s in stories]
    )
    w, b = fit_logistic(x, np.array([int(s.caused) for s in stories]))
    coefficients["result_caused.bias"] = round(b, 5)
    coefficients |= {
        f"result_caused.{n}": round(float(c), 5) for n, c in zip(ANSWER_FEATURES, w, strict=True)
    }
    caused = 1 / (1 + np.exp(-(x @ w + b)))
    x_overall = np.hstack([x, caused[:, None]])
    scores = np.array([s.score for s in stories], dtype=float)
    w, b = fit_ridge(x_overall, scores)
    coefficients["overall.bias"] = round(b, 5)
    names = [*ANSWER_FEATURES, "result_caused"]
    coefficients |= {f"overall.{n}": round(float(c), 5) for n, c in zip(names, w, strict=True)}
    for k, cut in enumerate(fit_cuts(x_overall @ w + b, scores), start=1):
        coefficients[f"overall.cut{k}"] = round(cut, 5)
    return coefficients


def _predict_answers(stories: list[Story], coefficients: dict[str, float]):
    probe = Heads(VERSION, "none", False, {}, coefficients)
    for story in stories:
        features = semantic.answer_features(story.reading, story.words)
        caused = semantic.result_caused(features, probe)
        level, value = semantic.overall_level(features, caused, probe)
        yield semantic.presence(story.reading, probe, story.rules), caused, level, value


def report_answer_level(stories: list[Story]) -> None:
    """Cross-validated answer-level figures, overall and per source: each answer predicted by
    coefficients fitted without it."""
    predictions: list = [None] * len(stories)
    ids = np.arange(len(stories))
    for k in range(FOLDS):
        held = ids % FOLDS == k
        train = [s for s, h in zip(stories, held, strict=True) if not h]
        coefficients = fit_answer_level(train)
        for i, prediction in zip(
            ids[held], _predict_answers([stories[i] for i in ids[held]], coefficients), strict=True
        ):
            predictions[i] = prediction
    for source in [*sorted({s.source for s in stories}), "all"]:
        chosen = [i for i, s in enumerate(stories) if source in ("all", s.source)]
        if not chosen:
            continue
        values = np.array([predictions[i][3] for i in chosen])
        levels = np.array([predictions[i][2] for i in chosen])
        gold = np.array([stories[i].score for i in chosen])
        caused = np.mean([(predictions[i][1] >= 0.5) == stories[i].caused for i in chosen])
        parts = " ".join(
            f"{p[0].upper()} {np.mean([(predictions[i][0][p] >= 0.5) == stories[i].stated[p] for i in chosen]):.2f}"
            for p in STAR_PARTS
        )
        print(
            f"  {source:<14} n={len(chosen):<3} Spearman {spearman(values, gold):+.2f}  exact {np.mean(levels == gold):.2f}  "
            f"within one {np.mean(abs(levels - gold) <= 1):.2f}  caused {caused:.2f}  presence {parts}  (cross-validated)"
        )


def report_independent(heads: Heads, rubric: StarRubric, embedder: semantic.Embedder | None) -> None:
    """The final heads on the independent clauses they never saw: clause parts (with the recall of each
    part, so a kind of clause the heads miss shows), and the answer level (Spearman, result caused)."""
    data = load_clauses(rubric, embedder, (INDEPENDENT_CLAUSES,))
    pred = heads.heads["part"].probabilities(data.x).argmax(axis=1)
    recall = " ".join(
        f"{p} {np.mean(pred[data.part == i] == i):.2f}"
        for i, p in enumerate(CLAUSE_PARTS)
        if (data.part == i).any()
    )
    print(
        f"independent check ({INDEPENDENT_CLAUSES.name}, {len(data.answers)} answers, {len(data.part)} clauses, "
        f"never trained on): part accuracy {np.mean(pred == data.part):.3f}, "
        f"macro-F1 {macro_f1(data.part, pred, len(CLAUSE_PARTS)):.3f}; recall {recall}"
    )
    values, gold, caused = [], [], []
    for row, text in zip(data.answers, data.texts, strict=True):
        reading = semantic.read_clauses(text, rubric, embedder, heads)
        features = semantic.answer_features(reading, text.words)
        p_caused = semantic.result_caused(features, heads)
        values.append(semantic.overall_level(features, p_caused, heads)[1])
        gold.append(row["score"])
        caused.append((p_caused >= 0.5) == bool(row["result_caused"]))
    print(
        f"  answer level: Spearman {spearman(np.array(values), np.array(gold)):+.2f}, caused {np.mean(caused):.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    parser.add_argument("--no-embeddings", action="store_true", help="rule features only (--embedder none)")
    parser.add_argument(
        "--embedder",
        choices=("e5", "static", "none"),
        default="e5",
        help="clause vectors from the e5 model, from the static table distilled from it "
        "(simulator/grading/static_vectors.py), or none",
    )
    parser.add_argument("--fast", action="store_true", help="skip the penalty search (use 1.0)")
    parser.add_argument(
        "--vectors-for",
        type=lambda text: tuple(text.split(",")),
        default=HEAD_NAMES,
        help=f"the heads that read the clause vectors, comma-separated (default all: {','.join(HEAD_NAMES)})",
    )
    parser.add_argument(
        "--penalties",
        type=lambda text: tuple(float(p) for p in text.split(",")),
        default=PENALTIES,
        help="the L2 penalties the cross-validated search tries, comma-separated (vectors may want more)",
    )
    parser.add_argument(
        "--train-independent",
        action="store_true",
        help=f"train on {INDEPENDENT_CLAUSES.relative_to(ROOT)} too (by default it only checks the heads)",
    )
    args = parser.parse_args(argv)

    rubric = load_rubrics().star
    embedder = None if args.no_embeddings else clause_embedder(args.embedder)
    folders = (CLAUSES, INDEPENDENT_CLAUSES) if args.train_independent else (CLAUSES,)
    data = load_clauses(rubric, embedder, folders)
    print(f"{len(data.answers)} answers, {len(data.part)} clauses; embeddings: {embedder is not None}")

    # Rules alone, for comparison: each clause's strongest cue decides its part.
    cue_cols = [semantic.FEATURE_NAMES.index(f"cue_{p}") for p in ("situation", "task", "action", "result")]
    cue = data.x[:, cue_cols]
    rule_pred = np.where(cue.max(axis=1) > 0, cue.argmax(axis=1), CLAUSE_PARTS.index("other"))
    print(
        f"  rules (part)  accuracy {np.mean(rule_pred == data.part):.3f}, "
        f"macro-F1 {macro_f1(data.part, rule_pred, len(CLAUSE_PARTS)):.3f}"
    )

    # Which heads read the vectors (--vectors-for); the others read the rule features alone (their vector
    # weights are zero, so the heads file keeps one shape).
    rules_width = len(semantic.FEATURE_NAMES)
    x_for = {h: data.x if h in args.vectors_for else data.x[:, :rules_width] for h in HEAD_NAMES}
    part_pen, part_oof = choose_penalty(
        x_for["part"], data.part, CLAUSE_PARTS, data.group, "part", (1.0,) if args.fast else args.penalties
    )
    actor_pen, actor_oof = choose_penalty(
        x_for["actor"], data.actor, ACTORS, data.group, "actor", (1.0,) if args.fast else args.penalties
    )
    hyp_pen, hyp_oof = choose_penalty(
        x_for["hypothetical"],
        data.hypothetical,
        ("hypothetical",),
        data.group,
        "hypothetical",
        (1.0,) if args.fast else args.penalties,
    )

    width = data.x.shape[1]
    heads = {
        "part": widened(fit_head(x_for["part"], data.part, CLAUSE_PARTS, part_pen), width),
        "actor": widened(fit_head(x_for["actor"], data.actor, ACTORS, actor_pen), width),
        "hypothetical": widened(
            fit_head(x_for["hypothetical"], data.hypothetical, ("hypothetical",), hyp_pen), width
        ),
    }
    trained = Heads(VERSION, embedder.name if embedder else "none", embedder is not None, heads, {})

    # Answer level: out-of-fold clause readings for the clause set (no answer judged by heads that saw it),
    # the full heads for the tune answers (never in the clause training).
    stories: list[Story] = []
    for g, (row, text) in enumerate(zip(data.answers, data.texts, strict=True)):
        mask = data.group == g
        reading = reading_from(part_oof[mask], actor_oof[mask], hyp_oof[mask][:, 0], data.x[mask], text)
        stories.append(
            Story(
                reading,
                text.words,
                _rule_parts(text, rubric),
                _stated(row),
                bool(row["result_caused"]),
                row["score"],
                data.sources[g],
            )
        )
    for path in ANSWER_SETS:
        for row in load_answers(path):
            text = analyse(row["answer"], rubric)
            reading = semantic.read_clauses(text, rubric, embedder, trained)
            stated = {p: bool(row["labels"][p]) for p in STAR_PARTS}
            caused = bool(row.get("result_caused", stated["result"]))
            stories.append(
                Story(
                    reading,
                    text.words,
                    _rule_parts(text, rubric),
                    stated,
                    caused,
                    row["score"],
                    path.stem,
                )
            )
    print(
        f"answer level: {len(stories)} answers ({sum(s.source not in ('clauses', INDEPENDENT_CLAUSES.name) for s in stories)} from tune sets)"
    )
    answer = fit_answer_level(stories)
    report_answer_level(stories)
    final = Heads(VERSION, trained.embedder, trained.uses_embeddings, heads, answer)
    if not args.train_independent:
        report_independent(final, rubric, embedder)
    if not args.dry_run:
        OUT.write_text(json.dumps(final.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
