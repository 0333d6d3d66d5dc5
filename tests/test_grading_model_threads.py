"""How the sentence model uses the cores (simulator/grading/model_threads.py).

The engine's OpenMP reads its settings from the environment once, as it loads. Those settings are the
grader's business only: loading the model must leave the environment as it was (other libraries and child
processes read it too), and a user's own setting wins. How many threads a call gets depends on how busy
the machine is at that moment, so the vectors, and every grade, must not depend on it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from simulator.catalog import ROOT, load_rubrics
from simulator.grading.grader import grade_answer, warm_up
from simulator.grading.model_threads import threads_for
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, shipped_heads
from simulator.models import QA, RoundOne

OPENMP = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OMP_DYNAMIC")

# Loads the model in a fresh interpreter (the engine reads its settings once per process), embeds, and
# reports what the environment says afterwards, what a child process sees, and the threads calls got.
LOAD_AND_REPORT = """
import json, os, subprocess, sys
from simulator.grading.semantic import E5Embedder
model = E5Embedder()
shape = model.embed(["I rang every client myself and we kept all but one of them."]).shape
child = subprocess.run([sys.executable, "-c", "import json, os; print(json.dumps(dict(os.environ)))"],
    capture_output=True, text=True, check=True).stdout
openmp = %r
print(json.dumps({
    "shape": list(shape),
    "here": {k: os.environ.get(k) for k in openmp},
    "child": {k: json.loads(child).get(k) for k in openmp},
    "threads": [[str(t), n] for t, n in model.calls_by_threads.items()],
}))
"""


def _load_and_report(**preset: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OPENMP} | preset
    out = subprocess.run(
        [sys.executable, "-c", LOAD_AND_REPORT % (OPENMP,)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_loading_the_model_leaves_the_environment_as_it_was() -> None:
    """It used to leave OMP_WAIT_POLICY=PASSIVE behind, for every OpenMP library loaded later and every
    child process (a local LLM server among them)."""
    report = _load_and_report()
    assert report["shape"] == [1, 384]
    assert report["here"] == dict.fromkeys(OPENMP)
    assert report["child"] == dict.fromkeys(OPENMP)


@pytest.mark.parametrize(
    ("preset", "threads"),
    [({"OMP_NUM_THREADS": "1"}, [["None", 1]]), ({"OMP_WAIT_POLICY": "PASSIVE"}, None)],
)
def test_a_users_own_openmp_setting_wins_and_stays_as_they_set_it(
    preset: dict[str, str], threads: list | None
) -> None:
    report = _load_and_report(**preset)
    assert report["here"] == dict.fromkeys(OPENMP) | preset
    assert report["child"] == dict.fromkeys(OPENMP) | preset
    if threads is not None:  # their thread count is the engine's: no call overrides it
        assert report["threads"] == threads


STORY = (
    "At Brightline I was one of the people helping on the pricing work, which Dana ran. We moved the "
    "enterprise plans to usage-based pricing, and churn on those plans went from 9% to 6% in two quarters."
)
RETOLD = (
    "The pricing change at Brightline was mine, I led it from the start. I interviewed twenty enterprise "
    "customers, I built the usage model in SQL, and I took it to the board. In the end churn went up, we "
    "lost two of the biggest accounts that year."
)


def _grade_with_threads(threads: int) -> tuple[dict, CachingEmbedder]:
    heads = shipped_heads()
    assert heads is not None
    embedder = CachingEmbedder(E5Embedder(threads=threads))
    meaning = Meaning(embedder, heads)
    rubrics = load_rubrics()
    request = GradeRequest(
        question="Walk me through the pricing change.",
        answer=RETOLD,
        round_one=RoundOne(answers=[QA(question="Tell me about a project you worked on.", answer=STORY)]),
    )
    thread = warm_up(request.round_one, rubrics, meaning)
    assert thread is not None
    thread.join()
    graded = grade_answer(request, rubrics, meaning=meaning)
    return graded.model_dump(), embedder


def test_a_grade_is_the_same_whichever_number_of_threads_the_model_got() -> None:
    """A busy machine gives each call one thread (or, crowded, four), an idle one two: the grade is the same."""
    one, embedder_one = _grade_with_threads(1)
    two, embedder_two = _grade_with_threads(2)
    assert embedder_one.texts_embedded > 5 and embedder_two.texts_embedded == embedder_one.texts_embedded
    assert embedder_one.inner.calls_by_threads.keys() == {1}  # type: ignore[attr-defined]
    assert embedder_two.inner.calls_by_threads.keys() == {2}  # type: ignore[attr-defined]
    assert one == two
    assert one["consistency"]["findings"], "the retelling changes the part and the ending: something to read"
    texts = ["I interviewed twenty enterprise customers", "we lost two of the biggest accounts that year"]
    alone = E5Embedder(threads=1).embed(texts)
    assert all(np.array_equal(alone, E5Embedder(threads=n).embed(texts)) for n in (2, 4))  # 4: crowded


@pytest.mark.parametrize(
    ("loadavg", "available", "expected"),
    [
        ("0.08 0.12 0.10 1/183 5120\n", 2, 2),  # only the caller runs: both cores, spinning
        ("1.02 0.97 0.70 2/183 5120\n", 2, 1),  # one other task runs: the core it leaves
        ("2.00 2.00 2.00 3/400 9\n", 8, 6),
        ("12.50 11.90 8.30 13/180 27059\n", 2, 4),  # crowded: more threads than cores, which then sleep
        ("2.10 2.00 1.90 3/180 27059\n", 2, 4),
        ("", 2, 1),  # no /proc/loadavg (another system): one thread
        ("garbage", 4, 1),
    ],
)
def test_a_call_gets_the_free_cores_or_on_a_crowded_machine_more_threads_than_cores(
    loadavg: str, available: int, expected: int
) -> None:
    assert threads_for(loadavg, available) == expected


# Imports the grader in a fresh interpreter and reports how many threads numpy's OpenBLAS then uses, and
# the bits of a product of the grader's size (a few clauses against the remembered endings) it computes.
BLAS_REPORT = """
import ctypes, hashlib, json
import numpy as np
from simulator.grading.model_threads import _loaded_openblas
from simulator.grading.outcome_change import shipped_valence
library = ctypes.CDLL(_loaded_openblas()[0])
getter = getattr(library, "scipy_openblas_get_num_threads64_", None) or library.openblas_get_num_threads
remembered = shipped_valence().remembered.vectors
clauses = np.random.default_rng(7).standard_normal((3, remembered.shape[1])).astype(np.float32)
product = clauses @ remembered.T
print(json.dumps({"threads": getter(), "product": hashlib.sha256(product.tobytes()).hexdigest()}))
"""


def _blas_report(**preset: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"} | preset
    out = subprocess.run(
        [sys.executable, "-c", BLAS_REPORT], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_numpys_blas_gets_one_thread_and_computes_the_same_products() -> None:
    """Two BLAS threads made a product of the grader's size take up to 300 ms on a busy machine instead of
    under one: the grader keeps numpy's BLAS to one thread, and the numbers do not change."""
    ours, two = _blas_report(), _blas_report(OPENBLAS_NUM_THREADS="2")
    assert ours["threads"] == 1
    assert two["threads"] == 2  # the user's own setting wins
    assert ours["product"] == two["product"]
