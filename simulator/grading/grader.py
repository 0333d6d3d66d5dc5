"""The rule-based grade of one answer: the offline engine's grader and the LLM judge's guard.

Pure and deterministic: the rubrics are passed in, nothing is read or written. The same request and
rubrics always give the same grade.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from simulator.catalog import Rubrics
from simulator.grading import answer_length, criteria, cues, feedback, ungradable
from simulator.grading.alignment import round_one_texts
from simulator.grading.claims import extract
from simulator.grading.consistency import Story, stories
from simulator.grading.consistency import check as check_consistency
from simulator.grading.cues import Hit
from simulator.grading.flags import (
    Injection,
    Narrative,
    cue_flag,
    find_injection,
    is_rambling,
    narrative,
    real_example,
)
from simulator.grading.kinds import infer_kind, resolve_kind, rubric_for
from simulator.grading.request import GradeRequest
from simulator.grading.rubric import STAR_PARTS, Level, StarRubric, UngradableReason
from simulator.grading.semantic import Meaning, default_meaning
from simulator.grading.semantic_story import StoryVerdict, reread
from simulator.grading.stance import fragments, shipped_stance
from simulator.grading.star import StoryReading, read_story, structure
from simulator.grading.text import Text, analyse
from simulator.limits import MAX_ANSWER_CHARS
from simulator.models import AnswerGrade, Consistency, GraderInfo, RoundOne, StarComponent

# The order flags are listed in a grade.
FLAG_ORDER = (
    "prompt_injection",
    "hypothetical",
    "vague",
    "no_result",
    "we_not_i",
    "no_numbers",
    "rambling",
    "overconfident",
    "salary_too_early",
    answer_length.FLAG,
)


OMISSION_RESULT = 0.75
# A false no_result sends the interviewer after a result the candidate gave, so the flag needs a story
# with no hint of an outcome at all: a weak one (a figure near the end) is not a result, but holds it back.
NO_RESULT_BELOW = 0.4


def level(scale: list[Level], composite: float) -> int:
    """The highest anchored level whose threshold the composite reaches."""
    score = 1
    for step in scale:
        if composite >= step.min_composite:
            score = max(score, step.score)
    return score


def _capped(score: int, flags: list[str], rubric: StarRubric) -> int:
    for flag in flags:
        if flag in rubric.caps:
            score = min(score, rubric.caps[flag])
    return score


def _ordered(flags: set[str]) -> list[str]:
    return [f for f in FLAG_ORDER if f in flags] + sorted(flags - set(FLAG_ORDER))


def _common_flags(text: Text, question: str, rubric: StarRubric, hits: dict[str, list[Hit]]) -> set[str]:
    flags = set()
    if is_rambling(text, rubric):
        flags.add("rambling")
    salary = cue_flag(text, rubric.salary, rubric, question)
    if salary:
        flags.add("salary_too_early")
        hits["salary_too_early"] = salary
    overconfident = cue_flag(text, rubric.overconfident, rubric)
    if overconfident:
        flags.add("overconfident")
        hits["overconfident"] = overconfident
    return flags


def _ungradable(
    reason: UngradableReason, kind: str, injection: Injection, rubric: StarRubric, info: GraderInfo
) -> AnswerGrade:
    flags = ["prompt_injection"] if injection.spans else []
    notes = []
    if injection.quotes and "injection" in rubric.feedback.templates:
        notes.append(rubric.feedback.templates["injection"].replace("{quote}", injection.quotes[0]))
    return AnswerGrade(
        status="ungradable",
        reason=rubric.ungradable.reasons[reason],
        question_kind=kind,
        flags=flags,
        feedback=notes,
        grader=info,
    )


def warm_up(round_one: RoundOne, rubrics: Rubrics, meaning: Meaning | None = None) -> threading.Thread | None:
    """Embed round one in the background as a session starts: every answer is compared with it, and
    the first answer would otherwise wait for all of it (a second or more on a busy machine). Returns
    the thread (None when there is nothing to do), which callers need not wait for."""
    meaning = meaning if meaning is not None else default_meaning()
    if meaning is None or round_one.is_empty():
        return None
    return meaning.warm(lambda: _read_round_one(round_one, rubrics, meaning))


def _read_round_one(round_one: RoundOne, rubrics: Rubrics, meaning: Meaning) -> list[str]:
    """Round one's answers read clause by clause (the STAR reading every answer of the session compares
    with: 2-3 ms of CPU each first answer paid), then the texts to embed (`_round_one_texts`)."""
    candidates = stories(round_one, rubrics.star, rubrics.consistency)
    for story in candidates:
        if not story.is_note:  # (notes are never read by meaning)
            meaning.read(story.text, rubrics.star)
    return _texts_to_embed(candidates, meaning)


def _round_one_texts(round_one: RoundOne, rubrics: Rubrics, meaning: Meaning) -> list[str]:
    """Everything of round one the grader may embed (`_texts_to_embed`)."""
    return _texts_to_embed(stories(round_one, rubrics.star, rubrics.consistency), meaning)


def _texts_to_embed(candidates: list[Story], meaning: Meaning) -> list[str]:
    """The aligner's clauses, each answer whole (the story an answer retells is matched by meaning when
    words do not settle it: consistency.match_by_meaning), and the clauses (in parts) the stance heads
    read when an answer retells that story. (The rubrics' cues were compiled when they were loaded:
    nothing is graded here.)"""
    texts = round_one_texts([s.text for s in candidates])
    texts += [s.text.original for s in candidates if not s.is_note]
    stance = shipped_stance()
    if stance is not None and meaning.embedder is not None and meaning.embedder.name == stance.embedder:
        texts += [f for s in candidates for c in s.text.clauses for f in fragments(c.text)]
    return texts


def grade_answer(
    request: GradeRequest,
    rubrics: Rubrics,
    engine: str = "offline",
    meaning: Meaning | None = None,
    use_meaning: bool = True,
    max_chars: int | None = MAX_ANSWER_CHARS,
) -> AnswerGrade:
    """Grade one answer with the rubric files: STAR or the kind's rubric, flags, consistency, feedback.

    A story is read by meaning (`meaning`, by default the shipped semantic heads) on top of the rules;
    `use_meaning=False` grades by the rules alone. An answer longer than `max_chars` is graded on its
    first part, and its grade says so (None reads it all).
    """
    capped = answer_length.cap(request.answer, max_chars)
    if capped.cut:
        first = grade_answer(
            replace(request, answer=capped.text), rubrics, engine, meaning, use_meaning, None
        )
        return answer_length.note(capped, first, rubrics.star)
    rubric = rubrics.star
    if meaning is None and use_meaning:
        meaning = default_meaning()
    model = f"rules+{meaning.name}" if meaning is not None else "rules"
    info = GraderInfo(engine=engine, model=model, rubric_version=rubrics.version)
    company = request.job.company if request.job else None
    kind = resolve_kind(request.question, request.question_kind, rubric, company)

    # An attempt to instruct the grader is blanked out first: whatever it asks for, it cannot earn.
    injection = find_injection(request.answer, rubric)
    answer = injection.masked(request.answer) if injection.spans else request.answer
    reason = ungradable.check(answer, request.question, rubric)
    if reason is not None:
        if injection.spans and reason in ("empty", "too_short", "non_answer"):
            reason = "injection_only"
        return _ungradable(reason, kind, injection, rubric, info)

    text = analyse(answer, rubric)
    story = narrative(text, rubric)
    grade_as = rubric_for(kind, rubric)
    if grade_as == "story_or_reasoning":
        grade_as = "star" if story.is_story(rubric) else "reasoning"
    elif (
        grade_as == "reasoning"
        and story.is_story(rubric)
        and infer_kind(request.question, rubric) == "behavioural"
    ):
        grade_as = (
            "star"  # a skills question that asks for an example ("use a real example"), answered with one
        )

    hits: dict[str, list[Hit]] = {}
    flags = _common_flags(text, request.question, rubric, hits)
    if injection.spans:
        flags.add("prompt_injection")
    # The story reading is needed for a STAR grade, and to tell an omitted result from round one.
    reading = read_story(text, rubric) if grade_as == "star" or not request.round_one.is_empty() else None
    verdict: StoryVerdict | None = None
    if reading is not None and meaning is not None:
        reading, verdict = reread(text, rubric, reading, meaning)
    consistency = Consistency()
    if reading is not None and not request.round_one.is_empty():
        # Only a clearly told result rules out an omission (a figure near the end may be an action's).
        told = reading.parts["result"].score >= OMISSION_RESULT
        consistency = check_consistency(
            text,
            request.round_one,
            told,
            rubric,
            rubrics.consistency,
            extract(text, rubrics.consistency),
            question=request.question,
            meaning=meaning,
        )

    if grade_as == "star" and reading is not None:
        flags |= _story_flags(text, reading, story, rubric, hits, verdict)
        ordered = _ordered(flags)
        if "hypothetical" in ordered:
            real = real_example(
                story,
                len(text.clauses),
                verdict.hypothetical_at if verdict is not None else frozenset(),
                verdict.role_at if verdict is not None else frozenset(),
            )
            reading.scale_parts(rubric.hypothetical.part_factor, real)
        dims = reading.dimensions
        if verdict is not None:
            # The calibrated level already weighs what the story shows; no flag caps it twice.
            composite = verdict.structure
            overall = verdict.level
            dims["result_caused"] = verdict.caused
        else:
            composite = structure(dims, ordered, rubric)
            overall = _capped(level(rubric.scale, composite), ordered, rubric)
        star = {
            part: StarComponent(score=reading.parts[part].score, evidence=reading.parts[part].evidence(text))
            for part in STAR_PARTS
        }
        points = feedback.story_points(text, reading, ordered, hits, consistency.findings, injection, rubric)
        outline = feedback.story_outline(text, reading, rubric)
    else:
        sheet = rubric.reasoning if grade_as == "reasoning" else rubric.culture
        found = criteria.signals(text, rubric, company, story.story_clauses)
        scores = criteria.score_criteria(text, sheet, rubric, found)
        dims = criteria.dimensions(text, sheet, scores, rubric)
        ordered = _ordered(flags)
        composite = criteria.composite(sheet, dims)
        for flag in ordered:
            composite *= rubric.structure.penalties.get(flag, 1.0) if flag == "rambling" else 1.0
        composite = round(composite, 3)
        overall = _capped(level(sheet.scale, composite), [f for f in ordered if f == "rambling"], rubric)
        star = {}
        points = feedback.criteria_points(
            text, scores, ordered, hits, consistency.findings, injection, rubric
        )
        outline = feedback.criteria_outline(text, scores, rubric)

    return AnswerGrade(
        status="graded",
        question_kind=kind,
        overall=overall,
        structure=composite,
        star=star,
        dimensions=dims,
        consistency=consistency,
        flags=ordered,
        feedback=points,
        outline=outline,
        grader=info,
    )


def _story_flags(
    text: Text,
    reading: StoryReading,
    story: Narrative,
    rubric: StarRubric,
    hits: dict[str, list[Hit]],
    verdict: StoryVerdict | None = None,
) -> set[str]:
    if verdict is not None:
        return _meaning_flags(text, reading, verdict, story, rubric, hits)
    flags: set[str] = set()
    if story.is_hypothetical(rubric):
        hits["hypothetical"] = story.hypothetical_hits
        return {"hypothetical"}
    situation = reading.present("situation", rubric)
    if _vague(reading, rubric):
        flags.add("vague")
    if story.is_story(rubric) or situation:
        if reading.parts["result"].score < min(NO_RESULT_BELOW, rubric.present_at):
            flags.add("no_result")
        if _told_as_we(reading.i_actions, reading.we_actions, rubric):
            flags.add("we_not_i")
        if not cues.find(text, rubric.quantities, rubric):
            flags.add("no_numbers")
    return flags


def _vague(reading: StoryReading, rubric: StarRubric) -> bool:
    """No scene, and generic claims or few specifics."""
    return not reading.present("situation", rubric) and (
        len(reading.generic_hits) >= rubric.vague.min_generic
        or reading.dimensions["specificity"] <= rubric.vague.max_specificity
    )


def _told_as_we(i_actions: int, we_actions: int, rubric: StarRubric) -> bool:
    """By the rules' count: enough "we" actions, and few "I" ones, or a small share."""
    own = rubric.ownership
    return we_actions >= own.we_not_i_min_we and (
        i_actions <= own.we_not_i_max_i_actions
        or i_actions / (i_actions + we_actions) <= own.we_not_i_max_i_share
    )


