"""The latency bench's account of a compared answer: who sent which texts to the sentence model, and
what the grade costs outside it. A counting stand-in plays the model, so nothing here is timed."""

from __future__ import annotations

import sys

from bench.latency import Recorder, asker
from simulator.catalog import load_rubrics
from simulator.grading.grader import grade_answer
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import CachingEmbedder
from tests.test_grading_speed_shape import ANSWER, ROUND_ONE, CountingModel, _meaning

RUBRICS = load_rubrics()
REQUEST = GradeRequest(question="Tell me about the CRM migration.", answer=ANSWER, round_one=ROUND_ONE)


def test_a_compared_answer_is_told_by_who_asked_and_graded_again_without_the_model() -> None:
    model = CountingModel()
    meaning = _meaning(model)
    recorder = Recorder(meaning)
    recorder.reset(meaning)
    grade, _ = recorder.grade(REQUEST, RUBRICS)

    sent = [t for _, texts in model.calls for t in texts]
    asked = recorder.askers.texts
    # Every text the answer sent is put down to the grader function that asked (round one was warmed
    # before the timing, so it is not the answer's).
    assert asked["alignment._vector"] >= 1 and "elsewhere" not in asked
    assert sum(asked.values()) == recorder.samples[-1].sentences
    assert sum(asked.values()) < len(sent)  # the warm-up's texts left out
    # The second grade needed no model call and decided the same.
    done = recorder.samples[-1]
    assert done.round_one and done.without_model is not None
    assert recorder.replay is not None and recorder.replay is not meaning
    calls = len(model.calls)
    again = grade_answer(REQUEST, RUBRICS, meaning=recorder.replay)
    assert len(model.calls) == calls
    assert again.consistency == grade.consistency and again.overall == grade.overall


def test_an_answer_without_round_one_is_not_graded_twice() -> None:
    model = CountingModel()
    meaning = _meaning(model)
    recorder = Recorder(meaning)
    recorder.reset(meaning)
    recorder.grade(GradeRequest(question="Tell me about a project.", answer=ANSWER), RUBRICS)
    assert recorder.samples[-1].without_model is None
    assert not recorder.askers.texts


def test_the_asker_is_the_first_grader_function_outside_the_semantic_seam() -> None:
    assert asker(sys._getframe()) == "elsewhere"  # a test is not the grader
    embedder = CachingEmbedder(CountingModel())
    heard: list[str] = []
    embedder.listener = lambda texts: heard.append(asker(sys._getframe(1)))
    embedder.embed(["a new text"])
    embedder.embed(["a new text"])  # known: no call, nothing heard
    assert heard == ["elsewhere"]
