"""Schemas of the answer-level rubric files: rubrics/star.yaml and rubrics/consistency.yaml.

Everything the rule-based grader decides with lives in those files: what each STAR part is and the
cues that show it, the anchored 1-5 scales, the weights, the thresholds of every flag, the words
that count as filler, the consistency tolerances. The code here only checks the shape (strictly:
a misspelt key or a broken regular expression fails at load with the file and the field) and
compiles the cues once.

How a cue is written: a word or phrase matches as a whole word, case-insensitively; a space matches
any run of whitespace; the rest is a Python regular expression. `{name}` inserts a fragment from
the file's `vocabulary` (e.g. `{I} {past_verb}`).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import Annotated, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from simulator.models import Strict

PartName = Literal["situation", "task", "action", "result"]
STAR_PARTS: tuple[PartName, ...] = ("situation", "task", "action", "result")
UngradableReason = Literal[
    "empty", "no_speech", "too_short", "non_answer", "gibberish", "unrelated", "injection_only"
]
QUESTION_KINDS = ("behavioural", "skills", "case", "culture", "potential", "pressure")
_VOCAB_SLOT = re.compile(r"\{([A-Za-z_]+)\}")
Share = Annotated[float, Field(ge=0.0, le=1.0)]


def _check_regex(pattern: str) -> str:
    problem = _regex_problem(pattern)
    if problem:
        raise ValueError(f"not a valid pattern ({problem}): {pattern!r}")
    return pattern


@functools.lru_cache(maxsize=8192)
def _regex_problem(pattern: str) -> str | None:
    """Why the pattern does not compile, or None. Slots are filled later; a stand-in keeps the check
    meaningful for the rest of the pattern. Kept per process: tests and tools load the rubrics many
    times, and re's own cache holds far fewer patterns than a rubric has."""
    try:
        re.compile(_VOCAB_SLOT.sub("x", pattern))
    except re.error as exc:
        return str(exc)
    return None


Cue = Annotated[str, AfterValidator(_check_regex)]


_NO_START = ("(?<", "(?=", "(?!", "\\", "[", "^")
_LOOKAROUND_END = re.compile(r"\(\?<?[=!][^()]*\)$")


def _bounded_start(pattern: str) -> bool:
    return not pattern.startswith(_NO_START) and (pattern[:1].isalnum() or pattern[:1] in "({")


def _bounded_end(pattern: str) -> bool:
    if pattern.endswith((" ", "\\s", "\\s+", "\\s*", "$")) or _LOOKAROUND_END.search(pattern):
        return False
    return pattern[-1:].isalnum() or pattern[-1:] in ")}?*+"