def _meaning_flags(
    text: Text,
    reading: StoryReading,
    verdict: StoryVerdict,
    story: Narrative,
    rubric: StarRubric,
    hits: dict[str, list[Hit]],
) -> set[str]:
    """Flags from what the story means, with the rules' quotes where they have one."""
    thresholds = rubric.meaning_flags
    flags: set[str] = set()
    if verdict.hypothetical >= thresholds.hypothetical or story.is_hypothetical(rubric):
        hits["hypothetical"] = story.hypothetical_hits
        return {"hypothetical"}
    # No result: a story (a scene and actions) whose ending states no real outcome, by the ending's meaning
    # (ending.py); without its head, a result part below the threshold.
    stops = (
        verdict.ending.flagged
        if verdict.ending is not None
        else reading.parts["result"].score < thresholds.no_result
    )
    if (
        stops
        and reading.parts["action"].score >= rubric.present_at
        and reading.parts["situation"].score >= rubric.present_at
    ):
        flags.add("no_result")
    # The team did it: by meaning (who acted in each action clause), or by the rules' count of "we".
    # Not when the rules count several "I" actions and no "we" one: the actor head reads a spoken lower-case
    # "i" as no one in particular, and would tell a story told all in "i" to say "I".
    all_mine = verdict.rules_we == 0 and verdict.rules_i >= 2
    by_meaning = (
        verdict.team_share >= thresholds.we_share
        and verdict.own_share <= thresholds.own_share
        and not all_mine
    )
    if by_meaning or _told_as_we(verdict.rules_i, verdict.rules_we, rubric):
        flags.add("we_not_i")
    if _vague(reading, rubric):
        flags.add("vague")
    if not cues.find(text, rubric.quantities, rubric):
        flags.add("no_numbers")
    return flags
