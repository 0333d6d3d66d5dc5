"""The story-or-duties trainer (tools/train_duty_list.py): what it counts as a list of duties, that it reads
no check set, and that its fit weighs a story read as a list more than a list read as a story."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import train_duty_list  # noqa: E402


def test_it_reads_tune_halves_and_tests_data_only_and_labels_by_the_label_guides() -> None:
    rows = train_duty_list.labelled_answers()
    groups = {group for group, *_ in rows}
    assert groups == set(train_duty_list.TUNE_SETS) | set(train_duty_list.FOLDERS)
    assert not any("check" in answer_id for _, answer_id, *_ in rows)
    by_id = {answer_id: (duties, story) for _, answer_id, _, duties, story in rows}
    # A duty list states neither a scene nor an action; one with "For example, on one case ..." is a story.
    assert by_id["v3t-a-042"] == (1, False)
    assert by_id["v3t-a-040"] == (0, True)
    assert sum(duties for _, _, _, duties, _ in rows) >= 80


def test_a_heavier_story_moves_the_boundary_away_from_it() -> None:
    # One feature: lists at 1, stories at 0, one story at 0.8 among the lists.
    x = np.array([[1.0]] * 10 + [[0.0]] * 10 + [[0.8]])
    y = np.array([1.0] * 10 + [0.0] * 11)
    plain = train_duty_list.fit(x, y, np.ones(len(y)), 1.0)
    weighted = train_duty_list.fit(x, y, np.array([1.0] * 20 + [4.0]), 1.0)

    def probability(model: tuple[np.ndarray, float], value: float) -> float:
        w, b = model
        return float(1 / (1 + np.exp(-(value * w[0] + b))))

    assert probability(weighted, 0.8) < probability(plain, 0.8)