def _expand_body(pattern: str, vocabulary: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"(?:{vocabulary[name]})" if name in vocabulary else match.group(0)

    body = _VOCAB_SLOT.sub(fill, pattern)
    body = re.sub(r"(?<!\\) [?*]", r"\\s*", body)  # "a ?b": the space is optional
    body = re.sub(r"(?<!\\) ", r"\\s+", body)
    if _bounded_end(pattern):
        body += r"(?![\w'])"
    return body


def expand(pattern: str, vocabulary: dict[str, str]) -> str:
    """The pattern as a regular expression: vocabulary slots filled, spaces loosened, words bounded."""
    body = _expand_body(pattern, vocabulary)
    return (r"(?<![\w'])" + body) if _bounded_start(pattern) else body


def compile_cues(
    patterns: list[str], vocabulary: dict[str, str], flags: int = re.IGNORECASE
) -> re.Pattern[str]:
    """One alternation for a whole list, so a text is scanned once per list.

    The word-start check is shared by all the patterns that need it: tried once per position, it
    rules out the middle of every word before any pattern is attempted.
    """
    if not patterns:
        return re.compile(r"(?!x)x")  # matches nothing
    words = [_expand_body(p, vocabulary) for p in patterns if _bounded_start(p)]
    others = [_expand_body(p, vocabulary) for p in patterns if not _bounded_start(p)]
    branches = []
    if words:
        branches.append(r"(?<![\w'])(?:" + "|".join(f"(?:{b})" for b in words) + ")")
    branches += [f"(?:{b})" for b in others]
    return re.compile("|".join(branches), flags)


@functools.lru_cache(maxsize=2048)
def _compiled(
    patterns: tuple[str, ...], vocabulary: tuple[tuple[str, str], ...], flags: int
) -> re.Pattern[str]:
    """`compile_cues`, once per process for the same list: tests and tools load the rubrics many times."""
    return compile_cues(list(patterns), dict(vocabulary), flags)


class CueRubric(Strict):
    """A rubric file whose patterns are checked as they will run, and whose cue lists are all compiled
    as it loads, not by the first answer graded (about 0.2 s of CPU), and kept with it: grading looks
    them up hundreds of times a second."""

    def fragments(self) -> dict[str, str]:
        """What `{name}` in a pattern stands for (the file's `vocabulary`, and what is derived)."""
        raise NotImplementedError

    def all_patterns(self) -> list[str]:
        raise NotImplementedError

    @model_validator(mode="after")
    def _compile_cues(self) -> CueRubric:
        vocabulary = self.fragments()
        compiled: set[str] = set()  # patterns whose list compiled as one alternation
        failed: list[list[str]] = []
        for patterns in declared_cue_lists(self):
            try:
                self.compile(patterns)
            except re.error:
                failed.append(patterns)  # the broken pattern is named below
                continue
            compiled.update(patterns)
        if not _fragments_stand_alone(vocabulary):
            compiled.clear()  # a fragment whose brackets do not close could hide a broken pattern
        _check_expanded(self.all_patterns(), vocabulary, compiled)  # a broken one is named, not raised
        for patterns in failed:
            self.compile(patterns)  # no single pattern was to blame: the list's own error, as before
        return self

    def compile(self, patterns: list[str], flags: int = re.IGNORECASE) -> re.Pattern[str]:
        """One alternation for the list (`compile_cues`), compiled once per rubric and per process."""
        key = (flags, tuple(patterns))
        cache = self.pattern_cache
        if key not in cache:
            cache[key] = _compiled(key[1], self._fragments_key, flags)
        return cache[key]

    @cached_property
    def pattern_cache(self) -> dict[tuple[int, tuple[str, ...]], re.Pattern[str]]:
        return {}

    @cached_property
    def _fragments_key(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.fragments().items())


def declared_cue_lists(model: BaseModel) -> Iterator[list[str]]:
    """Every list of cues a rubric declares (its `list[Cue]` fields, nested models included) that is
    searched as one alternation. A list whose patterns name groups ("(?P<n>...)") is not: its reader
    compiles them one at a time, each with its own group names."""
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if field.annotation == list[Cue] and value and not any("(?P<" in p for p in value):
            yield value
        if field.annotation == dict[str, list[Cue]]:  # named lists read together (CueFlag.sentence_lists)
            yield from (v for v in value.values() if v and not any("(?P<" in p for p in v))
        inner = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        for item in inner:
            if isinstance(item, BaseModel):
                yield from declared_cue_lists(item)


def _check_expanded(patterns: list[str], vocabulary: dict[str, str], compiled: set[str]) -> None:
    """Every pattern as it will run: slots known, and valid once the slots are filled.

    A pattern in `compiled` already compiled as a branch of its list's alternation, `(?:pattern)`
    among others. It is not compiled again alone (that was 40% of loading the rubrics): its brackets
    close within itself (as a Cue it compiled alone with a stand-in for each slot, and every fragment
    compiles alone), so whatever is wrong with it alone (a look-behind of varying width, a repeat of
    nothing) is wrong in the alternation too, and its list would not have compiled."""
    fragments = tuple(vocabulary.items())
    for pattern in patterns:
        slots = set(_VOCAB_SLOT.findall(pattern)) - set(vocabulary)
        if slots:
            raise ValueError(f"pattern {pattern!r} uses {{{sorted(slots)[0]}}}, which is not in vocabulary")
        if pattern in compiled:
            continue
        problem = _expanded_problem(pattern, fragments)
        if problem:
            raise ValueError(f"pattern {pattern!r} is not valid once expanded ({problem})")


@functools.lru_cache(maxsize=8192)
def _expanded_problem(pattern: str, vocabulary: tuple[tuple[str, str], ...]) -> str | None:
    try:
        re.compile(expand(pattern, dict(vocabulary)))
    except re.error as exc:
        return str(exc)
    return None


def _fragments_stand_alone(vocabulary: dict[str, str]) -> bool:
    return all(_regex_problem(f"(?:{fragment})") is None for fragment in vocabulary.values())


# ---------------------------------------------------------------- star.yaml


class CueGroup(Strict):
    """Patterns that each show a part with the same strength. `where` limits them to part of the answer."""

    weight: float = Field(gt=0.0, le=1.0)
    where: Literal["anywhere", "opening", "closing"] = "anywhere"
    patterns: list[Cue] = Field(min_length=1)


class StarPart(Strict):
    definition: str = Field(min_length=10)
    cues: list[CueGroup] = Field(min_length=1)
    # Read by the rules' part score only, not by the semantic heads' clause features: the heads were
    # fitted on `cues` as they were, and a clause that gains a cue there shifts every part the heads
    # see in it (a scene that also names the task stops reading as the scene).
    story_cues: list[CueGroup] = Field(
        default_factory=list, description="cues for the rules' part score that the clause heads do not read"
    )

    @property
    def all_cues(self) -> list[CueGroup]:
        return [*self.cues, *self.story_cues]


class Criterion(Strict):
    """A non-STAR criterion (e.g. weighs_tradeoffs): cue hits and built-in signals, saturating at 1."""

    definition: str = Field(min_length=10)
    cues: list[CueGroup] = Field(default_factory=list)
    signals: list[Literal["numbers", "names", "company", "past_story", "examples"]] = Field(
        default_factory=list
    )
    saturation: float = Field(
        1.0, gt=0.0, description="summed cue weight (distinct clauses) for a full score"
    )

    @model_validator(mode="after")
    def _something(self) -> Criterion:
        if not self.cues and not self.signals:
            raise ValueError("a criterion needs cues or signals")
        return self


class Level(Strict):
    score: int = Field(ge=1, le=5)
    anchor: str = Field(min_length=10, description="what an answer at this level looks like")
    min_composite: Share = Field(description="the composite score that earns this level")


def _check_scale(levels: list[Level]) -> list[Level]:
    if sorted(level.score for level in levels) != [1, 2, 3, 4, 5]:
        raise ValueError("a scale has exactly the levels 1, 2, 3, 4 and 5")
    ordered = sorted(levels, key=lambda level: level.score)
    if any(a.min_composite > b.min_composite for a, b in itertools.pairwise(ordered)):
        raise ValueError("min_composite must not decrease as the score rises")
    return ordered


Scale = Annotated[list[Level], AfterValidator(_check_scale)]


class CriteriaRubric(Strict):
    """The rubric of a non-story answer (reasoning for skills/case, culture for culture fit)."""

    description: str
    criteria: dict[str, Criterion] = Field(min_length=1)
    weights: dict[str, float]
    scale: Scale

    @model_validator(mode="after")
    def _weights(self) -> CriteriaRubric:
        unknown = set(self.weights) - set(self.criteria) - {"conciseness"}
        if unknown:
            raise ValueError(f"weights name unknown criteria: {', '.join(sorted(unknown))}")
        if sum(self.weights.values()) <= 0:
            raise ValueError("weights must add up to more than 0")
        return self


class KindRule(Strict):
    """How a question kind is recognised from its wording, and which rubric grades its answers."""

    grade_as: Literal["star", "reasoning", "culture", "story_or_reasoning"]
    patterns: list[Cue] = Field(default_factory=list)


class Transcript(Strict):
    """Spoken answers: what counts as filler, and where an over-long sentence may be cut into clauses."""

    fillers: list[Cue] = Field(
        min_length=1, description="removed before cues are matched; a group named f limits it"
    )
    clause_markers: list[Cue] = Field(min_length=1, description="a long sentence is split before these")
    max_clause_words: int = Field(ge=8, le=200)
    quote_words: int = Field(ge=6, le=80, description="the longest quote, in words")
    quote_trim: list[str] = Field(default_factory=list, description="leading words dropped from a quote")
    labels: list[Cue] = Field(
        default_factory=list, description="STAR labels, removed like fillers but not counted as filler"
    )
    annotations: list[Cue] = Field(
        default_factory=list,
        description="a transcriber's notes ('[inaudible]', '(laughs)'): not the candidate's words, removed like labels",
    )

    @property
    def unsaid(self) -> list[Cue]:
        """What is removed before an answer is read and never counted as words: labels and notes."""
        return [*self.labels, *self.annotations]


class Ownership(Strict):
    i_actions: list[Cue] = Field(min_length=1)
    we_actions: list[Cue] = Field(min_length=1)
    not_own: list[Cue] = Field(
        default_factory=list,
        description="an 'I' after these in its clause is someone else's words or an opinion, not an action",
    )
    we_not_i_min_we: int = Field(ge=1)
    we_not_i_max_i_actions: int = Field(
        0, ge=0, description="a 'we' story with more clear 'I' actions than this is not we_not_i ..."
    )
    we_not_i_max_i_share: Share = Field(description="... unless 'I' is at most this share of the actions")


_TIE_ORDER: tuple[PartName, ...] = ("result", "task", "action", "situation")


class ClauseParts(Strict):
    """A clause counts mainly for the STAR part it shows best; what it shows of the others counts less."""

    secondary_factor: Share = Field(
        1.0, description="a cue in a clause that shows another part better counts this much"
    )
    tie_order: list[PartName] = Field(
        default_factory=lambda: list(_TIE_ORDER),
        description="between equally strong parts, the clause goes to the first of these",
    )
    cue_bonus: float = Field(
        0.0, ge=0.0, le=0.5, description="ranks a clause up per further cue of the same part in it"
    )
    before_state: list[Cue] = Field(
        default_factory=list,
        description="how things stood before (had grown to, used to take): the situation, not a result",
    )
    before_state_weight: float = Field(0.8, gt=0.0, le=1.0)
    after_state: list[Cue] = Field(
        default_factory=list,
        description="in the same clause, these make it a change after all (now, went from)",
    )


class Specificity(Strict):
    concrete: list[Cue] = Field(min_length=1, description="named, dated, counted details")
    generic: list[Cue] = Field(min_length=1, description="claims anyone could make")
    saturation: float = Field(gt=0.0, description="concrete details for a full score")
    generic_penalty: Share = Field(description="taken off per generic claim")


class Length(Strict):
    ideal_min_words: int = Field(ge=5)
    ideal_max_words: int = Field(ge=20)
    rambling_words: int = Field(ge=50, description="above this an answer is rambling")
    filler_share_rambling: Share = Field(description="filler share that is rambling ...")
    filler_rambling_min_words: int = Field(ge=1, description="... on an answer at least this long")
    filler_min_words: int = Field(ge=1, description="filler share counts only on answers this long")
    filler_weight: float = Field(ge=0.0, description="conciseness lost per unit of filler share")
    digressions: list[Cue] = Field(
        default_factory=list, description="the speaker wandering off: 'anyway', 'a whole other story'"
    )
    digression_min_words: int = Field(180, ge=1, description="... make an answer this long rambling")
    digression_min_hits: int = Field(1, ge=1)


class StructureRule(Strict):
    weights: dict[str, float] = Field(description="over the behavioural dimensions")
    penalties: dict[str, float] = Field(description="flag -> factor the structure is multiplied by")


class Hypothetical(Strict):
    cues: list[Cue] = Field(min_length=1, description="conditional or future: what one would do")
    story_cues: list[Cue] = Field(min_length=1, description="past narrative: what happened")
    habitual: list[Cue] = Field(
        default_factory=list, description="in a clause, these make 'I would' a past habit, not a hypothetical"
    )
    min_clauses: int = Field(ge=1)
    dominance: float = Field(gt=0.0, description="hypothetical clauses per story clause that flag it")
    story_min_clauses: int = Field(ge=1, description="story clauses that make an answer a past story")
    part_factor: Share = Field(1.0, description="STAR parts of a hypothetical answer count this much")


class Vague(Strict):
    min_generic: int = Field(
        ge=1, description="generic claims that, with no concrete situation, make it vague"
    )
    max_specificity: Share = Field(description="at or below this and no situation: vague")


class CueFlag(Strict):
    cues: list[Cue] = Field(min_length=1)
    min_hits: int = Field(1, ge=1)
    weak_cues: list[Cue] = Field(
        default_factory=list, description="count only when min_weak_hits of them appear"
    )
    min_weak_hits: int = Field(2, ge=1)
    unless_question: list[Cue] = Field(
        default_factory=list, description="not flagged when the question asks this"
    )
    said_by_others: list[Cue] = Field(
        default_factory=list,
        description="a hit after one of these in its sentence is someone else's words ('my manager said I was ...')",
    )
    said_after: list[Cue] = Field(
        default_factory=list,
        description="a hit before one of these in its sentence is someone else's words ('..., according to the survey')",
    )
    sentence_lists: dict[str, list[Cue]] = Field(
        default_factory=dict, description="named cue lists, read together in one sentence (sentence_reads)"
    )
    sentence_reads: list[list[str]] = Field(
        default_factory=list,
        description="a sentence with a hit from every named list of one read is a hit (pay words in a question);"
        " a name written '!name' must find nothing in the sentence (money of the work, not pay)",
    )

    @model_validator(mode="after")
    def _reads_name_lists(self) -> CueFlag:
        for read in self.sentence_reads:
            unknown = [name for name in read if name.lstrip("!") not in self.sentence_lists]
            if unknown or not any(not name.startswith("!") for name in read):
                raise ValueError(f"sentence_reads: {read} names no list or an unknown one {unknown}")
        return self


def _single_characters(table: dict[str, str]) -> dict[str, str]:
    for key in table:
        if len(key) != 1:
            raise ValueError(f"look_alikes: {key!r} must be one character")
    return table


class InjectionRule(CueFlag):
    look_alikes: Annotated[dict[str, str], AfterValidator(_single_characters)] = Field(
        default_factory=dict,
        description="letters from other scripts read as the Latin letter they look like, when screening",
    )
    grade_asks: list[Cue] = Field(
        default_factory=list,
        description="a sentence asks for or states a grade (full marks, all criteria met, no flags) ...",
    )
    addressees: list[Cue] = Field(
        default_factory=list,
        description="... and speaks to the grader (an AI, an automated reviewer, whoever scores this) ...",
    )
    the_answer: list[Cue] = Field(
        default_factory=list,
        description="... or of this answer as the thing graded ('this response', 'this candidate'): injection",
    )


class Ungradable(Strict):
    min_words: int = Field(ge=1)
    non_answers: list[Cue] = Field(min_length=1, description="a short answer matching these is a non-answer")
    non_answer_max_words: int = Field(ge=1)
    non_answer_padding: list[str] = Field(
        default_factory=list, description="words that add nothing around a non-answer ('sorry', 'honestly')"
    )
    min_wordlike_share: Share
    min_function_word_share: Share
    function_words: list[str] = Field(min_length=10)
    keyboard_runs: list[str] = Field(min_length=1, description="letter runs that mark keyboard mash")
    wall_min_words: int = Field(ge=50)
    impersonal_min_words: int = Field(
        30, ge=20, description="from this length, text naming no person is pasted"
    )
    wall_max_first_person_share: Share
    wall_max_question_overlap: Share
    max_symbol_share: Share = Field(
        1.0, description="code-like symbols ({}[]()=<>;_#) above this share: pasted text"
    )
    symbol_min_chars: int = Field(40, ge=1, description="... counted on answers at least this long")
    reasons: dict[UngradableReason, str]


class Feedback(Strict):
    min_points: int = Field(ge=1)
    max_points: int = Field(ge=1)
    templates: dict[str, str] = Field(min_length=1)
    outline_labels: dict[str, str] = Field(min_length=1)
    outline_missing: dict[str, str] = Field(min_length=1)


class Milestones(Strict):
    """A clause that tells only that the work reached a milestone ("the board approved it in March", "we
    went live on 4 November, as planned", "it launched in September") states no outcome: what changed
    because of it is the result, and the ending's verdict reads such a clause as none (ending.py). A clause
    that also tells an effect ("we launched in spring and bookings went up a third") is not one."""

    says: list[Cue] = Field(
        default_factory=list, description="the work approved, signed off, launched, live, started"
    )
    unless: list[Cue] = Field(default_factory=list, description="an effect told in the same clause")
    joins: Cue = Field(r",? (?:and|but|so|which|then)\b|, ", description="where a clause's parts meet")
    short: int = Field(4, ge=0, description="a part of at most this many words is an aside ('as planned')")


class MeaningFlags(Strict):
    """Where the semantic reading's figures raise a flag (see grading/semantic_story.py). The values
    live in star.yaml (`meaning_flags`); the defaults only keep an older rubric copy loadable (the
    cassettes pin one)."""

    hypothetical: Share = Field(0.5, description="share of the story told as 'I would'")
    no_result: Share = Field(0.4, description="a story whose result part scores below this states none")
    we_share: Share = Field(0.5, description="the team's share of the actions, at least")
    own_share: Share = Field(0.25, description="the candidate's share, at most")
    blend: float = Field(
        0.7,
        ge=0.0,
        le=1.0,
        description="the semantic presence's weight in a part's score (the rules' is 1 - blend)",
    )
    scene_needs_action: float = Field(
        0.3,
        gt=0.0,
        le=1.0,
        description="below this action score (and with no 'I would'), the situation counts in proportion to it",
    )
    task_said_outright: float = Field(
        1.0,
        gt=0.0,
        le=1.0,
        description="a rules' task score this high (a full-strength cue) states the task, whatever the heads read",
    )
    milestones: Milestones = Field(default_factory=Milestones)
    duty_list_drops_story: bool = Field(
        False,
        description="an answer read as a list of duties (grading/duty_list.py) states no scene and no actions",
    )


class StarRubric(CueRubric):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    description: str = ""
    vocabulary: dict[str, str] = Field(default_factory=dict, description="fragments patterns use as {name}")
    parts: dict[Literal["situation", "task", "action", "result"], StarPart]
    present_at: Share = Field(description="a part scoring this much counts as present")
    extra_clause_bonus: Share = Field(description="added per further clause that shows a part")
    clause_parts: ClauseParts = Field(default_factory=ClauseParts)
    ownership: Ownership
    specificity: Specificity
    length: Length
    structure: StructureRule
    scale: Scale = Field(description="the behavioural (STAR) answer's anchored 1-5 scale")
    caps: dict[str, int] = Field(default_factory=dict, description="flag -> the highest overall it allows")
    meaning_flags: MeaningFlags = Field(default_factory=MeaningFlags)
    reasoning: CriteriaRubric
    culture: CriteriaRubric
    kinds: dict[Literal["behavioural", "skills", "case", "culture", "potential", "pressure"], KindRule]
    default_kind: Literal["behavioural", "skills", "case", "culture", "potential", "pressure"]
    transcript: Transcript
    hypothetical: Hypothetical
    quantities: list[Cue] = Field(min_length=1, description="a story with none of these gets no_numbers")
    vague: Vague
    overconfident: CueFlag
    salary: CueFlag
    prompt_injection: InjectionRule
    ungradable: Ungradable
    feedback: Feedback

    @model_validator(mode="after")
    def _complete(self) -> StarRubric:
        missing = set(STAR_PARTS) - set(self.parts)
        if missing:
            raise ValueError(f"parts: missing {', '.join(sorted(missing))}")
        dims = {*STAR_PARTS, "ownership", "specificity", "conciseness"}
        unknown = set(self.structure.weights) - dims
        if unknown:
            raise ValueError(f"structure.weights: unknown dimensions {', '.join(sorted(unknown))}")
        return self

    def fragments(self) -> dict[str, str]:
        return self.vocabulary

    def all_patterns(self) -> list[str]:
        out: list[str] = []
        for part in self.parts.values():
            for group in part.cues:
                out += group.patterns
        for rubric in (self.reasoning, self.culture):
            for criterion in rubric.criteria.values():
                for group in criterion.cues:
                    out += group.patterns
        out += self.ownership.i_actions + self.ownership.we_actions + self.ownership.not_own
        out += self.clause_parts.before_state + self.clause_parts.after_state
        out += self.specificity.concrete + self.specificity.generic + self.length.digressions
        out += self.hypothetical.cues + self.hypothetical.story_cues + self.quantities
        out += self.hypothetical.habitual + self.transcript.labels
        for flag in (self.overconfident, self.salary, self.prompt_injection):
            out += flag.cues + flag.weak_cues + flag.unless_question
        for kind in self.kinds.values():
            out += kind.patterns
        return out


# ---------------------------------------------------------------- consistency.yaml


class Tolerances(Strict):
    relative: Share = Field(description="two plain figures this close are the same")
    hedged_relative: Share = Field(description="when either is hedged ('about 30%')")
    percent_points: float = Field(ge=0.0, description="percentages this many points apart are the same")
    percent_points_share: Share = Field(
        1.0,
        description="... unless the gap is more than this share of the larger one: 5.3% / 7% differ",
    )
    team_size: int = Field(ge=0, description="people either way that still count as the same team")
    hedged_team_size: int = Field(ge=0)
    duration_relative: Share
    change_ratio: Share = Field(
        0.15,
        description="two changes told as after / before ('doubled', 'from 1,100 to 1,500') this close are one",
    )
    hedged_change_ratio: Share = Field(0.3, description="... when either is hedged ('roughly halved')")
    lone_duration_ratio: float = Field(
        2.5,
        ge=1.0,
        description="the only duration on each side, this many times apart: the same span told two ways",
    )


class NumberWords(Strict):
    units: dict[str, int] = Field(min_length=10, description="zero ... nineteen, and words like dozen")
    tens: dict[str, int] = Field(min_length=8)
    scales: dict[str, int] = Field(min_length=2, description="hundred, thousand, million ...")
    fractions: dict[str, float] = Field(default_factory=dict, description="half, a third ... as percentages")
    multiples: dict[str, float] = Field(default_factory=dict, description="doubled, tripled ... as multiples")
    approximate: dict[str, float] = Field(default_factory=dict, description="a couple -> 2 (always hedged)")
    vague: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="'hundreds of' -> (200, 900): a range, always hedged"
    )
    vague_spans: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="'a few' (weeks) -> (2, 4) units: read only before a unit of time"
    )


