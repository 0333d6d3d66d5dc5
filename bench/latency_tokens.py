"""What compared answers send to the sentence model, by who asks, and a print of every grade: the
deterministic half of latency, measured without timing anything.

Run: .venv/bin/python -m bench.latency_tokens [--out grades.jsonl] [--vectors vectors.npz]
Every pair of the develop sets (the tune splits' pairs and the story pairs of tests/data/pairs_indep) is
graded with an empty cache of its own, so what it sends does not depend on the answers before it. What a
session's warm-up embeds of round one (`grader._round_one_texts`) is not counted: a session has it before
the answer comes (it is embedded here only when the grade asks for it, which gives the same vectors). Printed: texts,
tokens and model calls per compared answer (mean, p95, max) and by who asked. With `--out`, every grade is
written as JSON, one line per answer: a change meant to save tokens must leave this file identical.

`--vectors` keeps the vectors on disk between runs (the model is then called only for texts it has never
seen; the counts are the same, as they are counted before the disk is read).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np

from bench.latency import _at, asker
from simulator.catalog import ROOT, load_rubrics
from simulator.grading.evaluation import pair_request
from simulator.grading.grader import _round_one_texts, grade_answer
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, shipped_heads
from simulator.models import QA, RoundOne

TUNE_PAIRS = ("v3", "v5", "v6", "v8", "v9", "v10", "v11")
STORY_PAIRS = ("story_pairs_w12a", "story_pairs_w12b", "story_pairs_w13a")


def develop_requests() -> list[tuple[str, GradeRequest]]:
    """Every compared answer of the develop sets, named by set and line."""
    out: list[tuple[str, GradeRequest]] = []
    for version in TUNE_PAIRS:
        path = ROOT / "tests" / "heldout" / version / "pairs_tune.jsonl"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                out.append((f"{version}:{n}", pair_request(json.loads(line))))
    for name in STORY_PAIRS:
        path = ROOT / "tests" / "data" / "pairs_indep" / f"{name}.jsonl"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                out.append(
                    (
                        f"{name}:{n}",
                        GradeRequest(
                            question=row["question_two"],
                            answer=row["round_two"],
                            round_one=RoundOne(
                                answers=[QA(question=row["question_one"], answer=row["round_one"])]
                            ),
                        ),
                    )
                )
    return out


class DiskVectors:
    """The model, behind vectors kept on disk by text (the same model gives the same vectors)."""

    def __init__(self, model: E5Embedder, path: Path | None):
        self.model, self.path = model, path
        self.name, self.dim = model.name, model.dim
        self.known: dict[str, np.ndarray] = {}
        if path is not None and path.exists():
            with np.load(path, allow_pickle=False) as saved:
                self.known = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.known]
        if new:
            self.known.update(zip(new, self.model.embed(new), strict=True))
        return np.stack([self.known[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def save(self) -> None:  # (the disk is only a cache of the model: a partial file is fine)
        if self.path is not None and self.known:
            texts = list(self.known)
            np.savez(self.path, texts=np.array(texts), vectors=np.stack([self.known[t] for t in texts]))


def _note(heard: list[tuple[str, list[str]]], sent: list[str]) -> None:
    """Who asked for `sent` (the grader's function above the seam), noted as the call is made."""
    heard.append((asker(sys._getframe(1)), list(sent)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write every grade here (JSON lines)")
    parser.add_argument("--vectors", type=Path, help="keep the vectors on disk between runs (.npz)")
    args = parser.parse_args(argv)
    rubrics, heads = load_rubrics(), shipped_heads()
    assert heads is not None
    model = E5Embedder()
    disk = DiskVectors(model, args.vectors)
    texts: list[int] = []
    tokens: list[int] = []
    calls: list[int] = []
    by_texts: Counter[str] = Counter()
    by_tokens: Counter[str] = Counter()
    lines: list[str] = []
    per_answer: list[Counter[str]] = []
    requests = develop_requests()
    for name, request in requests:
        embedder = CachingEmbedder(disk)
        meaning = Meaning(embedder, heads)
        warmed = set(_round_one_texts(request.round_one, rubrics, meaning))
        heard: list[tuple[str, list[str]]] = []
        embedder.listener = partial(_note, heard)
        grade = grade_answer(request, rubrics, meaning=meaning)
        answer_texts = answer_tokens = answer_calls = 0
        mine: Counter[str] = Counter()
        for who, sent in heard:
            own = [t for t in sent if t not in warmed]
            count = model.tokens(own) if own else 0
            by_texts[who] += len(own)
            by_tokens[who] += count
            mine[who] += count
            answer_texts, answer_tokens, answer_calls = (
                answer_texts + len(own),
                answer_tokens + count,
                answer_calls + bool(own),
            )
        texts.append(answer_texts)
        tokens.append(answer_tokens)
        per_answer.append(mine)
        calls.append(answer_calls)
        if len(lines) % 50 == 49:
            disk.save()
            print(f"  {len(lines) + 1} graded", file=sys.stderr, flush=True)
        lines.append(json.dumps({"item": name, "grade": grade.model_dump(mode="json")}, sort_keys=True))
    disk.save()
    n = len(requests)
    print(
        f"{n} compared answers: texts mean {statistics.mean(texts):.2f}, p95 {_at(texts, 0.95):.0f}, "
        f"max {max(texts)}; tokens mean {statistics.mean(tokens):.1f}, p95 {_at(tokens, 0.95):.0f}, "
        f"max {max(tokens)}; model calls mean {statistics.mean(calls):.2f}, max {max(calls)}"
    )
    said = ", ".join(
        f"{who} {by_texts[who] / n:.2f} texts / {by_tokens[who] / n:.1f} tokens"
        for who, _ in by_tokens.most_common()
    )
    print(f"  by who asked, per compared answer: {said}")
    top = [who for who, total in zip(per_answer, tokens, strict=True) if total >= _at(tokens, 0.9)]
    heavy: Counter[str] = sum(top, Counter())
    said = ", ".join(f"{who} {count / len(top):.1f}" for who, count in heavy.most_common())
    print(f"  the costliest tenth ({len(top)} answers), tokens per answer by who asked: {said}")
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"  grades written to {args.out}")


if __name__ == "__main__":
    main()
