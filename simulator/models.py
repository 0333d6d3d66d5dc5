"""The pydantic domain: what personas, rubrics, jobs, plans, turns, grades and sessions are.

Pure data; no I/O. Every model that comes from a file or a user is strict (`extra="forbid"`),
so a misspelt key is an error that names the field instead of a silently ignored value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    field_validator,
    model_validator,
)

# The dimensions an interviewer weighs in a verdict. A persona's questions each probe one;
# its `weights` say how much each counts. `structure` and `consistency` come from every answer.
Dimension = Literal[
    "job_skills",
    "culture_fit",
    "long_term_potential",
    "pressure_and_ambiguity",
    "collaboration",
    "cross_functional_influence",
    "structure",
    "consistency",
]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)
QuestionCategory = Literal["behavioural", "skills", "case", "culture", "potential", "pressure"]
# What a follow-up reacts to: a missing STAR part, missing numbers or "I", a round-one conflict,
# a vague answer, a long answer cut short, or a colleague's hand-off note.
FollowUpReason = Literal[
    "situation",
    "task",
    "action",
    "result",
    "numbers",
    "ownership",
    "round_one_conflict",
    "vague",
    "interruption",
    "handoff_probe",
    "role_play",  # the interviewer stays in the character a role-play question set up
]
Pressure = Literal["gentle", "realistic", "tough"]
EngineName = Literal["offline", "openai", "local"]
TurnKind = Literal[
    "intro",
    "question",
    "follow_up",
    "answer",
    "pass",
    "invite_questions",
    "candidate_question",
    "interviewer_answer",
    "wrap_up",
    "handoff",
    "interruption",
    "notice",
]
# What of the job description and research notes an interviewer can speak to (simulator/data/setup_topics.yaml).
SetupTopic = Literal[
    "team", "tools", "process", "on_call", "company", "strategy", "customers", "working_pattern", "role"
]
# The role families with their own question banks (personas/banks/), chosen from the job.
RoleFamily = Literal[
    "software_engineering",
    "data_analytics",
    "product_management",
    "design",
    "marketing_sales",
    "operations_customer_success",
]
StoryTheme = Literal[
    "problem_solving_under_pressure",
    "leadership_and_collaboration",
    "failure_and_learning",
    "job_skills",
]


class Strict(BaseModel):
    # allow_inf_nan=False: a float that is infinite or NaN is never a real minute, score or cost, and
    # JSON cannot hold it (it would be saved as null and break every later load).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


# A persona id as persona files spell it (also the file name); "candidate" fits it too.
PersonaId = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]


def _iso_timestamp(value: str) -> str:
    if len(value) > 40:
        raise ValueError("is not an ISO 8601 date and time")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("is not an ISO 8601 date and time") from None
    return value


Timestamp = Annotated[str, AfterValidator(_iso_timestamp)]


def _non_blank(values: list[str], field: str) -> list[str]:
    if any(not v.strip() for v in values):
        raise ValueError(f"{field} has a blank entry")
    return values


# ---------------------------------------------------------------- personas


class RolePlay(Strict):
    """A question that sets up a role-play: the interviewer answers the candidate in character
    (`replies`, each ending in a question) before stepping out of it (`step_out`) to move on."""

    character: str = Field(min_length=10, description="who the interviewer plays, in a phrase")
    replies: list[str] = Field(min_length=1, description="the character's next line, in role")
    step_out: list[str] = Field(min_length=1, description="how the interviewer drops the role")

    @model_validator(mode="after")
    def _in_role_questions(self) -> RolePlay:
        if any(not line.rstrip().endswith("?") for line in self.replies):
            raise ValueError("role_play replies must end in a question: the candidate answers in role")
        return self


class BankQuestion(Strict):
    """One question in a persona's bank. `{skill}`, `{company}`, `{title}` are filled from the job."""

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="unique within the persona")
    text: str = Field(min_length=10)
    category: QuestionCategory
    competency: Dimension = Field(description="the dimension this question probes")
    curveball: bool = Field(
        False, description="an ambiguous or unexpected question; tough pressure uses more"
    )
    themes: list[StoryTheme] = Field(default_factory=list, description="story-bank themes it draws out")
    families: list[RoleFamily] = Field(
        default_factory=list,
        description="asked only when the job is in one of these families; empty: any job",
    )
    role_play: RolePlay | None = Field(None, description="set when the question sets up a role-play")


