"""The judge verifies what the rules propose (issue 9): it may reject a flag or finding with a
stored reason, report embellishments and omissions, decide an untagged question's kind, and its
score agrees with the flags that survive."""

from __future__ import annotations

from llm_fakes import verdict_fields

from simulator.catalog import load_rubrics
from simulator.engines.base import GradeRequest
from simulator.engines.judge import JudgeVerdict, build_judge_prompt, guard_verdict, rule_proposals
from simulator.engines.offline import OfflineEngine
from simulator.engines.tokens import TokenCounter
from simulator.models import QA, AnswerGrade, RoundOne

RUBRICS = load_rubrics()
NO_RESULT = (
    "Last year our warehouse kept losing pallets. I owned the inventory process, so I mapped every "
    "handover and introduced barcode scans at each dock door."
)
ROUND_ONE = RoundOne(
    answers=[
        QA(
            question="Tell me about the warehouse project.",
            answer="I mapped the handovers with two colleagues and my manager approved the barcode scans.",
        )
    ]
)
REQUEST = GradeRequest(question="Tell me about a process you fixed.", answer=NO_RESULT, round_one=ROUND_ONE)


def rule_grade() -> AnswerGrade:
    """The rules' grade, proposing `no_result` (set here: the rules' own cues are tuned elsewhere)."""
    return OfflineEngine(RUBRICS).grade(REQUEST).model_copy(update={"flags": ["no_result"]})


def judge(**overrides: object) -> tuple[JudgeVerdict, AnswerGrade]:
    rules = rule_grade()
    verdict = JudgeVerdict.model_validate(verdict_fields(NO_RESULT, score=5, **overrides))
    return verdict, rules


def test_the_rules_proposals_are_in_the_prompt_numbered() -> None:
    rules = rule_grade()
    prompt = build_judge_prompt(
        REQUEST, RUBRICS, TokenCounter("gpt-4o"), 4200, rules.question_kind, rule_proposals(rules)
    )
    human = str(prompt.messages[-1].content)
    number = [p[1] for p in rule_proposals(rules)].index("no_result") + 1
    assert f"{number}. flag no_result" in human
    assert "kind not given; the rules guess" in human  # the judge decides an untagged question's kind
    assert "speech fillers" in str(prompt.messages[0].content)


def test_a_surviving_flag_caps_the_score() -> None:
    verdict, rules = judge()
    graded = guard_verdict(verdict, rules, REQUEST, rubric_version="v", model="m", prompt_hash="h")
    assert "no_result" in graded.flags and graded.overall == 3  # the judge said 5; no result, no 5


def test_a_rejected_flag_is_dropped_with_its_reason_stored() -> None:
    number = [p[1] for p in rule_proposals(rule_grade())].index("no_result") + 1
    review = [{"item": number, "keep": False, "reason": "The scans stopped the losses: that is the result."}]
    verdict, rules = judge(proposed=review, question_kind="behavioural")
    graded = guard_verdict(verdict, rules, REQUEST, rubric_version="v", model="m", prompt_hash="h")
    assert "no_result" not in graded.flags and graded.overall == 5
    assert graded.rationale and "Rejected no_result: The scans stopped the losses" in graded.rationale
    assert graded.question_kind == "behavioural"


def test_the_judge_reports_an_embellishment_and_an_omission_it_can_quote() -> None:
    findings = [
        {
            "kind": "embellishment",
            "category": "role",
            "round_two_quote": "I owned the inventory process",
            "round_one_quote": "my manager approved the barcode scans",
            "explanation": "Round one says the manager decided; today the candidate owned it.",
        },
        {
            "kind": "omission",
            "category": "team_size",
            "round_two_quote": "",
            "round_one_quote": "with two colleagues",
            "explanation": "The two colleagues are gone from today's telling.",
        },
        {
            "kind": "omission",
            "category": "other",
            "round_two_quote": "",
            "round_one_quote": "a quote that is not in round one",
            "explanation": "invented",
        },
    ]
    verdict, rules = judge(contradictions=findings)
    graded = guard_verdict(verdict, rules, REQUEST, rubric_version="v", model="m", prompt_hash="h")
    kinds = {(f.kind, f.round_one_quote) for f in graded.consistency.findings}
    assert ("embellishment", "my manager approved the barcode scans") in kinds
    assert ("omission", "with two colleagues") in kinds
    assert all("not in round one" not in quote for _, quote in kinds)
