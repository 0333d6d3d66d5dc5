"""Shared by the grading tests: the real rubrics, the dev sets, and a one-call grade."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import yaml

from simulator.catalog import ROOT, Rubrics, load_rubrics
from simulator.engines.base import GradeRequest
from simulator.grading.claims import Claim, extract
from simulator.grading.grader import grade_answer
from simulator.grading.text import analyse
from simulator.models import QA, AnswerGrade, Finding, Job, RoundOne

DATA = Path(__file__).resolve().parent / "data"


@cache
def rubrics() -> Rubrics:
    return load_rubrics(ROOT / "rubrics")


def grade(
    question: str,
    answer: str,
    *,
    kind: str | None = None,
    round_one: list[tuple[str, str]] | None = None,
    notes: str = "",
    company: str | None = None,
    with_rubrics: Rubrics | None = None,
    rules_only: bool = False,
) -> AnswerGrade:
    request = GradeRequest(
        question=question,
        answer=answer,
        round_one=RoundOne(answers=[QA(question=q, answer=a) for q, a in round_one or []], notes=notes),
        question_kind=kind,
        job=Job(title="Engineer", company=company, description="-") if company else None,
    )
    return grade_answer(request, with_rubrics or rubrics(), use_meaning=not rules_only)


def star_rows() -> list[dict]:
    lines = (DATA / "star_devset.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def consistency_pairs() -> list[dict]:
    return yaml.safe_load((DATA / "consistency_devset.yaml").read_text(encoding="utf-8"))["pairs"]


def quotes_in(text: str) -> list[str]:
    """The spans a feedback point quotes between straight single quotes (apostrophes inside allowed)."""
    out = []
    start = None
    for i, ch in enumerate(text):
        if ch != "'":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if start is None and not before.isalnum() and (after.isalnum() or after in "$£€"):
            start = i + 1
        elif start is not None and before not in " " and not after.isalnum():
            out.append(text[start:i])
            start = None
    return out


# A round one of two answers, the candidate's role and then the story an answer retells.
ROLE_Q = "Tell me about your role."
STORY_Q = "Tell me about a project you're proud of."


def round_one_story(role: str, story: str) -> list[tuple[str, str]]:
    return [(ROLE_Q, role), (STORY_Q, story)]


def problems(g: AnswerGrade) -> list[tuple[str, str]]:
    """The consistency findings a candidate would be asked about: (kind, category)."""
    return [
        (f.kind, f.category) for f in g.consistency.findings if f.kind in ("contradiction", "embellishment")
    ]


def claims_in(sentence: str) -> list[Claim]:
    """What the consistency check reads of one sentence (claims.extract)."""
    return extract(analyse(sentence, rubrics().star), rubrics().consistency)


def claims_of(sentence: str, category: str) -> list[Claim]:
    """What the consistency check reads of one sentence, of one category."""
    return [c for c in claims_in(sentence) if c.category == category]


def figures_in(sentence: str) -> list[tuple[str, str, float, float]]:
    """The amounts read in one sentence, as (category, kind, low, top): what two tellings compare."""
    return [
        (c.category, c.kind, round(c.low, 3), round(c.top, 3))
        for c in claims_in(sentence)
        if c.category in ("number", "team_size", "duration")
    ]


def problems_between(
    then: str, now: str, question: str = "Tell me about that again."
) -> list[tuple[str, str, str]]:
    """A story told in round one, then again: the findings the candidate is asked about, with the answer's quote."""
    g = grade(question, now, round_one=[("Tell me about a challenge.", then)])
    return [
        (f.kind, f.category, f.round_two_quote)
        for f in g.consistency.findings
        if f.kind in ("contradiction", "embellishment")
    ]


def assert_no_change(g: AnswerGrade, category: str) -> None:
    """The grade asks the candidate about nothing in `category`: no contradiction, no embellishment."""
    assert all(c != category for _, c in problems(g)), g.consistency.findings


def finding(g: AnswerGrade, category: str) -> Finding:
    return next(f for f in g.consistency.findings if f.category == category and f.kind != "elaboration")


def assert_verbatim(g: AnswerGrade, round_one: list[tuple[str, str]], answer: str) -> None:
    """Every finding quotes both rounds word for word."""
    for f in g.consistency.findings:
        assert f.round_two_quote and f.round_two_quote in answer, f.round_two_quote
        assert any(f.round_one_quote in a for _, a in round_one), f.round_one_quote


def assert_change(
    g: AnswerGrade,
    problem: tuple[str, str],
    *,
    then: str,
    now: str,
    alone: bool = False,
    round_one: list[tuple[str, str]] | None = None,
    answer: str | None = None,
) -> None:
    """The grade finds `problem` (the only one if `alone`), its finding quotes `then` from round one and
    `now` from round two, and (given round_one and answer) every finding quotes both rounds word for word."""
    if alone:
        assert problems(g) == [problem], g.consistency.findings
    else:
        assert problem in problems(g), g.consistency.findings
    f = finding(g, problem[1])
    assert then in f.round_one_quote, f.round_one_quote
    assert now in f.round_two_quote, f.round_two_quote
    if round_one is not None and answer is not None:
        assert_verbatim(g, round_one, answer)