class FollowUpLines(Strict):
    """Lines an interviewer uses to dig deeper, keyed by what the answer lacked.

    `round_one_conflict` lines may use `{round_one_quote}` and `{round_two_quote}`;
    `handoff_probe` lines may use `{colleague}` and `{note}`.
    """

    situation: list[str] = Field(min_length=1)
    task: list[str] = Field(min_length=1)
    action: list[str] = Field(min_length=1)
    result: list[str] = Field(min_length=1)
    numbers: list[str] = Field(min_length=1)
    ownership: list[str] = Field(min_length=1)
    round_one_conflict: list[str] = Field(min_length=1)
    vague: list[str] = Field(min_length=1)
    interruption: list[str] = Field(min_length=1)
    handoff_probe: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _slots(self) -> FollowUpLines:
        for line in self.round_one_conflict:
            if "{round_one_quote}" not in line:
                raise ValueError("round_one_conflict lines must quote round one with {round_one_quote}")
        for line in self.handoff_probe:
            if "{colleague}" not in line:
                raise ValueError("handoff_probe lines must name the colleague with {colleague}")
        return self


class WrapUpLines(Strict):
    """How an interviewer closes, by the signs the conversation earned (see the grader)."""

    next_steps: list[str] = Field(min_length=1, description="talks about what happens next")
    selling_the_role: list[str] = Field(min_length=1, description="starts selling the job")
    availability: list[str] = Field(min_length=1, description="asks about notice period or other offers")
    running_over: list[str] = Field(min_length=1, description="happy to run past the hour")
    brisk_close: list[str] = Field(min_length=1, description="a polite, quick close")

    @model_validator(mode="after")
    def _no_questions(self) -> WrapUpLines:
        # The hand-off follows a wrap-up at once: a question here would never get its answer.
        for sign, lines in self.model_dump().items():
            if any("?" in line for line in lines):
                raise ValueError(
                    f"{sign}: a wrap-up line must not ask a question (the hand-off follows at once)"
                )
        return self


class CandidateQuestionAnswer(Strict):
    """How the persona answers a question candidates often ask them, matched by keywords."""

    topic: str
    keywords: list[str] = Field(min_length=1)
    answer: str = Field(min_length=20)


class HonestGap(Strict):
    """Something this interviewer honestly does not know, matched by keywords, and how they say so."""

    topic: str
    keywords: list[str] = Field(min_length=1)
    says: str = Field(min_length=20)


class PersonaKnowledge(Strict):
    """What an interviewer may state from the setup, and what they honestly do not know."""

    speaks_to: list[SetupTopic] = Field(
        min_length=1, description="parts of the job description and research notes they can speak to"
    )
    fact_openers: list[str] = Field(min_length=1, description="introduce a fact from the setup: hold {fact}")
    does_not_know: list[HonestGap] = Field(default_factory=list)
    thanks: list[str] = Field(min_length=1, description="a reply to thanks; the candidate may still ask more")

    @model_validator(mode="after")
    def _slots(self) -> PersonaKnowledge:
        if any("{fact}" not in line for line in self.fact_openers):
            raise ValueError("fact_openers lines must hold {fact}")
        if any(k != k.lower() for gap in self.does_not_know for k in gap.keywords):
            raise ValueError("does_not_know keywords must be lower case")
        return self


