"""The stance heads read only what the grade will use (stance.read_stance `reads`): fewer tokens sent to
the sentence model, and the same readings where the caller looks.

A clause's outcome is its last part told as an ending, so when the candidate's part is not compared the
parts go to the model from the last one back; when only the part is compared, a step done by "we" (read
as no part of the candidate's, whatever its words) is not sent. Driven with the real model, as a session
grades: the texts each call sends are noted by the embedder's listener.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, shipped_heads
from simulator.grading.stance import StanceHeads, fragments, read_stance, shipped_stance

# An answer's closing clauses, as candidates tell them: steps, then how it ended, in one clause or two.
ENDED_IN_ITS_LAST_PART = "I rewrote the claim letter with the team, tested it with 12 claimants, and calls dropped by 30% in a month"
WE_THEN_I = (
    "We moved the two crews to the night shift, we re-planned the deliveries, and I rang every client myself"
)
MIXED_ENDING = "In the end the client renewed for two more years, but the margin was thinner than we wanted"
CLOSINGS = [
    "So I pulled the last two years of tickets and sorted them by cause",
    ENDED_IN_ITS_LAST_PART,
    WE_THEN_I,
    MIXED_ENDING,
    "Honestly it didn't really help, and the audit still failed in March",
    "I was one of three analysts on it, Priya led the work, and I built the dashboard for her",
]


def _listening() -> tuple[Meaning, list[list[str]]]:
    heads = shipped_heads()
    assert heads is not None
    embedder = CachingEmbedder(E5Embedder())  # its own cache: every text it is asked for is counted
    sent: list[list[str]] = []
    embedder.listener = lambda texts: sent.append(list(texts))
    return Meaning(embedder, heads), sent


@pytest.fixture(scope="module")
def stance_heads() -> StanceHeads:
    heads = shipped_stance()
    assert heads is not None
    return heads


def test_an_ending_told_in_a_clause_last_part_is_read_without_sending_the_steps_before_it(stance_heads):
    meaning, sent = _listening()
    stance = read_stance([ENDED_IN_ITS_LAST_PART], meaning, stance_heads, reads=("outcome",))
    assert stance is not None
    assert sent == [["and calls dropped by 30% in a month"]]
    assert stance.said == ("and calls dropped by 30% in a month",)
    assert stance.p("none", 0) < 0.5  # read as an ending: nothing before it was needed


def test_a_step_done_by_we_is_not_sent_when_only_the_candidates_part_is_compared(stance_heads):
    meaning, sent = _listening()
    stance = read_stance([WE_THEN_I], meaning, stance_heads, reads=("role",))
    assert stance is not None
    assert sent == [["and I rang every client myself"]]
    assert stance.p("lead", 0) > 0.5  # "I rang every client myself" is still read as the candidate's


def test_every_part_is_sent_when_both_readings_are_compared(stance_heads):
    meaning, sent = _listening()
    read_stance([WE_THEN_I, MIXED_ENDING], meaning, stance_heads)
    assert [t for call in sent for t in call] == fragments(WE_THEN_I) + fragments(MIXED_ENDING)


@pytest.mark.parametrize("reads", [("outcome",), ("role",)])
def test_what_the_caller_reads_is_what_reading_every_part_gives(stance_heads, reads):
    full_meaning, full_sent = _listening()
    full = read_stance(CLOSINGS, full_meaning, stance_heads)
    meaning, sent = _listening()
    lazy = read_stance(CLOSINGS, meaning, stance_heads, reads=reads)
    assert full is not None and lazy is not None
    if "outcome" in reads:
        np.testing.assert_array_equal(lazy.outcome, full.outcome)
        np.testing.assert_array_equal(lazy.vectors, full.vectors)
        assert lazy.said == full.said
    else:
        np.testing.assert_array_equal(lazy.role, full.role)
    sent_texts = [t for call in sent for t in call]
    assert set(sent_texts) < {t for call in full_sent for t in call}  # fewer texts, none new


ROUND_ONE_STORY = (
    "Last spring our returns desk was taking nine days to refund a customer. I was asked to get it under "
    "five. I mapped every step with the two clerks, I cut the manager sign-off for refunds under 50 "
    "pounds, and we moved the courier check to the same morning. By June refunds took three days."
)
RETOLD_STORY = (
    "That was the returns desk. Refunds took nine days, and I had to get them under a week. I walked the "
    "whole process with the clerks and dropped the sign-off for small refunds. By June we were at four days."
)


def test_round_one_is_read_as_the_session_starts_and_not_again_for_the_first_answer(monkeypatch):
    from simulator.catalog import load_rubrics
    from simulator.grading import semantic
    from simulator.grading.grader import grade_answer, warm_up
    from simulator.grading.request import GradeRequest
    from simulator.models import QA, RoundOne

    rubrics = load_rubrics()
    meaning, _ = _listening()
    read: list[str] = []
    real = semantic.read_clauses
    monkeypatch.setattr(
        semantic, "read_clauses", lambda text, *rest: read.append(text.clean) or real(text, *rest)
    )
    request = GradeRequest(
        question="You said refunds got faster. How did that happen?",
        answer=RETOLD_STORY,
        round_one=RoundOne(
            answers=[QA(question="Tell me about a process you improved.", answer=ROUND_ONE_STORY)]
        ),
    )
    thread = warm_up(request.round_one, rubrics, meaning)
    assert thread is not None
    thread.join()
    assert len(read) == 1 and "nine days" in read[0]  # round one, read in the background
    read.clear()
    grade = grade_answer(request, rubrics, meaning=meaning)
    assert len(read) == 1 and read[0].startswith("That was the returns desk")  # the answer alone
    assert grade.consistency.matched_round_one == "Tell me about a process you improved."
