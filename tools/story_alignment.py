"""Measure how round-two clauses are lined up with round one on the w12 story pairs.

Run: PYTHONPATH=. .venv/bin/python tools/story_alignment.py [--vectors /tmp/x.npz]
Each labelled fact (tests/data/pairs_indep/story_pairs_w12*.jsonl) that both rounds tell gives a
round-two clause and the round-one clause(s) its spans sit in. Reported per writer and kind: how often
today's aligner (alignment.ClauseAligner) picks a right round-one clause as the closest, and how often
that closest one also clears the bar (consistency.yaml alignment.min_similarity).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulator.catalog import ROOT, load_rubrics
from simulator.grading.alignment import readable_clauses
from simulator.grading.text import Text, analyse

PAIRS = ROOT / "tests" / "data" / "pairs_indep"
WRITERS = ("w12a", "w12b")
_WORD = re.compile(r"[a-z0-9£$€%']+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def clauses_of(span: str, text: Text) -> set[int]:
    """The clauses a writer's span sits in: those holding at least a third of its words, else the one
    holding most."""
    span_words = set(words(span))
    if not span_words or not text.clauses:
        return set()
    shares = [len(span_words & set(words(c.text))) / len(span_words) for c in text.clauses]
    best = max(shares)
    return {i for i, s in enumerate(shares) if s >= max(best * 0.999, 1 / 3)} if best else set()


@dataclass
class Story:
    id: str
    writer: str
    one: Text
    two: Text
    facts: list[dict]


def load_stories() -> list[Story]:
    star = load_rubrics().star
    out = []
    for writer in WRITERS:
        for line in (PAIRS / f"story_pairs_{writer}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.append(
                Story(
                    row["id"],
                    writer,
                    analyse(row["round_one"], star),
                    analyse(row["round_two"], star),
                    row["facts"],
                )
            )
    return out


def gold_pairs(story: Story) -> list[tuple[dict, int, set[int]]]:
    """(fact, round-two clause, right round-one clauses) for each fact both rounds tell."""
    out = []
    for fact in story.facts:
        if not fact["fact_one"]:
            continue
        twos, ones = clauses_of(fact["fact_two"], story.two), clauses_of(fact["fact_one"], story.one)
        if twos and ones:
            out.append((fact, min(twos), ones))
    return out


def vectors_for(stories: list[Story], cache: Path) -> dict[str, np.ndarray]:
    texts = sorted({t for s in stories for t in [*readable_clauses(s.one), *readable_clauses(s.two)]})
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        data = np.load(cache, allow_pickle=True)
        known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
    missing = [t for t in texts if t not in known]
    if missing:
        from simulator.grading.semantic import default_meaning

        meaning = default_meaning()
        assert meaning is not None
        for i in range(0, len(missing), 32):
            batch = missing[i : i + 32]
            known.update(zip(batch, meaning.embed(batch), strict=True))
        keys = sorted(known)
        np.savez(cache, texts=np.array(keys, dtype=object), vectors=np.stack([known[k] for k in keys]))
    return known


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", default="/tmp/align/story_vectors.npz")
    args = parser.parse_args()
    stories = load_stories()
    vecs = vectors_for(stories, Path(args.vectors))
    bar = load_rubrics().consistency.alignment.min_similarity
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for s in stories:
        ones = np.stack([vecs[t] for t in readable_clauses(s.one)])
        twos = readable_clauses(s.two)
        for fact, j, right in gold_pairs(s):
            sims = ones @ vecs[twos[j]]
            top = int(np.argmax(sims))
            for key in ((s.writer, fact["kind"]), (s.writer, "all"), ("all", fact["relation"])):
                t = tally[key]
                t[0] += 1
                t[1] += top in right
                t[2] += top in right and sims[top] >= bar
    for key in sorted(tally):
        n, top1, sure = tally[key]
        print(f"{key[0]:<5} {key[1]:<10} n={n:<4} top1 {top1 / n:.2f}  top1 and >= {bar}: {sure / n:.2f}")


if __name__ == "__main__":
    main()