class RemarkLines(Strict):
    """A brief word before the next question when an answer raised pay or strayed from the question."""

    salary: list[str] = Field(min_length=1)
    off_topic: list[str] = Field(min_length=1)


class PersonaSpeech(Strict):
    """How an interviewer sounds when voices are on: an espeak-ng voice by default, piper if installed."""

    espeak_voice: str = Field(
        "en-us", pattern=r"^[a-z][a-z0-9-]{1,30}(\+[a-z0-9]{1,12})?$", description="e.g. en-gb+f3"
    )
    rate_wpm: int = Field(160, ge=80, le=300, description="espeak-ng speed, words a minute")
    pitch: int = Field(50, ge=0, le=99, description="espeak-ng pitch, 0-99")
    piper_model: str | None = Field(
        None, description="a piper .onnx voice (path); used when piper is installed"
    )


class Persona(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", description="must match the file name")
    name: str
    title: str
    relationship: str = Field(description="who they are to the candidate")
    voice: str = Field(description="how they speak")
    style: list[str] = Field(min_length=1, description="interviewing habits")
    evaluates: list[Dimension] = Field(min_length=1)
    default_minutes: int = Field(ge=5, le=90)
    intro: list[str] = Field(min_length=1)
    invite_questions: list[str] = Field(min_length=1)
    wrap_up: WrapUpLines
    handoff: list[str] = Field(min_length=1, description="may use {next_name} and {next_title}")
    farewell: list[str] = Field(min_length=1, description="the last interviewer's close of the whole loop")
    questions: list[BankQuestion] = Field(min_length=20)
    follow_ups: FollowUpLines
    candidate_answers: list[CandidateQuestionAnswer] = Field(min_length=8)
    fallback_answer: str = Field(min_length=20, description="for a question none of candidate_answers fits")
    weights: dict[Dimension, float]
    speech: PersonaSpeech = Field(
        default_factory=PersonaSpeech, description="the voice heard when voices are on"
    )
    knowledge: PersonaKnowledge | None = Field(None, description="what they may state and do not know")
    remarks: RemarkLines | None = None
    family_questions: dict[RoleFamily, list[BankQuestion]] = Field(
        default_factory=dict, description="extra questions for jobs in a role family (with personas/banks/)"
    )

    @field_validator("intro", "invite_questions", "handoff", "farewell", "style")
    @classmethod
    def _no_blank(cls, v: list[str], info: object) -> list[str]:
        return _non_blank(v, getattr(info, "field_name", "list"))

    @field_validator("weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        if any(w < 0 for w in v.values()):
            raise ValueError("weights must not be negative")
        if sum(v.values()) <= 0:
            raise ValueError("weights must add up to more than 0")
        return v

    @model_validator(mode="after")
    def _bank(self) -> Persona:
        ids = [q.id for q in self.questions] + [
            q.id for extra in self.family_questions.values() for q in extra
        ]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids repeat: {', '.join(dupes)}")
        missing = {"behavioural", "skills", "case", "culture", "potential", "pressure"} - {
            q.category for q in self.questions
        }
        if missing:
            raise ValueError(f"question bank has no {', '.join(sorted(missing))} question")
        return self

    def initials(self) -> str:
        return "".join(part[0] for part in self.name.split()[:2]).upper()


class RoleBank(Strict):
    """A role family's questions, case prompts and work samples, by persona id, in each one's voice.

    One file per family in personas/banks/; they join each persona's `family_questions` at load.
    """

    family: RoleFamily = Field(description="must match the file name")
    questions: dict[PersonaId, list[BankQuestion]] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> RoleBank:
        ids = [q.id for questions in self.questions.values() for q in questions]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"question ids repeat: {', '.join(dupes)}")
        if any(not questions for questions in self.questions.values()):
            raise ValueError("every persona listed needs at least one question")
        return self


# ---------------------------------------------------------------- the job and round one


class Job(Strict):
    title: str = Field(min_length=1)
    company: str = Field(min_length=1)
    level: str = ""
    description: str = Field(min_length=1)
    research_notes: str = ""


class QA(Strict):
    question: str
    answer: str


class RoundOne(Strict):
    """What the candidate said in round one: question/answer pairs, free notes, or both."""

    answers: list[QA] = Field(default_factory=list)
    notes: str = ""

    def is_empty(self) -> bool:
        return not self.answers and not self.notes.strip()


class Slot(Strict):
    persona_id: PersonaId
    minutes: int = Field(ge=3, le=120)


class Drill(Strict):
    """A practice session (simulator/practice/): one interviewer asking only one question, or only
    questions of one competency from their bank, graded the same way as a round."""

    competency: Dimension = Field(description="the competency drilled (a question drill: the one it probes)")
    question: str | None = Field(None, max_length=2000, description="set for a drill of this one question")
    category: QuestionCategory | None = Field(None, description="a question drill: the question's kind")
    question_ids: list[Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]] = Field(
        default_factory=list, description="the bank questions chosen, in order (bank question ids)"
    )
    from_session: str | None = Field(None, max_length=64, description="the session it was chosen from")

    @model_validator(mode="after")
    def _question_has_kind(self) -> Drill:
        if (self.question is None) != (self.category is None):
            raise ValueError("a question drill has both its question and its category")
        return self


