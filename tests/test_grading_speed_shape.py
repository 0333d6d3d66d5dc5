"""How and when the grader uses the sentence model, and which way the imports run.

The model costs tens of milliseconds a sentence (more on a busy machine), the same in a batch as
alone, so what matters is which sentences reach it and when: round one once per session, embedded in
the background as the session starts; of an answer, only the clauses whose facts are compared; and
never the same text twice. A counting fake stands in for the model, so nothing here is timed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Sequence

import numpy as np
import pytest

from simulator.catalog import ROOT, load_rubrics
from simulator.grading import grader
from simulator.grading.alignment import round_one_texts
from simulator.grading.consistency import stories
from simulator.grading.grader import grade_answer, warm_up
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import (
    ACTORS,
    CLAUSE_PARTS,
    FEATURE_NAMES,
    CachingEmbedder,
    HashEmbedder,
    Head,
    Heads,
    Meaning,
)
from simulator.grading.stance import fragments, shipped_stance
from simulator.grading.text import analyse
from simulator.models import QA, RoundOne
from simulator.script import load_script, script_setup
from simulator.service import Toolkit, play_script, start
from simulator.store import Store

RUBRICS = load_rubrics()
EXAMPLE = ROOT / "examples" / "backend_engineer.yaml"

ROUND_ONE = RoundOne(
    answers=[
        QA(
            question="Tell me about your current role.",
            answer="I am a data analyst at Brackwell Logistics. I lead a team of four analysts.",
        ),
        QA(
            question="Tell me about a project you led.",
            answer=(
                "I led the move of our customer records into a new CRM. There were five of us on the "
                "project, it took about four months, and we finished slightly under budget."
            ),
        ),
    ]
)
ANSWER = (
    "So the CRM migration was the big one that year. Honestly it was a lot of coordination with sales "
    "and support. As the lead of a team of nine analysts I planned the cut-over weekend. The budget came "
    "in at about £80k in the end. Everyone was happy with how it went."
)


class CountingModel:
    """A stand-in for the sentence model that records every call: which texts, on which thread."""

    name = "hash"
    dim = 384

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self._vectors = HashEmbedder(self.dim)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append((threading.current_thread().name, list(texts)))
        return self._vectors.embed(texts)

    def sent(self) -> list[str]:
        return [t for _, texts in self.calls for t in texts]


def _heads(vectors: bool) -> Heads:
    """Heads that call a clause with a figure a result, the rest the candidate's actions; with
    `vectors`, they read each clause's sentence vector too, as trained heads may."""
    features = len(FEATURE_NAMES) + (CountingModel.dim if vectors else 0)
    mean, scale = np.zeros(features, np.float32), np.ones(features, np.float32)
    part = np.zeros((features, len(CLAUSE_PARTS)), np.float32)
    part[FEATURE_NAMES.index("has_number"), CLAUSE_PARTS.index("result")] = 8.0
    part_bias = np.zeros(len(CLAUSE_PARTS), np.float32)
    part_bias[CLAUSE_PARTS.index("action")] = 2.0
    heads = {
        "part": Head(CLAUSE_PARTS, part, part_bias, mean, scale),
        "actor": Head(
            ACTORS, np.zeros((features, len(ACTORS)), np.float32), np.eye(len(ACTORS))[0] * 3, mean, scale
        ),
        "hypothetical": Head(
            ("hypothetical",), np.zeros((features, 1), np.float32), np.array([-5.0]), mean, scale
        ),
    }
    return Heads("test", CountingModel.name, vectors, heads, {"overall.bias": 3.0})


def _meaning(model: CountingModel, vectors: bool = False) -> Meaning:
    return Meaning(CachingEmbedder(model), _heads(vectors))


def _round_one_texts(round_one: RoundOne) -> list[str]:
    told = stories(round_one, RUBRICS.star, RUBRICS.consistency)
    return round_one_texts([s.text for s in told]) + [s.text.original for s in told if not s.is_note]


def _join_warm_ups() -> None:
    for thread in threading.enumerate():
        if thread.name == "embedder-warm":
            thread.join()


