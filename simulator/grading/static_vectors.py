"""Sentence vectors without a model: a static table of word vectors distilled from multilingual-e5-small.

`tools/distill_static_vectors.py` embedded each word of a fixed vocabulary (the repository's own text and
the model's own word pieces) with the shipped model, reduced the vectors by PCA and stored them as int8
in `simulator/data/static_vectors.json`. A text's vector is then the weighted mean of its words' vectors,
normalised: microseconds a clause, no model to load. Frequent words weigh less (SIF weights, from the
model's own unigram probabilities), so "the" does not drown "churn".

A word not in the table is split into the table's pieces (the model's sub-words: "##ing" continues a
word) by the most probable split, as the model's own tokenizer does; characters no piece covers are
skipped. A text with no word at all gets the zero vector.

The table is JSON because the package ships its data as *.json; the arrays inside are base64.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from simulator.grading.shipped import SHIPPED

TABLE_FILE = "static_vectors.json"
FORMAT = "static-vectors/1"
CONTINUATION = "##"  # marks a piece that continues a word rather than starting one
# Words as the table holds them: lower-case letters and digits, apostrophes inside ("don't").
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_UNKNOWN_CHAR = -20.0  # a character no piece covers: skipped, at the cost of an improbable piece
_SPLITS_KEPT = 20_000


class StaticTableError(ValueError):
    """The table is missing or unreadable; the message is one line naming the file."""


class StaticTable:
    """The distilled vocabulary: one int8 row a unit (a word, or a piece marked `##`), a scale per
    dimension, each unit's weight in a mean, and its log-probability for splitting unknown words."""

    def __init__(
        self,
        units: list[str],
        vectors: np.ndarray,
        scale: np.ndarray,
        weights: np.ndarray,
        logp: np.ndarray,
        meta: dict,
    ):
        self.units = units
        self.vectors = vectors
        self.scale = scale
        self.weights = weights
        self.logp = logp
        self.meta = meta
        self.index = {u: i for i, u in enumerate(units)}
        self.longest = max((len(u) for u in units), default=1)

    @classmethod
    def read(cls, source: Path | None = None) -> StaticTable:
        where = str(source) if source is not None else f"simulator/data/{TABLE_FILE}"
        try:
            raw = (SHIPPED / TABLE_FILE if source is None else source).read_bytes()
        except OSError:
            raise StaticTableError(
                f"{where}: missing; rebuild it with tools/distill_static_vectors.py"
            ) from None
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise StaticTableError(f"{where}: not a static vector table (format {data.get('format')!r})")
            units = data["units"].split("\n") if data["units"] else []
            dim = int(data["dim"])
            vectors = _array(data["vectors"], np.int8).reshape(len(units), dim)
            scale = np.asarray(data["scale"], dtype=np.float32)
            weights = _array(data["weights"], np.float16).astype(np.float32)
            logp = _array(data["logp"], np.float16).astype(np.float32)
            if not (len(scale) == dim and len(weights) == len(logp) == len(units)):
                raise ValueError("array sizes disagree")
        except StaticTableError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as error:
            raise StaticTableError(f"{where}: unreadable static vector table ({error})") from None
        return cls(units, vectors, scale, weights, logp, data.get("meta", {}))


def _array(text: str, dtype: type) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text, validate=True), dtype=dtype)


def encode_array(values: np.ndarray) -> str:
    """The inverse of reading: little-endian bytes, base64."""
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def best_split(word: str, score: dict[str, float], longest: int) -> list[str]:
    """The most probable split of `word` into pieces (the first starts a word, the rest are `##`
    continuations), given each piece's log-probability: the unigram tokenizer's rule. A character no
    piece covers is dropped. `longest`: the longest piece's length, "##" included."""
    n = len(word)
    best = [-math.inf] * (n + 1)
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    best[0] = 0.0
    for start in range(n):
        if best[start] == -math.inf:
            continue
        for end in range(start + 1, min(n, start + longest) + 1):
            piece = word[start:end] if start == 0 else CONTINUATION + word[start:end]
            if piece in score and best[start] + score[piece] > best[end]:
                best[end] = best[start] + score[piece]
                back[end] = (start, piece)
        if best[start] + _UNKNOWN_CHAR > best[start + 1]:
            best[start + 1] = best[start] + _UNKNOWN_CHAR
            back[start + 1] = (start, None)
    pieces: list[str] = []
    at = n
    while at > 0:
        at, kept = back[at]
        if kept is not None:
            pieces.append(kept)
    return pieces[::-1]


class StaticEmbedder:
    """An `Embedder` (semantic.py's seam) over the static table: deterministic, thread-safe, no model."""

    def __init__(self, table: StaticTable | None = None):
        self.table = table if table is not None else shipped_table()
        self.dim = int(self.table.vectors.shape[1])
        self.name = f"static-{self.table.meta.get('model', 'e5')}-{self.dim}"
        self._score = {u: float(p) for u, p in zip(self.table.units, self.table.logp, strict=True)}
        self._splits: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def rows(self, word: str) -> tuple[int, ...]:
        """The table rows that stand for one lower-case word: its own, or its pieces'."""
        row = self.table.index.get(word)
        if row is not None:
            return (row,)
        with self._lock:
            known = self._splits.get(word)
        if known is not None:
            return known
        split = tuple(self.table.index[p] for p in best_split(word, self._score, self.table.longest))
        with self._lock:
            if len(self._splits) >= _SPLITS_KEPT:
                self._splits.clear()
            self._splits[word] = split
        return split

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for n, text in enumerate(texts):
            rows = [r for word in WORD.findall(text.lower()) for r in self.rows(word)]
            if not rows:
                continue
            weights = self.table.weights[rows]
            vector = (weights @ self.table.vectors[rows].astype(np.float32)) * self.table.scale
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[n] = vector / norm
        return out


@cache
def shipped_table() -> StaticTable:
    return StaticTable.read()