class Plan(Strict):
    slots: list[Slot] = Field(min_length=1)
    pressure: Pressure = "realistic"
    seed: int = 0
    engine: EngineName = "offline"
    drill: Drill | None = Field(None, description="set when the session is a drill, not a round")

    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.slots)


class Setup(Strict):
    """Everything a session starts from. The CLI script and the page both build one."""

    job: Job
    round_one: RoundOne = Field(default_factory=RoundOne)
    story_bank: list[str] = Field(default_factory=list)
    plan: Plan


# ---------------------------------------------------------------- grades


class StarComponent(Strict):
    score: float = Field(ge=0.0, le=1.0)
    evidence: list[str] = Field(default_factory=list, description="quoted spans from the answer")


class Finding(Strict):
    kind: Literal["contradiction", "embellishment", "omission", "elaboration"]
    category: Literal["number", "team_size", "date", "duration", "role", "outcome", "other"]
    round_two_quote: str
    round_one_quote: str
    explanation: str


class Consistency(Strict):
    findings: list[Finding] = Field(default_factory=list)
    matched_round_one: str | None = Field(None, description="the round-one question this answer retells")


class GraderInfo(Strict):
    engine: str
    model: str = "rules"
    rubric_version: str
    prompt_hash: str | None = None


class AnswerGrade(Strict):
    """The grade of one answer: the contract of `python -m simulator grade`."""

    status: Literal["graded", "ungradable", "fallback"]
    reason: str | None = Field(None, description="why ungradable, or why the engine fell back")
    question_kind: str = Field("behavioural", description="behavioural, skills, case, culture, ...")
    overall: int | None = Field(None, ge=1, le=5)
    structure: float | None = Field(None, ge=0.0, le=1.0)
    star: dict[Literal["situation", "task", "action", "result"], StarComponent] = Field(default_factory=dict)
    dimensions: dict[str, float] = Field(default_factory=dict, description="0-1 per rubric criterion")
    consistency: Consistency = Field(default_factory=Consistency)
    flags: list[str] = Field(default_factory=list)
    feedback: list[str] = Field(default_factory=list)
    outline: list[str] = Field(default_factory=list, description="a stronger version of the same story")
    rationale: str | None = Field(None, description="the judge's reasoning, when a judge gave one")
    grader: GraderInfo

    @model_validator(mode="after")
    def _never_invent(self) -> AnswerGrade:
        if self.status == "ungradable" and (self.overall is not None or not self.reason):
            raise ValueError("an ungradable answer has a reason and no score")
        return self

    def contradictions(self) -> list[Finding]:
        return [f for f in self.consistency.findings if f.kind == "contradiction"]

    def round_one_conflicts(self) -> list[Finding]:
        """Contradictions and embellishments, the facts an interviewer would call out first."""
        order = ("team_size", "number", "role", "outcome", "date", "duration", "other")
        found = [f for f in self.consistency.findings if f.kind in ("contradiction", "embellishment")]
        return sorted(found, key=lambda f: order.index(f.category))


