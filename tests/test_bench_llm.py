"""bench.llm counts the judge's prompt as the engine built it, without grading any answer again.

The bench wraps a real LLM engine (a scripted fake model here, as when no cassette is recorded) and
plays the scripted session; the rules it builds on count how often each answer is graded.
"""

from __future__ import annotations

from collections import Counter

from bench.llm import token_figures
from simulator.catalog import load_rubrics
from simulator.engines.offline import OfflineEngine
from simulator.engines.openai_engine import OpenAIEngine
from simulator.grading.request import GradeRequest
from simulator.models import AnswerGrade
from tests.llm_fakes import Roleplay, ScriptedChatModel
from tests.llm_session import SCRIPT


class CountedRules(OfflineEngine):
    """The offline rules, counting the answers they grade."""

    def __init__(self) -> None:
        super().__init__(load_rubrics())
        self.graded: Counter[str] = Counter()

    def grade(self, request: GradeRequest) -> AnswerGrade:
        self.graded[request.answer] += 1
        return super().grade(request)


def test_the_bench_counts_the_judge_prompt_without_grading_an_answer_twice() -> None:
    rules = CountedRules()

    def engine() -> OpenAIEngine:
        return OpenAIEngine(ScriptedChatModel(responder=Roleplay()), rules.rubrics, rules=rules)

    figures = token_figures(engine, SCRIPT, replaying=False)
    assert figures.sent > figures.sent_speaking > 0  # the judge's prompts were counted too
    assert rules.graded and set(rules.graded.values()) == {1}, rules.graded.most_common(3)
