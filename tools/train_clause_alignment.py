"""Train and cross-validate a "same fact" scorer for a round-two clause and a round-one clause.

Run: PYTHONPATH=. .venv/bin/python tools/train_clause_alignment.py [--write]
Positives: the clause pairs the w12 writers lined up (tests/data/pairs_indep/story_pairs_w12*.jsonl);
negatives: the other round-one clauses of the same story for the same round-two clause. Cross-validated
by writer (train on w12a, test on w12b, and back). Compared with today's choice: the closest round-one
clause by cosine, aligned when the cosine clears consistency.yaml alignment.min_similarity.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from simulator.catalog import ROOT, load_rubrics
from simulator.grading.alignment import readable_clauses
from simulator.grading.claims import extract
from simulator.grading.clause_pairs import FEATURES, pair_features

sys.path.insert(0, str(Path(__file__).resolve().parent))
from story_alignment import clauses_of, gold_pairs, load_stories, vectors_for

OUT = ROOT / "simulator" / "data" / "clause_alignment.json"


def rows(stories, vecs, rubric):
    """(features, label, group, writer, is_new) per (round-two clause, round-one clause)."""
    X, y, group, writer, new = [], [], [], [], []
    g = 0
    for s in stories:
        one_v = np.stack([vecs[t] for t in readable_clauses(s.one)])
        two_v = np.stack([vecs[t] for t in readable_clauses(s.two)])
        feats = pair_features(s.two, extract(s.two, rubric), two_v, s.one, extract(s.one, rubric), one_v)
        gold = gold_pairs(s)
        told = {j for _, j, _ in gold}
        for _fact, j, right in gold:
            for i in range(len(s.one.clauses)):
                X.append(feats[j, i])
                y.append(i in right)
                group.append(g)
                writer.append(s.writer)
                new.append(False)
            g += 1
        # Clauses whose only labelled fact is new: any alignment is a false one.
        for fact in s.facts:
            if fact["fact_one"]:
                continue
            for j in clauses_of(fact["fact_two"], s.two) - told:
                for i in range(len(s.one.clauses)):
                    X.append(feats[j, i])
                    y.append(False)
                    group.append(g)
                    writer.append(s.writer)
                    new.append(True)
                g += 1
    return np.array(X), np.array(y, dtype=float), np.array(group), np.array(writer), np.array(new)


def fit(X, y, l2=1.0, steps=400):
    """Logistic regression by Newton steps (numpy only: the venv has no scikit-learn)."""
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-Z @ w))
        grad = Z.T @ (p - y) + l2 * np.r_[w[:-1], 0]
        H = (Z * (p * (1 - p))[:, None]).T @ Z + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        w -= np.linalg.solve(H, grad)
    return mu, sd, w


def score(model, X):
    mu, sd, w = model
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    return 1 / (1 + np.exp(-Z @ w))


def evaluate(name, s, y, group, new, bars):
    """Per group: the top-scoring round-one clause, aligned when its score clears the bar.
    Recall: labelled pairs aligned to a right clause; false: groups aligned to a wrong clause (or any,
    for a clause that tells only a new fact)."""
    out = []
    gs = np.unique(group)
    for bar in bars:
        right = wrong = n_pairs = n_new = 0
        for g in gs:
            m = group == g
            k = np.argmax(s[m])
            is_new = new[m][0]
            n_new += is_new
            n_pairs += not is_new
            if s[m][k] >= bar:
                if y[m][k]:
                    right += 1
                else:
                    wrong += 1
        out.append(
            f"  {name} bar {bar:.2f}: recall {right / n_pairs:.2f}, aligned wrongly {wrong}/{len(gs)}"
            f" ({wrong / max(1, right + wrong):.2f} of aligned)"
        )
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--per-writer", help="a folder to write one model per writer to")
    args = ap.parse_args()
    rubric = load_rubrics().consistency
    stories = load_stories()
    vecs = vectors_for(stories, Path("/tmp/align/story_vectors.npz"))
    X, y, group, writer, new = rows(stories, vecs, rubric)
    cos = X[:, FEATURES.index("cosine")]
    print(f"{len(np.unique(group))} groups, {int(y.sum())} positive pairs, {len(y)} rows")
    for train, test in (("w12a", "w12b"), ("w12b", "w12a")):
        tr, te = writer == train, writer == test
        model = fit(X[tr], y[tr])
        s = score(model, X[te])
        print(f"train {train} -> test {test}")
        for line in evaluate("cosine ", cos[te], y[te], group[te], new[te], (0.0, 0.85, 0.87, 0.9)):
            print(line)
        for line in evaluate("learned", s, y[te], group[te], new[te], (0.0, 0.3, 0.5, 0.7, 0.8, 0.9)):
            print(line)
    if (
        args.per_writer
    ):  # each writer's model, for grading the other writer's stories (story_pairs_bench --cross)
        for w in ("w12a", "w12b"):
            save(fit(X[writer == w], y[writer == w]), Path(args.per_writer) / f"clause_alignment_{w}.json")
    model = fit(X, y)
    print("weights:", dict(zip([*FEATURES, "bias"], np.round(model[2], 2).tolist(), strict=True)))
    if args.write:
        save(model, OUT)
        print("wrote", OUT)


def save(model, path: Path) -> None:
    mu, sd, w = model
    about = (
        "same-fact scorer for a round-two and a round-one clause (tools/train_clause_alignment.py), "
        "trained on tests/data/pairs_indep/story_pairs_w12a/b.jsonl"
    )
    body = {
        "about": about,
        "features": list(FEATURES),
        "mean": np.round(mu, 6).tolist(),
        "scale": np.round(sd, 6).tolist(),
        "weights": np.round(w[:-1], 6).tolist(),
        "bias": round(float(w[-1]), 6),
    }
    path.write_text(json.dumps(body, indent=1) + "\n")


if __name__ == "__main__":
    main()