ReplyLabel = Literal["answered", "partly", "evasive", "hypothetical", "dont_know"]


class ReplyGrade(Strict):
    """Did a follow-up reply answer what the follow-up asked? Graded beside the story's grade."""

    label: ReplyLabel
    quote: str = Field(description="verbatim from the reply: the words that show the label")
    reason: str = Field(description="one line, as a coach would say it")
    asked: str | None = Field(None, description="what the follow-up asked for, when known")
    rationale: str | None = Field(None, description="the judge's reasoning, when a judge gave one")
    grader: GraderInfo


# ---------------------------------------------------------------- delivery (spoken answers)


class Pause(Strict):
    at_s: float = Field(ge=0.0, description="seconds into the recording where the silence began")
    length_s: float = Field(ge=0.0)


class Delivery(Strict):
    """How a spoken answer was said (see simulator/voice/delivery.py); never part of the STAR grade."""

    words_per_minute: float = Field(ge=0.0)
    pauses: list[Pause] = Field(default_factory=list, description="silences longer than the long-pause mark")
    fillers: dict[str, int] = Field(default_factory=dict, description="each filler word and how often")
    fillers_per_minute: float = Field(ge=0.0)
    duration_s: float = Field(0.0, ge=0.0, description="the recording's length")
    words: int = Field(0, ge=0, description="words spoken, fillers not counted")


# ---------------------------------------------------------------- sessions


class Attempt(Strict):
    """An earlier attempt at an answer, kept when the candidate answered the same question again."""

    text: str
    grade: AnswerGrade | None = None
    reply_grade: ReplyGrade | None = None
    regrades: list[AnswerGrade] = Field(default_factory=list, description="re-grades of this attempt")
    delivery: Delivery | None = None
    note: str | None = None
    replaced_at: Timestamp = Field(description="when the candidate answered again")


class Turn(Strict):
    index: int = Field(ge=0)
    speaker: PersonaId = Field(description="'candidate' or a persona id")
    persona_id: PersonaId = Field(description="whose slot the turn is in")
    kind: TurnKind
    text: str
    at_minute: float = Field(ge=0.0, description="simulated minutes since the loop began")
    slot_minute: float = Field(ge=0.0, description="simulated minutes since this slot began")
    duration: float = Field(ge=0.0, description="simulated minutes spoken")
    question_id: str | None = None
    category: str | None = None
    reply_to: int | None = Field(None, description="for an answer: the index of the question it answers")
    follow_up_reason: str | None = None
    grade: AnswerGrade | None = None
    regrades: list[AnswerGrade] = Field(default_factory=list, description="later grades, newest last")
    reply_grade: ReplyGrade | None = Field(None, description="a follow-up's answer: did it answer it")
    reply_regrades: list[ReplyGrade] = Field(default_factory=list, description="re-grades of the reply")
    note: str | None = Field(None, description="e.g. why a turn fell back to the offline engine")
    delivery: Delivery | None = Field(None, description="a spoken answer's pace, pauses and fillers")
    attempts: list[Attempt] = Field(
        default_factory=list,
        description="earlier attempts at this answer, oldest first; text and grade are the latest, which scores use",
    )
    created_at: Timestamp = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


class HandoffNote(Strict):
    from_persona: PersonaId
    text: str
    probe: str | None = Field(None, description="a topic a later interviewer may probe")


