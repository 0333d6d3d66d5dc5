"""Drills: one interviewer asking only one question, or only questions of one competency.

A drill is an ordinary session whose plan carries a `Drill`: a one-slot panel whose interviewer's
bank is cut down to the drill's questions (so every engine asks from it and nothing else), with a
drill's own intro and close. Answers are graded exactly as in a round; when the questions run out
the drill ends, with no time for the candidate's questions (see `Interview._invite`).

Pure: the caller brings the personas, the rubrics and the setup a drill is built from.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import Field

from simulator.catalog import DEFAULT_PANEL, Rubrics
from simulator.grading.debrief import persona_focus
from simulator.grading.kinds import infer_kind
from simulator.models import (
    DIMENSIONS,
    BankQuestion,
    Dimension,
    Drill,
    Job,
    Persona,
    QuestionCategory,
    Session,
    Setup,
    Slot,
    Strict,
    WrapUpLines,
)
from simulator.orchestrator import InterviewError
from simulator.pressure import profile
from simulator.skills import job_family

DATA = Path(__file__).parent.parent / "data" / "drill.yaml"
DRILL_QUESTION_ID = "drill_question"  # a question typed by the candidate, not from a bank
MIN_QUESTION_CHARS = 10


class DrillError(InterviewError):
    """The drill asked for cannot be built (an unknown competency, a question too short, ...)."""


class DrillLines(Strict):
    intro: list[str] = Field(min_length=1)
    wrap_up: list[str] = Field(min_length=1)
    farewell: list[str] = Field(min_length=1)


class DrillSettings(Strict):
    questions: int = Field(ge=1, le=10)
    minutes_per_question: int = Field(ge=2, le=30)
    also_asks: dict[Dimension, list[QuestionCategory]] = Field(default_factory=dict)
    needs_round_one: list[Dimension] = Field(default_factory=list)
    lines: DrillLines


@cache
def settings() -> DrillSettings:
    return DrillSettings.model_validate(yaml.safe_load(DATA.read_text(encoding="utf-8")))


def drillable() -> tuple[str, ...]:
    """Every dimension a drill can practise, in the order the rubric lists them."""
    return DIMENSIONS


def _checked_competency(competency: str) -> str:
    name = competency.strip().lower().replace(" ", "_").replace("-", "_")
    if name not in DIMENSIONS:
        raise DrillError(f"drill: unknown competency '{competency}' (one of: {', '.join(DIMENSIONS)})")
    return name


def job_bank(persona: Persona, job: Job) -> list[BankQuestion]:
    """The persona's questions that fit this job: its role family's own, then the general ones."""
    family = job_family(job)
    general = [q for q in persona.questions if not q.families or family in q.families]
    return [*persona.family_questions.get(family, []), *general] if family else general


def drills(question: BankQuestion, competency: str) -> bool:
    """Does asking this question practise the competency?"""
    return question.competency == competency or question.category in settings().also_asks.get(
        competency,
        [],  # type: ignore[call-overload]
    )


def _panel_order(personas: Mapping[str, Persona]) -> list[Persona]:
    """The usual panel first, then any persona a user added."""
    known = [personas[p] for p in DEFAULT_PANEL if p in personas]
    return known + [p for pid, p in personas.items() if pid not in DEFAULT_PANEL]


def interviewer_for(competency: str, personas: Mapping[str, Persona], job: Job) -> Persona:
    """Who drills a competency: the interviewer with the most questions on it, then who weighs it most."""

    def fit(persona: Persona) -> tuple[int, float, int]:
        bank = job_bank(persona, job)
        exact = sum(1 for q in bank if q.competency == competency)
        return (exact, persona.weights.get(competency, 0.0), sum(1 for q in bank if drills(q, competency)))  # type: ignore[call-overload]

    ranked = sorted(_panel_order(personas), key=fit, reverse=True)  # stable: ties keep panel order
    if not ranked or fit(ranked[0])[2] == 0:
        raise DrillError(f"drill: no interviewer has a question on {competency.replace('_', ' ')}")
    return ranked[0]


def pick_questions(
    persona: Persona, job: Job, competency: str, count: int, seed: int, avoid: Iterable[str] = ()
) -> list[BankQuestion]:
    """`count` questions on the competency, chosen by the seed: ones not in `avoid` (the last drill's)
    first, then ones that name the competency itself rather than only drawing it out."""
    pool = [q for q in job_bank(persona, job) if drills(q, competency)]
    random.Random(f"drill:{seed}:{competency}").shuffle(pool)
    skipped = set(avoid)
    pool.sort(key=lambda q: (q.id in skipped, q.competency != competency))
    return pool[:count]


def _base_plan(base: Setup, persona: Persona, questions: int, drill: Drill) -> Setup:
    rules = settings()
    room = profile(base.plan.pressure).candidate_question_minutes  # a slot keeps this back for questions
    minutes = min(120, max(3, round(rules.minutes_per_question * questions + room)))
    plan = base.plan.model_copy(
        update={"slots": [Slot(persona_id=persona.id, minutes=minutes)], "drill": drill}
    )
    return base.model_copy(update={"plan": plan})


def competency_drill(
    base: Setup,
    competency: str,
    personas: Mapping[str, Persona],
    *,
    avoid: Iterable[str] = (),
    from_session: str | None = None,
) -> Setup:
    """A drill of one competency's questions, for the job (and round one) in `base`."""
    name = _checked_competency(competency)
    if name in settings().needs_round_one and base.round_one.is_empty():
        raise DrillError(
            f"drill: {name.replace('_', ' ')} is judged against round one, and there is no round-one record"
        )
    persona = interviewer_for(name, personas, base.job)
    chosen = pick_questions(persona, base.job, name, settings().questions, base.plan.seed, avoid)
    drill = Drill(competency=name, question_ids=[q.id for q in chosen], from_session=from_session)
    return _base_plan(base, persona, len(chosen), drill)


def _bank_question(personas: Mapping[str, Persona], question_id: str) -> tuple[Persona, BankQuestion] | None:
    for persona in personas.values():
        for question in [*persona.questions, *(q for qs in persona.family_questions.values() for q in qs)]:
            if question.id == question_id:
                return persona, question
    return None


def question_drill(
    base: Setup,
    question: str,
    personas: Mapping[str, Persona],
    rubrics: Rubrics,
    *,
    persona_id: str | None = None,
    question_id: str | None = None,
    from_session: str | None = None,
) -> Setup:
    """A drill of one question, asked as written. A bank question (`question_id`) keeps its kind and
    competency; a question of the candidate's own gets them from its wording, as the grader would."""
    text = " ".join(question.split())
    if len(text) < MIN_QUESTION_CHARS:
        raise DrillError(f"drill: the question must be at least {MIN_QUESTION_CHARS} characters")
    if len(text) > 2000:
        raise DrillError("drill: the question is over 2,000 characters")
    if persona_id is not None and persona_id not in personas:
        raise DrillError(f"drill: unknown interviewer '{persona_id}' (known: {', '.join(sorted(personas))})")
    found = _bank_question(personas, question_id) if question_id else None
    if found is not None:
        owner, bank = found
        persona = personas[persona_id] if persona_id else owner
        category, competency = bank.category, str(bank.competency)
    else:
        question_id = None
        category = infer_kind(text, rubrics.star, base.job.company)  # type: ignore[assignment]
        mapped = {str(k): str(v) for k, v in rubrics.checklist.debrief.category_dimensions.items()}
        competency = mapped.get(category, "persona_focus")
        if persona_id:
            persona = personas[persona_id]
        elif competency == "persona_focus":
            persona = _panel_order(personas)[0]
        else:
            persona = interviewer_for(competency, personas, base.job)
        if competency == "persona_focus":
            competency = persona_focus(persona)
    drill = Drill(
        competency=competency,
        question=text,
        category=category,
        question_ids=[question_id] if question_id else [],
        from_session=from_session,
    )
    return _base_plan(base, persona, 1, drill)


def _literal(text: str) -> str:
    """A question as a bank template: braces kept as written, not taken for slots."""
    return text.replace("{", "{{").replace("}", "}}")


def drill_persona(persona: Persona, drill: Drill) -> Persona:
    """The interviewer as the drill needs them: only the drill's questions, a drill's intro and close."""
    lines = settings().lines
    if drill.question is not None:
        asked = BankQuestion(
            id=drill.question_ids[0] if drill.question_ids else DRILL_QUESTION_ID,
            text=_literal(drill.question),
            category=drill.category or "behavioural",
            competency=drill.competency,
        )
        questions, by_family = [asked], {}
    else:
        chosen = set(drill.question_ids)
        questions = [q for q in persona.questions if q.id in chosen]
        by_family = {f: [q for q in qs if q.id in chosen] for f, qs in persona.family_questions.items()}
    close = WrapUpLines(**{sign: list(lines.wrap_up) for sign in WrapUpLines.model_fields})
    return persona.model_copy(
        update={
            "questions": questions,
            "family_questions": by_family,
            "intro": list(lines.intro),
            "wrap_up": close,
            "farewell": list(lines.farewell),
        }
    )


def drill_personas(session: Session, personas: dict[str, Persona]) -> dict[str, Persona]:
    """The personas a session runs with: as loaded for a round, the drill's interviewer for a drill."""
    drill = session.plan.drill
    persona = personas.get(session.plan.slots[0].persona_id) if drill is not None else None
    if drill is None or persona is None:
        return personas
    return {**personas, persona.id: drill_persona(persona, drill)}


@dataclass(frozen=True)
class Weakest:
    """The competency that went worst in a finished session: what "drill what went worst" drills."""

    competency: str
    score: float  # 0-1, the mean over the interviewers who had evidence on it
    judged_by: tuple[str, ...]  # their persona ids


def weakest_competency(session: Session) -> Weakest | None:
    """The lowest-scored competency on the session's scorecards; None before any was scored."""
    evidence: dict[str, list[tuple[str, float]]] = {}
    for card in session.scorecards:
        for dimension, value in card.dimensions.items():
            if value is not None and dimension in DIMENSIONS:
                evidence.setdefault(dimension, []).append((card.persona_id, value))
    if not evidence:
        return None
    means = {d: sum(v for _, v in vs) / len(vs) for d, vs in evidence.items()}
    worst = min(means, key=lambda d: (means[d], DIMENSIONS.index(d)))
    return Weakest(worst, round(means[worst], 3), tuple(p for p, _ in evidence[worst]))
