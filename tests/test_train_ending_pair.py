"""The ending-pair chooser tried in session 14 (tools/ending_pair_chooser.py, tools/train_ending_pair.py):
labelled spans land on the clauses the grader reads, the pair features line up, and the chooser keeps
to the clauses the grader lets tell an ending."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import ending_pair_chooser  # noqa: E402
from ending_pair_data import clauses_of  # noqa: E402

from simulator.catalog import load_rubrics  # noqa: E402
from simulator.grading import outcome_change  # noqa: E402
from simulator.grading.semantic import Head, default_meaning  # noqa: E402
from simulator.grading.text import analyse  # noqa: E402

ROUND_ONE = (
    "Our cleaning contract with the county hospital was up for tender and our audit scores there were poor. "
    "I rebuilt the method statement and brought the site supervisors into the bid interviews. We kept the "
    "contract for another four years."
)
ROUND_TWO = (
    "The hospital cleaning contract came up for re-tender, and our scores there had been weak. I rewrote the "
    "method statement and took two site supervisors into the interviews with me. From April we were "
    "transferring all eighty cleaners across to the new provider."
)


def _read(text: str):
    rubrics, meaning = load_rubrics(), default_meaning()
    assert meaning is not None
    analysed = analyse(text, rubrics.star)
    return analysed, meaning.read(analysed, rubrics.star)


def test_a_labelled_span_lands_on_the_clause_that_tells_it() -> None:
    text, _ = _read(ROUND_TWO)
    found = clauses_of(text, "we were transferring all eighty cleaners across to the new provider")
    assert [text.clauses[i].text for i in found] == [
        c.text for c in text.clauses if "transferring all eighty cleaners" in c.text
    ]


def test_the_chooser_keeps_to_the_grader_s_candidates() -> None:
    (one, read_one), (two, read_two) = _read(ROUND_ONE), _read(ROUND_TWO)
    n1, n2 = len(one.clauses), len(two.clauses)
    likeness = np.linspace(0.2, 0.9, n1), np.linspace(0.2, 0.9, n2)
    vectors = np.eye(n1, 16), np.eye(n2, 16)
    x = ending_pair_chooser.pair_features((read_one, read_two), likeness, vectors)
    assert x.shape == (n1, n2, len(ending_pair_chooser.FEATURES))
    cosine = ending_pair_chooser.FEATURES.index("cosine")
    weights = np.zeros((len(ending_pair_chooser.FEATURES), 1), np.float32)
    weights[cosine, 0] = 5.0  # a chooser that reads only how close the two clauses are
    head = Head(
        ("same_ending",),
        weights,
        np.zeros(1, np.float32),
        np.zeros(len(weights), np.float32),
        np.ones(len(weights), np.float32),
    )
    chooser = ending_pair_chooser.PairChooser("test", "none", head, 0.0)
    ones, twos = outcome_change.ending_candidates((one, two), (read_one, read_two), 0.5)
    i, j = chooser.choose((read_one, read_two), likeness, vectors, (ones, twos)) or (-1, -1)
    assert i in ones and j in twos
    assert chooser.choose((read_one, read_two), likeness, vectors, ([], twos)) is None
