"""The LLM judge, and the rules that guard it.

The prompt puts what never changes first (instructions and the rubric files, in the system message),
then the role, round one and the question, and the answer last, between escaped markers, as data. The verdict is structured output into `JudgeVerdict`, whose
fields ask for reasons and evidence before numbers. A reply that does not validate is sent back
once with the error (a re-ask); a second failure is a `MalformedReply` and the engine falls back.

The rule-based grade always runs first and guards the judge:
- an answer the rules find ungradable is never sent to the judge and never gets a score;
- every contradiction the rules found, with its quotes, is kept whatever the judge says;
- the judge's quotes must really be in the answer (and in round one); invented ones are dropped;
- an answer that tries to instruct the grader is flagged `prompt_injection` and can score no
  higher than the rules gave it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field, ValidationError

from simulator.catalog import Rubrics
from simulator.engines.base import GradeRequest
from simulator.engines.fallback import MalformedReply
from simulator.engines.prompting import (
    Prompt,
    fit_by_relevance,
    keyed_lines,
    render,
    round_one_lines,
    template_hash,
)
from simulator.engines.tokens import TokenCounter
from simulator.grading.rubric import STAR_PARTS, PartName
from simulator.models import AnswerGrade, Finding, GraderInfo, StarComponent

KNOWN_FLAGS = (
    "hypothetical",
    "no_result",
    "we_not_i",
    "rambling",
    "vague",
    "no_numbers",
    "overconfident",
    "salary_too_early",
    "prompt_injection",
)
MIN_VARIABLE_TOKENS = 250  # the answer, the question and some round one: less, and the verdict is a guess
ANSWER_SHARE = 0.45  # of the budget: an answer longer than this is cut (and was rambling anyway)
JOB_SHARE = 0.15
ROUND_ONE_SHARE = 0.25

# Phrases that address the grader rather than the interviewer. The rules may flag more.
_INJECTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rubric|prompt|rules)\b"
    r"|\b(system prompt|you are now|as an ai|language model)\b"
    r"|\b(give|grade|score|rate|mark)\b.{0,30}\b(this|me|my answer|it)\b.{0,30}"
    r"\b(5|five|10|ten|full marks|top)\b"
    r"|\b(grader|judge|evaluator|assistant)\b\s*[:,]"
    r"|\bnew instructions?\b",
    re.IGNORECASE | re.DOTALL,
)


class PromptTooLong(ValueError):
    """The static part of a prompt leaves no room for the variable part within the budget."""


# ---------------------------------------------------------------- the output contract


# The verdict asks for labels and bounded lists rather than free numbers and open lists: a server
# that constrains output to the schema (llama.cpp, OpenAI's strict mode) then cannot produce an
# out-of-range value, nor list until the reply is cut off mid-JSON. Labels map to the 0-1 scale.
Presence = Literal["absent", "weak", "partial", "clear"]
PRESENCE = {"absent": 0.0, "weak": 0.3, "partial": 0.6, "clear": 1.0}
Telling = Literal["poor", "fair", "good", "strong"]
TELLING = {"poor": 0.2, "fair": 0.45, "good": 0.7, "strong": 0.95}
Quote = Annotated[str, Field(max_length=300)]
Point = Annotated[str, Field(max_length=300)]


class StarEvidence(BaseModel):
    evidence: list[Quote] = Field(
        default_factory=list,
        max_length=3,
        description="exact words copied from the answer that show this part; empty if absent",
    )
    level: Presence = Field(description="absent, weak, partial or clear")


class JudgedConflict(BaseModel):
    kind: Literal["contradiction", "embellishment", "omission"] = Field(
        "contradiction",
        description="contradiction: the facts disagree; embellishment: today's version flatters the "
        "candidate; omission: something that mattered in round one is left out",
    )
    category: Literal["number", "team_size", "date", "duration", "role", "outcome", "other"]
    round_two_quote: Quote = Field(description="exact words from the answer")
    round_one_quote: Quote = Field(description="exact words from round one")
    explanation: Point = Field(description="one sentence: what disagrees")


class Review(BaseModel):
    item: int = Field(ge=1, le=12, description="the number of the rules' proposal")
    keep: bool
    reason: Point = Field(description="one sentence: why it stands or why it is wrong")


QuestionKind = Literal["behavioural", "skills", "case", "culture", "potential", "pressure"]


class JudgeVerdict(BaseModel):
    """Your grade of one interview answer. Fill the fields in order: reasons and evidence before numbers."""

    reason: str = Field(
        max_length=800, description="two to four sentences on what the answer shows and lacks"
    )
    question_kind: QuestionKind | None = Field(
        None, description="only when the question's kind is not given: which kind it is"
    )
    proposed: list[Review] = Field(
        default_factory=list, max_length=8, description="your ruling on each numbered proposal of the rules"
    )
    situation: StarEvidence
    task: StarEvidence
    action: StarEvidence
    result: StarEvidence
    contradictions: list[JudgedConflict] = Field(default_factory=list, max_length=3)
    flags: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=6, description=f"any of: {', '.join(KNOWN_FLAGS)}"
    )
    feedback: list[Point] = Field(
        default_factory=list, max_length=3, description="up to three short, specific points"
    )
    structure: Telling = Field(description="how well it is told as a story that ends in a result")
    score: Literal[1, 2, 3, 4, 5] = Field(description="overall, on the rubric's 1-5 scale")


# ---------------------------------------------------------------- the prompt


# Parts of a rubric file that are machinery for the rule-based grader (regular expressions, cue
# lists, feedback templates, number tables), not prose a judge can use.
_MACHINERY_KEYS = frozenset(
    {
        "vocabulary",
        "cues",
        "patterns",
        "signals",
        "feedback",
        "transcript",
        "ungradable",
        "explanations",
        "number_words",
        "currency",
        "hedges",
        "team_nouns",
        "team_context",
        "team_patterns",
        "duration_units",
        "duration_lead_ins",
        "duration_trails",
        "not_duration",
        "gain_cues",
        "cut_cues",
        "self_role",
        "named_slots",
        "credit",
        "negations",
        "matching",
        "roles",
        "outcomes",
    }
)
_REGEX_HINT = re.compile(r"\\[wdsbS]|\(\?|\[\^|\|\w")


def _is_prose(text: str) -> bool:
    return len(text) >= 20 and " " in text and "{" not in text and not _REGEX_HINT.search(text)


def _prose_lines(node: Any, indent: str = "") -> list[str]:
    lines: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _MACHINERY_KEYS:
                continue
            if isinstance(value, str):
                if _is_prose(value):
                    lines.append(f"{indent}{key}: {' '.join(value.split())}")
            elif isinstance(value, dict | list):
                inner = _prose_lines(value, indent + "  ")
                if inner:
                    lines += [f"{indent}{key}:", *inner]
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and "anchor" in item and "score" in item:
                lines.append(f"{indent}- {item['score']}: {' '.join(str(item['anchor']).split())}")
            elif isinstance(item, dict):
                lines += _prose_lines(item, indent)
    return lines


# Which sections of the STAR rubric file apply to which way of grading (the file's `kinds.<kind>.grade_as`).
# The judge reads only the sections for the question in front of it; an unknown layout is sent whole.
_SECTIONS_BY_GRADING = {
    "star": ("parts", "scale"),
    "reasoning": ("reasoning",),
    "culture": ("culture",),
    "story_or_reasoning": ("parts", "scale", "reasoning"),
}


def _star_sections(data: dict[str, Any], question_kind: str | None) -> dict[str, Any]:
    kinds = data.get("kinds")
    grading = kinds.get(question_kind or "", {}).get("grade_as") if isinstance(kinds, dict) else None
    keep = _SECTIONS_BY_GRADING.get(str(grading))
    if keep is None:
        return data
    optional = {key for keys in _SECTIONS_BY_GRADING.values() for key in keys} - set(keep)
    return {key: value for key, value in data.items() if key not in optional and key != "kinds"}


def rubric_text(rubrics: Rubrics, question_kind: str | None = None) -> str:
    """The answer-level rubric files as the judge reads them: the definitions and score anchors that
    apply to this kind of question, without the rule grader's patterns."""
    star = _star_sections(rubrics.star.model_dump(mode="json"), question_kind)
    parts = []
    for title, data in (
        ("STAR and answer quality", star),
        ("Consistency with round one", rubrics.consistency.model_dump(mode="json")),
    ):
        parts.append("\n".join([f"## {title} (version {data.get('version', '?')})", *_prose_lines(data)]))
    return "\n\n".join(parts)