class Scorecard(Strict):
    persona_id: PersonaId
    dimensions: dict[str, float | None] = Field(
        description="0-1 per dimension the persona weighs; null: no evidence"
    )
    score: float | None = Field(None, ge=1.0, le=5.0, description="weighted, on the 1-5 scale")
    graded: int = 0
    ungradable: int = 0
    note: str = Field("", description="in plain words, e.g. that no answer could be graded")
    redone: int = Field(0, ge=0, description="answers given again: the score uses their latest attempt")


class Verdict(Strict):
    persona_id: PersonaId
    verdict: Literal["strong_hire", "hire", "lean_no", "no_hire", "no_signal"]
    reasons: list[str] = Field(default_factory=list, description="each quoting the answers")
    objection: str | None = Field(None, description="what this interviewer would raise against hiring")


class ChecklistItem(Strict):
    id: str
    title: str
    status: Literal["pass", "fail", "not_applicable"]
    evidence: list[str] = Field(default_factory=list)
    advice: str = ""


class WrapUpSigns(Strict):
    persona_id: PersonaId
    signs: list[str] = Field(default_factory=list)
    explanation: str = ""


class ThankYouDraft(Strict):
    persona_id: PersonaId
    to: str
    text: str
    send_within_hours: float | None = Field(None, description="send it this soon after the interview")


# ---------------------------------------------------------------- model use (see engines/usage.py)


class CallUsage(Strict):
    """One model call, as `engines.usage.CallRecord` saves it."""

    task: str
    model: str
    template_hash: str
    tokens_in: int = Field(ge=0)
    tokens_out: int = Field(ge=0)
    seconds: float = Field(ge=0.0)
    outcome: str = "ok"


class EngineUsage(Strict):
    """One engine's totals in `Session.usage`, as `engines.usage.summarize` writes them."""

    calls: int = Field(ge=0)
    failed_calls: int = Field(0, ge=0)
    tokens_in: int = Field(0, ge=0)
    tokens_out: int = Field(0, ge=0)
    seconds: float = Field(0.0, ge=0.0)
    estimated_cost: float | None = Field(None, ge=0.0)
    currency: str = "USD"
    models: list[str] = Field(default_factory=list)
    context: str = Field("", description="the context size the budgets used, and where it came from")
    records: list[CallUsage] = Field(default_factory=list)


@dataclass(frozen=True)
class SchemaOf:
    """Marks a field kept as plain JSON in Python whose every value is validated as `shape`."""

    shape: Any


_USAGE_SHAPE = dict[EngineName, EngineUsage]
_USAGE = TypeAdapter(_USAGE_SHAPE)


def _checked_usage(value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # Strict whatever the caller asked: usage is always JSON we wrote, so nothing needs coercing.
    checked = _USAGE.validate_python(value, strict=True)
    return {engine: used.model_dump(mode="json", exclude_unset=True) for engine, used in checked.items()}


# `Session.usage` stays a plain dict (the engines merge into it), but only in the EngineUsage shape.
Usage = Annotated[dict[str, dict[str, Any]], AfterValidator(_checked_usage), SchemaOf(_USAGE_SHAPE)]


class Session(Strict):
    id: str
    created_at: Timestamp
    status: Literal["in_progress", "complete", "ended_early"] = "in_progress"
    job: Job
    round_one: RoundOne = Field(default_factory=RoundOne)
    story_bank: list[str] = Field(default_factory=list)
    plan: Plan
    turns: list[Turn] = Field(default_factory=list)
    handoff_notes: list[HandoffNote] = Field(default_factory=list)
    # Filled when the session closes (see report.py); empty while it runs.
    scorecards: list[Scorecard] = Field(default_factory=list)
    debrief: list[Verdict] = Field(default_factory=list)
    checklist: list[ChecklistItem] = Field(default_factory=list)
    wrap_up_signs: list[WrapUpSigns] = Field(default_factory=list)
    thank_you: list[ThankYouDraft] = Field(default_factory=list)
    usage: Usage = Field(default_factory=dict, description="tokens and estimated cost, per engine")
