"""Schemas of the session-level rubric files: rubrics/checklist.yaml, rubrics/candidate_questions.yaml.

checklist.yaml holds the second-round checklist (each check's title, how it is detected with its
thresholds and cue lists, and the advice shown) and the debrief rules (how answers map to an
interviewer's dimensions, the verdict thresholds, the wrap-up signs). candidate_questions.yaml
says what makes a candidate's question to an interviewer good. Editing either file changes the
feedback with no code change.

Every section has defaults so that a bare file (name and version) still loads; the shipped files
spell every value out, and those are the ones to edit.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import Field, model_validator

from simulator.grading.rubric import Share
from simulator.models import Dimension, QuestionCategory, Strict

VerdictName = Literal["strong_hire", "hire", "lean_no", "no_hire"]
FindingKind = Literal["contradiction", "embellishment", "omission", "elaboration"]
CueTheme = Literal["problem_solving_under_pressure", "leadership_and_collaboration", "failure_and_learning"]
Version = Annotated[str, Field(pattern=r"^\d+(\.\d+)*$")]


# ---------------------------------------------------------------- checklist items


class CheckSpec(Strict):
    title: str = Field(min_length=3)
    detects: str = Field("", description="how the check is detected, in plain words")
    advice: str = Field(min_length=10, description="shown when the check fails or does not apply yet")


class ConsistentWithRoundOne(CheckSpec):
    id: Literal["consistent_with_round_one"]
    fail_kinds: list[FindingKind] = Field(default_factory=lambda: list[FindingKind](["contradiction"]))
    max_findings: int = Field(0, ge=0, description="findings of the failing kinds tolerated")


class EngagedEveryInterviewer(CheckSpec):
    id: Literal["engaged_every_interviewer"]
    min_questions_each: int = Field(1, ge=1)


class GoodQuestions(CheckSpec):
    id: Literal["good_questions"]
    min_good_share: Share = Field(0.5, description="share of the candidate's questions that must be good")
    each_interviewer_needs_one_good: bool = True


class NoSalaryTooEarly(CheckSpec):
    id: Literal["no_salary_too_early"]
    cues: list[str] = Field(default_factory=list)
    allowed_with: list[str] = Field(default_factory=list, description="persona ids it is fine to ask")
    allow_when_interviewer_asked: bool = True
    grade_flag: str = "salary_too_early"


class NoOverconfidence(CheckSpec):
    id: Literal["no_overconfidence"]
    cues: list[str] = Field(default_factory=list)
    max_hits: int = Field(0, ge=0)
    grade_flag: str = "overconfident"


class NoStoryTwice(CheckSpec):
    id: Literal["no_story_twice"]
    similarity: Share = Field(0.3, description="TF-IDF cosine at or above which two answers are one story")
    story_bank_similarity: Share = Field(0.3, description="both answers match one story-bank entry this well")
    min_words: int = Field(25, ge=1, description="shorter answers are too thin to call a story")


class ReferencedRoundOne(CheckSpec):
    id: Literal["referenced_round_one"]
    cues: list[str] = Field(default_factory=list)
    min_references: int = Field(1, ge=1)


class ReferencedCompanySpecifics(CheckSpec):
    id: Literal["referenced_company_specifics"]
    min_mentions: int = Field(1, ge=1, description="distinct company terms the candidate must use")
    min_term_length: int = Field(4, ge=2)
    ignore_terms: list[str] = Field(default_factory=list, description="words too common to count")
    common_words: list[str] = Field(
        default_factory=list,
        description="names that are also everyday words: never counted when they open a sentence",
    )


class EnoughSignal(CheckSpec):
    """Passes when the panel heard enough for a verdict; the numbers are debrief.evidence's."""

    id: Literal["enough_signal"]


class ThemeCues(Strict):
    theme: CueTheme
    title: str
    cues: list[str] = Field(min_length=1)


class JobSkillsTheme(Strict):
    title: str = "the job's named skills"
    min_share: Share = Field(0.5, description="share of the job's skills the stories must mention")