def judge_prompt_hash(rubrics: Rubrics, question_kind: str | None = None) -> str:
    return _judge_hash(rubric_text(rubrics, question_kind))


def _judge_hash(rubric: str) -> str:
    return template_hash("judge_system", "judge", extra=rubric)


def build_judge_prompt(
    request: GradeRequest,
    rubrics: Rubrics,
    counter: TokenCounter,
    budget: int,
    question_kind: str | None = None,
    proposals: list[Proposal] | None = None,
) -> Prompt:
    """`question_kind` is the kind the rules settled on (they infer it when the request has none).

    The static part (instructions and rubric) is the system message, so a server's prompt cache can
    reuse it; the variable part comes last. `budget` covers everything sent: the shares of the job,
    round one and the answer are taken from what the static part and the question leave.
    PromptTooLong when they leave too little to grade on.
    """
    kind = question_kind or request.question_kind
    rubric = rubric_text(rubrics, kind)
    job = request.job
    system = render("judge_system", rubric=rubric, flags=", ".join(KNOWN_FLAGS))
    question = counter.truncate(request.question, 300)
    slots = {
        "job_title": job.title if job else "(not given)",
        "company": job.company if job else "(not given)",
        "level": f" ({job.level})" if job and job.level else "",
        "question_kind": (kind or request.question_kind or "")
        if request.question_kind
        else (f"kind not given; the rules guess {kind}" if kind else "kind not given"),
        "question": question,
        "proposals": proposals_text(proposals) if proposals else "(none)",
    }
    skeleton = render("judge", **slots, job_description="", round_one="", answer="")
    fixed = counter.count_messages([system, skeleton])
    room = budget - fixed
    if room < MIN_VARIABLE_TOKENS:
        raise PromptTooLong(
            f"the judge's instructions and rubric take {fixed} of its {budget}-token budget, leaving no room "
            "for the answer (raise ROUNDTWO_JUDGE_BUDGET, or the server's context size)"
        )
    human = render(
        "judge",
        **slots,
        job_description=counter.truncate(job.description, int(room * JOB_SHARE)) if job else "",
        round_one=fit_by_relevance(
            round_one_lines(request.round_one),
            f"{request.question} {request.answer}",
            counter,
            int(room * ROUND_ONE_SHARE),
        )
        or "(nothing recorded)",
        answer=escape_markers(counter.truncate(request.answer, int(room * ANSWER_SHARE))),
    )
    return Prompt(
        task="judge",
        messages=[SystemMessage(system), HumanMessage(human)],
        template_hash=_judge_hash(rubric),  # the rubric as rendered above, not rendered again
        tokens=counter.count_messages([system, human]),
    )


