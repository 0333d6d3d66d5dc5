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

from bench.quality import STORIES  # noqa: E402
from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import semantic  # noqa: E402
from simulator.grading.evaluation import spearman  # noqa: E402
from simulator.grading.rubric import STAR_PARTS, StarRubric  # noqa: E402
from simulator.grading.semantic import ACTORS, ANSWER_FEATURES, CLAUSE_PARTS, Head, Heads  # noqa: E402
from simulator.grading.semantic_story import reread  # noqa: E402
from simulator.grading.shipped import SHIPPED  # noqa: E402
from simulator.grading.star import StoryReading, read_story  # noqa: E402
from simulator.grading.static_vectors import StaticEmbedder  # noqa: E402
from simulator.grading.text import Text, analyse  # noqa: E402

CLAUSES = ROOT / "tests/data/clauses"  # every *.jsonl file in it
# Clauses written and labelled by an independent writer who never saw the grader (its README tells how);
# a folder of its own so its provenance stays clear. By default an out-of-sample check of the trained heads
# (training on it lowered v3/v4 check figures and raised false "no result" flags, docs/MEASURED.md);
# --train-independent adds it to the training data, reported as its own source.
INDEPENDENT_CLAUSES = ROOT / "tests/data/clauses_indep"
# Answer-level coefficients are fitted on every labelled answer that is no check set: the clause set's
# answers (out-of-fold readings), the independent clause and ending sets (clause-labelled, each with a
# coaching score) and the tune halves of the held-out sets. Their figures are printed cross-validated per
# source and stratum: bench/quality.py --set tune is in-sample for this level.
ANSWER_SETS: list[Path] = [ROOT / f"tests/heldout/{v}/answers_tune.jsonl" for v in ("v3", "v5", "v6", "v9")]
ANSWER_FOLDERS: tuple[Path, ...] = (INDEPENDENT_CLAUSES, ROOT / "tests/data/endings_indep")
# Which STAR parts an answer states is fitted on the clause set and the v3 tune half only, as before the
# level took more answers: the parts' figures (and the ending's verdict, which reads the result part)
# stay what they were measured at.
PRESENCE_SETS: tuple[Path, ...] = (ROOT / "tests/heldout/v3/answers_tune.jsonl",)
CACHE = ROOT / ".cache" / "train_vectors.npz"  # a development convenience, never shipped or read at run time
OUT = SHIPPED / semantic.HEADS_FILE
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
    """Vectors of the training clauses kept between runs, so trying a change takes seconds (each trainer
    keeps its own `cache` file)."""

    def __init__(self, inner: semantic.E5Embedder, cache: Path = CACHE):
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.cache = cache
        self.store: dict[str, np.ndarray] = {}
        if cache.exists():
            data = np.load(cache, allow_pickle=False)
            self.store = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def embed(self, texts):
        missing = [t for t in dict.fromkeys(texts) if t not in self.store]
        if missing:
            for t, v in zip(missing, self.inner.embed(missing), strict=True):
                self.store[t] = v
            self.cache.parent.mkdir(exist_ok=True)
            np.savez(
                self.cache, texts=np.array(list(self.store)), vectors=np.stack(list(self.store.values()))
            )
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
    """Cut k is the value at which an ordinal (cumulative logit) model of the levels on the value puts
    P(level > k) at one half. Counting mistakes instead set each cut where few answers of the rarer side
    pass it, so the top cut sat above most 5s (a clean measured story got 4)."""
    slope, thresholds = 1.0, np.arange(1.5, 5.0)
    above = (scores[:, None] > np.arange(1, 5)[None, :]).astype(float)  # (answers, 4): level > k
    m, v = np.zeros(5), np.zeros(5)
    for step in range(1, 3001):  # full-batch Adam on the mean log loss of the four binary splits
        p = 1 / (1 + np.exp(-(slope * values[:, None] - slope * thresholds[None, :])))
        err = (p - above) / len(values)
        grad = np.concatenate(
            [[(err * (values[:, None] - thresholds[None, :])).sum()], -slope * err.sum(axis=0)]
        )
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        update = 0.02 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        slope -= update[0]
        thresholds = thresholds - update[1:]
    return [float(c) for c in np.maximum.accumulate(thresholds)]


@dataclass
class Story:
    """One labelled answer, read by the clause heads."""

    reading: semantic.ClauseReading
    text: Text
    rules: StoryReading  # the rules' reading: part scores, and the clauses told as states
    stated: dict[str, bool]
    caused: bool
    score: int
    source: str
    stratum: str = ""
    real: bool = False  # a real story by the bench's strata: the Spearman bench/quality.py prints
    for_presence: bool = True  # in the fit of which parts an answer states (PRESENCE_SETS)


