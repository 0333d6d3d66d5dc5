"""The outcome judge's miss report (tools/outcome_misses.py): a miss is put down to the first link of the
chain that broke."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import outcome_misses


def test_a_miss_is_put_down_to_the_first_link_that_broke():
    judged = {"then": "We passed the audit.", "now": "We failed it.", "min_similarity": 0.7}
    assert outcome_misses.verdict("Tell me about an audit.", [], found=True) == "found"
    assert outcome_misses.verdict(None, [], found=False) == "no story"
    assert outcome_misses.verdict("Tell me about an audit.", [], found=False) == "not judged"
    assert outcome_misses.verdict("Q", [{"judge": "2.0"}], found=False) == "no ending pair"
    assert outcome_misses.verdict("Q", [{**judged, "similarity": 0.5}], found=False) == "too far apart"
    assert outcome_misses.verdict("Q", [{**judged, "similarity": 0.9}], found=False) == "valence"