Proposal = tuple[str, str]  # ("flag", name) or ("finding", index into the rules' findings as text)


def rule_proposals(rules: AnswerGrade) -> list[Proposal]:
    """What the rules and the semantic layer propose, numbered in this order for the judge to rule on.
    A prompt injection is never up for review."""
    flags: list[Proposal] = [("flag", flag) for flag in rules.flags if flag != "prompt_injection"]
    findings: list[Proposal] = [
        ("finding", f"{f.kind} ({f.category}): today {f.round_two_quote!r}; round one {f.round_one_quote!r}")
        for f in rules.consistency.findings
    ]
    return (flags + findings)[:8]


def proposals_text(proposals: list[Proposal]) -> str:
    return "\n".join(
        f"{number}. {'flag ' if what == 'flag' else ''}{escape_markers(text)}"
        for number, (what, text) in enumerate(proposals, start=1)
    )


def escape_markers(answer: str) -> str:
    """The answer cannot close its own markers: `ANSWER>>>` inside it would end the data early."""
    return answer.replace("<<<", "< < <").replace(">>>", "> > >")


# ---------------------------------------------------------------- asking, with one re-ask

# Calls the structured model with these messages; returns langchain's include_raw dict
# {"raw": AIMessage, "parsed": JudgeVerdict | None, "parsing_error": Exception | None}.
StructuredCall = Callable[[list[BaseMessage]], dict[str, Any]]