class _Given:
    """Hands `reread` a reading already made (out-of-fold for the clause set) with the coefficients being
    fitted, so the level is fitted on exactly the features the grader computes (the ending's verdict
    included, which reads the result part's score)."""

    def __init__(self, reading: semantic.ClauseReading, heads: Heads):
        self.reading = reading
        self.heads = heads

    def read(self, text: Text, rubric: StarRubric) -> semantic.ClauseReading:
        return self.reading


def _verdicts(stories: list[Story], coefficients: dict[str, float], rubric: StarRubric):
    probe = Heads(VERSION, "none", False, {}, coefficients)
    for s in stories:
        yield reread(s.text, rubric, s.rules, _Given(s.reading, probe))[1]  # type: ignore[arg-type]


def _story(
    row: dict,
    text: Text,
    reading: semantic.ClauseReading,
    stated: dict[str, bool],
    rubric: StarRubric,
    source: str,
) -> Story:
    caused = bool(row.get("result_caused", stated["result"]))
    rules = read_story(text, rubric)
    return Story(reading, text, rules, stated, caused, row["score"], source, row.get("stratum", ""))


def fit_answer_level(
    stories: list[Story], rubric: StarRubric, presence: dict[str, float] | None = None
) -> dict[str, float]:
    """Presence per part (or `presence` as given), "result caused" and the overall level, as named
    coefficients."""
    coefficients: dict[str, float] = dict(presence or {})
    told = [s for s in stories if s.for_presence]
    for part in STAR_PARTS if presence is None else ():
        xs = np.array(
            [
                [
                    semantic.presence_features(s.reading, part, s.rules.parts[part].score)[f]
                    for f in semantic.PRESENCE_FEATURES
                ]
                for s in told
            ]
        )
        w, b = fit_logistic(xs, np.array([int(s.stated[part]) for s in told]))
        coefficients[f"presence.{part}.bias"] = round(b, 5)
        coefficients |= {
            f"presence.{part}.{n}": round(float(c), 5)
            for n, c in zip(semantic.PRESENCE_FEATURES, w, strict=True)
        }
    # The story-level features read the parts just fitted (the ending's verdict reads the result part).
    x = np.array([[v.features[f] for f in ANSWER_FEATURES] for v in _verdicts(stories, coefficients, rubric)])
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


def _predict_answers(stories: list[Story], coefficients: dict[str, float], rubric: StarRubric):
    probe = Heads(VERSION, "none", False, {}, coefficients)
    for story, verdict in zip(stories, _verdicts(stories, coefficients, rubric), strict=True):
        presence = semantic.presence(
            story.reading, probe, {p: story.rules.parts[p].score for p in STAR_PARTS}
        )
        yield presence, verdict.caused, verdict.level, verdict.value


def _spearman(chosen: list[int], values: np.ndarray, gold: np.ndarray) -> str:
    return f"{spearman(values[chosen], gold[chosen]):+.2f}" if len(chosen) > 2 else "  n/a"


def report_answer_level(
    stories: list[Story], rubric: StarRubric, presence: dict[str, float] | None = None
) -> None:
    """Cross-validated answer-level figures per source and, for the held-out tune sets, per stratum: each
    answer predicted by coefficients fitted without it. "real" is the bench's Spearman within real stories."""
    predictions: list = [None] * len(stories)
    ids = np.arange(len(stories))
    for k in range(FOLDS):
        held = ids % FOLDS == k
        train = [s for s, h in zip(stories, held, strict=True) if not h]
        coefficients = fit_answer_level(train, rubric, presence)
        tested = [stories[i] for i in ids[held]]
        for i, prediction in zip(ids[held], _predict_answers(tested, coefficients, rubric), strict=True):
            predictions[i] = prediction
    values = np.array([p[3] for p in predictions])
    levels = np.array([p[2] for p in predictions])
    gold = np.array([s.score for s in stories])
    for source in [*sorted({s.source for s in stories}), "all"]:
        chosen = [i for i, s in enumerate(stories) if source in ("all", s.source)]
        real = [i for i in chosen if stories[i].real]
        caused = np.mean([(predictions[i][1] >= 0.5) == stories[i].caused for i in chosen])
        parts = " ".join(
            f"{p[0].upper()} {np.mean([(predictions[i][0][p] >= 0.5) == stories[i].stated[p] for i in chosen]):.2f}"
            for p in STAR_PARTS
        )
        print(
            f"  {source:<14} n={len(chosen):<3} Spearman {_spearman(chosen, values, gold)} (real {_spearman(real, values, gold)})"
            f"  exact {np.mean(levels[chosen] == gold[chosen]):.2f}  within one {np.mean(abs(levels[chosen] - gold[chosen]) <= 1):.2f}"
            f"  caused {caused:.2f}  presence {parts}  (cross-validated)"
        )
    for source in sorted({s.source for s in stories if s.real}):
        strata = sorted({s.stratum for s in stories if s.source == source})
        cells = []
        for stratum in strata:
            chosen = [i for i, s in enumerate(stories) if s.source == source and s.stratum == stratum]
            bias = np.mean(values[chosen] - gold[chosen])
            cells.append(f"{stratum} {_spearman(chosen, values, gold)}/{bias:+.2f}")
        print(f"    {source} by stratum (Spearman/bias of the score): " + ", ".join(cells))


