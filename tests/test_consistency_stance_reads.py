"""Which answer clauses go to the stance heads (consistency._worth_reading): only those whose reading can
still change a finding. Each costs tens of ms of the model; the findings must be the ones found when
every first-person clause and every closing clause was read, as before."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from simulator.catalog import load_rubrics
from simulator.grading import consistency
from simulator.grading.grader import grade_answer, warm_up
from simulator.grading.outcome_change import is_setting
from simulator.grading.request import GradeRequest
from simulator.grading.semantic import CachingEmbedder, E5Embedder, Meaning, shipped_heads
from simulator.grading.text import Text
from simulator.models import QA, RoundOne

STORY = (
    "At Brightline I was one of the people helping on the pricing work, which Dana ran. We moved the "
    "enterprise plans to usage-based pricing, and churn on those plans went from 9% to 6% in two quarters."
)
# No "I led": the heads read the part, clause by clause, and the ending changed.
MY_PART = (
    "On the Brightline pricing change the whole thing sat with me. I interviewed twenty enterprise "
    "customers and I built the usage model in SQL. In the end churn went up and we lost two of the "
    "biggest accounts that year."
)
JUNIOR = (
    "As a junior analyst I worked on moving our billing system to the cloud. I did most of the testing "
    "of the invoice runs. We went live in March."
)
# "i was leading that" in so many words, against a junior's part: the rules read the part, so the
# first-person clauses need no reading by the heads, and the ending is told the same.
LEADING_IT = (
    "so the billing move to the cloud, i was leading that on our side, basically the finance team came to "
    "me for everything. i tested all the invoice runs, i found the rounding errors in two of them, and i "
    "ran the fixes. and we went live in march."
)


class Recording(E5Embedder):
    """The shipped model, keeping every text sent to it."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.sent += list(texts)
        return super().embed(texts)


def _every_first_person_and_closing_clause(answer: Text, reading, told: set[str], said) -> list[bool]:
    """The rule before: every clause in the first person, and every closing clause not the setting."""
    n = len(answer.clauses)
    return [
        ("role" not in told and bool(consistency._SELF.search(c.text)))
        or ("outcome" not in told and i >= n - consistency.ENDING_CLAUSES and not is_setting(reading, i))
        for i, c in enumerate(answer.clauses)
    ]


def _grade(answer: str, story: str) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    heads = shipped_heads()
    assert heads is not None
    model = Recording()
    meaning = Meaning(CachingEmbedder(model), heads)
    rubrics = load_rubrics()
    request = GradeRequest(
        question="Walk me through the pricing change.",
        answer=answer,
        round_one=RoundOne(answers=[QA(question="Tell me about a project you worked on.", answer=story)]),
    )
    thread = warm_up(request.round_one, rubrics, meaning)
    assert thread is not None
    thread.join()
    model.sent.clear()
    graded = grade_answer(request, rubrics, meaning=meaning)
    findings: list[tuple[str, str, str, str]] = [
        (f.kind, f.category, f.round_two_quote, f.round_one_quote) for f in graded.consistency.findings
    ]
    return findings, list(model.sent)


@pytest.mark.parametrize(("answer", "story"), [(MY_PART, STORY), (LEADING_IT, JUNIOR)])
def test_the_findings_are_those_of_reading_every_clause_with_no_more_sent(
    answer: str, story: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    now, sent_now = _grade(answer, story)
    with monkeypatch.context() as patch:
        patch.setattr(consistency, "_worth_reading", _every_first_person_and_closing_clause)
        before, sent_before = _grade(answer, story)
    assert now == before
    assert now, "each retelling changes something: a finding to keep"
    assert set(sent_now) <= set(sent_before)


def test_once_the_rules_read_i_was_leading_that_the_clauses_are_not_read_for_the_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    findings, sent = _grade(LEADING_IT, JUNIOR)
    assert findings == [
        (
            "embellishment",
            "role",
            "the billing move to the cloud, i was leading that on our side, basically the finance team "
            "came to me for everything",
            "As a junior analyst I worked on moving our billing system to the cloud",
        )
    ]
    for fragment in (
        "i was leading that on our side",
        "i tested all the invoice runs",
        "and i ran the fixes.",
    ):
        assert fragment not in sent
    with monkeypatch.context() as patch:  # the rule before sent them all
        patch.setattr(consistency, "_worth_reading", _every_first_person_and_closing_clause)
        _, sent_before = _grade(LEADING_IT, JUNIOR)
    assert "i was leading that on our side" in sent_before