def _problem(result: dict[str, Any]) -> str | None:
    error = result.get("parsing_error")
    if isinstance(error, ValidationError):
        details = [
            f"{'.'.join(str(p) for p in e['loc']) or 'verdict'}: {e['msg']}" for e in error.errors()[:4]
        ]
        return "; ".join(details)
    if isinstance(error, MalformedReply):
        return str(error)
    if error is not None:
        return f"it was not valid JSON for the verdict ({type(error).__name__})"
    if not isinstance(result.get("parsed"), JudgeVerdict):
        return "no verdict came back: reply with the verdict in the requested structure"
    return None


def reask_messages(messages: list[BaseMessage], raw: BaseMessage | None, problem: str) -> list[BaseMessage]:
    """The conversation with the failed reply and the error appended, as instructor does it.

    The failed reply goes back as plain assistant text (a tool call's arguments as JSON), not as a
    tool call: some OpenAI-compatible servers (llama.cpp's) reject assistant tool-call messages.
    """
    note = (
        f"Your verdict could not be used: {problem}. Send the complete verdict again, every field filled, "
        "in the same structure."
    )
    said = reply_text(raw)
    return [*messages, AIMessage(said), HumanMessage(note)] if said else [*messages, HumanMessage(note)]


def reply_text(raw: BaseMessage | None) -> str:
    """What a reply said: a tool call's arguments as JSON, or its text."""
    if not isinstance(raw, AIMessage):
        return ""
    if raw.tool_calls:
        return json.dumps(raw.tool_calls[0].get("args", {}))
    if raw.invalid_tool_calls:
        return str(raw.invalid_tool_calls[0].get("args") or "")
    return raw.content if isinstance(raw.content, str) else ""


def ask_verdict(call: StructuredCall, messages: list[BaseMessage]) -> tuple[JudgeVerdict, int]:
    """The verdict and how many calls it took (1, or 2 after a re-ask). MalformedReply if both fail."""
    first = call(messages)
    problem = _problem(first)
    if problem is None:
        return first["parsed"], 1
    second = call(reask_messages(messages, first.get("raw"), problem))
    again = _problem(second)
    if again is None:
        return second["parsed"], 2
    raise MalformedReply(f"the verdict did not validate twice ({again})")


# ---------------------------------------------------------------- the guard

_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(
        " ", text.lower().replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    ).strip()


def quoted_from(quote: str, source: str) -> bool:
    """Is the quote really in the source (ignoring case, spacing, surrounding quotes and dots)?"""
    cleaned = _normal(quote).strip(" \"'.,;:!?\u2026")
    return len(cleaned) >= 3 and cleaned in _normal(source)


def looks_like_injection(answer: str) -> bool:
    return bool(_INJECTION.search(answer))


def _round_one_text(request: GradeRequest) -> str:
    return "\n".join(round_one_lines(request.round_one))