def report_independent(heads: Heads, rubric: StarRubric, embedder: semantic.Embedder | None) -> None:
    """The final heads on the independent clauses they never saw: clause parts, with the recall of each
    part, so a kind of clause the heads miss shows. (The answer level is fitted on these answers too; its
    figures for them are in the cross-validated report.)"""
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
    parser.add_argument(
        "--level-only",
        action="store_true",
        help="keep the shipped clause heads and presence and refit only the story's level ('result caused' "
        "and overall): a clause-head retrain moves every part (its penalty search ties)",
    )
    args = parser.parse_args(argv)

    rubric = load_rubrics().star
    embedder = None if args.no_embeddings else clause_embedder(args.embedder)
    if args.level_only:
        return refit_level(rubric, embedder, args.dry_run)
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
    # the full heads for the other answers (never in the clause training).
    stories: list[Story] = []
    for g, (row, text) in enumerate(zip(data.answers, data.texts, strict=True)):
        mask = data.group == g
        reading = reading_from(part_oof[mask], actor_oof[mask], hyp_oof[mask][:, 0], data.x[mask], text)
        stories.append(_story(row, text, reading, _stated(row), rubric, data.sources[g]))
    for folder in ANSWER_FOLDERS:
        if folder in folders:
            continue  # already read above, out of fold
        for row in load_clauses(rubric, None, (folder,)).answers:
            text = analyse(_label_ranges(row)[0], rubric)
            if text.clauses:
                reading = semantic.read_clauses(text, rubric, embedder, trained)
                stories.append(_story(row, text, reading, _stated(row), rubric, folder.name))
                stories[-1].for_presence = False
    stories += tune_stories(rubric, embedder, trained)
    print(
        f"answer level: {len(stories)} answers ({sum(s.source.startswith('v') for s in stories)} from tune sets)"
    )
    answer = fit_answer_level(stories, rubric)
    report_answer_level(stories, rubric)
    return write(
        Heads(VERSION, trained.embedder, trained.uses_embeddings, heads, answer), args, rubric, embedder
    )


def tune_stories(rubric: StarRubric, embedder: semantic.Embedder | None, heads: Heads) -> list[Story]:
    """The tune sets' labelled answers, read by `heads` (never in the clause training)."""
    stories: list[Story] = []
    for path in ANSWER_SETS:
        for row in load_answers(path):
            text = analyse(row["answer"], rubric)
            reading = semantic.read_clauses(text, rubric, embedder, heads)
            stated = {p: bool(row["labels"][p]) for p in STAR_PARTS}
            story = _story(row, text, reading, stated, rubric, path.parent.name)
            story.real = story.stratum in STORIES and row.get("question_kind", "behavioural") == "behavioural"
            story.for_presence = path in PRESENCE_SETS
            stories.append(story)
    return stories


def refit_level(rubric: StarRubric, embedder: semantic.Embedder | None, dry_run: bool) -> int:
    """The story's level refitted on the shipped clause heads and presence. The clause sets are read by
    heads trained on the clause set, so those answers read a little better than new ones would."""
    shipped = semantic.shipped_heads()
    if shipped is None:
        raise SystemExit(f"{OUT.relative_to(ROOT)}: no shipped heads to keep; train them first")
    stories: list[Story] = []
    for folder in (CLAUSES, *ANSWER_FOLDERS):
        for row in load_clauses(rubric, None, (folder,)).answers:
            text = analyse(_label_ranges(row)[0], rubric)
            if text.clauses:
                reading = semantic.read_clauses(text, rubric, embedder, shipped)
                stories.append(_story(row, text, reading, _stated(row), rubric, folder.name))
    stories += tune_stories(rubric, embedder, shipped)
    presence = {k: v for k, v in shipped.answer.items() if k.startswith("presence.")}
    print(f"level only: {len(stories)} answers on the shipped clause heads and presence")
    answer = fit_answer_level(stories, rubric, presence)
    report_answer_level(stories, rubric, presence)
    final = Heads(VERSION, shipped.embedder, shipped.uses_embeddings, shipped.heads, answer)
    return write(final, argparse.Namespace(dry_run=dry_run, train_independent=True), rubric, embedder)


def write(
    final: Heads, args: argparse.Namespace, rubric: StarRubric, embedder: semantic.Embedder | None
) -> int:
    """Print the level's weights, check the heads on the independent answers, and write the file."""
    print(
        "  overall, per feature: "
        + ", ".join(f"{n} {final.answer[f'overall.{n}']:+.2f}" for n in [*ANSWER_FEATURES, "result_caused"])
    )
    if not args.train_independent:
        report_independent(final, rubric, embedder)
    if not args.dry_run:
        OUT.write_text(json.dumps(final.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
