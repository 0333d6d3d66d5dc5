"""Round-one changes said without numbers: outcomes, vague durations, tools and places, supporting parts."""

from __future__ import annotations

import pytest

from simulator.catalog import load_rubrics
from simulator.engines.base import GradeRequest
from simulator.grading.grader import grade_answer
from simulator.models import QA, RoundOne


def _problems(round_one: str, answer: str) -> list[tuple[str, str]]:
    request = GradeRequest(
        question="Tell me more about that.",
        answer=answer,
        round_one=RoundOne(answers=[QA(question="Tell me about a project you ran.", answer=round_one)]),
    )
    grade = grade_answer(request, load_rubrics())
    return [(f.kind, f.category) for f in grade.consistency.findings if f.kind != "elaboration"]


@pytest.mark.parametrize(
    ("round_one", "answer", "expected"),
    [
        (
            "At Pollard Print I looked after the Vantage account. They were unhappy with the proofs, so I "
            "set up a daily check-in and rebuilt the proofing checklist. We kept the client.",
            "so the Vantage account at Pollard, they hated our proofs. I did a daily check-in with them and "
            "rebuilt the proofing checklist, but honestly we lost them anyway at the end of the year.",
            ("contradiction", "outcome"),
        ),
        (
            "At Dunmore Surveys I ran the survey of the harbour walls. It took most of a year because of "
            "the tides. I planned the visits around the low-water windows.",
            "At Dunmore Surveys I ran the harbour wall survey. I planned every visit around the low-water "
            "windows and we got the whole survey done in about five weeks.",
            ("contradiction", "duration"),
        ),
        (
            "At Kettering Foods I rebuilt the sales reporting in Looker so the regional leads had one view. "
            "It cut the weekly prep from a day to an hour.",
            "At Kettering Foods I rebuilt the sales reporting as a set of Qlik dashboards so the regional "
            "leads had one view. It cut the weekly prep from a day to an hour.",
            ("contradiction", "other"),
        ),
        (
            "I volunteered at the Eastgate tenants' association. I noticed repairs requests were getting "
            "lost, so I suggested a shared log. Requests stopped going missing.",
            "at Eastgate, as the programme manager there, I saw repair requests going missing, so I brought "
            "in a shared log and they stopped going missing.",
            ("embellishment", "role"),
        ),
    ],
)
def test_a_change_said_without_numbers_is_found(
    round_one: str, answer: str, expected: tuple[str, str]
) -> None:
    assert expected in _problems(round_one, answer)


def test_a_reworded_retelling_with_a_rate_and_a_late_season_stays_clean() -> None:
    round_one = (
        "In late 2020 at Brackley Water I led work to cut call-outs. We were getting about 30 call-outs a "
        "week. I retired every alarm nobody had acted on in a month. We got it down to under 8 a week."
    )
    answer = (
        "so late twenty twenty at Brackley, we were getting like thirty call-outs a week. I went through "
        "every alarm and if nobody had acted on it in the last month it went. and we got it under eight a week."
    )
    assert _problems(round_one, answer) == []
