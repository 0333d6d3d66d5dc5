"""The offline rules an LLM engine builds on, taken as a dependency.

The LLM engine never grades alone: the rules grade every answer first, an answer they cannot grade
never reaches the judge, the judge's prompt lists their flags and findings for it to rule on, and a
judge that fails leaves their grade. A follow-up's reply is graded by the rules too, and two flow
decisions read the answer by rule (is pay raised, for a remark; does a long answer reach a result, or
is it a ramble to cut into). The engine asks for these through `RuleGrader`, so whoever builds it
chooses where they come from: the offline engine by default; in the cassette tests, the grades the
rules gave when the cassettes were recorded, so a change to the grader does not change the prompts a
cassette replays.
"""

from __future__ import annotations

from typing import Protocol

from simulator.flow_policy import RuleReadings
from simulator.grading.request import GradeRequest
from simulator.models import AnswerGrade, ReplyGrade


class RuleGrader(RuleReadings, Protocol):
    """The rules' grades, and their two flow readings (`RuleReadings`: pay raised, result reached)."""

    def grade(self, request: GradeRequest) -> AnswerGrade:
        """The rules' grade of one answer (the story so far, for a follow-up's reply)."""
        ...

    def grade_reply(self, follow_up: str, reply: str, reason: str | None) -> ReplyGrade:
        """Did the reply answer what the follow-up asked (`reason`: why it was asked, if known)?"""
        ...