def test_grading_imports_nothing_from_the_engines() -> None:
    """The engines call the grader; the grader must not reach back into them (a cycle in waiting)."""
    code = (
        "import sys, simulator.grading.grader, simulator.grading.evaluation; "
        "print(sorted(m for m in sys.modules if m.startswith('simulator.engines')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_grade_request_is_still_importable_from_the_engines() -> None:
    from simulator.engines.base import GradeRequest as FromEngines

    assert FromEngines is GradeRequest
    assert FromEngines(question="q", answer="a").round_one.is_empty()


def test_the_cache_asks_the_model_only_for_new_texts_in_one_call_and_stays_bounded() -> None:
    model = CountingModel()
    cache = CachingEmbedder(model, size=3)
    first = cache.embed(["a b", "c d", "a b"])
    assert model.calls == [("MainThread", ["a b", "c d"])]  # once each, in one call
    again = cache.embed(["c d", "e f"])
    assert model.calls[1][1] == ["e f"]
    assert np.array_equal(first[1], again[0])
    cache.embed(["g h"])  # four texts known, room for three: the least recently used goes
    assert not cache.known("a b") and cache.known("c d") and cache.known("g h")
    assert (cache.model_calls, cache.texts_embedded) == (3, 4)


def test_an_answer_sends_round_one_with_its_first_compared_clause_and_never_a_clause_without_a_fact() -> None:
    model = CountingModel()
    request = GradeRequest(question="Tell me about the CRM migration.", answer=ANSWER, round_one=ROUND_ONE)
    grade_answer(request, RUBRICS, meaning=_meaning(model))
    theirs = _round_one_texts(ROUND_ONE)
    assert model.calls, "the answer's facts were compared by meaning"
    # The words match a one-line answer ("I lead a team of four analysts"), so the story told is first
    # looked for by meaning: the whole answer against each round-one answer whole, in one call.
    wholes = [qa.answer for qa in ROUND_ONE.answers]
    assert model.calls[0][1] == [ANSWER, *wholes]
    first = model.calls[1][1]
    clauses_first = [t for t in theirs if t not in wholes]
    assert first[: len(clauses_first)] == clauses_first and len(first) == len(clauses_first) + 1
    clauses = [c.text for c in analyse(ANSWER, RUBRICS.star).clauses]
    mine = [t for t in model.sent()[len(theirs) :]]
    assert len(mine) == len(set(mine))  # no clause twice
    assert clauses[1] not in mine and clauses[-1] not in mine  # no figure, no fact: never embedded


def test_round_one_is_embedded_once_per_session_however_many_answers() -> None:
    model = CountingModel()
    meaning = _meaning(model)
    theirs = set(_round_one_texts(ROUND_ONE))
    for answer in (ANSWER, ANSWER.replace("nine", "seven"), "We were five people and it took four months."):
        request = GradeRequest(
            question="Tell me about the CRM migration.", answer=answer, round_one=ROUND_ONE
        )
        grade_answer(request, RUBRICS, meaning=meaning)
    sent = model.sent()
    assert theirs <= set(sent)
    assert all(sent.count(t) == 1 for t in theirs)


def test_warm_up_embeds_round_one_in_the_background_so_the_first_answer_does_not() -> None:
    model = CountingModel()
    meaning = _meaning(model)
    thread = warm_up(ROUND_ONE, RUBRICS, meaning)
    assert thread is not None
    thread.join()
    assert {name for name, _ in model.calls} == {"embedder-warm"}
    assert set(model.sent()) == set(_round_one_texts(ROUND_ONE))
    before = len(model.calls)
    request = GradeRequest(question="Tell me about the CRM migration.", answer=ANSWER, round_one=ROUND_ONE)
    grade_answer(request, RUBRICS, meaning=meaning)
    after = [t for _, texts in model.calls[before:] for t in texts]
    assert after and not set(after) & set(_round_one_texts(ROUND_ONE))
    assert warm_up(RoundOne(), RUBRICS, meaning) is None  # nothing to warm


def test_with_heads_that_read_vectors_an_answer_makes_one_model_call() -> None:
    """Heads that read each clause's vector embed the whole answer; with round one warmed, that one
    call is all the answer's clauses cost (the aligner finds them already known). The words match a
    one-line round-one answer here, so the answer whole is embedded once more, to look for the story
    by meaning (round one's answers whole were warmed)."""
    model = CountingModel()
    meaning = _meaning(model, vectors=True)
    thread = warm_up(ROUND_ONE, RUBRICS, meaning)
    assert thread is not None
    thread.join()
    before = len(model.calls)
    long_clauses = ANSWER.replace(
        " It took about four months in the end.", " It took about four months in the end, all told."
    )
    request = GradeRequest(
        question="Tell me about the CRM migration.", answer=long_clauses, round_one=ROUND_ONE
    )
    grade_answer(request, RUBRICS, meaning=meaning)
    assert [texts for _, texts in model.calls[before:]] == [
        [c.text for c in analyse(long_clauses, RUBRICS.star).clauses],
        [long_clauses],
    ]


def test_warm_up_also_embeds_what_the_stance_heads_read_of_round_one() -> None:
    """The stance heads read each clause of the retold round-one story, in parts: per session, so
    warmed too; the answer then sends only its own clauses."""
    stance = shipped_stance()
    assert stance is not None
    model = CountingModel()
    model.name = stance.embedder  # the model the stance heads expect, or they read nothing
    meaning = _meaning(model)
    thread = warm_up(ROUND_ONE, RUBRICS, meaning)
    assert thread is not None
    thread.join()
    warmed = set(model.sent())
    story = ROUND_ONE.answers[1].answer
    assert {f for c in analyse(story, RUBRICS.star).clauses for f in fragments(c.text)} <= warmed
    before = len(model.calls)
    request = GradeRequest(question="Tell me about the CRM migration.", answer=ANSWER, round_one=ROUND_ONE)
    grade_answer(request, RUBRICS, meaning=meaning)
    assert not {t for _, texts in model.calls[before:] for t in texts} & warmed


def test_a_session_warms_round_one_as_it_starts(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Through the API the CLI and the page use: by the first answer, round one is already embedded."""
    model = CountingModel()
    meaning = _meaning(model)
    monkeypatch.setattr(grader, "default_meaning", lambda: meaning)
    kit = Toolkit.load("offline")
    script = load_script(EXAMPLE)
    setup = script_setup(script, kit.personas, EXAMPLE, seed=0)
    theirs = set(_round_one_texts(setup.round_one))
    with Store(tmp_path / "s.db") as store:
        interview = start(setup, store, kit)
        _join_warm_ups()
        assert theirs and theirs <= set(model.sent())
        before = len(model.calls)
        session = play_script(interview, script)
    assert any(t.grade is not None for t in session.turns)
    graded = [t for name, texts in model.calls[before:] for t in texts]
    assert not set(graded) & theirs


def test_leaving_while_the_model_warms_up_exits_cleanly() -> None:
    """The real model, warming many texts, and the program ends at once: it waits for one small batch
    and exits 0 (freeing the model under a running call would crash it)."""
    code = (
        "from simulator.grading.semantic import default_embedder\n"
        "default_embedder().warm([f'sentence number {i} about a delivery' for i in range(400)])\n"
        "print('bye')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert (out.returncode, out.stdout.strip(), out.stderr) == (0, "bye", "")