class StoryBankCoverage(CheckSpec):
    id: Literal["story_bank_coverage"]
    themes: list[ThemeCues] = Field(default_factory=list)
    min_hits: int = Field(1, ge=1, description="cue hits that show a theme")
    job_skills: JobSkillsTheme = Field(default_factory=JobSkillsTheme)


class VagueStoriesWithoutResult(CheckSpec):
    id: Literal["vague_stories_without_result"]
    result_below: Share = Field(0.34, description="a story whose best result score is below this is vague")
    flags: list[str] = Field(default_factory=lambda: ["no_result"])
    max_share: Share = Field(0.25, description="share of behavioural stories allowed to be vague")
    question_kinds: list[str] = Field(default_factory=lambda: ["behavioural"])


class ThankYouFollowUp(CheckSpec):
    id: Literal["thank_you_follow_up"]
    within_hours: float = Field(24.0, gt=0)
    min_specific_terms: int = Field(2, ge=1, description="words from that conversation the note must use")
    generic_terms: list[str] = Field(default_factory=list, description="words that never count as specific")
    interest_cues: list[str] = Field(default_factory=list)
    enthusiasm_cues: list[str] = Field(default_factory=list)
    max_enthusiasm: int = Field(3, ge=0)
    max_exclamations: int = Field(2, ge=0)
    min_words: int = Field(25, ge=1)
    max_words: int = Field(200, ge=10)


ChecklistSpec = Annotated[
    EnoughSignal
    | ConsistentWithRoundOne
    | EngagedEveryInterviewer
    | GoodQuestions
    | NoSalaryTooEarly
    | NoOverconfidence
    | NoStoryTwice
    | ReferencedRoundOne
    | ReferencedCompanySpecifics
    | StoryBankCoverage
    | VagueStoriesWithoutResult
    | ThankYouFollowUp,
    Field(discriminator="id"),
]
S = TypeVar("S", bound=CheckSpec)


# ---------------------------------------------------------------- debrief


def _default_category_dimensions() -> dict[QuestionCategory, Dimension | Literal["persona_focus"]]:
    return {
        "behavioural": "persona_focus",
        "skills": "job_skills",
        "case": "job_skills",
        "culture": "culture_fit",
        "potential": "long_term_potential",
        "pressure": "pressure_and_ambiguity",
    }


class VerdictThresholds(Strict):
    """The lowest weighted score (1-5) for each verdict; below `lean_no` is no hire."""

    strong_hire: float = Field(4.2, ge=1.0, le=5.0)
    hire: float = Field(3.4, ge=1.0, le=5.0)
    lean_no: float = Field(2.5, ge=1.0, le=5.0)

    @model_validator(mode="after")
    def _ordered(self) -> VerdictThresholds:
        if not self.strong_hire > self.hire > self.lean_no:
            raise ValueError("thresholds must fall: strong_hire > hire > lean_no")
        return self


class WrapUpRules(Strict):
    """How the mean grade of a conversation (1-5) shows in the interviewer's close."""

    strong_at: float = Field(3.8, ge=1.0, le=5.0, description="next steps and selling the role")
    very_strong_at: float = Field(4.3, ge=1.0, le=5.0, description="also asks about availability")
    weak_below: float = Field(2.8, ge=1.0, le=5.0, description="a brisk, polite close")
    running_over_share: Share = Field(0.9, description="a strong slot that used this share of its minutes")

    @model_validator(mode="after")
    def _ordered(self) -> WrapUpRules:
        if not self.very_strong_at >= self.strong_at > self.weak_below:
            raise ValueError("must hold: very_strong_at >= strong_at > weak_below")
        return self


class EvidenceRules(Strict):
    """How much must be heard before anyone gives a verdict: each interviewer, then the panel."""

    min_graded_answers: int = Field(
        2, ge=1, description="an interviewer with fewer graded answers gives not enough signal"
    )
    strong_hire_min_graded: int = Field(
        3, ge=1, description="an interviewer with fewer graded answers goes no higher than hire"
    )
    panel_min_interviewers: int = Field(
        2, ge=1, description="interviewers with a verdict the panel needs (all of them on a smaller panel)"
    )

    @model_validator(mode="after")
    def _ordered(self) -> EvidenceRules:
        if self.strong_hire_min_graded < self.min_graded_answers:
            raise ValueError("strong_hire_min_graded must be at least min_graded_answers")
        return self