class TimesOfYear(Strict):
    """When in the year, as months (13 and 14 are the January and February after a December)."""

    seasons: dict[str, tuple[float, float]] = Field(default_factory=dict, description="'summer' -> (6, 8)")
    holidays: dict[str, float] = Field(default_factory=dict, description="'christmas' -> 12")
    parts_of_year: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="'early' (2022), 'the end of' (2021) -> months"
    )


def people_nouns(words: list[str]) -> str:
    """An alternation of people nouns, each singular or plural ("nurse" finds "nurses")."""
    # Longest first so a longer noun wins; then alphabetical, so the pattern's text is the same every run.
    return "|".join(re.escape(w) + "(?:s|es)?" for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _title_nouns(roles: list[RoleTitle]) -> list[str]:
    """The job a title names, as a noun: "head chef" -> chef ("me and one chef"). Plain titles only."""
    plain = [p for role in roles for p in role.patterns if re.fullmatch(r"[A-Za-z][A-Za-z -]*", p)]
    return [p.split()[-1].lower() for p in plain if not {"of", "de"} & set(p.split())]


class RoleTitle(Strict):
    title: str = Field(min_length=2)
    rank: int = Field(ge=0, le=20, description="seniority: a higher rank in round two is an embellishment")
    patterns: list[Cue] = Field(min_length=1)


class OutcomeType(Strict):
    name: str
    positive: list[Cue] = Field(min_length=1)
    negative: list[Cue] = Field(min_length=1)


class NamedSlot(Strict):
    """A named thing a story turns on (employer, the system moved to ...). The pattern captures `value`."""

    name: str
    pattern: Cue

    @model_validator(mode="after")
    def _group(self) -> NamedSlot:
        if "(?P<value>" not in self.pattern:
            raise ValueError("a named slot's pattern captures the name with (?P<value>...)")
        return self


class Credit(Strict):
    """Who did the key thing: someone else in round one and "I" in round two is an embellishment."""

    verbs: dict[str, list[str]] = Field(min_length=1, description="a group name -> verbs that mean it")
    role_groups: list[str] = Field(
        default_factory=list, description="verb groups about the candidate's part in the story (led, helped)"
    )
    others: list[Cue] = Field(min_length=1, description="who else might have done it")


# "From the first exam to the last was four years": a span from the first step to the last is the whole.
_FIRST_TO_LAST = (
    r"from (?:the|my|our|its) (?:very )?first (?:[\w-]+ ){0,2}?(?:to|until|till) (?:the|my|our|its) "
    r"(?:very )?(?:last|final)\b"
)


class TeamLists(Strict):
    """A team told as the people in it ("three PhD students, two master's students and a technician"),
    added up into one team size. Empty lists read no such team."""

    leads: list[Cue] = Field(
        default_factory=list, description="words right before a list of people who are the candidate's team"
    )
    weak_leads: list[Cue] = Field(
        default_factory=list,
        description="like leads, but only people named as such may follow: 'my team was', 'I had'",
    )
    all_mine: list[Cue] = Field(
        default_factory=list, description="said after counts of people: they all report to the candidate"
    )
    more: list[Cue] = Field(
        default_factory=list, description="before a bare count that adds to the last: 'another four'"
    )


class SameSubject(Strict):
    """Two figures are compared only when they are figures of the same thing."""

    window_words: int = Field(
        5, ge=1, le=20, description="content words either side of a figure that say what it is a figure of"
    )
    head_words: int = Field(2, ge=1, le=5, description="the nearest of them, which name the thing measured")
    date_head_words: int = Field(1, ge=1, le=5, description="for a date: the event it dates ('launched in')")
    duration_window_words: int = Field(
        6, ge=1, le=20, description="the same for durations, whose subject is often a whole phrase"
    )
    min_shared_duration: int = Field(
        2, ge=1, description="the same for durations, which say little about what they are durations of"
    )
    part_words: int = Field(3, ge=1, le=10, description="words either side in which a step marker counts")
    scope_chars_before: int = Field(40, ge=0, le=200)
    scope_chars_after: int = Field(30, ge=0, le=200)
    whole: list[Cue] = Field(
        default_factory=list, description="near a figure: it is about the story as a whole (the project took)"
    )
    part: list[Cue] = Field(
        default_factory=list, description="near a figure: it is about one step of it (the first two weeks)"
    )
    end_to_end: list[Cue] = Field(
        default_factory=lambda: [_FIRST_TO_LAST],
        description="near a figure: it spans the story from its first step to its last (read before `part`)",
    )
    tenure: list[Cue] = Field(
        default_factory=list,
        description="near a date: it is when the candidate joined or left, not the story's",
    )
    other_team: list[Cue] = Field(
        default_factory=list, description="before a team size: it is some other team (a separate team of 3)"
    )
    part_of_team: list[Cue] = Field(
        default_factory=list, description="right before a count of people: some of a team ('including two')"
    )


class Alignment(Strict):
    """Which round-one claim a round-two claim is about: sentence meaning narrows the candidates, the
    fact's kind, amount and subject decide (consistency.yaml `alignment`)."""

    min_similarity: Share = Field(
        0.85, description="sentence similarity at which two clauses tell the same fact"
    )
    min_overlap: Share = Field(
        0.5, description="without sentence vectors: the share of content words in common"
    )
    standing_min_similarity: Share = Field(
        0.82, description="the same for who the candidate is (their team, their title)"
    )
    min_same_fact: Share = Field(
        0.5,
        description="the learned same-fact score (clause_pairs.py) a new detail's clause needs, besides the"
        " similarity, to be called one that does not conflict",
    )
    min_same_count: Share = Field(
        0.7,
        description="the same-fact score at which two clauses' only counts are compared whatever nouns name them",
    )
    before: list[Cue] = Field(default_factory=list, description="before a figure: a starting point")
    after: list[Cue] = Field(default_factory=list, description="before a figure: a state after the work")


class Reasons(Strict):
    """Why the story's work began (reasons.py): where a reason is said, and how far apart two
    reasons for the same thing are before round two is telling another (consistency.yaml `reasons`)."""

    cues: list[Cue] = Field(
        default_factory=lambda: [r"\bbecause(?: of)?\b", r"\bdue to\b"],
        description="a reason follows: 'because ...'",
    )
    reason_nouns: list[Cue] = Field(
        default_factory=lambda: [
            r"\bthe (?:main |real |whole |only |actual |original )?(?:reason|trigger)\b(?: (?:why|for))?"
        ],
        description="'the reason (we started it) was ...': the reason follows the verb",
    )
    start_words: list[Cue] = Field(
        default_factory=lambda: [
            r"\b(?:start|started|starts|began|begin|kicked off|came about|introduced|set up|launched)\b"
        ],
        description="what a reason explains is the story's own start",
    )
    denials: list[Cue] = Field(
        default_factory=lambda: [
            r"\b(?:it |that )?(?:wasn't|was not|isn't|is not|wasn’t)(?: really| actually| just| even)? (?:that|because)\b"
        ],
        description="round two denies what follows: 'it wasn't really that ...'",
    )
    min_shared_what: int = Field(1, ge=1, description="content words two explained things share")
    max_similarity: Share = Field(
        0.85, description="two reasons for one thing less alike than this are two reasons"
    )


class Clients(Strict):
    """Whom the work was for, described (clients.py, consistency.yaml `clients`)."""

    lead_ins: list[Cue] = Field(
        default_factory=list, description="before a description of the client: 'for', 'the client was'"
    )
    organisations: list[str] = Field(
        default_factory=list, description="words a description of an organisation ends in: 'airline'"
    )
    min_similarity: Share = Field(0.86, description="two descriptions this alike are one client")


class ReportingLines(Strict):
    """The candidate's part told by who answered to whom (role_change.py): "two accountants report to
    me" is a lead's part, "I'm one of two accountants working for the finance manager" a smaller one."""

    over: list[Cue] = Field(
        default_factory=list,
        description="the candidate over others: 'reported to me', 'I supervise the team'",
    )
    under: list[Cue] = Field(
        default_factory=list, description="the candidate under someone: 'working for the finance manager'"
    )
    # Told of one story, not of who the candidate is: read in that story's answers only.
    owned: list[Cue] = Field(
        default_factory=list,
        description="the story the candidate's: 'that was my project', 'I was the one negotiating'",
    )
    others_owned: list[Cue] = Field(
        default_factory=list, description="someone else's: 'the incident commander was my manager'"
    )


class Matching(Strict):
    min_similarity: Share = Field(description="weighted overlap needed to say it is the same story")
    min_shared_words: int = Field(ge=1)
    notes_min_coverage: Share = Field(description="share of a note's words the answer must have")
    entity_bonus: Share = Field(description="added per shared figure or name")
    meaning_min_similarity: Share = Field(
        0.9, description="no story shares enough words: the whole answer this close (cosine) to one still is"
    )
    meaning_min_margin: Share = Field(0.05, description="... and this much closer than to any other answer")
    one_line_words: int = Field(
        15,
        ge=0,
        description="a round-one answer this short, matched by words, gives way to one much closer by meaning",
    )
    question_stopwords: list[str] = Field(
        default_factory=list, description="question words that say nothing about which story it is"
    )


class ConsistencyRubric(CueRubric):
    name: str
    version: str = Field(pattern=r"^\d+(\.\d+)*$")
    description: str = ""
    model_config = ConfigDict(serialize_by_alias=True)  # a dump reads back as the file it came from
    # The file's fragments; `vocabulary` adds those made from its lists.
    written_vocabulary: dict[str, str] = Field(default_factory=dict, alias="vocabulary")
    kinds: dict[Literal["contradiction", "embellishment", "omission", "elaboration"], str]
    categories: dict[Literal["number", "team_size", "date", "duration", "role", "outcome", "other"], str]
    elaboration_or_contradiction: str = Field(min_length=20, description="the rule, in prose")
    embellishment_rule: str = Field(min_length=20, description="the rule, in prose")
    omission_rule: str = Field(min_length=20, description="the rule, in prose")
    tolerances: Tolerances
    hedges: list[Cue] = Field(min_length=1, description="words before a figure that make it approximate")
    softeners: list[str] = Field(
        default_factory=list,
        description="hedges that say nothing else about a figure ('about'): read past, and hedges too",
    )
    stressed: list[str] = Field(
        default_factory=list, description="words before a figure that stress it without hedging: 'only'"
    )
    times_of_year: TimesOfYear = Field(default_factory=TimesOfYear)
    number_words: NumberWords
    percent_units: list[Cue] = Field(min_length=1)
    currency: dict[str, str] = Field(min_length=1, description="symbol or word -> currency code")
    team_nouns: list[str] = Field(min_length=1, description="people nouns: '5 engineers'")
    team_context: list[Cue] = Field(min_length=1, description="a people count is a team size near these")
    team_patterns: list[Cue] = Field(min_length=1, description="phrasings whose `n` group is a team size")
    team_patterns_plus_me: list[Cue] = Field(
        default_factory=list,
        description="phrasings whose `n` group leaves the candidate out: 'me and 3 others'",
    )
    team_lists: TeamLists = Field(default_factory=TeamLists)
    duration_units: dict[str, float] = Field(min_length=3, description="unit word -> days")
    duration_lead_ins: list[Cue] = Field(
        min_length=1, description="words before a figure that make it a span"
    )
    duration_trails: list[Cue] = Field(default_factory=list, description="words after it that make it a span")
    not_duration: list[Cue] = Field(default_factory=list, description="points in time, not spans")
    rate_periods: list[str] = Field(
        default_factory=lambda: ["week", "fortnight", "month", "quarter", "year"],
        description="duration units a figure may be said per ('£10k a month'): rates are compared a year's worth",
    )
    label_words: list[str] = Field(
        default_factory=list,
        description="a figure right after one of these names a thing, not an amount: 'year 11', 'grade 4'",
    )
    gain_cues: list[Cue] = Field(min_length=1, description="bigger is the candidate's better result")
    cut_cues: list[Cue] = Field(min_length=1, description="a bigger cut is the candidate's better result")
    self_role: list[Cue] = Field(min_length=1, description="lead-ins to the candidate's own role")
    not_self_role_after: list[Cue] = Field(
        default_factory=list,
        description="right after a title, these make it someone else's ('as the client wanted')",
    )
    roles: list[RoleTitle] = Field(min_length=3)
    lead_rank: int = Field(4, ge=0, le=20, description="a role this senior or more led the story")
    support_outranked_at: int = Field(3, ge=0, description="a title this senior outranks a supporting part")
    outcomes: list[OutcomeType] = Field(min_length=1)
    negations: list[Cue] = Field(min_length=1)
    named_slots: list[NamedSlot] = Field(default_factory=list)
    credit: Credit
    reporting_lines: ReportingLines = Field(default_factory=ReportingLines)
    matching: Matching
    same_subject: SameSubject = Field(default_factory=SameSubject)
    alignment: Alignment = Field(default_factory=Alignment)
    reasons: Reasons = Field(default_factory=Reasons)
    clients: Clients = Field(default_factory=Clients)
    max_elaborations: int = Field(ge=0)
    explanations: dict[str, str] = Field(min_length=1, description="kind or kind.category -> text template")

    @model_validator(mode="after")
    def _team_patterns(self) -> ConsistencyRubric:
        for pattern in [*self.team_patterns, *self.team_patterns_plus_me]:
            if "(?P<n>" not in pattern:
                raise ValueError(f"team_patterns: {pattern!r} must capture the number as (?P<n>...)")
        return self

    def all_patterns(self) -> list[str]:
        patterns = [*self.hedges, *self.percent_units, *self.team_context, *self.team_patterns]
        patterns += [*self.team_patterns_plus_me, *self.softeners]
        patterns += [*self.team_lists.leads, *self.team_lists.weak_leads, *self.team_lists.all_mine]
        patterns += self.team_lists.more
        patterns += [*self.gain_cues, *self.cut_cues, *self.self_role, *self.negations, *self.credit.others]
        patterns += [p for role in self.roles for p in role.patterns]
        patterns += [p for outcome in self.outcomes for p in (*outcome.positive, *outcome.negative)]
        patterns += [slot.pattern for slot in self.named_slots]
        patterns += [v for verbs in self.credit.verbs.values() for v in verbs]
        patterns += [*self.same_subject.whole, *self.same_subject.part, *self.same_subject.other_team]
        patterns += self.same_subject.end_to_end
        patterns += [*self.same_subject.tenure, *self.same_subject.part_of_team]
        patterns += [*self.alignment.before, *self.alignment.after]
        return patterns

    @cached_property
    def vocabulary(self) -> dict[str, str]:
        """The file's fragments, and {team_noun} and {person}, made from its lists: people nouns are one
        list (team_nouns), and a job title ("two other editors") names people too."""
        made = {
            "team_noun": people_nouns(self.team_nouns),
            "person": people_nouns([*self.team_nouns, *_title_nouns(self.roles)]),
        }
        return made | self.written_vocabulary

    def fragments(self) -> dict[str, str]:
        return self.vocabulary


R = TypeVar("R")
T = TypeVar("T")


def per_rubric(build: Callable[[R], T]) -> Callable[[R], T]:
    """`build(rubric)` made once per rubric object. Rubrics are not hashable, and an id is reused once
    its object is freed, so the object is kept beside what was built and compared."""
    built: dict[int, tuple[R, T]] = {}

    def get(rubric: R) -> T:
        known = built.get(id(rubric))
        if known is None or known[0] is not rubric:
            if len(built) > 32:
                built.clear()
            known = (rubric, build(rubric))
            built[id(rubric)] = known
        return known[1]

    return get
