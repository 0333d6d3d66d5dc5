"""The outcome judge's trainer and its miss report (tools/train_outcome.py, tools/outcome_misses.py):
endings told in context keep their valence and their company from run to run; a miss is put down to
the first link of the chain that broke."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import outcome_misses
import train_outcome

NEUTRAL = ["the goal was to win the tender", "I reviewed all the contracts", "we were a team of five"]


def test_an_ending_told_in_context_keeps_its_valence_and_its_words():
    endings = [("we lost the tender to a bigger firm", 0), ("they're still a customer three years later", 1)]
    told = train_outcome.in_context(endings, NEUTRAL)
    assert len(told) == 2 * len(endings)
    for (text, good), pair in zip(endings, (told[0:2], told[2:4]), strict=True):
        for sentence, label in pair:
            assert label == good
            assert text.lower() in sentence.lower()
            assert any(n.lower() in sentence.lower() for n in NEUTRAL)


def test_an_ending_gets_the_same_company_whatever_else_is_trained():
    # Cross-validation trains on other subsets: the same ending must read the same sentences in each.
    alone = train_outcome.in_context([("the audit came back clean", 1)], NEUTRAL)
    among = train_outcome.in_context([("we came second", 0), ("the audit came back clean", 1)], NEUTRAL)
    assert alone == among[2:]


def test_no_neutral_clauses_no_ending_in_context():
    assert train_outcome.in_context([("we won", 1)], []) == []


def test_the_neutral_clauses_are_the_written_none_lines():
    neutral = train_outcome.neutral_clauses()
    assert len(neutral) > 100
    assert all(n and " | " not in n for n in neutral)


def test_a_miss_is_put_down_to_the_first_link_that_broke():
    judged = {"then": "We passed the audit.", "now": "We failed it.", "min_similarity": 0.7}
    assert outcome_misses.verdict("Tell me about an audit.", [], found=True) == "found"
    assert outcome_misses.verdict(None, [], found=False) == "no story"
    assert outcome_misses.verdict("Tell me about an audit.", [], found=False) == "not judged"
    assert outcome_misses.verdict("Q", [{"judge": "2.0"}], found=False) == "no ending pair"
    assert outcome_misses.verdict("Q", [{**judged, "similarity": 0.5}], found=False) == "too far apart"
    assert outcome_misses.verdict("Q", [{**judged, "similarity": 0.9}], found=False) == "valence"