def guard_verdict(
    verdict: JudgeVerdict,
    rules: AnswerGrade,
    request: GradeRequest,
    *,
    rubric_version: str,
    model: str,
    prompt_hash: str,
    engine: str = "openai",
) -> AnswerGrade:
    """The judge's verdict as an AnswerGrade, checked against the rule-based grade of the same answer."""
    if rules.status != "graded":
        return rules  # never score what the rules could not grade
    answer = request.answer
    star: dict[PartName, StarComponent] = {}
    for part in STAR_PARTS:
        judged: StarEvidence = getattr(verdict, part)
        evidence = [q.strip() for q in judged.evidence if quoted_from(q, answer)]
        rule_part = rules.star.get(part)
        if not evidence and rule_part is not None and rule_part.evidence:
            # The judge quoted nothing real for a part the rules can quote: the rules' quotes stand,
            # with their score (never "absent, 0.00" beside a quote that shows it).
            star[part] = rule_part.model_copy(update={"score": max(rule_part.score, PRESENCE[judged.level])})
            continue
        star[part] = StarComponent(score=PRESENCE[judged.level], evidence=evidence)

    proposals = rule_proposals(rules)
    rejected = {
        r.item: r.reason.strip() or "no reason given"
        for r in verdict.proposed
        if not r.keep and 1 <= r.item <= len(proposals)
    }
    dropped_flags = {proposals[i - 1][1] for i in rejected if proposals[i - 1][0] == "flag"}
    flag_count = sum(1 for what, _ in proposals if what == "flag")
    dropped_findings = {i - 1 - flag_count for i in rejected if proposals[i - 1][0] == "finding"}
    findings = [f for n, f in enumerate(rules.consistency.findings) if n not in dropped_findings]
    seen = {_normal(f.round_two_quote) for f in rules.consistency.findings}
    round_one = _round_one_text(request)
    for conflict in verdict.contradictions:
        today_quoted = quoted_from(conflict.round_two_quote, answer) or (
            conflict.kind == "omission" and not conflict.round_two_quote.strip()
        )
        if not (today_quoted and quoted_from(conflict.round_one_quote, round_one)):
            continue  # a finding the judge cannot quote is not evidence
        if conflict.round_two_quote.strip() and _normal(conflict.round_two_quote) in seen:
            continue
        findings.append(
            Finding(
                kind=conflict.kind,
                category=conflict.category,
                round_two_quote=conflict.round_two_quote.strip(),
                round_one_quote=conflict.round_one_quote.strip(),
                explanation=conflict.explanation.strip() or "differs from round one",
            )
        )

    flags = [flag for flag in rules.flags if flag not in dropped_flags]
    for flag in verdict.flags:
        if flag in KNOWN_FLAGS and flag not in flags and flag not in dropped_flags:
            flags.append(flag)
    # The score agrees with the flags that survived: a story with no result cannot be a 5.
    caps = {flag: int(cap) for flag, cap in keyed_lines("judge_flag_caps").items()}
    overall: int = min([verdict.score, *(caps[f] for f in flags if f in caps)])
    structure = TELLING[verdict.structure]
    feedback = [f.strip() for f in verdict.feedback if f.strip()][:3] or list(rules.feedback)
    injected = "prompt_injection" in flags or looks_like_injection(answer)
    if injected:
        if "prompt_injection" not in flags:
            flags.append("prompt_injection")
        # Gains nothing: no part of the grade may beat what the rules gave.
        overall = min(overall, rules.overall or 1)
        structure = min(structure, rules.structure if rules.structure is not None else 0.0)
        for part, component in star.items():
            rule_part = rules.star.get(part)
            ceiling = rule_part.score if rule_part is not None else 0.0
            star[part] = component.model_copy(update={"score": min(component.score, ceiling)})
        feedback = [
            "The answer contained instructions aimed at the grader; they were ignored and earned nothing.",
            *feedback,
        ][:3]
    if any(f.kind == "contradiction" for f in findings) and not any(
        "round one" in f.lower() for f in feedback
    ):
        feedback = [
            *feedback[:2],
            "Part of this answer disagrees with what you said in round one; see the quotes.",
        ]

    return rules.model_copy(
        update={
            "status": "graded",
            "overall": overall,
            "structure": structure,
            "star": star,
            "consistency": rules.consistency.model_copy(update={"findings": findings}),
            "flags": flags,
            "feedback": feedback,
            "question_kind": verdict.question_kind
            if request.question_kind is None and verdict.question_kind
            else rules.question_kind,
            "rationale": rationale(
                verdict.reason, [(proposals[i - 1][1], why) for i, why in rejected.items()]
            ),
            "grader": GraderInfo(
                engine=engine, model=model, rubric_version=rubric_version, prompt_hash=prompt_hash
            ),
        }
    )


def rationale(reason: str, rejected: list[tuple[str, str]]) -> str | None:
    """The judge's reasoning, with every proposal of the rules it rejected and why."""
    lines = [reason.strip()] if reason.strip() else []
    lines += [f"Rejected {what}: {why}" for what, why in rejected]
    return "\n".join(lines) or None


def advisory_grade(rules: AnswerGrade, judged: AnswerGrade, model: str, trust_line: str) -> AnswerGrade:
    """The offline grade, with the advisory judge's grade beside it in the rationale: never over it."""
    said = f"Advisory judge ({model}) would give {judged.overall}/5"
    reason = f": {judged.rationale}" if judged.rationale else ""
    return rules.model_copy(update={"rationale": f"{said}{reason} [{trust_line}]"})
