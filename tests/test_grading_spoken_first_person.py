"""A spoken transcript writes the candidate as "i" ("i rang the haulier", "i've set up"): that is the candidate
acting, as the typed "I" is. The clause features matched only the capital, so in a spoken story the clauses
told after the candidate's own actions were not read as such, and an outcome told there in plain words was
missed ("no result"). "i" in "i.e." or a list's "(i)" is still no one.

The share of "I" in a clause (`_I`) still reads the capital only (reading the spoken "i" there lowered the
v5 tune figures), so the actor head takes a story told all in "i" for the team's. The "we, not I" flag is
therefore not raised by meaning when the rules count several "I" actions and no "we" one."""

from __future__ import annotations

import re

import numpy as np
import pytest
from grading_support import grade, rubrics

from simulator.grading.semantic import FEATURE_NAMES, clause_features
from simulator.grading.text import analyse

GARDEN_CENTRE = (
    "Tell me about a time you solved a problem for a customer.",
    "so, um, one of our bigger customers, a garden centre, kept getting their compost delivered on the wrong "
    "day. i rang the haulier and i went through the last ten bookings with them, and, uh, the booking form had "
    "the date in the american format. i changed the form to spell the month out and i rang the customer to "
    "explain. they've had every delivery on the right day since.",
)
AUDIT = (
    "Tell me about a time you took the lead.",
    "um, so our team lead went off sick the week of the audit. i, uh, i took over the prep, i went through the "
    "checklist with everyone, and i split the evidence gathering between the four of us. i stayed late two "
    "nights to finish the files. the auditor signed us off with no findings.",
)


def typed(answer: str) -> str:
    """The same words with the pronoun written as typed."""
    return re.sub(r"\bi\b", "I", answer)


def column(name: str, text: str) -> np.ndarray:
    star = rubrics().star
    return clause_features(analyse(text, star), star)[:, FEATURE_NAMES.index(name)]


def test_a_clause_told_after_a_spoken_i_acted_is_read_as_after_the_candidates_own_action():
    spoken = "i reprinted all the labels. the complaints went down to one a week."
    after = column("after_own_action", spoken)
    assert after.tolist() == [0.0, 1.0]
    np.testing.assert_array_equal(after, column("after_own_action", typed(spoken)))
    perfect = "so i've rung the depot. the lorry came back on time."
    assert column("after_own_action", perfect).tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    "text", ["the night rota, i.e. the one after ten, was late.", "(i) the rota was late."]
)
def test_the_letter_i_in_i_e_or_a_numbered_list_is_no_one_acting(text):
    assert column("after_own_action", text + " the rota was changed.").tolist() == [0.0, 0.0]


def test_a_spoken_story_whose_plain_outcome_follows_the_candidates_actions_is_not_told_it_has_no_result():
    question, answer = GARDEN_CENTRE
    g = grade(question, answer)
    # It was flagged "no result" while the spoken "i" went unread; the typed twin never was.
    assert "no_result" not in g.flags
    assert g.star["result"].evidence == ["they've had every delivery on the right day since"]
    assert "no_result" not in grade(question, typed(answer)).flags


def test_a_spoken_story_told_all_with_i_is_not_told_to_say_i():
    question, answer = AUDIT
    g = grade(question, answer)
    assert "we_not_i" not in g.flags
    assert not any("say 'I' for what you did" in point for point in g.feedback)
    assert grade(question, typed(answer)).flags == g.flags
