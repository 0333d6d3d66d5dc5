"""The clause features' vocabulary lives in simulator/data/clause_cues.yaml: the shipped file loads, and
what it holds is what the features see; a broken edit is one plain error naming the field."""

from __future__ import annotations

import pytest

from simulator.catalog import load_rubrics
from simulator.grading.semantic import FEATURE_NAMES, clause_cues, clause_features, parse_clause_cues
from simulator.grading.text import analyse


def _feature(answer: str, name: str) -> list[float]:
    rubric = load_rubrics().star
    return clause_features(analyse(answer, rubric), rubric)[:, FEATURE_NAMES.index(name)].tolist()


def test_outcomes_in_learners_and_present_forms_are_read_from_the_file() -> None:
    cues = clause_cues()
    assert cues.outcome.search("After this, no more cracked brackets come from the customer.")
    assert cues.outcome.search("Now the line is running again every night.")
    assert not cues.outcome.search("I sat in on six handovers and logged every item.")
    flags = _feature(
        "I change the oven setting with the maintenance team. After this nobody complain.", "outcome"
    )
    assert flags == [0.0, 1.0]


def test_the_candidate_acting_is_told_from_being_thinking_and_wanting() -> None:
    cues = clause_cues()
    assert cues.i_did.search("I rang the depot that afternoon.")
    assert cues.i_did.search("I have checked every invoice since March.")
    assert cues.i_did.search("I quickly replace the broken sensor.")
    for not_acting in (
        "I was the night supervisor.",
        "I think it helped.",
        "I wanted to fix it.",
        "I'd call them.",
    ):
        assert not cues.i_did.search(not_acting), not_acting
    # "i" inside a sentence is no candidate: the pattern keeps its case.
    assert not cues.i_did.search("the wiki i guess")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("outcome: [again]\n", "clause_cues.yaml: i_did_not_acting must be a non-empty list of patterns"),
        ("outcome: []\ni_did_not_acting: [was]\n", "clause_cues.yaml: outcome must be a non-empty list"),
        (
            "outcome: ['back (up']\ni_did_not_acting: [was]\n",
            "clause_cues.yaml: outcome: 'back (up' is not a valid",
        ),
        ("outcome: [again\n", "clause_cues.yaml: not valid YAML"),
    ],
)
def test_a_broken_cue_file_names_the_field(source: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_clause_cues(source)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value).split("(")[0]