class DebriefRubric(Strict):
    category_dimensions: dict[QuestionCategory, Dimension | Literal["persona_focus"]] = Field(
        default_factory=_default_category_dimensions,
        description="the dimension a question's category probes when its bank entry is unknown",
    )
    verdicts: VerdictThresholds = Field(default_factory=VerdictThresholds)
    evidence: EvidenceRules = Field(default_factory=EvidenceRules)
    contradiction_caps_at: VerdictName = "lean_no"
    contradiction_penalty: Share = 0.5
    embellishment_penalty: Share = 0.25
    weak_dimension_below: Share = 0.5
    strong_answer_at: int = Field(4, ge=1, le=5)
    weak_answer_at: int = Field(2, ge=1, le=5)
    dimension_words: dict[Dimension, str] = Field(default_factory=dict)
    flag_words: dict[str, str] = Field(default_factory=dict)
    wrap_up: WrapUpRules = Field(default_factory=WrapUpRules)

    def dimension_label(self, dimension: str) -> str:
        words = {str(k): v for k, v in self.dimension_words.items()}
        return words.get(dimension, dimension.replace("_", " "))

    def flag_label(self, flag: str) -> str:
        return self.flag_words.get(flag, flag.replace("_", " "))


class ChecklistRubric(Strict):
    name: str
    version: Version
    items: list[ChecklistSpec] = Field(default_factory=list, description="run in this order")
    debrief: DebriefRubric = Field(default_factory=DebriefRubric)

    @model_validator(mode="after")
    def _unique(self) -> ChecklistRubric:
        ids = [item.id for item in self.items]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"checklist item ids repeat: {', '.join(dupes)}")
        return self

    def spec(self, kind: type[S]) -> S | None:
        """The configured item of this kind, or None when the file leaves that check out."""
        return next((item for item in self.items if isinstance(item, kind)), None)


# ---------------------------------------------------------------- candidate questions


class QuestionStrength(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(description="shown as what made the question good")
    cues: list[str] = Field(min_length=1)
    score: Share


class QuestionProblem(Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(description="shown as what held the question back")
    cues: list[str] = Field(min_length=1)
    penalty: Share


class MoneyFirst(Strict):
    """Salary, benefits and time off: a poor opener with an interviewer, a smaller slip later."""

    title: str = "asks about pay, benefits or time off"
    cues: list[str] = Field(default_factory=list)
    first_penalty: Share = 0.6
    later_penalty: Share = 0.3


class YesNo(Strict):
    title: str = "can be answered with yes or no"
    starters: list[str] = Field(default_factory=list, description="first words of a closed question")
    open_phrases: list[str] = Field(default_factory=list, description="make it open after all")
    penalty: Share = 0.2


class RoleFit(Strict):
    title: str = "specific to this interviewer's role"
    score: Share = 0.3
    cues: dict[str, list[str]] = Field(default_factory=dict, description="persona id -> cues")
    any_role: list[str] = Field(default_factory=list, description="cues that address any interviewer")


class JobFit(Strict):
    title: str = "about this team or company"
    score: Share = 0.2


class CandidateQuestionsRubric(Strict):
    name: str
    version: Version
    good_at: Share = Field(0.5, description="a question scoring at least this is good")
    min_words: int = Field(5, ge=1)
    too_short_penalty: Share = 0.3
    not_a_question: list[str] = Field(
        default_factory=list, description="a turn like 'no, you covered everything' is not a question"
    )
    strengths: list[QuestionStrength] = Field(default_factory=list)
    role_fit: RoleFit = Field(default_factory=RoleFit)
    job_fit: JobFit = Field(default_factory=JobFit)
    money: MoneyFirst = Field(default_factory=MoneyFirst)
    yes_no: YesNo = Field(default_factory=YesNo)
    problems: list[QuestionProblem] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> CandidateQuestionsRubric:
        ids = [s.id for s in self.strengths] + [p.id for p in self.problems]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"strength and problem ids repeat: {', '.join(dupes)}")
        return self
